"""Linked Events sync: the same rules as the PTV sync (fetch everything first, write in one
transaction, upsert by id, hide deleted events, a delete valve on full syncs)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Source
from ingest.event_writer import events_write
from ingest.http import SourceError
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.mapping import EventRecord, map_event
from ingest.models import IngestRun
from ingest.ptv.mapping import MappingError
from ingest.ptv.sync import DeleteValveRefused, last_good_run_start

log = logging.getLogger(__name__)
DAYS_AHEAD = 90


class SourceNotConfigured(Exception):
    pass


def default_client() -> LinkedEventsClient:
    if not settings.LINKED_EVENTS_API_URL:
        raise SourceNotConfigured("LINKED_EVENTS_API_URL is not set: Linked Events sync is off until it is configured")
    return LinkedEventsClient(
        settings.LINKED_EVENTS_API_URL, timeout=settings.PTV_TIMEOUT_SECONDS, max_retries=settings.PTV_MAX_RETRIES
    )


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
            events_write(Source.LINKED_EVENTS, records, run, full=full, force=force)
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
