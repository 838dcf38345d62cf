"""What a result page shows besides the ranking: the cards' data, why each result matched,
facet counts, and help when nothing matches well (nearest themes, related searches)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from django.db import connection
from psycopg import sql

from catalog.models import Municipality, Organization, Service, Theme
from catalog.search.cache import cached_objects
from catalog.search.embeddings import embed_passages, query_vector
from catalog.search.query import has_words, public_count, query_words, region_municipality_names
from catalog.search.sql import fetch_all, filter_sql
from catalog.search.types import SearchFilters


def _stem(word: str) -> str:
    word = word.lower()
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def matched_words(query: str, service: Service) -> list[str]:
    """The query's words found in the service's texts (a light stem so inflections count)."""
    haystack = " ".join(
        [
            service.name_fi,
            service.name_sv,
            service.name_en,
            service.summary_fi,
            service.summary_sv,
            service.summary_en,
            " ".join(service.keywords_fi + service.keywords_sv + service.keywords_en),
            service.description_fi,
            service.description_sv,
            service.description_en,
        ]  # fmt: skip
    ).lower()
    words = [w for w in query_words(query) if len(w) > 2]
    return [w for w in dict.fromkeys(words) if _stem(w) in haystack]


_FACETS_SQL = sql.SQL(
    # Raw SQL: `service_id = any(array)` binds the whole id list as one parameter.
    "select 't', x, count(*) from catalog_service s, unnest(s.index_theme_ids) as x where s.id = any(%(ids)s) "
    "group by x union all select 'm', x, count(*) from catalog_service s, unnest(s.index_municipality_ids) as x "
    "where s.id = any(%(ids)s) group by x"
)


def facet_counts(ids: list[int]) -> dict[str, list[dict]]:
    """Theme and municipality counts over a result set given as ids (listings without query text)."""
    rows = fetch_all(_FACETS_SQL, {"ids": ids}) if ids else []
    return facets_from_counts([(i, n) for k, i, n in rows if k == "t"], [(i, n) for k, i, n in rows if k == "m"])


_FILTERED_FACETS_SQL = sql.SQL(
    # A listing without query text may hold thousands of services: count them where they are
    # selected (an index-only scan of service_listing_idx) instead of binding their ids back.
    "with f as materialized (select s.index_theme_ids as t, s.index_municipality_ids as m "
    "from catalog_service s where {where}) "
    "select 't', x, count(*) from f, unnest(f.t) as x group by x "
    "union all select 'm', x, count(*) from f, unnest(f.m) as x group by x"
)


def filtered_facets(filters: SearchFilters) -> dict[str, list[dict]]:
    """Theme and municipality counts over every public service under the filters."""
    where, params = filter_sql(filters)
    rows = fetch_all(_FILTERED_FACETS_SQL.format(where=where), params)
    return facets_from_counts([(i, n) for k, i, n in rows if k == "t"], [(i, n) for k, i, n in rows if k == "m"])


def facets_from_counts(theme_counts: list[tuple[int, float]], municipality_counts: list[tuple[int, float]]) -> dict:
    """Facets from (theme id, count) and (municipality id, count): most common first, then by name."""
    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    by_theme = [(themes[i].slug, int(n)) for i, n in theme_counts if i in themes]
    by_municipality = [(municipalities[i].code, int(n)) for i, n in municipality_counts if i in municipalities]
    return {
        "themes": [{"slug": v, "count": n} for v, n in sorted(by_theme, key=lambda r: (-r[1], r[0]))],
        "municipalities": [{"code": v, "count": n} for v, n in sorted(by_municipality, key=lambda r: (-r[1], r[0]))],
    }


# What a result card, its "why" and the API read; other columns load on access (deferred).
# In the model's field order, as Model.from_db expects.
_CARD_READS = {"id", "source", "source_id", "source_modified", "area_type", "charge_type", "languages", "is_public"}
_CARD_READS |= {
    f"{name}_{lang}" for name in ("name", "summary", "description", "keywords") for lang in ("fi", "sv", "en")
}
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
    "  where so.service_id = s.id order by so.role = 'Producer', so.id) "
    "from catalog_service s where s.id = any(%(ids)s)"
).format(fields=sql.SQL(", ").join(_card_column(f) for f in CARD_FIELDS))
_ORGANIZATION_FIELDS = ["id", "name_fi", "name_sv", "name_en"]


def card_services(ids: list[int]) -> dict[int, Service]:
    """Services by id for result cards: heavy index columns deferred, card data attached.

    Each service gets `card_themes` (in theme order), `card_municipalities` (by name),
    `card_organizations` (responsible ones first, then producers) and `card_featured`; its
    summaries are the region's own where it wrote one (curation overlay).
    """
    if not ids:
        return {}
    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    alias = connection.alias
    out: dict[int, Service] = {}
    for row in fetch_all(_CARD_SQL, {"ids": list(ids)}):
        count = len(CARD_FIELDS)
        service = Service.from_db(alias, CARD_FIELDS, row[:count])
        theme_ids, municipality_ids, service.card_featured, organizations = row[count:]
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
    public_count()
    nearest_themes("lämmittely")


def nearest_themes(query: str, limit: int = 3) -> list[Theme]:
    """Themes closest in meaning to the query (for the no-results help)."""
    themes = sorted(cached_objects(Theme).values(), key=lambda t: (t.order, t.id))
    if not themes or not has_words(query):
        return themes[:limit]
    vectors = _theme_vectors(tuple((t.id, f"{t.name_fi}. {t.description_fi}") for t in themes))
    scores = vectors @ query_vector(query)
    order = np.argsort(-scores)[:limit]
    return [themes[i] for i in order]


@lru_cache(maxsize=4)
def _theme_vectors(texts: tuple[tuple[int, str], ...]) -> np.ndarray:
    return embed_passages([text for _, text in texts])


def related_searches(services: list[Service], query: str, limit: int = 5, language: str | None = None) -> list[str]:
    """Keywords of the nearest services in the reader's language (none rather than another language's)."""
    from catalog.i18n import current_language

    field = f"keywords_{language or current_language()}"
    seen = {w.lower() for w in query.split()}
    out: list[str] = []
    for service in services:
        for keyword in getattr(service, field, None) or []:
            if keyword.lower() not in seen and keyword not in out:
                out.append(keyword)
            if len(out) >= limit:
                return out
    return out
