"""Thin Celery tasks for the sync jobs (scheduled by beat in tarmoa/celery.py)."""

import logging

from celery import shared_task

from ingest.base import SourceNotConfigured
from ingest.services import ingest_run

log = logging.getLogger(__name__)


@shared_task
def run_ingest(
    *, source: str, full: bool = False, municipalities: list[str] | None = None, force: bool = False
) -> int | None:
    try:
        run = ingest_run(source=source, full=full, municipalities=municipalities, force=force)
    except SourceNotConfigured as exc:
        log.info("Scheduled %s sync skipped: %s", source, exc)
        return None
    return run.id
