"""Thin Celery tasks: call one service."""

from celery import shared_task

from dashboard.rollups import rollups_refresh


@shared_task
def refresh_rollups() -> dict:
    """Daily (beat, after the search log purge): rebuild the dashboard's weekly roll-ups."""
    return rollups_refresh()
