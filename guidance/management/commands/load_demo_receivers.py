from django.core.management.base import BaseCommand, CommandError

from catalog.selectors import region_current
from guidance.models import Referral, ReferralReceiver

DEMO = {
    Referral.Kind.LIIKUNTA: ("Liikuntaneuvonta (demo)", "liikuntaneuvonta@example.fi"),
    Referral.Kind.KULTTUURI: ("Kulttuurikoordinaattori (demo)", "kulttuuri@example.fi"),
    Referral.Kind.HYVINVOINTI: ("Hyvinvointikoordinaattori (demo)", "hyvinvointi@example.fi"),
}


class Command(BaseCommand):
    help = "Region-wide demo receivers of each referral kind (example.fi addresses), where none is configured."

    def handle(self, *args, **options):
        region = region_current()
        if region is None:
            raise CommandError("No region yet: run `python manage.py setup_region` first")
        created = 0
        for kind, (name, email) in DEMO.items():
            _, made = ReferralReceiver.objects.get_or_create(
                region=region, kind=kind, municipality=None, defaults={"name": name, "email": email}
            )
            created += made
        self.stdout.write(f"Referral receivers: {created} demo receiver(s) added.")
