"""The registry of sources: what the command, the Celery task and the admin know about each.

Adding a source means one `IngestSource` here (and its package beside ptv/); nothing else
dispatches on a source's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from catalog.models import Source
from ingest.base import client_options
from ingest.lahella.client import LahellaClient
from ingest.lahella.sync import lahella_configured, lahella_sync
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.sync import linkedevents_configured, linkedevents_sync
from ingest.models import IngestRun
from ingest.ptv.client import PtvClientV11
from ingest.ptv.sync import ptv_sync
from ingest.sotkanet.client import SotkanetClient
from ingest.sotkanet.sync import SOURCE as SOTKANET
from ingest.sotkanet.sync import sotkanet_configured, sotkanet_sync


@dataclass(frozen=True)
class RunOptions:
    """What a sync run was asked for; a source ignores the options it has no use for."""

    full: bool = False
    since: datetime | None = None
    municipalities: list[str] | None = None
    dry_run: bool = False
    force: bool = False
    base_url: str | None = None
    index: bool = True


@dataclass(frozen=True)
class IngestSource:
    name: str  # as the command, the task and IngestRun.source spell it
    title: str
    run: Callable[[RunOptions], IngestRun]  # raises SourceNotConfigured when it is off
    configured: Callable[[], bool]
    endpoint: Callable[[], str]  # the admin shows this, or the settings that turn the source on


def _client_options() -> dict[str, float | int]:
    return client_options()


def _ptv(options: RunOptions) -> IngestRun:
    client = PtvClientV11(options.base_url, **_client_options()) if options.base_url else None
    return ptv_sync(
        full=options.full,
        since=options.since,
        municipalities=options.municipalities,
        dry_run=options.dry_run,
        force=options.force,
        client=client,
        index=options.index,
    )


def _linkedevents(options: RunOptions) -> IngestRun:
    # Events have no municipality override, dry run or search-index switch (they index on commit).
    client = LinkedEventsClient(options.base_url, **_client_options()) if options.base_url else None
    return linkedevents_sync(full=options.full, since=options.since, force=options.force, client=client)


def _lahella(options: RunOptions) -> IngestRun:
    # Lähellä.fi has no change feed: every run is full (see lahella_sync).
    token = settings.LAHELLA_API_TOKEN
    client = LahellaClient(options.base_url, token=token, **_client_options()) if options.base_url else None
    return lahella_sync(force=options.force, client=client)


def _sotkanet(options: RunOptions) -> IngestRun:
    # Sotkanet statistics: every run reads the followed indicators' recent years in full.
    client = SotkanetClient(options.base_url, **_client_options()) if options.base_url else None
    return sotkanet_sync(client=client)


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
        IngestSource(
            name=SOTKANET,
            title="THL Sotkanet",
            run=_sotkanet,
            configured=sotkanet_configured,
            endpoint=lambda: settings.SOTKANET_URL or "SOTKANET_URL",
        ),
    )
}
