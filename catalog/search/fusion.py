"""Weighted reciprocal rank fusion of the lexical and the semantic list (services and events)."""

from __future__ import annotations

from catalog.search.types import Hit

RRF_K = 60
# Measured with `make eval` on the demo region (labels written before tuning).
LEXICAL_WEIGHT = 1.0
VECTOR_WEIGHT = 2.5


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
        hit.score += VECTOR_WEIGHT / (RRF_K + rank)
    return sorted(hits.values(), key=lambda h: (-h.score, h.service_id))
