"""Writes events of any source (Linked Events, Lähellä.fi) with the ingest rules."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Municipality, Theme
from events.models import Event, EventOccurrence
from ingest.http import SourceError
from ingest.linkedevents.mapping import EventRecord
from ingest.models import IngestRun
from ingest.ptv.mapping import MappingError
from ingest.ptv.sync import DeleteValveRefused, _set_texts

log = logging.getLogger(__name__)

TEXT_FIELDS = ["name", "short_description", "description", "location_name", "street_address", "organizer"]


def events_write(source: str, records: dict[str, EventRecord], run: IngestRun, *, full: bool, force: bool) -> None:
    """Upsert events of one source by id; deleted or unpublished ones are hidden; full runs sweep.

    Changed events are indexed for search once the transaction commits (embeddings in a job).
    """
    changed: list[int] = []
    now = timezone.now()
    themes = {t.slug: t for t in Theme.objects.all()}
    municipalities = {m.name_fi.lower(): m for m in Municipality.objects.all()}
    existing = {e.source_id: e for e in Event.objects.filter(source=source, source_id__in=records)}
    for source_id, record in records.items():
        event = existing.get(source_id)
        if record.deleted:
            if event is not None and event.is_public:
                Event.objects.filter(pk=event.pk).update(is_public=False, last_synced=now)
                run.removed += 1
            else:
                run.skipped += 1
            continue
        if event is not None and event.source_hash == record.source_hash and event.is_public:
            run.unchanged += 1
            continue
        event = event or Event(source=source, source_id=source_id)
        if event.pk is None:
            run.created += 1
        else:
            run.updated += 1
        _set_texts(event, record.texts, TEXT_FIELDS)
        event.start_time, event.end_time = record.start, record.end
        event.status = record.status if record.status in Event.Status.values else Event.Status.SCHEDULED
        event.postal_code = record.postal_code
        event.municipality = municipalities.get(record.municipality_name.lower())
        event.latitude, event.longitude = record.latitude, record.longitude
        event.info_url = record.info_url[:500]
        event.offers, event.is_free = record.offers, record.is_free
        event.audience_min_age, event.audience_max_age = record.audience_min_age, record.audience_max_age
        event.languages, event.keywords = record.languages, [k[:200] for k in record.keywords]
        event.accessibility = [a[:50] for a in record.accessibility]
        event.is_public = True
        event.source_modified, event.source_hash, event.last_synced = record.modified, record.source_hash, now
        event.save()
        event.themes.set([themes[s] for s in record.themes if s in themes])
        changed.append(event.id)
        event.occurrences.all().delete()
        EventOccurrence.objects.bulk_create(
            EventOccurrence(event=event, start=start, end=end) for start, end in record.occurrences
        )
    if full:
        upcoming = Event.objects.filter(source=source, is_public=True, end_time__gte=now)
        unseen = upcoming.exclude(source_id__in=list(records))
        base = upcoming.count()
        limit = settings.INGEST_DELETE_LIMIT_PERCENT
        if unseen.exists() and not force and unseen.count() > base * limit / 100:
            raise DeleteValveRefused(
                f"refusing to remove {unseen.count()} of {base} upcoming events (over {limit} %); run with --force if right"
            )
        run.removed += unseen.update(is_public=False, last_synced=now)
    if changed:
        from events.tasks import index_events

        transaction.on_commit(lambda: index_events.delay(event_ids=changed))


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
