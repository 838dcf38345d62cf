"""Thin Celery task: index changed events for search."""

from celery import shared_task

from events.indexing import events_index


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def index_events(*, event_ids: list[int]) -> int:
    return events_index(event_ids=event_ids)
