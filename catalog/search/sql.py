"""The search's SQL: filters, the lexical and semantic list builders and the one statement that
ranks services.

Raw SQL rather than the ORM throughout: each piece was measured (README, "Search
performance"); the comments at each statement say why. Values reach SQL only as parameters.
The list builders serve events too (events.search).
"""

from __future__ import annotations

import numpy as np
import psycopg
from django.db import connection
from psycopg import sql

from catalog.models import ChargeType, Municipality, Service, ServiceChannel, Theme
from catalog.search.cache import cached_objects
from catalog.search.embeddings import query_vector
from catalog.search.postgres import LANGUAGE_CONFIGS
from catalog.search.types import LexicalTerms, SearchFilters

LEXICAL_LIMIT = 200
VECTOR_LIMIT = 100
VECTOR_MIN_SIMILARITY = 0.75  # below this a vector-only hit is not shown
VECTOR_MARGIN = 0.06  # keep vector hits within this of the best one
NATIONWIDE = (Service.AreaType.NATIONWIDE.value, Service.AreaType.NATIONWIDE_EXCEPT_ALAND.value)
CHANNEL_KINDS = {
    "place": [ServiceChannel.Kind.LOCATION],
    "phone": [ServiceChannel.Kind.PHONE],
    "online": [ServiceChannel.Kind.E_SERVICE, ServiceChannel.Kind.WEB_PAGE],
}
SORTS = ("name", "updated")
Ranked = list[tuple[int, float]]  # (id, score) best first, or (theme or municipality id, count)


def vector_literal(vector: np.ndarray) -> str:
    """pgvector's text form; float32 has 7 significant digits, more only cost sending and parsing."""
    values = vector.tolist()
    return "[" + ("%.7g," * len(values))[:-1] % tuple(values) + "]"


def fetch_all(statement: sql.Composable, params: dict) -> list[tuple]:
    """Rows of a search statement, sent with its parameters apart (server-side binding): the query
    vector and the id lists travel as parameters instead of being quoted into the text, which
    cost CPU on both sides (README, "Measured"). Not prepared: PostgreSQL's generic plans for
    these statements doubled its CPU."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        cursor.execute(statement.as_string(connection.connection), params)
        return cursor.fetchall()


# --- filtering ----------------------------------------------------------------------
def theme_ids(slugs: tuple[str, ...]) -> list[int]:
    """Ids of the themes with these slugs (unknown slugs match nothing)."""
    by_slug = {t.slug: t.id for t in cached_objects(Theme).values()}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def municipality_id(code: str) -> int:
    """Id of the municipality with this code; -1 (matches nothing) when unknown."""
    return next((m.id for m in cached_objects(Municipality).values() if m.code == code), -1)


def filter_sql(filters: SearchFilters) -> tuple[sql.Composable, dict]:
    """The WHERE clause (over `catalog_service s`) of a public service under the filters.

    Raw SQL rather than the ORM: the search runs it inside one statement with both
    rankings and the facets, and building ORM querysets cost ~3 ms of CPU a search
    (README, "Search performance"). Theme and municipality ids come from the per-process
    copies, so no join to the small tables is needed.
    """
    clauses = [
        sql.SQL("s.is_public"),
        # Hidden by the region (ServiceCuration), copied onto the row by the indexer.
        sql.SQL("not s.index_hidden"),
    ]
    params: dict = {}
    if filters.themes:
        params["f_themes"] = theme_ids(filters.themes)
        clauses.append(
            # Effective themes: the classes' and the region's extra ones (indexer).
            sql.SQL("s.index_theme_ids && %(f_themes)s::integer[]")
        )
    if filters.municipality:
        params["f_municipality"] = municipality_id(filters.municipality)
        params["f_nationwide"] = list(NATIONWIDE)
        clauses.append(
            sql.SQL("(s.area_type = any(%(f_nationwide)s) or %(f_municipality)s = any(s.index_municipality_ids))")
        )
    if filters.target_group:
        params["f_group"] = filters.target_group
        params["f_group_children"] = filters.target_group.replace("%", "").replace("_", "") + ".%"
        clauses.append(
            sql.SQL(
                "exists (select 1 from catalog_service_concepts sc join catalog_concept k on k.id = sc.concept_id "
                "where sc.service_id = s.id and k.kind = 'target_group' "
                "and (k.code = %(f_group)s or k.code like %(f_group_children)s))"
            )
        )
    if filters.service_language:
        params["f_language"] = filters.service_language
        clauses.append(sql.SQL("%(f_language)s = any(s.languages)"))
    if filters.free:
        params["f_charge"] = ChargeType.FREE
        clauses.append(sql.SQL("s.charge_type = %(f_charge)s"))
    if filters.channel_kinds:
        params["f_kinds"] = [str(k) for name in filters.channel_kinds for k in CHANNEL_KINDS.get(name, [])]
        clauses.append(
            sql.SQL(
                "exists (select 1 from catalog_service_channels sch join catalog_servicechannel ch "
                "on ch.id = sch.servicechannel_id where sch.service_id = s.id and ch.kind = any(%(f_kinds)s))"
            )
        )
    return sql.SQL(" and ").join(clauses), params


def filtered_ids(filters: SearchFilters, *, sort: str = "name", among: list[int] | None = None) -> list[int]:
    """Ids of the public services under the filters in a listing order (no query text)."""
    where, params = filter_sql(filters)
    if among is not None:
        where = sql.SQL("{} and s.id = any(%(among)s)").format(where)
        params["among"] = among
    # Featured services (ServiceCuration) first in name order: the order of service_listing_idx.
    order = {"name": "s.index_featured desc, s.name_fi, s.id", "updated": "s.source_modified desc nulls last, s.id"}[
        sort
    ]
    statement = sql.SQL("select s.id from catalog_service s where {} order by {}").format(where, sql.SQL(order))
    return [row[0] for row in fetch_all(statement, params)]


def _tsquery(text_param: str, lemma_param: str) -> sql.Composable:
    """The words of %(text_param)s in each language's configuration, OR-ed with Voikko's lemmas
    (catalog.search.morphology: a tsquery in text form, '' for none)."""
    return sql.SQL(" || ").join(
        [
            *(
                sql.SQL("websearch_to_tsquery({}, {})").format(sql.Literal(config), sql.Placeholder(text_param))
                for config in LANGUAGE_CONFIGS.values()
            ),
            sql.SQL("{}::tsquery").format(sql.Placeholder(lemma_param)),
        ]
    )


# Rendered once: composing the nested pieces on every search cost ~1 ms of CPU (profiled).
TSQUERY = sql.SQL(_tsquery("tsq", "lemma_tsq").as_string(None))  # the query's own words
SYNONYM_TSQUERY = sql.SQL(_tsquery("syn_tsq", "syn_lemma_tsq").as_string(None))  # the lexicon's synonyms
# A synonym's match counts this much of a typed word's: it bridges a vocabulary gap but must not
# outrank the services that use the resident's own word (measured with `make eval`).
SYNONYM_WEIGHT = 0.3
_LEXICAL_SQL = sql.SQL(
    # ts_rank on `search_head` (no descriptions): measured 3 us a row against 15 us for
    # trigram similarity on every matched row, which is why typos go through the small
    # vocabulary instead (README, "Search performance").
    "lex as materialized (select s.id, (ts_rank(s.search_head, ({tsq})) "
    "+ {synonym_weight} * ts_rank(s.search_head, ({syn})))::float8 as score{carry} from {table} s "
    "where s.{match_on} @@ (({tsq}) || ({syn})) and {where} order by score desc, s.id limit {limit})"
)
_VECTOR_SQL = sql.SQL(
    # HNSW nearest neighbours (iterative scans keep filters exact); kept: similarity at
    # least VECTOR_MIN_SIMILARITY and within VECTOR_MARGIN of the best hit.
    "vec as materialized (select s.id, s.embedding <=> %(vector)s::vector as distance{carry} from {table} s "
    "where s.embedding is not null and {where} order by distance limit {limit}), "
    "kept as (select id, 1 - distance as sim{carried} from vec "
    "where 1 - distance >= greatest(%(vector_min)s, 1 - (select min(distance) from vec) - %(vector_margin)s))"
)


def _carry(columns: tuple[tuple[str, str], ...]) -> tuple[sql.Composable, sql.Composable]:
    """(", s.column as name, ...", ", name, ...") for columns a list carries along."""
    if not columns:
        return sql.SQL(""), sql.SQL("")
    selected = sql.SQL("").join(
        sql.SQL(", s.{} as {}").format(sql.Identifier(c), sql.Identifier(n)) for c, n in columns
    )
    return selected, sql.SQL("").join(sql.SQL(", {}").format(sql.Identifier(n)) for _, n in columns)


def lexical_cte(
    table: str, where: sql.Composable, *, match_on: str, limit: int, carry: tuple[tuple[str, str], ...] = ()
) -> sql.Composed:
    """CTE `lex` over `table s` (services or events): full-text matches of %(tsq)s by ts_rank."""
    return _LEXICAL_SQL.format(
        tsq=TSQUERY,
        syn=SYNONYM_TSQUERY,
        synonym_weight=sql.Literal(SYNONYM_WEIGHT),
        carry=_carry(carry)[0],
        table=sql.Identifier(table),
        match_on=sql.Identifier(match_on),
        where=where,
        limit=sql.Literal(limit),
    )


def vector_ctes(table: str, where: sql.Composable, *, limit: int, carry: tuple[tuple[str, str], ...] = ()):
    """CTEs `vec` (nearest to %(vector)s) and `kept` (over the floor) over `table s`."""
    selected, carried = _carry(carry)
    return _VECTOR_SQL.format(
        carry=selected, carried=carried, table=sql.Identifier(table), where=where, limit=sql.Literal(limit)
    )


def vector_params(query: str, floor: float = VECTOR_MIN_SIMILARITY) -> dict:
    """Parameters of vector_ctes: the query's vector and the floor (engine.SHOW_SIMILARITY)."""
    return {
        "vector": vector_literal(query_vector(query)),
        "vector_min": max(floor, VECTOR_MIN_SIMILARITY),
        "vector_margin": VECTOR_MARGIN,
    }


def ranked_lists(rows: list[tuple]) -> dict[str, Ranked]:
    """Rows of (kind, id, value) by kind; the 'l' (ts_rank) and 'v' (similarity) lists best first."""
    lists: dict[str, Ranked] = {"l": [], "v": [], "t": [], "m": [], "n": [], "b": []}
    for kind, object_id, value in rows:
        lists[kind].append((object_id, value))
    for kind in ("l", "v"):
        lists[kind].sort(key=lambda row: (-row[1], row[0]))
    return lists


BASE_WHERE = sql.SQL("s.is_public and not s.index_hidden")  # hidden by the region (ServiceCuration)
# Facet counts over `f(t, m, n)`: theme ids, municipality ids and whether the service is
# nationwide. A nationwide service passes every municipality filter (filter_sql), so it is
# counted once as 'n' and added to every municipality's count (results.facets_from_counts).
FACET_COUNTS = sql.SQL(
    "select 't', x, count(*)::float8 from f, unnest(f.t) as x group by x "
    "union all select 'm', x, count(*)::float8 from f, unnest(f.m) as x where not f.n group by x "
    "union all select 'n', 0, count(*)::float8 from f where f.n"
)
FACET_COLUMNS = sql.SQL("s.index_theme_ids as t, s.index_municipality_ids as m, s.area_type = any(%(nationwide)s) as n")


def rankings(
    query: str,
    filters: SearchFilters,
    terms: LexicalTerms | None,
    mode: str = "hybrid",
    *,
    vector_floor: float = VECTOR_MIN_SIMILARITY,
    within_filters: bool = False,
    boost_themes: list[int] | None = None,
) -> tuple[Ranked, Ranked, tuple[Ranked, Ranked, Ranked], set[int]]:
    """Both ranked lists under the filters and the facet counts of exactly that set, in one statement.

    The semantic list in the hybrid and vector modes, the lexical one for `terms`
    (catalog.search.query.lexical_terms; None for none). Both lists are ranked over every
    public service and the filters then narrow their union, so a facet's count is what
    choosing it returns: ranking inside the filter would let a filtered search reach
    further down the lists (and a facet say 7 where choosing it gives 48). Returns (lexical
    [(id, ts_rank)], vector [(id, similarity)], ([(theme id, count)], [(municipality id,
    count)], [(0, nationwide count)]), ids of the hits in any of `boost_themes`). One round trip: planning, binding the id lists back
    and the ORM cost ~5 ms of CPU a search at 20,000 services (README, "Search performance").
    """
    where, params = filter_sql(filters)
    params["nationwide"] = list(NATIONWIDE)
    # `within_filters`: rank inside the filters (a recommendation list that shows no facets
    # and must not come out empty), so the lists reach further down for a narrow filter.
    base = where if within_filters else BASE_WHERE
    parts, selects, hit_ids = [], [], []
    if mode in {"hybrid", "vector"}:
        params.update(vector_params(query, vector_floor))
        parts.append(vector_ctes("catalog_service", base, limit=VECTOR_LIMIT))
        selects.append("select 'v', id, sim from kept where id in (select id from f)")
        hit_ids.append("select id from kept")
    if terms is not None:
        params.update(terms.params())
        lexical_where = base
        if terms.common_only and mode == "hybrid":
            # Only words found in thousands of services: they re-rank the semantic side's
            # nearest services instead of ranking all of those thousands (measured: 76-114 ms
            # for "työ" or "sleep nuoret" at 20,000 services, ~3 ms this way).
            lexical_where = sql.SQL("{} and s.id in (select id from vec)").format(base)
        parts.append(lexical_cte("catalog_service", lexical_where, match_on=terms.match_on, limit=LEXICAL_LIMIT))
        selects.append("select 'l', id, score from lex where id in (select id from f)")
        hit_ids.append("select id from lex")
    if not parts:
        return [], [], ([], [], []), set()
    if boost_themes:
        # The query's nearest themes (engine.THEME_BOOST): read from the row the facets read anyway.
        params["boost_themes"] = list(boost_themes)
        selects.append("select 'b', id, 0 from f where f.t && %(boost_themes)s::int[]")
    statement = sql.SQL(
        "with {parts}, hits as ({hit_ids}), "
        "f as materialized (select s.id, {facet_columns} from catalog_service s "
        "where s.id in (select id from hits) and {where}) "
        "{selects} union all ({facets})"
    ).format(
        parts=sql.SQL(", ").join(parts),
        hit_ids=sql.SQL(" union ".join(hit_ids)),
        facet_columns=FACET_COLUMNS,
        where=where,
        selects=sql.SQL(" union all ".join(selects)),
        facets=FACET_COUNTS,
    )
    lists = ranked_lists(fetch_all(statement, params))
    return lists["l"], lists["v"], (lists["t"], lists["m"], lists["n"]), {sid for sid, _ in lists["b"]}


_BOOST_SQL = sql.SQL(
    # Raw SQL for the same reason as filter_sql; only run when the query said "free" or an age.
    "select s.id, s.charge_type = %(charge)s, exists (select 1 from catalog_service_concepts sc "
    "join catalog_concept k on k.id = sc.concept_id where sc.service_id = s.id and k.kind = 'target_group' "
    "and (k.code = %(group)s or k.code like %(group_children)s)) from catalog_service s where s.id = any(%(ids)s)"
)


def boost_flags(ids: list[int], target_group: str) -> dict[int, tuple[bool, bool]]:
    """id -> (free of charge, for the target group or one of its sub-groups) of the services."""
    if not ids:
        return {}
    params = {
        "ids": ids,
        "charge": ChargeType.FREE,
        "group": target_group or "-",
        "group_children": (target_group or "-").replace("%", "").replace("_", "") + ".%",
    }
    return {row[0]: (row[1], row[2]) for row in fetch_all(_BOOST_SQL, params)}
