"""Entry points of the sync jobs. The command, the Celery task and the admin call these."""

from __future__ import annotations

from datetime import datetime

from ingest.models import IngestRun
from ingest.sources import SOURCES, RunOptions


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
    """Run one sync of `source`; options a source does not know (e.g. dry_run for events) are ignored.

    Raises SourceNotConfigured when the source is off and no `base_url` is given.
    """
    if source not in SOURCES:
        raise UnknownSource(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
    options = RunOptions(
        full=full,
        since=since,
        municipalities=municipalities,
        dry_run=dry_run,
        force=force,
        base_url=base_url,
        index=index,
    )
    return SOURCES[source].run(options)
