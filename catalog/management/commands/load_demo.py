from django.core.management.base import BaseCommand, CommandError

from catalog.search.indexing import services_index
from ingest.models import IngestRun
from ingest.ptv.client import PtvClientV11
from ingest.ptv.fake_server import FakePtvServer
from ingest.ptv.sync import ptv_sync


class Command(BaseCommand):
    help = "Load the demo region through the real PTV client and sync, from a local fake PTV server."

    def handle(self, *args, **options):
        from catalog.models import Concept, Region
        from catalog.services import codelists_load, region_setup

        if not Concept.objects.exists():
            codelists_load()
        if not Region.objects.exists():
            region_setup()
        with FakePtvServer() as server:
            run = ptv_sync(full=True, client=PtvClientV11(server.url, max_retries=1), index=False)
        if run.status != IngestRun.Status.SUCCEEDED:
            raise CommandError(f"Demo load failed: {run.error}")
        self.stdout.write(
            f"Demo region: {run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.skipped} out of scope, {run.failed} malformed."
        )
        result = services_index()
        self.stdout.write(
            f"Search index: {result.lexical} services, {result.embedded} embedded, {result.embeddings_reused} reused."
        )
