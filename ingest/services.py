"""Entry points of the sync jobs. The command, the Celery task and the admin call these."""

from __future__ import annotations

from datetime import datetime

from ingest.models import IngestRun

SOURCES = ("ptv", "linkedevents", "lahella")


class UnknownSource(ValueError):
    pass


def ingest_run(
    *,
    source: str,
    full: bool = False,
    since: datetime | None = None,
    municipalities: list[str] | None = None,
    dry_run: bool = False,
    force: bool = False,
    base_url: str | None = None,
    index: bool = True,
) -> IngestRun:
    if source == "ptv":
        from ingest.ptv.client import PtvClientV11
        from ingest.ptv.sync import default_client, ptv_sync

        client = None
        if base_url:
            default = default_client()
            client = PtvClientV11(base_url, timeout=default.timeout, max_retries=default.max_retries)
        return ptv_sync(
            full=full,
            since=since,
            municipalities=municipalities,
            dry_run=dry_run,
            force=force,
            client=client,
            index=index,
        )
    if source == "linkedevents":
        from ingest.linkedevents.client import LinkedEventsClient
        from ingest.linkedevents.sync import linkedevents_sync

        client = LinkedEventsClient(base_url) if base_url else None
        return linkedevents_sync(full=full, since=since, force=force, client=client)
    if source == "lahella":
        from django.conf import settings

        from ingest.lahella.client import LahellaClient
        from ingest.lahella.sync import lahella_sync

        client = LahellaClient(base_url, token=settings.LAHELLA_API_TOKEN) if base_url else None
        return lahella_sync(force=force, client=client)
    raise UnknownSource(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
