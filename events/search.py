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


_any_cache = engine.ProcessCache(60)


def any_upcoming_events() -> bool:
    """Whether any public event is still to come; checked once a minute per process."""
    return _any_cache.get("any", lambda: upcoming_events(engine.SearchFilters()).exists())


def _filter_sql(filters: engine.SearchFilters) -> tuple[sql.Composable, dict]:
    """WHERE over `events_event s`: public, an occurrence still to come, and the filters events have."""
    clauses = [
        sql.SQL("s.is_public"),
        sql.SQL("exists (select 1 from events_eventoccurrence o where o.event_id = s.id and o.start >= %(e_soon)s)"),
    ]
    params: dict = {"e_soon": timezone.now() - timedelta(hours=2)}
    if filters.themes:
        params["e_themes"] = engine.theme_ids(filters.themes)
        clauses.append(
            sql.SQL(
                "exists (select 1 from events_event_themes et where et.event_id = s.id "
                "and et.theme_id = any(%(e_themes)s))"
            )
        )
    if filters.municipality:
        params["e_municipality"] = engine.municipality_id(filters.municipality)
        clauses.append(sql.SQL("s.municipality_id = %(e_municipality)s"))
    if filters.free:
        clauses.append(sql.SQL("s.is_free"))
    return sql.SQL(" and ").join(clauses), params


def search_events(query: str, filters: engine.SearchFilters, *, limit: int = 50) -> list[engine.Hit]:
    """Upcoming public events ranked like services, in one statement (engine's list builders)."""
    if not engine.has_words(query) or not event_filters_apply(filters) or not any_upcoming_events():
        return []
    words = re.findall(r"\w+", query)
    where, params = _filter_sql(filters)
    params["tsq"] = " OR ".join([*words, *engine.expand_words(words)])
    params.update(engine.vector_params(query))
    statement = sql.SQL("with {}, {} select 'l', id, score from lex union all select 'v', id, sim from kept").format(
        engine.vector_ctes("events_event", where, limit=limit),
        engine.lexical_cte("events_event", where, match_on="search_vector", limit=limit),
    )
    lists = engine.ranked_lists(engine.fetch_all(statement, params))
    return engine.fuse(lists["l"], lists["v"])
