from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.services import CODELIST_DIR, CodelistError, codelists_load


class Command(BaseCommand):
    help = "Load PTV code lists (service classes, target groups, life events) from Finto JSON files."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=CODELIST_DIR, help="Folder with the Finto_*.json files")

    def handle(self, *args, **options):
        try:
            result = codelists_load(directory=options["path"])
        except CodelistError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Code lists loaded: {result.created} created, {result.updated} updated, {result.skipped} skipped (no URI)."
        )
