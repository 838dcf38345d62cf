"""The query's nearest themes as a soft boost: measured on the TUNING set only.

`python scripts/eval_theme_boost.py` loads the demo region like `make eval` (its own database)
and prints hybrid nDCG@10 / recall@10 of scripts/eval_queries.json without the boost and
with each setting of a small grid (boost share, minimum cosine, margin to the best theme).
The held-out set is not for tuning: `--holdout` only reports the chosen setting (the engine's
constants) against no boost on it, after the choice was made on the tuning set.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import eval_search  # noqa: E402

GRID_BOOST = (0.05, 0.1, 0.2)
GRID_MIN = (0.0, 0.82, 0.84)
GRID_MARGIN = (0.0, 0.01, 0.02)


def main() -> int:
    eval_search.setup()
    from catalog.models import Service
    from catalog.search import engine

    namespace = uuid.UUID(json.loads(eval_search.INDEX.read_text())["namespace"])
    queries = json.loads(eval_search.QUERIES.read_text(encoding="utf-8"))
    source_of = dict(Service.objects.values_list("id", "source_id"))

    chosen = (engine.THEME_BOOST, engine.THEME_MIN_SIMILARITY, engine.THEME_MARGIN)
    if "--holdout" in sys.argv:
        queries = json.loads(eval_search.HOLDOUT.read_text(encoding="utf-8"))

    def score() -> tuple[float, float]:
        total_ndcg = total_recall = 0.0
        for item in queries:
            labels = {str(uuid.uuid5(namespace, f"service:{k}")): g for k, g in item["relevant"].items()}
            result = engine.search(item["query"], page_size=eval_search.K)
            ranked = [source_of[h.service_id] for h in result.hits[: eval_search.K]]
            total_ndcg += eval_search.ndcg_at_k(ranked, labels)
            total_recall += eval_search.recall_at_k(ranked, labels)
        return total_ndcg / len(queries), total_recall / len(queries)

    engine.THEME_BOOST = 0.0
    base = score()
    if "--holdout" in sys.argv:
        engine.THEME_BOOST, engine.THEME_MIN_SIMILARITY, engine.THEME_MARGIN = chosen
        ndcg, recall = score()
        print(f"held-out set, {len(queries)} queries, hybrid nDCG@10 / recall@10 (reported, not tuned)")
        print(f"off: {base[0]:.4f} / {base[1]:.4f}; boost {chosen}: {ndcg:.4f} / {recall:.4f}")
        return 0
    print(f"tuning set, {len(queries)} queries, hybrid nDCG@10 / recall@10")
    print(f"{'boost':>6} {'min':>5} {'margin':>6}  {'nDCG':>6} {'recall':>6}")
    print(f"{'off':>6} {'':>5} {'':>6}  {base[0]:.4f} {base[1]:.4f}")
    for boost in GRID_BOOST:
        for minimum in GRID_MIN:
            for margin in GRID_MARGIN:
                engine.THEME_BOOST, engine.THEME_MIN_SIMILARITY, engine.THEME_MARGIN = boost, minimum, margin
                ndcg, recall = score()
                print(f"{boost:>6} {minimum:>5} {margin:>6}  {ndcg:.4f} {recall:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
