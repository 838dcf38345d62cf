"""Reads for the events pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.db.models import Q
from psycopg import sql

from catalog.models import Municipality, Theme
from catalog.search.cache import cached_objects
from catalog.search.sql import fetch_all
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
    event_type: str = ""  # General, Course or Volunteering
    environment: str = ""  # in or out
    enrolment_open: bool = False  # enrolment open now (courses and others that take sign-ups)


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


def upcoming(
    filters: EventFilters, *, limit: int = 200, now: datetime | None = None
) -> list[tuple[Event, EventOccurrence]]:
    """Each public event once, with its first occurrence in the period, by start time."""
    start = datetime.combine(filters.start, time.min, HELSINKI)
    end = datetime.combine(filters.end + timedelta(days=1), time.min, HELSINKI)
    now = now or datetime.now(HELSINKI)
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
    if filters.event_type in Event.EventType.values:
        occurrences = occurrences.filter(event__event_type=filters.event_type)
    if filters.environment in Event.Environment.values:
        occurrences = occurrences.filter(event__environment=filters.environment)
    if filters.enrolment_open:
        occurrences = occurrences.filter(
            Q(event__enrolment_start__isnull=True) | Q(event__enrolment_start__lte=now),
            event__enrolment_end__gte=now,
        )
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


_CARD_FIELDS = ["id", "source", "source_id", "municipality_id", "start_time"] + [
    f"{name}_{lang}" for name in ("name", "short_description") for lang in ("fi", "sv", "en")
]
# Raw SQL: the rows a search shows with their theme ids in one round trip; the index columns
# (vectors, tsvectors) are never loaded (measured 2.9 -> 0.4 ms of CPU against the ORM).
_CARD_SQL = sql.SQL(
    "select {fields}, array(select theme_id from events_event_themes t where t.event_id = e.id) "
    "from events_event e where e.id = any(%(ids)s)"
).format(fields=sql.SQL(", ").join(sql.Identifier("e", f) for f in _CARD_FIELDS))


def event_cards(ids: list[int]) -> dict[int, SimpleNamespace]:
    """Search result cards of events by id: the card's fields, `card_themes` (in theme order) and
    `card_municipality` (or None)."""
    if not ids:
        return {}
    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    cards = {}
    for row in fetch_all(_CARD_SQL, {"ids": list(ids)}):
        card = SimpleNamespace(**dict(zip(_CARD_FIELDS, row[:-1], strict=True)))
        card.card_themes = sorted((themes[i] for i in row[-1] if i in themes), key=lambda t: t.order)
        card.card_municipality = municipalities.get(card.municipality_id)
        cards[card.id] = card
    return cards
