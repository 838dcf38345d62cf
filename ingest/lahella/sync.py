"""Lähellä.fi sync: activities with their weekly recurrence, by the same rules as the other sources."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from catalog.models import Source
from ingest.base import SourceNotConfigured, client_options
from ingest.event_writer import events_sync_run
from ingest.lahella.client import LahellaClient
from ingest.lahella.mapping import map_activity
from ingest.models import IngestRun


def lahella_configured() -> bool:
    return bool(settings.LAHELLA_API_URL and settings.LAHELLA_API_TOKEN)


def default_client() -> LahellaClient:
    if not lahella_configured():
        raise SourceNotConfigured(
            "LAHELLA_API_URL and LAHELLA_API_TOKEN are not set: Lähellä.fi sync is off until an agreement gives them"
        )
    return LahellaClient(
        settings.LAHELLA_API_URL,
        token=settings.LAHELLA_API_TOKEN,
        **client_options(),
    )


def lahella_sync(*, full: bool = True, force: bool = False, client: LahellaClient | None = None) -> IngestRun:
    """Lähellä.fi offers no change feed in the known API shape: every run reads all activities
    (unchanged ones are skipped by their hash) and sweeps the ones that are gone."""
    client = client or default_client()
    client.begin_run(deadline=settings.INGEST_RUN_DEADLINE_SECONDS)
    run = IngestRun.objects.create(source=Source.LAHELLA, kind=IngestRun.Kind.FULL, parameters={"force": force})
    now = timezone.now()
    return events_sync_run(
        run,
        Source.LAHELLA,
        client.activities(),
        lambda payload: map_activity(payload, now=now),
        full=True,
        force=force,
        client=client,
    )
