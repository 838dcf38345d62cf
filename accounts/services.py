"""Writes about users: create or update one with a role and a region."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts.access import ROLES
from accounts.models import Profile
from catalog.models import Region


class UserError(ValueError):
    pass


def user_upsert(
    *, username: str, role: str, region: Region | None, email: str | None = None, password: str | None = None
) -> tuple[User, bool]:
    """Create or update a user with exactly this one Tarmoa role; returns (user, created).

    Idempotent: running it again with the same arguments changes nothing. A password, when
    given, must pass the project's password validators; without one a new user gets an
    unusable password (they set one through the reset link). Staff status is never set:
    no role needs the Django admin except `admin`, which gets it.
    """
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    username = username.strip()
    if not username or len(username) > 150:
        raise UserError("username must be 1-150 characters")
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        if password is not None:
            try:
                validate_password(password, user)
            except Exception as exc:  # ValidationError: a list of reasons
                raise UserError("password refused: " + " ".join(getattr(exc, "messages", [str(exc)]))) from None
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        if email is not None:
            user.email = email.strip()
        user.is_staff = role == "admin"
        user.save()
        user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
        user.groups.add(Group.objects.get(name=role))
        Profile.objects.update_or_create(user=user, defaults={"region": region})
    return user, created
