from django.core.management.base import BaseCommand, CommandError

from ingest.base import SourceBusy, SourceNotConfigured
from ingest.models import IngestRun
from ingest.services import ingest_run
from ingest.sotkanet.sync import SOURCE


class Command(BaseCommand):
    help = (
        "Sync THL Sotkanet population indicators (the ones followed in the admin) for the region's "
        "municipalities, its county and the whole country; off until SOTKANET_URL is set. "
        "The same as `python manage.py ingest sotkanet`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", help="Read from this API base instead of SOTKANET_URL")

    def handle(self, *args, **options):
        try:
            run = ingest_run(source=SOURCE, full=True, base_url=options["base_url"])
        except (SourceNotConfigured, SourceBusy) as exc:
            raise CommandError(str(exc)) from exc
        summary = (
            f"sotkanet: {run.get_status_display()} – fetched {run.fetched}, created {run.created}, "
            f"updated {run.updated}, unchanged {run.unchanged}, skipped {run.skipped}"
        )
        if run.status == IngestRun.Status.FAILED:
            raise CommandError(f"{summary}\n{run.error}")
        self.stdout.write(summary)
