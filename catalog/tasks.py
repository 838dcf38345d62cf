"""Thin Celery tasks: take ids, call one service."""

from celery import shared_task

from catalog.privacy import search_log_purge
from catalog.search.indexing import services_embed


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def embed_services(*, service_ids: list[int]) -> int:
    embedded, _reused = services_embed(service_ids=service_ids)
    return embedded


@shared_task
def purge_search_log() -> int:
    """Daily (beat): delete search log lines past SEARCH_LOG_RETENTION_DAYS."""
    return search_log_purge()
