from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo region (arrives with the PTV ingest)."

    def handle(self, *args, **options):
        self.stdout.write("The demo region is empty until the PTV ingest lands.")
