"""What a result page shows besides the ranking: the cards' data, why each result matched,
facet counts, and help when nothing matches well (nearest themes, related searches)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.db import connection
from psycopg import sql

from catalog.models import Municipality, Organization, Service, Theme
from catalog.search.cache import cached_objects
from catalog.search.embeddings import embed_passages, query_vector
from catalog.search.morphology import PART_PREFIX, tsquery_literal
from catalog.search.query import (
    foreign_words,
    gap_synonyms,
    has_words,
    public_count,
    query_analysis,
    region_municipality_names,
)
from catalog.search.sql import FACET_COLUMNS, FACET_COUNTS, NATIONWIDE, fetch_all, filter_sql
from catalog.search.types import SearchFilters


@dataclass(frozen=True)
class WhyTerms:
    """The lexemes of a query's content words and of their synonyms, to tell why a result matched."""

    words: dict[str, tuple[str, ...]]  # query word as typed (lower case) -> its lexemes
    synonyms: dict[str, tuple[str, ...]]  # lexicon word -> its lexemes
    # vocabulary expansion -> (its lexemes, whether it is a part or a compound of the query word)
    expansions: dict[str, tuple[tuple[str, ...], bool]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # expansion -> the query word it came from

    @property
    def lexemes(self) -> list[str]:
        groups = [*self.words.values(), *self.synonyms.values(), *(x for x, _ in self.expansions.values())]
        return sorted({x for found in groups for x in found})


def why_terms(query: str) -> WhyTerms:
    """The query's content words (no stop words) and their synonyms with their lexemes:
    snowball stems in the three configurations, Voikko's lemmas and "~"-marked compound parts.
    The analysis is the one lexical_terms made (cached), so this costs no round trip."""
    if not has_words(query):
        return WhyTerms({}, {})
    typed, extra, analysis = query_analysis(query)
    stop = analysis.stop_words
    sources = {_plain(w) for w in typed}
    expansions = {
        word: (analysis.lexemes.get(word, ()), _plain(word) in source or source in _plain(word))
        for word, source in analysis.expansion_sources.items()
        if source in sources
    }
    by_plain = {_plain(w): w for w in typed}
    # Another language's stem is no match ("sova" in "sovitaan"), but the word is still part of
    # the query when is_good_match weighs how much of it a result covers.
    foreign = {w: () for w in foreign_words(query)}
    return WhyTerms(
        {w: analysis.lexemes.get(w, ()) for w in typed if w not in stop and len(w) > 1} | foreign,
        {w: analysis.lexemes.get(w, ()) for w in extra if w not in stop},
        expansions,
        {word: by_plain[analysis.expansion_sources[word]] for word in expansions},
    )


def _plain(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch))


def explain(terms: WhyTerms, found: set[str]) -> dict[str, list[str]]:
    """Why a text with the lexemes `found` matched: query words found as whole words or lemmas,
    query words found only as a part of a compound ("uni" in "unettomuus"), and synonyms from
    the lexicon found."""
    whole = [w for w, lexemes in terms.words.items() if any(x in found for x in lexemes if x[0] != PART_PREFIX)]
    parts = [
        w
        for w, lexemes in terms.words.items()
        if w not in whole and any(x in found for x in lexemes if x[0] == PART_PREFIX)
    ]
    synonyms_found = [w for w, lexemes in terms.synonyms.items() if any(x in found for x in lexemes)]
    # A typed compound found by its parts ("tupakkavieroitus": "tupakka", "vieroitus") or a
    # word inside a longer compound; a misspelling found by its correct spelling ("kuntosali").
    for word, (lexemes, compound) in terms.expansions.items():
        if any(x in found for x in lexemes if x[0] != PART_PREFIX):
            (parts if compound else whole).append(word)
    return {"matched_words": whole, "compound_parts": parts, "synonyms": synonyms_found}


def matched_words(query: str, service: Service) -> list[str]:
    """The query's words found in a card service's texts as whole words or lemmas (card_services
    with the query's lexemes sets `card_lexemes`)."""
    return explain(why_terms(query), set(getattr(service, "card_lexemes", ())))["matched_words"]


_FACETS_SQL = sql.SQL(
    # Raw SQL: `service_id = any(array)` binds the whole id list as one parameter.
    "with f as materialized (select {columns} from catalog_service s where s.id = any(%(ids)s)) {counts}"
).format(columns=FACET_COLUMNS, counts=FACET_COUNTS)


def _facets(rows: list[tuple]) -> dict[str, list[dict]]:
    by_kind: dict[str, list] = {"t": [], "m": [], "n": []}
    for kind, object_id, count in rows:
        by_kind[kind].append((object_id, count))
    return facets_from_counts(by_kind["t"], by_kind["m"], by_kind["n"])


def facet_counts(ids: list[int]) -> dict[str, list[dict]]:
    """Theme and municipality counts over a result set given as ids."""
    return _facets(fetch_all(_FACETS_SQL, {"ids": ids, "nationwide": list(NATIONWIDE)}) if ids else [])


_FILTERED_FACETS_SQL = sql.SQL(
    # A listing without query text may hold thousands of services: count them where they are
    # selected (an index-only scan of service_listing_idx) instead of binding their ids back.
    "with f as materialized (select {columns} from catalog_service s where {where}) {counts}"
)


def filtered_facets(filters: SearchFilters) -> dict[str, list[dict]]:
    """Theme and municipality counts over every public service under the filters."""
    where, params = filter_sql(filters)
    params["nationwide"] = list(NATIONWIDE)
    statement = _FILTERED_FACETS_SQL.format(columns=FACET_COLUMNS, where=where, counts=FACET_COUNTS)
    return _facets(fetch_all(statement, params))


def facets_from_counts(
    theme_counts: list[tuple[int, float]],
    municipality_counts: list[tuple[int, float]],
    nationwide: list[tuple[int, float]] = (),  # type: ignore[assignment]
) -> dict:
    """Facets from (theme id, count), (municipality id, count) and [(0, nationwide services)]:
    most common first, then by name. Nationwide services count in every region municipality,
    as the municipality filter lets them through."""
    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    by_theme = [(themes[i].slug, int(n)) for i, n in theme_counts if i in themes]
    counts = {municipalities[i].code: int(n) for i, n in municipality_counts if i in municipalities}
    everywhere = int(sum(n for _, n in nationwide))
    if everywhere:
        for code, _name in region_municipality_names():
            counts[code] = counts.get(code, 0)
        counts = {code: n + everywhere for code, n in counts.items()}
    by_municipality = list(counts.items())
    return {
        "themes": [{"slug": v, "count": n} for v, n in sorted(by_theme, key=lambda r: (-r[1], r[0]))],
        "municipalities": [{"code": v, "count": n} for v, n in sorted(by_municipality, key=lambda r: (-r[1], r[0]))],
    }


# What a result card, its "why" and the API read; other columns load on access (deferred).
# In the model's field order, as Model.from_db expects. Not the descriptions and keywords: no
# card shows them (the "why" comes from the index, in SQL), and reading them from TOAST cost
# 0.4 of the statement's 2.4 ms of database CPU (README, "Search performance").
_CARD_READS = {"id", "source", "source_id", "source_modified", "area_type", "charge_type", "languages", "is_public"}
_CARD_READS |= {f"{name}_{lang}" for name in ("name", "summary") for lang in ("fi", "sv", "en")}
CARD_FIELDS = tuple(f.attname for f in Service._meta.concrete_fields if f.attname in _CARD_READS)


def _card_column(field: str) -> sql.Composable:
    """A card's column; summaries are the region's own (ServiceCuration) where it wrote one."""
    if field.startswith("summary_"):
        return sql.SQL(
            "coalesce(nullif((select c.{f} from catalog_servicecuration c where c.service_id = s.id), ''), s.{f})"
        ).format(f=sql.Identifier(field))
    return sql.Identifier("s", field)


_CARD_SQL = sql.SQL(
    # Raw SQL: a result page's rows with their themes, municipalities and organisations in
    # one round trip (measured: in_bulk plus the link tables cost ~2 ms of CPU a request).
    "select {fields}, "
    "s.index_theme_ids, s.index_municipality_ids, s.index_featured, "
    "array(select array[so.organization_id::text, so.role, o.name_fi, o.name_sv, o.name_en] "
    "  from catalog_serviceorganization so join catalog_organization o on o.id = so.organization_id "
    "  where so.service_id = s.id order by so.role = 'Producer', so.id), "
    # The query's lexemes this service holds, for its "why" (results.explain): one @@ per
    # lexeme, not an intersection with the whole tsvector as an array (1.6 -> 0.5 ms a page).
    "array(select u.lexeme from unnest(%(lexemes)s::text[], %(lexeme_queries)s::tsquery[]) as u(lexeme, q) "
    "  where s.search_vector @@ u.q) "
    "from catalog_service s where s.id = any(%(ids)s)"
).format(fields=sql.SQL(", ").join(_card_column(f) for f in CARD_FIELDS))
_ORGANIZATION_FIELDS = ["id", "name_fi", "name_sv", "name_en"]


def card_services(ids: list[int], lexemes: list[str] | None = None) -> dict[int, Service]:
    """Services by id for result cards: heavy index columns deferred, card data attached.

    Each service gets `card_themes` (in theme order), `card_municipalities` (by name),
    `card_organizations` (responsible ones first, then producers) and `card_featured`; its
    summaries are the region's own where it wrote one (curation overlay); `card_lexemes`
    holds those of `lexemes` (a query's, WhyTerms.lexemes) that its texts contain.
    """
    if not ids:
        return {}
    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    alias = connection.alias
    out: dict[int, Service] = {}
    wanted = [x for x in dict.fromkeys(lexemes or []) if x]
    params = {"ids": list(ids), "lexemes": wanted, "lexeme_queries": [tsquery_literal([x]) for x in wanted]}
    for row in fetch_all(_CARD_SQL, params):
        count = len(CARD_FIELDS)
        service = Service.from_db(alias, CARD_FIELDS, row[:count])
        theme_ids, municipality_ids, service.card_featured, organizations, lexemes = row[count:]
        service.card_lexemes = set(lexemes)
        service.card_themes = sorted((themes[i] for i in theme_ids if i in themes), key=lambda t: t.order)
        service.card_municipalities = sorted(
            (municipalities[i] for i in municipality_ids if i in municipalities), key=lambda m: m.name_fi
        )
        service.card_organizations = []
        seen = set()
        for organization_id, _role, *names in organizations:
            if organization_id not in seen:
                seen.add(organization_id)
                service.card_organizations.append(
                    Organization.from_db(alias, _ORGANIZATION_FIELDS, [int(organization_id), *names])
                )
        out[service.id] = service
    return out


def warm_up() -> None:
    """Load the model, the theme vectors and the per-process copies before the first search.

    A web worker calls this at start (gunicorn.conf.py); otherwise its first searches pay
    for them (the theme vectors alone took ~0.6 s, a p95 spike under load).
    """
    cached_objects(Municipality)
    region_municipality_names()
    gap_synonyms(["lämmittely"])  # Voikko's dictionary and the synonym lexicon
    public_count()
    nearest_themes("lämmittely")


def theme_order() -> list[int]:
    """Theme ids in their display order: the order of theme_similarities()."""
    return [t.id for t in sorted(cached_objects(Theme).values(), key=lambda t: (t.order, t.id))]


def theme_similarities(query: str) -> list[tuple[Theme, float]]:
    """Each theme (in display order) with its closeness in meaning to the query: the best of its
    name and description in Finnish, Swedish and English."""
    themes = sorted(cached_objects(Theme).values(), key=lambda t: (t.order, t.id))
    if not themes or not has_words(query):
        return [(t, 0.0) for t in themes]
    texts = tuple(
        (t.id, f"{getattr(t, 'name_' + lang)}. {getattr(t, 'description_' + lang)}")
        for t in themes
        for lang in ("fi", "sv", "en")
        if getattr(t, "name_" + lang)
    )
    scores = _theme_vectors(texts) @ query_vector(query)
    best: dict[int, float] = {}
    for (theme_id, _), score in zip(texts, scores, strict=True):
        best[theme_id] = max(best.get(theme_id, -1.0), float(score))
    return [(t, best.get(t.id, 0.0)) for t in themes]


def nearest_themes(query: str, limit: int = 3) -> list[Theme]:
    """Themes closest in meaning to the query (for the no-results help)."""
    ranked = theme_similarities(query)
    if not has_words(query):
        return [t for t, _ in ranked[:limit]]
    return [t for t, _ in sorted(ranked, key=lambda ts: -ts[1])[:limit]]


@lru_cache(maxsize=4)
def _theme_vectors(texts: tuple[tuple[int, str], ...]) -> np.ndarray:
    return embed_passages([text for _, text in texts])


def related_searches(services: list[Service], query: str, limit: int = 5, language: str | None = None) -> list[str]:
    """Keywords of the nearest services in the reader's language (none rather than another language's)."""
    from catalog.i18n import current_language

    field = f"keywords_{language or current_language()}"
    if field not in {f"keywords_{lang}" for lang in ("fi", "sv", "en")}:
        return []
    # One query for all: the cards defer the keywords, and reading them off each card would load
    # them one service at a time.
    keywords = dict(Service.objects.filter(id__in=[s.id for s in services]).values_list("id", field))
    seen = {w.lower() for w in query.split()}
    out: list[str] = []
    for service in services:
        for keyword in keywords.get(service.id) or []:
            if keyword.lower() not in seen and keyword not in out:
                out.append(keyword)
            if len(out) >= limit:
                return out
    return out
