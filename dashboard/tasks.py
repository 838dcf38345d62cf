"""Thin Celery tasks: call the services."""

from celery import shared_task

from dashboard.rollups import rollups_refresh
from dashboard.stats import stats_warm


@shared_task
def refresh_rollups() -> dict:
    """Daily (beat, after the search log purge): rebuild the dashboard's weekly roll-ups, warm the cache."""
    counts = rollups_refresh()
    stats_warm()
    return counts
