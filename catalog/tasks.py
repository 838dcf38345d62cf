"""Thin Celery tasks: take ids, call one service."""

from celery import shared_task

from catalog.search.indexing import services_embed


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def embed_services(*, service_ids: list[int]) -> int:
    embedded, _reused = services_embed(service_ids=service_ids)
    return embedded
