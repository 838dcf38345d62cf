"""Events in search: the same hybrid ranking as services (catalog.search), over upcoming public events."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from psycopg import sql

from catalog.search import engine
from events.models import Event, EventOccurrence


def upcoming_events(filters: engine.SearchFilters) -> QuerySet[Event]:
    """Public events with an occurrence still to come, under the filters that apply to events."""
    soon = EventOccurrence.objects.filter(event_id=OuterRef("pk"), start__gte=timezone.now() - timedelta(hours=2))
    events = Event.objects.filter(is_public=True).filter(Exists(soon))
    if filters.themes:
        events = events.filter(themes__slug__in=filters.themes).distinct()
    if filters.municipality:
        events = events.filter(municipality__code=filters.municipality)
    if filters.free:
        events = events.filter(is_free=True)
    return events


def event_filters_apply(filters: engine.SearchFilters) -> bool:
    """Target group, service language and channel kind describe services only: events drop out."""
    return not (filters.target_group or filters.service_language or filters.channel_kinds)


_any_cache: tuple[float, bool] = (engine.NEVER, False)


def any_upcoming_events() -> bool:
    """Whether any public event is still to come; checked once a minute per process."""
    global _any_cache
    import time

    checked_at, answer = _any_cache
    if time.monotonic() - checked_at > 60:
        answer = upcoming_events(engine.SearchFilters()).exists()
        _any_cache = (time.monotonic(), answer)
    return answer


_RANKING_SQL = sql.SQL(
    # Raw SQL, one round trip, like the services' (catalog.search.engine.rankings): the
    # semantic list with its floor and the lexical list over upcoming public events.
    "with vec as materialized (select e.id, e.embedding <=> %(vector)s::vector as distance from events_event e "
    "where e.embedding is not null and {where} order by distance limit {limit}), "
    "kept as (select id, 1 - distance as sim from vec "
    "where 1 - distance >= greatest(%(vector_min)s, 1 - (select min(distance) from vec) - %(vector_margin)s)), "
    "lex as (select e.id, ts_rank(e.search_head, ({tsq}))::float8 as score from events_event e "
    "where e.search_vector @@ ({tsq}) and {where} order by score desc, e.id limit {limit}) "
    "select 'l', id, score from lex union all select 'v', id, sim from kept"
)


def _filter_sql(filters: engine.SearchFilters) -> tuple[sql.Composable, dict]:
    """WHERE over `events_event e`: public, an occurrence still to come, and the filters events have."""
    from catalog.models import Municipality, Theme

    clauses = [
        sql.SQL("e.is_public"),
        sql.SQL("exists (select 1 from events_eventoccurrence o where o.event_id = e.id and o.start >= %(e_soon)s)"),
    ]
    params: dict = {"e_soon": timezone.now() - timedelta(hours=2)}
    if filters.themes:
        by_slug = {t.slug: t.id for t in engine.cached_objects(Theme).values()}
        params["e_themes"] = [by_slug[slug] for slug in filters.themes if slug in by_slug]
        clauses.append(
            sql.SQL(
                "exists (select 1 from events_event_themes et where et.event_id = e.id "
                "and et.theme_id = any(%(e_themes)s))"
            )
        )
    if filters.municipality:
        by_code = {m.code: m.id for m in engine.cached_objects(Municipality).values()}
        params["e_municipality"] = by_code.get(filters.municipality, -1)
        clauses.append(sql.SQL("e.municipality_id = %(e_municipality)s"))
    if filters.free:
        clauses.append(sql.SQL("e.is_free"))
    return sql.SQL(" and ").join(clauses), params


def search_events(query: str, filters: engine.SearchFilters, *, limit: int = 50) -> list[engine.Hit]:
    if not engine.has_words(query) or not event_filters_apply(filters) or not any_upcoming_events():
        return []
    words = re.findall(r"\w+", query)
    where, params = _filter_sql(filters)
    params["tsq"] = " OR ".join([*words, *engine.expand_words(words)])
    params["vector"] = engine.vector_literal(engine.query_vector(query))
    params["vector_min"], params["vector_margin"] = engine.VECTOR_MIN_SIMILARITY, engine.VECTOR_MARGIN
    statement = _RANKING_SQL.format(where=where, tsq=engine.TSQUERY, limit=sql.Literal(limit))
    lexical, vector = [], []
    for kind, event_id, value in engine.fetch_all(statement, params):
        (lexical if kind == "l" else vector).append((event_id, value))
    lexical.sort(key=lambda row: (-row[1], row[0]))
    vector.sort(key=lambda row: (-row[1], row[0]))
    return engine.fuse(lexical, vector)
