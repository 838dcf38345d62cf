from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.privacy import error_report_purge


class Command(BaseCommand):
    help = "Delete residents' error reports older than ERROR_REPORT_RETENTION_DAYS (the daily job does the same)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, help="keep this many days instead of the setting")

    def handle(self, *args, days: int | None = None, **options) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        deleted = error_report_purge(days=days)
        kept = settings.ERROR_REPORT_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Deleted {deleted} error report(s) (retention {kept} days).")
