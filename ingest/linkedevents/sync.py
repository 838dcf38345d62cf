"""Linked Events sync: the same rules as the PTV sync (fetch everything first, write in one
transaction, upsert by id, hide deleted events, a delete valve on full syncs)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Municipality, Source, Theme
from events.models import Event, EventOccurrence
from ingest.http import SourceError
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.mapping import EventRecord, map_event
from ingest.models import IngestRun
from ingest.ptv.mapping import MappingError
from ingest.ptv.sync import DeleteValveRefused, _set_texts, last_good_run_start

log = logging.getLogger(__name__)
DAYS_AHEAD = 90
TEXT_FIELDS = ["name", "short_description", "description", "location_name", "street_address", "organizer"]


class SourceNotConfigured(Exception):
    pass


def default_client() -> LinkedEventsClient:
    if not settings.LINKED_EVENTS_API_URL:
        raise SourceNotConfigured("LINKED_EVENTS_API_URL is not set: Linked Events sync is off until it is configured")
    return LinkedEventsClient(
        settings.LINKED_EVENTS_API_URL, timeout=settings.PTV_TIMEOUT_SECONDS, max_retries=settings.PTV_MAX_RETRIES
    )


def _write(records: dict[str, EventRecord], run: IngestRun, *, full: bool, force: bool) -> None:
    now = timezone.now()
    themes = {t.slug: t for t in Theme.objects.all()}
    municipalities = {m.name_fi.lower(): m for m in Municipality.objects.all()}
    existing = {e.source_id: e for e in Event.objects.filter(source=Source.LINKED_EVENTS, source_id__in=records)}
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
        event = event or Event(source=Source.LINKED_EVENTS, source_id=source_id)
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
        event.is_public = True
        event.source_modified, event.source_hash, event.last_synced = record.modified, record.source_hash, now
        event.save()
        event.themes.set([themes[s] for s in record.themes if s in themes])
        event.occurrences.all().delete()
        if record.start:
            EventOccurrence.objects.create(event=event, start=record.start, end=record.end)
    if full:
        upcoming = Event.objects.filter(source=Source.LINKED_EVENTS, is_public=True, start_time__gte=now)
        unseen = upcoming.exclude(source_id__in=list(records))
        base = upcoming.count()
        limit = settings.INGEST_DELETE_LIMIT_PERCENT
        if unseen.exists() and not force and unseen.count() > base * limit / 100:
            raise DeleteValveRefused(
                f"refusing to remove {unseen.count()} of {base} upcoming events (over {limit} %); run with --force if right"
            )
        run.removed += unseen.update(is_public=False, last_synced=now)


def linkedevents_sync(
    *,
    full: bool = False,
    since: datetime | None = None,
    force: bool = False,
    client: LinkedEventsClient | None = None,
) -> IngestRun:
    client = client or default_client()
    if not full and since is None:
        since = last_good_run_start(Source.LINKED_EVENTS)
        full = since is None
    run = IngestRun.objects.create(
        source=Source.LINKED_EVENTS,
        kind=IngestRun.Kind.FULL if full else IngestRun.Kind.INCREMENTAL,
        since=None if full else since,
        parameters={"force": force, "division": settings.LINKED_EVENTS_DIVISION},
    )
    now = timezone.now()
    records: dict[str, EventRecord] = {}
    try:
        for payload in client.events(
            start=now - timedelta(days=1),
            end=now + timedelta(days=DAYS_AHEAD),
            since=None if full else since,
            division=settings.LINKED_EVENTS_DIVISION,
            bbox=settings.LINKED_EVENTS_BBOX,
        ):
            run.fetched += 1
            try:
                record = map_event(payload)
            except MappingError as exc:
                log.warning("Linked Events item %s skipped as malformed: %s", (payload or {}).get("id"), exc)
                run.failed += 1
                continue
            records[record.source_id] = record
        with transaction.atomic():
            _write(records, run, full=full, force=force)
        run.status = IngestRun.Status.SUCCEEDED
    except SourceError as exc:
        run.status, run.error = IngestRun.Status.FAILED, str(exc)
        run.created = run.updated = run.unchanged = run.removed = 0
    except DeleteValveRefused as exc:
        run.status, run.error = IngestRun.Status.REFUSED, str(exc)
        run.created = run.updated = run.unchanged = run.removed = 0
    run.finished = timezone.now()
    run.save()
    return run
