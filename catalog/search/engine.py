"""The search entry point; the design is in the package docstring (catalog/search/__init__.py)."""

from __future__ import annotations

from dataclasses import replace

from catalog.search.fusion import fuse
from catalog.search.query import has_words, lexical_terms, normalize_query, split_municipality
from catalog.search.results import (
    card_services,
    facet_counts,
    facets_from_counts,
    filtered_facets,
    matched_words,
    nearest_themes,
    related_searches,
)
from catalog.search.sql import SORTS, filtered_ids, rankings
from catalog.search.types import Hit, SearchFilters, SearchResult

GOOD_MATCH_SIMILARITY = 0.84  # a vector-only result set is "good" from here up


def search(
    query: str,
    *,
    filters: SearchFilters = SearchFilters(),  # noqa: B008 - frozen dataclass
    page: int = 1,
    page_size: int = 20,
    mode: str = "hybrid",
    sort: str = "",
    detect_municipality: bool = True,
) -> SearchResult:
    """Search public services. `mode` is hybrid, lexical or vector (the last two for `make eval`),
    or none: only normalise the query and detect a municipality (a search for events only).

    With `detect_municipality`, a municipality named in the query becomes the
    municipality filter (when none was chosen) and leaves the text query.
    """
    query = normalize_query(query)
    shown_query = query
    detected = ""
    if detect_municipality and not filters.municipality and has_words(query):
        query, detected = split_municipality(query)
        if detected:
            filters = replace(filters, municipality=detected)
    page = max(1, page)
    if mode == "none":
        result = SearchResult(query=shown_query, filters=filters, hits=[], count=0, page=page, page_size=page_size)
        result.detected_municipality, result.searched, result.facets = detected, query, facet_counts([])
        return result
    facets = None
    if query and not has_words(query):
        hits = []  # only symbols or emoji: nothing to look for, the caller shows help instead
    elif not query:
        hits = [Hit(sid, 0.0) for sid in filtered_ids(filters, sort=sort if sort in SORTS else "name")]
        facets = filtered_facets(filters)
    else:
        terms = lexical_terms(query) if mode in {"hybrid", "lexical"} else None
        lexical, vector, counts = rankings(query, filters, terms, mode)
        facets = facets_from_counts(*counts)
        hits = fuse(lexical, vector)
        if sort in SORTS:
            order = {
                sid: i for i, sid in enumerate(filtered_ids(filters, sort=sort, among=[h.service_id for h in hits]))
            }
            hits.sort(key=lambda h: order.get(h.service_id, 0))
    result = SearchResult(
        query=shown_query, filters=filters, hits=hits, count=len(hits), page=page, page_size=page_size
    )
    result.detected_municipality = detected
    result.searched = query
    page_hits = hits[(page - 1) * page_size : page * page_size]
    by_id = card_services([h.service_id for h in page_hits])
    result.services = [by_id[h.service_id] for h in page_hits if h.service_id in by_id]
    for hit in page_hits:
        service = by_id.get(hit.service_id)
        if service is None:
            continue
        words = matched_words(query, service) if hit.lexical_rank else []
        result.why[hit.service_id] = {
            "matched_words": words,
            "close_in_meaning": hit.vector_rank is not None and not words,
            "themes": [t.slug for t in service.card_themes],
        }
    result.facets = facets if facets is not None else facet_counts([h.service_id for h in hits])
    if query:
        lexical_found = any(h.lexical_rank for h in hits)
        best_similarity = max((h.similarity or 0.0 for h in hits), default=0.0)
        result.good_match = lexical_found or best_similarity >= GOOD_MATCH_SIMILARITY
        if not result.good_match or not hits:
            result.suggestions = {
                "themes": nearest_themes(query),
                "whole_region": bool(filters.municipality),
                "related": related_searches(result.services[:3], query),
            }
    return result
