"""Choose the fusion and the floors on the tuning set only (scripts/eval_queries.json and the
unserved and nonsense queries of scripts/eval_negatives.json); the held-out set is never read.

Each query is searched once for both ranked lists with the lowest floor; fusions and floors are
then tried offline on those lists. Prints the best settings; the engine's constants are set by
hand from them (catalog.search.fusion, catalog.search.engine). Run it like `make eval` (its own
database): `.venv/bin/python scripts/tune_search.py`.
"""

from __future__ import annotations

import itertools
import json
import sys
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_search import INDEX, NEGATIVES, QUERIES, K, ndcg_at_k, setup  # noqa: E402

FLOORS = [0.75, 0.77, 0.78, 0.79, 0.80, 0.81, 0.82]


def collect(path: Path) -> list[dict]:
    from catalog.models import Service
    from catalog.search.engine import query_language
    from catalog.search.query import lexical_terms, normalize_query
    from catalog.search.sql import rankings
    from catalog.search.types import SearchFilters

    namespace = uuid.UUID(json.loads(INDEX.read_text())["namespace"])
    source_of = dict(Service.objects.values_list("id", "source_id"))
    out = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        query = normalize_query(item["query"])
        lexical, vector, _, _ = rankings(query, SearchFilters(), lexical_terms(query), "hybrid", vector_floor=0.75)
        labels = {
            str(uuid.uuid5(namespace, f"service:{key}")): grade for key, grade in item.get("relevant", {}).items()
        }
        out.append(
            {
                "lang": query_language(query),
                "labels": labels,
                "lexical": [(source_of[i], s) for i, s in lexical],
                "vector": [(source_of[i], s) for i, s in vector],
                "themes": _query_themes(query),
            }
        )
    return out


def _query_themes(query: str) -> list[float]:
    """The query's similarity to each theme (in THEME order), as the engine computes it."""
    from catalog.search.results import theme_similarities

    return [sim for _, sim in theme_similarities(query)]


def service_themes() -> dict[str, set[int]]:
    """source_id -> positions (in the engine's theme order) of the service's themes."""
    from catalog.models import Service
    from catalog.search.results import theme_order

    position = {tid: i for i, tid in enumerate(theme_order())}
    return {
        sid: {position[t] for t in (themes or []) if t in position}
        for sid, themes in Service.objects.values_list("source_id", "index_theme_ids")
    }


def theme_boosted(ranked: list[str], item: dict, themes_of: dict, boost: float, margin: float) -> list[str]:
    """Services of the query's nearest themes (within `margin` of the best) gain `boost` of their score
    (1/rank stands in for the fused score offline)."""
    sims = item["themes"]
    best = max(sims, default=0.0)
    near = {i for i, s in enumerate(sims) if s >= best - margin}
    scores = {sid: (1 / (60 + rank)) * (1 + boost * bool(themes_of.get(sid, set()) & near))
              for rank, sid in enumerate(ranked, start=1)}  # fmt: skip
    return sorted(ranked, key=lambda sid: -scores[sid])


def rrf(item: dict, floor: float, w_lex: float, w_vec: float, k: int) -> list[str]:
    scores: dict[str, float] = defaultdict(float)
    for rank, (sid, _s) in enumerate(item["lexical"], start=1):
        scores[sid] += w_lex / (k + rank)
    for rank, (sid, _sim) in enumerate([v for v in item["vector"] if v[1] >= floor], start=1):
        scores[sid] += w_vec / (k + rank)
    return [sid for sid, _ in sorted(scores.items(), key=lambda x: -x[1])]


def scored(item: dict, floor: float, alpha: float, _unused: float, _k: int) -> list[str]:
    """Score-level fusion: ts_rank over the best ts_rank, similarity over the floor-to-best span."""
    scores: dict[str, float] = defaultdict(float)
    top = max((s for _, s in item["lexical"]), default=0.0) or 1.0
    for sid, s in item["lexical"]:
        scores[sid] += alpha * s / top
    vector = [v for v in item["vector"] if v[1] >= floor]
    best = max((s for _, s in vector), default=floor)
    for sid, sim in vector:
        scores[sid] += (1 - alpha) * ((sim - floor) / (best - floor) if best > floor else 1.0)
    return [sid for sid, _ in sorted(scores.items(), key=lambda x: -x[1])]


def rrf_confident(item: dict, floor: float, low: float, high: float, _k: int) -> list[str]:
    """RRF as the engine fuses (1 : 2.5, k 60) with each semantic hit's share by its similarity."""
    from catalog.search.fusion import vector_share

    scores: dict[str, float] = defaultdict(float)
    for rank, (sid, _s) in enumerate(item["lexical"], start=1):
        scores[sid] += 1.0 / (60 + rank)
    for rank, (sid, sim) in enumerate([v for v in item["vector"] if v[1] >= floor], start=1):
        scores[sid] += 2.5 * vector_share(sim, (low, high)) / (60 + rank)
    return [sid for sid, _ in sorted(scores.items(), key=lambda x: -x[1])]


def mean_ndcg(items: list[dict], fuse, floors: dict[str, float], *params) -> float:
    return sum(ndcg_at_k(fuse(it, floors[it["lang"]], *params)[:K], it["labels"]) for it in items) / len(items)


def main() -> int:
    setup()
    tuning = collect(QUERIES)
    negatives = collect(NEGATIVES)
    by_lang = defaultdict(list)
    for item in tuning:
        by_lang[item["lang"]].append(item)
    print("query language of the tuning set:", {k: len(v) for k, v in by_lang.items()})
    # Floors per language by vector-only nDCG@10.
    floors = {}
    for lang, items in sorted(by_lang.items()):
        best = max(FLOORS, key=lambda f: mean_ndcg(items, rrf, defaultdict(lambda: f), 0.0, 1.0, 60))
        floors[lang] = best
        print(f"vector-only floor {lang}: {best}")
    floors.setdefault("en", 0.75)
    floors = defaultdict(lambda: 0.75, floors)
    results = []
    for w_vec, k in itertools.product([0.5, 0.75, 1.0, 1.5, 2.0, 2.5], [10, 20, 40, 60]):
        results.append((mean_ndcg(tuning, rrf, floors, 1.0, w_vec, k), "rrf", w_vec, k))
    for alpha in [0.2, 0.3, 0.4, 0.5, 0.6, 0.7]:
        results.append((mean_ndcg(tuning, scored, floors, alpha, 0, 0), "score", alpha, 0))
    # The semantic side's share by similarity (catalog.search.fusion.VECTOR_CONFIDENCE); (0, 0) = plain RRF.
    for low, high in [(0.0, 0.0), *itertools.product([0.78, 0.80, 0.81, 0.82], [0.84, 0.85, 0.86, 0.88, 0.90])]:
        results.append((mean_ndcg(tuning, rrf_confident, floors, low, high, 0), "rrf-confidence", low, high))
    for row in sorted(results, reverse=True)[:8]:
        print("hybrid nDCG@10 {:.3f}  {} {} {}".format(*row))
    # The nearest-theme soft boost (catalog.search.engine THEME_BOOST, THEME_MARGIN) on the chosen fusion.
    themes_of = service_themes()
    base = {id(it): rrf(it, floors[it["lang"]], 1.0, 2.5, 60) for it in tuning}
    for boost, margin in itertools.product([0.0, 0.05, 0.1, 0.15, 0.2, 0.3], [0.0, 0.005, 0.01, 0.02]):
        value = sum(
            ndcg_at_k(theme_boosted(base[id(it)], it, themes_of, boost, margin)[:K], it["labels"]) for it in tuning
        ) / len(tuning)
        print(f"theme boost {boost} margin {margin}: hybrid nDCG@10 {value:.3f}")
    # The good-match floor: best similarity of served (tuning) against unserved queries.
    served = [max((s for _, s in it["vector"]), default=0) for it in tuning]
    unserved = [max((s for _, s in it["vector"]), default=0) for it in negatives]
    for g in [0.82, 0.83, 0.84, 0.85, 0.86, 0.87]:
        print(
            f"good floor {g}: served with best >= floor {sum(s >= g for s in served) / len(served):.2f}, "
            f"unserved/nonsense {sum(s >= g for s in unserved) / len(unserved):.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
