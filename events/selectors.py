"""Reads for the events pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from events.models import Event, EventOccurrence

HELSINKI = ZoneInfo("Europe/Helsinki")
AUDIENCES = {"children": (0, 12), "youth": (13, 17), "adults": (18, 64), "seniors": (65, 120)}


@dataclass(frozen=True)
class EventFilters:
    start: date
    end: date  # inclusive
    themes: tuple[str, ...] = ()
    municipality: str = ""
    free: bool = False
    audience: str = ""
    accessibility: str = ""


def period(when: str, today: date | None = None) -> tuple[date, date]:
    """today | week (today + 6 days) | weekend (the coming Saturday and Sunday)."""
    today = today or datetime.now(HELSINKI).date()
    if when == "today":
        return today, today
    if when == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            saturday = today - timedelta(days=1)
        return max(saturday, today), saturday + timedelta(days=1)
    return today, today + timedelta(days=6)


def upcoming(filters: EventFilters, *, limit: int = 200) -> list[tuple[Event, EventOccurrence]]:
    """Each public event once, with its first occurrence in the period, by start time."""
    start = datetime.combine(filters.start, time.min, HELSINKI)
    end = datetime.combine(filters.end + timedelta(days=1), time.min, HELSINKI)
    now = datetime.now(HELSINKI)
    occurrences = EventOccurrence.objects.filter(start__lt=end, event__is_public=True).filter(
        Q(end__gte=max(start, now)) | Q(end__isnull=True, start__gte=max(start, now) - timedelta(hours=2))
    )
    if filters.themes:
        occurrences = occurrences.filter(event__themes__slug__in=filters.themes)
    if filters.municipality:
        occurrences = occurrences.filter(event__municipality__code=filters.municipality)
    if filters.free:
        occurrences = occurrences.filter(event__is_free=True)
    if filters.audience in AUDIENCES:
        low, high = AUDIENCES[filters.audience]
        occurrences = occurrences.filter(
            Q(event__audience_min_age__isnull=True) | Q(event__audience_min_age__lte=high),
            Q(event__audience_max_age__isnull=True) | Q(event__audience_max_age__gte=low),
        )
    if filters.accessibility:
        occurrences = occurrences.filter(event__accessibility__contains=[filters.accessibility])
    seen: set[int] = set()
    out = []
    for occurrence in occurrences.select_related("event", "event__municipality").order_by("start", "id"):
        if occurrence.event_id in seen:
            continue
        seen.add(occurrence.event_id)
        out.append((occurrence.event, occurrence))
        if len(out) >= limit:
            break
    return out


def event_for_resident(*, event_id: int) -> Event | None:
    """A public event that has not yet passed (past events leave the public pages)."""
    recent = datetime.now(HELSINKI) - timedelta(days=1)
    return (
        Event.objects.filter(id=event_id, is_public=True)
        .filter(Q(end_time__gte=recent) | Q(end_time__isnull=True, start_time__gte=recent))
        .select_related("municipality")
        .first()
    )


def next_occurrences(event: Event, *, count: int = 10) -> list[EventOccurrence]:
    now = datetime.now(HELSINKI) - timedelta(hours=2)
    return list(event.occurrences.filter(start__gte=now).order_by("start")[:count])
