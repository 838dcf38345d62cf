from django.conf import settings
from django.core.management.base import BaseCommand

from guidance.services import referrals_purge


class Command(BaseCommand):
    help = "Erase client contact data and notes of referrals closed or untouched for REFERRAL_RETENTION_DAYS."

    def handle(self, *args, **options):
        count = referrals_purge()
        self.stdout.write(
            f"Purged client data of {count} referral(s) (retention {settings.REFERRAL_RETENTION_DAYS} days)."
        )
