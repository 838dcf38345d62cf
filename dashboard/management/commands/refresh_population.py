from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Municipality
from dashboard.population import (
    STATFIN_URL,
    PopulationError,
    population_fetch,
    population_file_read,
    population_store,
)


class Command(BaseCommand):
    help = (
        "Refresh municipal populations (per 10,000 residents on the dashboard) from Statistics Finland's "
        "PxWeb table 11ra (JSON-stat 2.0), or from a local file: .json (JSON-stat 2.0) or the shipped CSV "
        "format. Bad data changes nothing and exits non-zero."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", help="a local file instead of the API (.json = JSON-stat 2.0, else CSV)")
        parser.add_argument("--url", default=STATFIN_URL, help="the PxWeb table address (default: table 11ra)")

    def handle(self, *args, file: str | None = None, url: str = STATFIN_URL, **options) -> None:
        try:
            if file:
                rows = population_file_read(Path(file))
            else:
                codes = sorted(Municipality.objects.exclude(region=None).values_list("code", flat=True))
                if not codes:
                    raise CommandError("No municipality belongs to a region yet (run setup_region first).")
                rows = population_fetch(url=url, codes=codes)
            stored = population_store(rows=rows)
        except PopulationError as exc:
            raise CommandError(f"Population data refused, nothing changed: {exc}") from None
        dates = sorted({row.reference_date.isoformat() for row in rows})
        missing = [row.name for row in rows if row.residents is None]
        self.stdout.write(f"Stored the population of {stored} municipalities (reference date {', '.join(dates)}).")
        if missing:
            self.stdout.write(f"No figure for: {', '.join(missing)}.")
