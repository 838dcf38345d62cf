from django.core.management.base import BaseCommand

from dashboard.rollups import rollups_refresh
from dashboard.stats import stats_warm


class Command(BaseCommand):
    help = "Rebuild the dashboard's weekly roll-ups of the search log and the survey (the daily job does the same)."

    def handle(self, *args, **options) -> None:
        counts = rollups_refresh()
        views = stats_warm()
        self.stdout.write(
            f"Roll-ups through {counts['through']}: {counts['search_weeks']} search rows, "
            f"{counts['unmet_weeks']} unmet-need rows, {counts['survey_weeks']} survey rows; {views} default views cached."
        )
