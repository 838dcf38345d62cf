"""Linked Events sync: the same rules as the PTV sync (fetch everything first, write in one
transaction, upsert by id, hide deleted events, a delete valve on full syncs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from catalog.models import Source
from ingest.base import SourceNotConfigured, client_options, last_good_run_start
from ingest.event_writer import events_sync_run
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.mapping import map_event, series_merge
from ingest.models import IngestRun

DAYS_AHEAD = 90


def linkedevents_configured() -> bool:
    return bool(settings.LINKED_EVENTS_API_URL)


def default_client() -> LinkedEventsClient:
    if not linkedevents_configured():
        raise SourceNotConfigured("LINKED_EVENTS_API_URL is not set: Linked Events sync is off until it is configured")
    return LinkedEventsClient(settings.LINKED_EVENTS_API_URL, **client_options())


def linkedevents_sync(
    *,
    full: bool = False,
    since: datetime | None = None,
    force: bool = False,
    client: LinkedEventsClient | None = None,
) -> IngestRun:
    client = client or default_client()
    client.begin_run(deadline=settings.INGEST_RUN_DEADLINE_SECONDS)
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
    payloads = client.events(
        start=now - timedelta(days=1),
        end=now + timedelta(days=DAYS_AHEAD),
        since=None if full else since,
        division=settings.LINKED_EVENTS_DIVISION,
        bbox=settings.LINKED_EVENTS_BBOX,
    )
    return events_sync_run(
        run, Source.LINKED_EVENTS, payloads, map_event, full=full, force=force, merge=series_merge, client=client
    )
