"""Celery application. Tasks live in each app's tasks.py and stay thin."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tarmoa.settings")

app = Celery("tarmoa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "search-log-purge-daily": {
        "task": "catalog.tasks.purge_search_log",
        "schedule": crontab(hour=3, minute=45),
    },
    "error-report-purge-daily": {
        "task": "catalog.tasks.purge_error_reports",
        "schedule": crontab(hour=3, minute=50),
    },
    "dashboard-rollups-daily": {  # after the purge above, so purged lines leave the roll-ups too
        "task": "dashboard.tasks.refresh_rollups",
        "schedule": crontab(hour=4, minute=0),
    },
    "ptv-incremental-daily": {
        "task": "ingest.tasks.run_ingest",
        "schedule": crontab(hour=3, minute=15),
        "kwargs": {"source": "ptv", "full": False},
    },
    "linkedevents-incremental-hourly": {
        "task": "ingest.tasks.run_ingest",
        "schedule": crontab(minute=40),
        "kwargs": {"source": "linkedevents", "full": False},
    },
    "lahella-daily": {
        "task": "ingest.tasks.run_ingest",
        "schedule": crontab(hour=4, minute=10),
        "kwargs": {"source": "lahella", "full": True},
    },
    "sotkanet-weekly": {
        "task": "ingest.tasks.run_ingest",
        "schedule": crontab(hour=4, minute=40, day_of_week="monday"),
        "kwargs": {"source": "sotkanet", "full": True},
    },
    "referral-purge-daily": {
        "task": "guidance.tasks.purge_referrals",
        "schedule": crontab(hour=1, minute=30),
    },
    "link-check-weekly": {
        "task": "catalog.tasks.check_links",
        "schedule": crontab(hour=5, minute=30, day_of_week="monday"),
    },
    "ptv-full-weekly": {
        "task": "ingest.tasks.run_ingest",
        "schedule": crontab(hour=2, minute=0, day_of_week="sunday"),
        "kwargs": {"source": "ptv", "full": True},
    },
}


@worker_init.connect
def _redis_required(**kwargs) -> None:
    """A worker without Redis refuses to start when REDIS_REQUIRED is on (see tarmoa.lib.resilient_cache)."""
    from tarmoa.lib.resilient_cache import redis_startup_check

    redis_startup_check()
