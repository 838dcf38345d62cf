from django.core.management.base import BaseCommand, CommandError

from catalog.search.indexing import services_index
from ingest.demo import DemoLoadFailed, demo_events_load, demo_indicators_load, demo_services_load


class Command(BaseCommand):
    help = "Load the demo region through the real PTV client and sync, from a local fake PTV server."

    def handle(self, *args, **options):
        try:
            run = demo_services_load()
        except DemoLoadFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Demo region: {run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.skipped} out of scope, {run.failed} malformed."
        )
        for line in demo_events_load():
            self.stdout.write(line)
        self.stdout.write(demo_indicators_load())
        result = services_index()
        self.stdout.write(
            f"Search index: {result.lexical} services, {result.embedded} embedded, {result.embeddings_reused} reused."
        )
