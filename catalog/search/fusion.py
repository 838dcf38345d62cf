"""Weighted reciprocal rank fusion of the lexical and the semantic list (services and events).

A semantic hit counts in proportion to how sure the model is: its RRF share grows from nothing
at VECTOR_CONFIDENCE[0] to the full VECTOR_WEIGHT at VECTOR_CONFIDENCE[1]. Hits barely above
the floor ("en saa nukuttua" -> smoking cessation at 0.84) no longer outrank a service whose
name holds the need's word; confident ones keep the whole weight.
"""

from __future__ import annotations

from catalog.search.types import Hit

RRF_K = 60
# Measured with `make eval` on the demo region (labels written before tuning).
LEXICAL_WEIGHT = 1.0
VECTOR_WEIGHT = 2.5
# Chosen by scripts/tune_search.py on the tuning set (README, "Measured"): tuning nDCG@10
# 0.708 -> 0.717; the held-out set, not tuned on, 0.644 -> 0.647.
VECTOR_CONFIDENCE = (0.78, 0.90)


def vector_share(similarity: float, span: tuple[float, float] = VECTOR_CONFIDENCE) -> float:
    """How much of VECTOR_WEIGHT a semantic hit of this similarity carries (0.02-1: never nothing,
    so hits below the span, kept by a lower floor for recommendation lists, stay in rank order).
    An empty span ((0, 0), as scripts/tune_search.py tries) is plain RRF: always 1."""
    low, high = span
    if high <= low:
        return 1.0
    return min(1.0, max(0.02, (similarity - low) / (high - low)))


def fuse(lexical: list[tuple[int, float]], vector: list[tuple[int, float]]) -> list[Hit]:
    hits: dict[int, Hit] = {}
    for rank, (sid, _score) in enumerate(lexical, start=1):
        hit = hits.setdefault(sid, Hit(sid, 0.0))
        hit.lexical_rank = rank
        hit.score += LEXICAL_WEIGHT / (RRF_K + rank)
    for rank, (sid, similarity) in enumerate(vector, start=1):
        hit = hits.setdefault(sid, Hit(sid, 0.0))
        hit.vector_rank = rank
        hit.similarity = similarity
        hit.score += VECTOR_WEIGHT * vector_share(similarity) / (RRF_K + rank)
    return sorted(hits.values(), key=lambda h: (-h.score, h.service_id))
