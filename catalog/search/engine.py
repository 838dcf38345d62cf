"""The search entry point; the design is in the package docstring (catalog/search/__init__.py)."""

from __future__ import annotations

from dataclasses import replace

from catalog.search import morphology
from catalog.search.fusion import fuse
from catalog.search.lexicon import language_first
from catalog.search.query import (
    foreign_words,
    has_words,
    lexical_terms,
    normalize_query,
    query_analysis,
    query_language,
    split_municipality,
)
from catalog.search.results import (
    WhyTerms,
    card_services,
    explain,
    facet_counts,
    facets_from_counts,
    filtered_facets,
    nearest_themes,
    related_searches,
    theme_similarities,
    why_terms,
)
from catalog.search.sql import SORTS, VECTOR_MIN_SIMILARITY, boost_flags, filtered_ids, rankings
from catalog.search.types import Hit, SearchFilters, SearchResult
from catalog.search.understanding import BOOST, Understanding, understand

# Chosen by scripts/tune_search.py on the tuning set and the unserved and nonsense queries
# (scripts/eval_negatives.json), per language of the query (README, "Measured"):
# SHOW_SIMILARITY: a service or event found by meaning only is shown from here up (the floor
# that maximised vector-only nDCG@10 per language; English queries lie lower in e5's space);
# GOOD_SIMILARITY: a result set without a word match of most of the query is a good match from
# here up (0.84: 64 % of served queries reach it, 4 % of unserved needs and nonsense do).
SHOW_SIMILARITY = {"fi": 0.82, "sv": 0.82, "en": 0.79}
GOOD_SIMILARITY = {"fi": 0.84, "sv": 0.84, "en": 0.84}
# The query's nearest themes as a soft boost: services of every theme within THEME_MARGIN of the
# closest theme's similarity gain THEME_BOOST of their fused score (scripts/tune_search.py on the
# tuning set: +0.006 nDCG@10 there; wider margins and larger boosts lose; README, "Measured").
THEME_BOOST = 0.05
THEME_MARGIN = 0.02


def recognised(query: str) -> bool:
    """Whether any of the query's words means something here: the catalog holds it (as typed, by
    lemma or a close spelling), Voikko knows it, or the lexicon has it. Nonsense ("qwxzv") is
    not, and its nearest services by meaning are no answer: it needs GOOD_SIMILARITY to be shown."""
    words, extra, analysis = query_analysis(query)
    words = [*words, *foreign_words(query)]
    if analysis.expansions or extra:
        return True
    for word in words:
        lemma_counts = [analysis.lemma_frequency.get(x, 0) for x in analysis.lexemes.get(word, ())]
        if analysis.frequency.get(word, 0) or any(lemma_counts) or morphology.known(word):
            return True
    return False


def near_theme_ids(query: str) -> list[int]:
    """The themes closest in meaning to the query: within THEME_MARGIN of the closest one."""
    similarities = theme_similarities(query)
    best = max((s for _, s in similarities), default=0.0)
    return [theme.id for theme, s in similarities if best and s >= best - THEME_MARGIN]


def is_good_match(hits: list[Hit], why: dict[int, dict], terms: WhyTerms | None, language: str) -> bool:
    """A result set answers the query when the best hit is close in meaning (GOOD_SIMILARITY), or
    a result near the top matches more than half of the query's content words (whole, as
    compound parts, or through the lexicon's synonyms, which count as one word). "koiran rokotus" finding "rokotuksista" in a
    description and "koira" inside "Lukukoira" is no good match."""
    best_similarity = max((h.similarity or 0.0 for h in hits), default=0.0)
    if best_similarity >= GOOD_SIMILARITY[language]:
        return True
    if terms is None:
        return False
    for hit in hits[:5]:
        explained = why.get(hit.service_id) or {}
        found = [*explained.get("matched_words", []), *explained.get("compound_parts", [])]
        # Each query word counts once, found itself or by a spelling or part of it; synonyms once in all.
        words = {terms.sources.get(w, w) for w in found} & set(terms.words)
        anywhere = len(words) + bool(explained.get("synonyms"))
        if terms.words and anywhere * 2 > len(terms.words):
            return True
    return False


def _boost(hits: list[Hit], understood: Understanding) -> list[Hit]:
    """Scores of services that are free or for the target group the query named grow by BOOST each."""
    flags = boost_flags([h.service_id for h in hits], understood.target_group)
    for hit in hits:
        free, for_group = flags.get(hit.service_id, (False, False))
        matches = (understood.free and free) + (bool(understood.target_group) and for_group)
        factor = 1 + BOOST * matches
        hit.boost *= factor
        hit.score *= factor
    return sorted(hits, key=lambda h: (-h.score, h.service_id))


def search(
    query: str,
    *,
    filters: SearchFilters = SearchFilters(),  # noqa: B008 - frozen dataclass
    page: int = 1,
    page_size: int = 20,
    mode: str = "hybrid",
    sort: str = "",
    detect_municipality: bool = True,
    ignore: tuple[str, ...] = (),
    within_filters: bool = False,
) -> SearchResult:
    """Search public services. `mode` is hybrid, lexical or vector (the last two for `make eval`),
    or none: only normalise the query and detect a municipality (a search for events only).

    With `detect_municipality`, a municipality named in the query becomes the
    municipality filter (when none was chosen) and leaves the text query. "Free" or an age
    or life stage in the query (catalog.search.understanding) boosts the services that fit,
    unless named in `ignore` ("free", "target_group") or already a filter. The lists are
    ranked over all public services and then filtered (facet counts are what a filter
    returns); `within_filters` ranks inside the filters instead, for lists without facets.
    """
    query = normalize_query(query)
    shown_query = query
    detected = ""
    if detect_municipality and not filters.municipality and has_words(query):
        query, detected = split_municipality(query)
        if detected:
            filters = replace(filters, municipality=detected)
    page = max(1, page)
    language = query_language(query)
    floor = SHOW_SIMILARITY[language]
    if has_words(query) and not recognised(query):
        floor = GOOD_SIMILARITY[language]
    elif within_filters:
        floor = VECTOR_MIN_SIMILARITY  # a recommendation list within a theme must not come out empty
    if mode == "none":
        result = SearchResult(query=shown_query, filters=filters, hits=[], count=0, page=page, page_size=page_size)
        result.detected_municipality, result.searched, result.facets = detected, query, facet_counts([])
        result.language, result.vector_floor = language, floor
        return result
    facets = None
    result_understood = Understanding()
    lexical: list = []
    vector: list = []
    if query and not has_words(query):
        hits = []  # only symbols or emoji: nothing to look for, the caller shows help instead
    elif not query:
        hits = [Hit(sid, 0.0) for sid in filtered_ids(filters, sort=sort if sort in SORTS else "name")]
        facets = filtered_facets(filters)
    else:
        terms = lexical_terms(query) if mode in {"hybrid", "lexical"} else None
        near = near_theme_ids(query) if mode == "hybrid" and THEME_BOOST else []
        lexical, vector, counts, in_near_themes = rankings(
            query, filters, terms, mode, vector_floor=floor, within_filters=within_filters, boost_themes=near
        )
        facets = facets_from_counts(*counts)
        hits = fuse(lexical, vector)
        if in_near_themes:
            for hit in hits:
                if hit.service_id in in_near_themes:
                    hit.score *= 1 + THEME_BOOST
                    hit.boost *= 1 + THEME_BOOST
            hits.sort(key=lambda h: (-h.score, h.service_id))
        understood = understand(query, ignore=ignore)
        understood = Understanding(
            free=understood.free and not filters.free,
            target_group=understood.target_group if not filters.target_group else "",
        )
        if understood and hits:
            hits = _boost(hits, understood)
            result_understood = understood
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
    result.language, result.vector_floor = language, floor
    result.lexical, result.vector, result.sorted = lexical, vector, sort in SORTS
    result.understood = result_understood.as_dict()
    terms_why = why_terms(query)
    result.why_terms = terms_why
    page_hits = hits[(page - 1) * page_size : page * page_size]
    # The top five judge the match (is_good_match) even on a later page.
    judged = hits[:5]
    ids = list(dict.fromkeys([h.service_id for h in page_hits] + [h.service_id for h in judged]))
    by_id = card_services(ids, terms_why.lexemes) if query else card_services(ids)
    result.services = [by_id[h.service_id] for h in page_hits if h.service_id in by_id]
    for hit in [*page_hits, *judged]:
        service = by_id.get(hit.service_id)
        if service is None or hit.service_id in result.why:
            continue
        found = explain(terms_why, service.card_lexemes) if hit.lexical_rank else {}
        result.why[hit.service_id] = {
            "matched_words": found.get("matched_words", []),
            "compound_parts": found.get("compound_parts", []),
            "synonyms": language_first(found.get("synonyms", []), language)[:3],
            "close_in_meaning": hit.vector_rank is not None and not any(found.values()),
            "themes": [t.slug for t in service.card_themes],
        }
    result.facets = facets if facets is not None else facet_counts([h.service_id for h in hits])
    if query:
        result.good_match = bool(hits) and is_good_match(hits, result.why, terms_why, language)
        if not result.good_match or not hits:
            result.suggestions = {
                "themes": nearest_themes(query),
                "whole_region": bool(filters.municipality),
                "related": related_searches(result.services[:3], query),
            }
    return result
