"""Writes events of any source (Linked Events, Lähellä.fi) with the ingest rules of ingest.sync."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.utils import timezone

from catalog.models import Municipality, Theme
from events.models import Event, EventOccurrence
from ingest.base import LANGS, DeleteValveRefused, EventRecord, MappingError, SourceError, set_texts
from ingest.models import IngestRun
from ingest.sync import Syncher, links_replace

log = logging.getLogger(__name__)
HELSINKI = ZoneInfo("Europe/Helsinki")

TEXT_FIELDS = [
    "name", "short_description", "description", "location_name", "street_address", "organizer",
    "location_extra_info", "provider_contact_info",
]  # fmt: skip
FIELDS = [
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGS),
    "start_time", "end_time", "status", "postal_code", "municipality", "latitude", "longitude", "info_url",
    "offers", "is_free", "audience_min_age", "audience_max_age", "languages", "keywords", "accessibility",
    "event_type", "environment", "audience", "images", "enrolment_start", "enrolment_end",
    "maximum_attendee_capacity",
]  # fmt: skip


def _upcoming(now: datetime) -> models.Q:
    """The delete valve's window for events: a full run reads only events that have not ended,
    so an ended event missing from it has not been removed at the source."""
    return models.Q(end_time__gte=now)


def events_write(
    source: str,
    records: dict[str, EventRecord],
    run: IngestRun,
    *,
    full: bool,
    force: bool,
    folded: Iterable[str] = (),
) -> None:
    """Upsert events of one source by id; deleted or unpublished ones are hidden; full runs sweep.

    Changed events are indexed for search once the transaction commits (embeddings in a job).
    """
    now = timezone.now()
    syncher: Syncher[EventRecord] = Syncher(
        Event, source, now=now, fields=FIELDS, label=f"{source} events", window=_upcoming(now)
    )
    syncher.begin()
    themes = {t.slug: t.id for t in Theme.objects.all()}
    municipalities = {m.name_fi.lower(): m.id for m in Municipality.objects.all()}
    deleted = {source_id for source_id, record in records.items() if record.deleted}
    removed = syncher.hide(deleted)
    run.removed += removed
    run.skipped += len(deleted) - removed  # already hidden or never seen
    # Dates of a series now shown as the series' occurrences: their own rows (from before) go.
    run.removed += syncher.hide(folded)

    def build(record: EventRecord, event: Event) -> None:
        set_texts(event, record.texts, TEXT_FIELDS)
        event.start_time, event.end_time = record.start, record.end
        event.status = record.status if record.status in Event.Status.values else Event.Status.SCHEDULED
        event.postal_code = record.postal_code
        event.municipality_id = municipalities.get(record.municipality_name.lower())
        event.latitude, event.longitude = record.latitude, record.longitude
        event.info_url = record.info_url[:500]
        event.offers, event.is_free = record.offers, record.is_free
        event.audience_min_age, event.audience_max_age = record.audience_min_age, record.audience_max_age
        event.languages, event.keywords = record.languages, [k[:200] for k in record.keywords]
        event.accessibility = [a[:50] for a in record.accessibility]
        event.event_type = record.event_type if record.event_type in Event.EventType.values else "General"
        event.environment = record.environment if record.environment in Event.Environment.values else ""
        event.audience, event.images = record.audience, record.images
        event.enrolment_start, event.enrolment_end = record.enrolment_start, record.enrolment_end
        event.maximum_attendee_capacity = record.maximum_attendee_capacity

    live = {source_id: record for source_id, record in records.items() if not record.deleted}
    result = syncher.upsert(live, build)
    run.created += result.created
    run.updated += result.updated
    run.unchanged += result.unchanged
    changed = result.changed
    through = Event.themes.through
    links_replace(
        through,
        "event_id",
        changed.values(),
        ["event_id", "theme_id"],
        (
            (pk, themes[slug])
            for source_id, pk in changed.items()
            for slug in sorted(live[source_id].themes)
            if slug in themes
        ),
    )
    links_replace(
        EventOccurrence,
        "event_id",
        changed.values(),
        ["event_id", "start", "end"],
        ((pk, start, end) for source_id, pk in changed.items() for start, end in live[source_id].occurrences),
    )
    if full:
        run.removed += syncher.sweep(records, force=force)
    if changed:
        from events.tasks import index_events

        event_ids = list(changed.values())
        transaction.on_commit(lambda: index_events.delay(event_ids=event_ids))


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _date_only_ids(records: dict[str, EventRecord]) -> Iterable[str]:
    """Events whose start fell on a Helsinki midnight: given as a date without a time."""
    for source_id, record in records.items():
        if record.start and record.start.astimezone(HELSINKI).time() == time(0):
            yield source_id


def events_sync_run(
    run: IngestRun,
    source: str,
    payloads: Iterable[dict],
    mapper: Callable[[dict], EventRecord],
    *,
    full: bool,
    force: bool,
    merge: Callable[[dict[str, EventRecord]], list[str]] | None = None,
    client: object = None,
) -> IngestRun:
    """Fetch and map every payload, then write in one transaction; record the outcome on `run`.

    `merge` folds records into others before writing (Linked Events' recurring series) and
    returns the ids it folded; `client`'s duplicate ids are counted in the run's details.

    A source that cannot be read or a refused sweep leaves the events as they were; a
    malformed item is logged with its id and counted as failed.
    """
    records: dict[str, EventRecord] = {}
    try:
        for payload in payloads:
            run.fetched += 1
            try:
                record = mapper(payload)
            except MappingError as exc:
                item_id = (payload.get("id") or payload.get("_key")) if isinstance(payload, dict) else "?"
                log.warning("%s item %s skipped as malformed: %s", source, item_id, exc)
                run.failed += 1
                continue
            records[record.source_id] = record
        folded = merge(records) if merge else []
        duplicates = list(getattr(client, "duplicates", []))
        run.details = {
            **(run.details or {}),
            "unusual": {
                "series_dates_folded": len(folded),
                "duplicate_ids": len(duplicates),
                "duplicate_sample": duplicates[:20],
                "event_types": _count(r.event_type for r in records.values()),
                "date_only": len(list(_date_only_ids(records))),
            },
        }
        with transaction.atomic():
            events_write(source, records, run, full=full, force=force, folded=folded)
        run.status = IngestRun.Status.SUCCEEDED
    except (SourceError, DeleteValveRefused) as exc:
        refused = isinstance(exc, DeleteValveRefused)
        run.mark_not_applied(IngestRun.Status.REFUSED if refused else IngestRun.Status.FAILED, str(exc))
    except Exception as exc:  # the transaction rolled back
        run.record_crash(exc)
        raise
    run.finished = timezone.now()
    run.save()
    return run
