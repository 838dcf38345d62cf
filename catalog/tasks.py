"""Thin Celery tasks: take ids, call one service."""

from celery import shared_task

from catalog.privacy import error_report_purge, search_log_purge
from catalog.search.indexing import services_embed


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def embed_services(*, service_ids: list[int]) -> int:
    embedded, _reused = services_embed(service_ids=service_ids)
    return embedded


@shared_task
def purge_search_log() -> int:
    """Daily (beat): delete search log lines past SEARCH_LOG_RETENTION_DAYS."""
    return search_log_purge()


@shared_task
def purge_error_reports() -> int:
    """Daily (beat): delete residents' error reports past ERROR_REPORT_RETENTION_DAYS."""
    return error_report_purge()


@shared_task(soft_time_limit=1800, time_limit=1900)
def check_links() -> dict:
    from catalog.links import links_check

    return links_check()
