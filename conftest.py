"""Named personas shared by every app's tests: resident, professional, manager and admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture
def resident(client):
    """Residents use Tarmoa anonymously."""
    return client


def _user(username: str, *, group: str | None = None, staff: bool = False, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, is_staff=staff, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def professional(db) -> User:
    return _user("ammattilainen", group="professionals", staff=True)


@pytest.fixture
def manager(db) -> User:
    return _user("johtaja", group="managers")


@pytest.fixture
def admin_user(db) -> User:
    return _user("yllapitaja", staff=True, superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
