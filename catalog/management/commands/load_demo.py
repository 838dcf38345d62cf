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
        for line in load_demo_events():
            self.stdout.write(line)
        result = services_index()
        self.stdout.write(
            f"Search index: {result.lexical} services, {result.embedded} embedded, {result.embeddings_reused} reused."
        )


def load_demo_events() -> list[str]:
    """Demo events from the recorded Linked Events and Lähellä.fi fixtures, moved to the coming weeks."""
    from ingest.lahella.client import LahellaClient
    from ingest.lahella.fake_server import PREFIX as LAHELLA_PREFIX
    from ingest.lahella.fake_server import FakeLahella
    from ingest.lahella.sync import lahella_sync
    from ingest.linkedevents.client import LinkedEventsClient
    from ingest.linkedevents.fake_server import PREFIX as LE_PREFIX
    from ingest.linkedevents.fake_server import FakeLinkedEvents
    from ingest.linkedevents.sync import linkedevents_sync

    lines = []
    with FakePtvServer(FakeLinkedEvents(rebase=True), prefix=LE_PREFIX) as server:
        run = linkedevents_sync(full=True, force=True, client=LinkedEventsClient(server.url, max_retries=1))
        lines.append(f"Demo events (Linked Events): {run.created} created, {run.unchanged} unchanged, {run.status}.")
    fake = FakeLahella(rebase=True)
    with FakePtvServer(fake, prefix=LAHELLA_PREFIX) as server:
        run = lahella_sync(force=True, client=LahellaClient(server.url, token=fake.token, max_retries=1))
        lines.append(f"Demo activities (Lähellä.fi): {run.created} created, {run.unchanged} unchanged, {run.status}.")
    return lines
