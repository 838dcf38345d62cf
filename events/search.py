"""Events in search: the same hybrid ranking as services (catalog.search), over upcoming public events."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from psycopg import sql

from catalog.search.cache import ProcessCache
from catalog.search.fusion import fuse
from catalog.search.query import has_words, lexical_terms
from catalog.search.sql import (
    VECTOR_MIN_SIMILARITY,
    Ranked,
    fetch_all,
    lexical_cte,
    municipality_id,
    ranked_lists,
    theme_ids,
    vector_ctes,
    vector_params,
)
from catalog.search.types import Hit, SearchFilters
from events.models import Event, EventOccurrence


def upcoming_events(filters: SearchFilters) -> QuerySet[Event]:
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


def event_filters_apply(filters: SearchFilters) -> bool:
    """Target group, service language and channel kind describe services only: events drop out."""
    return not (filters.target_group or filters.service_language or filters.channel_kinds)


_any_cache = ProcessCache(60)


def any_upcoming_events() -> bool:
    """Whether any public event is still to come; checked once a minute per process."""
    return _any_cache.get("any", lambda: upcoming_events(SearchFilters()).exists())


def _filter_sql(filters: SearchFilters) -> tuple[sql.Composable, dict]:
    """WHERE over `events_event s`: public, an occurrence still to come, and the filters events have."""
    clauses = [
        sql.SQL("s.is_public"),
        sql.SQL("exists (select 1 from events_eventoccurrence o where o.event_id = s.id and o.start >= %(e_soon)s)"),
    ]
    params: dict = {"e_soon": timezone.now() - timedelta(hours=2)}
    if filters.themes:
        params["e_themes"] = theme_ids(filters.themes)
        clauses.append(
            sql.SQL(
                "exists (select 1 from events_event_themes et where et.event_id = s.id "
                "and et.theme_id = any(%(e_themes)s))"
            )
        )
    if filters.municipality:
        params["e_municipality"] = municipality_id(filters.municipality)
        clauses.append(sql.SQL("s.municipality_id = %(e_municipality)s"))
    if filters.free:
        clauses.append(sql.SQL("s.is_free"))
    return sql.SQL(" and ").join(clauses), params


def search_events(
    query: str, filters: SearchFilters, *, floor: float = VECTOR_MIN_SIMILARITY, limit: int = 50
) -> tuple[Ranked, Ranked]:
    """Upcoming public events ranked like services, in one statement (catalog.search.sql's list
    builders): (lexical [(id, ts_rank)], semantic [(id, similarity)]), best first, to be fused
    with the services' lists (front.search), so an event is ranked among services, not beside them.

    Events pass the same floor as services (`floor`, the engine's SHOW_SIMILARITY of the query's
    language). A cancelled event is found only by its words (its name), never by meaning alone.
    """
    if not has_words(query) or not event_filters_apply(filters) or not any_upcoming_events():
        return [], []
    terms = lexical_terms(query)
    where, params = _filter_sql(filters)
    params.update(terms.params())
    params["e_cancelled"] = Event.Status.CANCELLED
    params.update(vector_params(query, floor))
    statement = sql.SQL("with {}, {} select 'l', id, score from lex union all select 'v', id, sim from kept").format(
        vector_ctes("events_event", sql.SQL("{} and s.status <> %(e_cancelled)s").format(where), limit=limit),
        lexical_cte("events_event", where, match_on="search_vector", limit=limit),
    )
    lists = ranked_lists(fetch_all(statement, params))
    return lists["l"], lists["v"]


def search_events_fused(query: str, filters: SearchFilters, *, floor: float = VECTOR_MIN_SIMILARITY) -> list[Hit]:
    """Upcoming events alone, fused (an events-only search)."""
    return fuse(*search_events(query, filters, floor=floor))
