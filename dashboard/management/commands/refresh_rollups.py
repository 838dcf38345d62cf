from django.core.management.base import BaseCommand

from dashboard.rollups import rollups_refresh


class Command(BaseCommand):
    help = "Rebuild the dashboard's weekly roll-ups of the search log and the survey (the daily job does the same)."

    def handle(self, *args, **options) -> None:
        counts = rollups_refresh()
        self.stdout.write(
            f"Roll-ups through {counts['through']}: {counts['search_weeks']} search rows, "
            f"{counts['unmet_weeks']} unmet-need rows, {counts['survey_weeks']} survey rows."
        )
