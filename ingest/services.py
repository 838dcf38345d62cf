"""Entry points of the sync jobs. The command, the Celery task and the admin call these.

One run per source at a time: `ingest_run` takes a PostgreSQL advisory lock named after
the source (session level, so it holds across the run's transactions and goes away with
a killed worker's connection) and refuses with SourceBusy when another process has it.
Holding the lock also proves that any run of the source still marked `running` is dead
(killed by a deploy, the OOM killer or Celery's hard time limit): those are closed as
failed before the new run starts.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import connection
from django.utils import timezone

from ingest.base import SourceBusy
from ingest.models import IngestRun
from ingest.sources import SOURCES, RunOptions

log = logging.getLogger(__name__)


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
    with ingest_source_lock(source=source):
        ingest_runs_close_stale(source=source)
        return SOURCES[source].run(options)


def _lock_key(source: str) -> int:
    return zlib.crc32(f"tarmoa.ingest:{source}".encode())


@contextmanager
def ingest_source_lock(*, source: str) -> Iterator[None]:
    """Hold the source's advisory lock for the block; SourceBusy when another session holds it."""
    key = _lock_key(source)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    if not acquired:
        raise SourceBusy(f"another {source} sync is running; try again when it has finished")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def ingest_runs_close_stale(*, source: str) -> int:
    """Close the source's runs left `running` as failed; call only while holding the source's lock."""
    stale = IngestRun.objects.filter(source=source, status=IngestRun.Status.RUNNING)
    count = stale.update(
        status=IngestRun.Status.FAILED,
        finished=timezone.now(),
        error="interrupted: the run stopped before it finished (its process was killed or hit a time limit)",
    )
    if count:
        log.warning("Closed %s stale running %s sync run(s) as failed", count, source)
    return count
