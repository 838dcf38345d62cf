from django.core.management.base import BaseCommand

from catalog.privacy import search_log_purge


class Command(BaseCommand):
    help = "Delete search log lines older than SEARCH_LOG_RETENTION_DAYS (the daily job does the same)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, help="keep this many days instead of the setting")

    def handle(self, *args, days: int | None = None, **options) -> None:
        if days is not None and days < 1:
            from django.core.management.base import CommandError

            raise CommandError("--days must be at least 1")
        deleted = search_log_purge(days=days)
        self.stdout.write(f"Deleted {deleted} search log lines.")
