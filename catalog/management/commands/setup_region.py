from django.core.management.base import BaseCommand, CommandError

from catalog.services import region_setup


class Command(BaseCommand):
    help = "Create the region from settings (TARMOA_REGION_NAME, TARMOA_REGION_MUNICIPALITIES) or arguments."

    def add_arguments(self, parser):
        parser.add_argument("--name")
        parser.add_argument("--municipalities", help="Comma-separated municipality codes, e.g. 297,749")

    def handle(self, *args, **options):
        codes = None
        if options["municipalities"]:
            codes = [c.strip() for c in options["municipalities"].split(",") if c.strip()]
            bad = [c for c in codes if not c.isdigit() or len(c) > 3]
            if bad:
                raise CommandError(f"Municipality codes are 1-3 digits; not valid: {', '.join(bad)}")
            codes = [c.zfill(3) for c in codes]
        region = region_setup(name=options["name"], municipality_codes=codes)
        self.stdout.write(f"Region {region.name_fi}: {region.municipalities.count()} municipalities.")
