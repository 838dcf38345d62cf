from celery import shared_task

from guidance.services import referrals_purge


@shared_task
def purge_referrals() -> int:
    return referrals_purge()
