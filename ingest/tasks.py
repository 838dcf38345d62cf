"""Thin Celery tasks for the sync jobs (scheduled by beat in tarmoa/celery.py)."""

import logging

from celery import shared_task
from django.conf import settings

from ingest.base import SourceBusy, SourceNotConfigured
from ingest.services import ingest_run

log = logging.getLogger(__name__)


# Above the run deadline (INGEST_RUN_DEADLINE_SECONDS), which normally ends a run first and
# records it; the soft limit raises inside the sync (recorded as failed), the hard one kills
# the worker process (the next run closes that run as failed).
@shared_task(soft_time_limit=settings.INGEST_TASK_SOFT_TIME_LIMIT, time_limit=settings.INGEST_TASK_TIME_LIMIT)
def run_ingest(
    *, source: str, full: bool = False, municipalities: list[str] | None = None, force: bool = False
) -> int | None:
    try:
        run = ingest_run(source=source, full=full, municipalities=municipalities, force=force)
    except SourceNotConfigured as exc:
        log.info("Scheduled %s sync skipped: %s", source, exc)
        return None
    except SourceBusy as exc:
        log.warning("%s sync not started: %s", source, exc)
        return None
    return run.id
