"""Thin Celery tasks for the sync jobs (scheduled by beat in tarmoa/celery.py)."""

from celery import shared_task

from ingest.services import ingest_run


@shared_task
def run_ingest(*, source: str, full: bool = False, municipalities: list[str] | None = None, force: bool = False) -> int:
    run = ingest_run(source=source, full=full, municipalities=municipalities, force=force)
    return run.id
