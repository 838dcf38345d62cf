import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts.access import ROLES
from accounts.services import UserError, user_upsert
from accounts.tokens import api_token_issue
from catalog.models import Region
from catalog.selectors import region_current


class Command(BaseCommand):
    help = (
        "Create or update a user with a role (idempotent). The password comes from TARMOA_USER_PASSWORD when set; "
        "otherwise a new user sets one through the password reset link. --token prints a new API token last."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--region", help="Region code (default: the instance's region)")
        parser.add_argument("--email")
        parser.add_argument(
            "--token",
            action="store_true",
            help="Print a new API token for the user as the last line (replaces the user's earlier tokens)",
        )

    def handle(self, *args, **options):
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                known = ", ".join(Region.objects.values_list("code", flat=True)) or "none (run setup_region)"
                raise CommandError(f"Unknown region {options['region']!r}; known: {known}")
        else:
            region = region_current()
            if region is None:
                raise CommandError("No region yet: run `python manage.py setup_region` first")
        email = options["email"]
        if email is not None:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"Not a valid email address: {email!r}") from None
        try:
            user, created = user_upsert(
                username=options["username"],
                role=options["role"],
                region=region,
                email=email,
                password=os.environ.get("TARMOA_USER_PASSWORD") or None,
            )
        except UserError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{'Created' if created else 'Updated'} user {user.username}: role {options['role']}, region {region.code}."
        )
        if options["token"]:
            # The token is shown only here; the database keeps its hash.
            self.stdout.write(api_token_issue(user=user))
