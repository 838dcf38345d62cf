"""Events in search: the same hybrid ranking as services (catalog.search), over upcoming public events."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.postgres.search import SearchRank
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from pgvector.django import CosineDistance

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


def search_events(query: str, filters: engine.SearchFilters, *, limit: int = 50) -> list[engine.Hit]:
    if not engine.has_words(query) or not event_filters_apply(filters) or not any_upcoming_events():
        return []
    base = upcoming_events(filters)
    tsq = engine.ts_query(query, engine.expand_words(re.findall(r"\w+", query)))
    lexical = list(
        base.filter(search_vector=tsq)
        .annotate(rank=SearchRank(F("search_head"), tsq))
        .order_by("-rank", "id")
        .values_list("id", "rank")[:limit]
    )
    rows = list(
        base.filter(embedding__isnull=False)
        .annotate(distance=CosineDistance("embedding", engine.query_vector(query)))
        .order_by("distance")
        .values_list("id", "distance")[:limit]
    )
    vector = []
    if rows:
        floor = max(engine.VECTOR_MIN_SIMILARITY, 1.0 - rows[0][1] - engine.VECTOR_MARGIN)
        vector = [(i, 1.0 - d) for i, d in rows if 1.0 - d >= floor]
    return engine.fuse(lexical, vector)
