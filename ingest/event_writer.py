"""Writes events of any source (Linked Events, Lähellä.fi) with the ingest rules of ingest.sync."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from catalog.models import Municipality, Theme
from events.models import Event, EventOccurrence
from ingest.base import LANGS, DeleteValveRefused, EventRecord, MappingError, SourceError, set_texts
from ingest.models import IngestRun
from ingest.sync import Syncher, links_replace

log = logging.getLogger(__name__)

TEXT_FIELDS = ["name", "short_description", "description", "location_name", "street_address", "organizer"]
FIELDS = [
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGS),
    "start_time", "end_time", "status", "postal_code", "municipality", "latitude", "longitude", "info_url",
    "offers", "is_free", "audience_min_age", "audience_max_age", "languages", "keywords", "accessibility",
]  # fmt: skip


def _upcoming(now: datetime) -> models.Q:
    """The delete valve's window for events: a full run reads only events that have not ended,
    so an ended event missing from it has not been removed at the source."""
    return models.Q(end_time__gte=now)


def events_write(source: str, records: dict[str, EventRecord], run: IngestRun, *, full: bool, force: bool) -> None:
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


def events_sync_run(
    run: IngestRun,
    source: str,
    payloads: Iterable[dict],
    mapper: Callable[[dict], EventRecord],
    *,
    full: bool,
    force: bool,
) -> IngestRun:
    """Fetch and map every payload, then write in one transaction; record the outcome on `run`.

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
        with transaction.atomic():
            events_write(source, records, run, full=full, force=force)
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
