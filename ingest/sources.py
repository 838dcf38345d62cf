"""The registry of sources: what the command, the Celery task and the admin know about each.

Adding a source means one `IngestSource` here (and its package beside ptv/); nothing else
dispatches on a source's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings

from catalog.models import Source
from ingest.lahella.client import LahellaClient
from ingest.lahella.sync import lahella_configured, lahella_sync
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.sync import linkedevents_configured, linkedevents_sync
from ingest.models import IngestRun
from ingest.ptv.client import PtvClientV11
from ingest.ptv.sync import ptv_sync


class Runner(Protocol):
    def __call__(
        self,
        *,
        full: bool,
        since: datetime | None,
        municipalities: list[str] | None,
        dry_run: bool,
        force: bool,
        base_url: str | None,
        index: bool,
    ) -> IngestRun: ...


@dataclass(frozen=True)
class IngestSource:
    name: str  # as the command, the task and IngestRun.source spell it
    title: str
    run: Runner  # raises SourceNotConfigured when it is off
    configured: Callable[[], bool]
    endpoint: Callable[[], str]  # the admin shows this, or the settings that turn the source on


def _client_options() -> dict[str, float | int]:
    return {"timeout": settings.PTV_TIMEOUT_SECONDS, "max_retries": settings.PTV_MAX_RETRIES}


def _ptv(
    *,
    full: bool,
    since: datetime | None,
    municipalities: list[str] | None,
    dry_run: bool,
    force: bool,
    base_url: str | None,
    index: bool,
) -> IngestRun:
    client = PtvClientV11(base_url, **_client_options()) if base_url else None
    return ptv_sync(
        full=full,
        since=since,
        municipalities=municipalities,
        dry_run=dry_run,
        force=force,
        client=client,
        index=index,
    )


def _linkedevents(
    *,
    full: bool,
    since: datetime | None,
    municipalities: list[str] | None,
    dry_run: bool,
    force: bool,
    base_url: str | None,
    index: bool,
) -> IngestRun:
    # Events have no municipality override, dry run or search-index switch (they index on commit).
    client = LinkedEventsClient(base_url, **_client_options()) if base_url else None
    return linkedevents_sync(full=full, since=since, force=force, client=client)


def _lahella(
    *,
    full: bool,
    since: datetime | None,
    municipalities: list[str] | None,
    dry_run: bool,
    force: bool,
    base_url: str | None,
    index: bool,
) -> IngestRun:
    # Lähellä.fi has no change feed: every run is full (see lahella_sync).
    client = LahellaClient(base_url, token=settings.LAHELLA_API_TOKEN, **_client_options()) if base_url else None
    return lahella_sync(force=force, client=client)


SOURCES: dict[str, IngestSource] = {
    source.name: source
    for source in (
        IngestSource(
            name=Source.PTV.value,
            title="Palvelutietovaranto (PTV)",
            run=_ptv,
            configured=lambda: bool(settings.PTV_API_URL),
            endpoint=lambda: settings.PTV_API_URL or "PTV_API_URL",
        ),
        IngestSource(
            name=Source.LINKED_EVENTS.value,
            title="Linked Events",
            run=_linkedevents,
            configured=linkedevents_configured,
            endpoint=lambda: settings.LINKED_EVENTS_API_URL or "LINKED_EVENTS_API_URL",
        ),
        IngestSource(
            name=Source.LAHELLA.value,
            title="Lähellä.fi",
            run=_lahella,
            configured=lahella_configured,
            endpoint=lambda: settings.LAHELLA_API_URL or "LAHELLA_API_URL + LAHELLA_API_TOKEN",
        ),
    )
}
