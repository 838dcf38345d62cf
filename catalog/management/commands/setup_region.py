import re

from django.core.management.base import BaseCommand, CommandError

from catalog.services import region_setup


class Command(BaseCommand):
    help = (
        "Create or update the region from arguments, or from settings (TARMOA_REGION_CODE, TARMOA_REGION_NAME, "
        "TARMOA_REGION_MUNICIPALITIES) for what is left out. Settings only seed it: the row is the truth afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", help="Short slug of the region, e.g. pohjois-savo")
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
        code = options["code"]
        if code is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code):
            raise CommandError(f"--code must be a short lower-case slug like pohjois-savo; got {code!r}")
        region = region_setup(code=code, name=options["name"], municipality_codes=codes)
        self.stdout.write(f"Region {region.code} ({region.name_fi}): {region.municipalities.count()} municipalities.")
