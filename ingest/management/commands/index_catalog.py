from django.core.management.base import BaseCommand

from catalog.search.indexing import services_index
from events.indexing import events_index


class Command(BaseCommand):
    help = "Build the full-text index and any missing embeddings of the services and events, synchronously."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Re-embed every service, not only changed text")

    def handle(self, *args, **options):
        result = services_index(rebuild=options["rebuild"])
        self.stdout.write(
            f"Indexed {result.lexical} services; embedded {result.embedded}, reused {result.embeddings_reused} vectors."
        )
        self.stdout.write(f"Indexed events; embedded {events_index()}.")
