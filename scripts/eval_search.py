"""`make eval`: search quality on the demo region with a labelled query set.

The labels (scripts/eval_queries.json: query, kind, graded relevance 1-3 by service key)
were written by reading the services, not the engine's output; the engine's constants are
chosen on them. The first 100 were written before any tuning; 50 more (mostly colloquial
need-language) were drawn at random (seed 18) from 115 labelled in the fifth session.
scripts/eval_queries_holdout.json (the other 65 of those and 40 older ones, 105 queries
labelled the same way by someone who never ran the engine) is never used to tune: it
shows how much the tuning set flatters. Prints nDCG@10 and recall@10 (share of grade >= 2 services found in the top 10)
for lexical-only, vector-only and hybrid, overall and per kind of query.

Runs in its own database (`tarmoa_eval`), loaded through the real ingest from the local
fake PTV server, so development data is untouched.
"""

from __future__ import annotations

import json
import math
import os
import sys
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL_DB = os.environ.get("EVAL_DATABASE_NAME", "tarmoa_eval")
QUERIES = ROOT / "scripts" / "eval_queries.json"
# Labelled by reading the services only, after the engine's constants were chosen on QUERIES.
HOLDOUT = ROOT / "scripts" / "eval_queries_holdout.json"
# Needs nothing in the catalog serves, and nonsense: the honesty check (good_match, zero results).
NEGATIVES = ROOT / "scripts" / "eval_negatives.json"
# Unserved needs written with the held-out labels: like HOLDOUT, never read by scripts/tune_search.py.
NEGATIVES_HOLDOUT = ROOT / "scripts" / "eval_negatives_holdout.json"
INDEX = ROOT / "ingest" / "fixtures" / "ptv_demo" / "recorded" / "index.json"
MODES = ("lexical", "vector", "hybrid")
K = 10


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_k(ranked: list[str], labels: dict[str, int], k: int = K) -> float:
    ideal = dcg(sorted(labels.values(), reverse=True)[:k])
    return dcg([labels.get(guid, 0) for guid in ranked[:k]]) / ideal if ideal else 0.0


def recall_at_k(ranked: list[str], labels: dict[str, int], k: int = K) -> float:
    wanted = {guid for guid, grade in labels.items() if grade >= 2}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tarmoa.settings")
    os.environ["DATABASE_NAME"] = EVAL_DB
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import psycopg

    from tarmoa.lib import embedded_db

    if not os.environ.get("DATABASE_URL"):
        embedded_db.ensure_running()
        params = embedded_db.connection_params()
        with psycopg.connect(host=params["HOST"], user=params["USER"], dbname="postgres", autocommit=True) as conn:
            if not conn.execute("select 1 from pg_database where datname = %s", [EVAL_DB]).fetchone():
                conn.execute(f'create database "{EVAL_DB}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from io import StringIO

    call_command("load_demo", stdout=StringIO())


def evaluate(path: Path, title: str) -> tuple[int, dict[str, float]]:
    """Print the quality table of one labelled set; returns (exit status, nDCG@10 by mode)."""
    from catalog.models import Service
    from catalog.search.engine import search

    namespace = uuid.UUID(json.loads(INDEX.read_text())["namespace"])
    queries = json.loads(path.read_text(encoding="utf-8"))
    guid_of = {}
    for item in queries:
        for key in item["relevant"]:
            guid_of[key] = str(uuid.uuid5(namespace, f"service:{key}"))
    known = set(Service.objects.filter(is_public=True).values_list("source_id", flat=True))
    missing = {k for k, g in guid_of.items() if g not in known}
    if missing:
        print(f"{path.name}: labels name services that are not in the catalog: {sorted(missing)[:5]}", file=sys.stderr)
        return 1, {}
    source_of = dict(Service.objects.values_list("id", "source_id"))
    scores: dict[str, dict[str, list[tuple[float, float]]]] = {m: defaultdict(list) for m in MODES}
    for item in queries:
        labels = {guid_of[k]: grade for k, grade in item["relevant"].items()}
        for mode in MODES:
            result = search(item["query"], mode=mode, page_size=K)
            ranked = [source_of[h.service_id] for h in result.hits[:K]]
            pair = (ndcg_at_k(ranked, labels), recall_at_k(ranked, labels))
            scores[mode]["all"].append(pair)
            scores[mode][item["kind"]].append(pair)
    kinds = ["all", *sorted({q["kind"] for q in queries})]
    print(f"{title}: {len(queries)} labelled queries ({path.name}), nDCG@{K} / recall@{K}\n")
    print(f"{'kind':<12}{'n':>4}  " + "  ".join(f"{m:>17}" for m in MODES))
    for kind in kinds:
        n = len(scores["hybrid"][kind])
        cells = []
        for mode in MODES:
            pairs = scores[mode][kind]
            cells.append(f"{sum(p[0] for p in pairs) / n:.3f} / {sum(p[1] for p in pairs) / n:.3f}")
        print(f"{kind:<12}{n:>4}  " + "  ".join(f"{c:>17}" for c in cells))
    overall = {m: sum(p[0] for p in scores[m]["all"]) / len(queries) for m in MODES}
    verdict = "beats" if overall["hybrid"] > max(overall["lexical"], overall["vector"]) else "does NOT beat"
    print(
        f"\nHybrid nDCG@{K} {overall['hybrid']:.3f} {verdict} lexical {overall['lexical']:.3f} "
        f"and vector {overall['vector']:.3f}.\n"
    )
    return 0, overall


def honesty() -> None:
    """How often the hybrid search says the truth: a good match for labelled queries, no good
    match for needs nothing serves, zero results for nonsense; with the best similarity of each
    kind by language, from which the engine's floors were chosen (engine.SHOW_SIMILARITY)."""
    from catalog.search.engine import search

    rows = []  # (set, language, kind, good_match, count, best similarity)
    for path in (QUERIES, HOLDOUT, NEGATIVES, NEGATIVES_HOLDOUT):
        for item in json.loads(path.read_text(encoding="utf-8")):
            result = search(item["query"], page_size=K)
            best = max((h.similarity or 0.0 for h in result.hits), default=0.0)
            kind = item["kind"] if path in (NEGATIVES, NEGATIVES_HOLDOUT) else "served"
            rows.append((path.name, item.get("lang", "fi"), kind, result.good_match, result.count, best))
    print("Honesty (hybrid): share with good_match, share with no results, median best similarity\n")
    print(f"{'set':<28}{'lang':<6}{'kind':<10}{'n':>4}{'good':>8}{'zero':>8}{'best sim':>10}")
    groups: dict[tuple, list] = defaultdict(list)
    for name, lang, kind, good, count, best in rows:
        groups[(name, lang, kind)].append((good, count, best))
    for (name, lang, kind), items in sorted(groups.items()):
        n = len(items)
        sims = sorted(b for _, _, b in items)
        print(
            f"{name:<28}{lang:<6}{kind:<10}{n:>4}{sum(g for g, _, _ in items) / n:>8.2f}"
            f"{sum(c == 0 for _, c, _ in items) / n:>8.2f}{sims[n // 2]:>10.3f}"
        )
    print()


def main() -> int:
    setup()
    status, _ = evaluate(QUERIES, "Search quality on the demo region, tuning set")
    held_status, _ = evaluate(HOLDOUT, "Held-out set (written after tuning, never used to tune)")
    if "--no-honesty" not in sys.argv:
        honesty()
    return status or held_status


if __name__ == "__main__":
    sys.exit(main())
