"""Sign-in with the region's identity provider (OIDC_ENABLED): who gets in, with which role."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from accounts.access import user_roles
from tarmoa.lib.oidc_config import parse_role_map

ROOT = Path(__file__).resolve().parents[2]
OIDC_ENV = {
    "OIDC_ENABLED": "1",
    "OIDC_RP_CLIENT_ID": "tarmoa",
    "OIDC_RP_CLIENT_SECRET": "secret-from-the-provider",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks",
    "OIDC_ROLE_MAP": "hyte-toimittajat=editor,sote=professional,johto=manager",
}


@pytest.fixture
def oidc_settings(settings):
    for name, value in OIDC_ENV.items():
        setattr(settings, name, value)
    settings.OIDC_ROLE_MAP = parse_role_map(OIDC_ENV["OIDC_ROLE_MAP"])
    return settings


def _backend():
    from accounts.oidc import TarmoaOIDCBackend

    return TarmoaOIDCBackend()


def test_role_map_is_validated():
    assert parse_role_map(" a=editor , b=admin ") == {"a": "editor", "b": "admin"}
    for bad in ("a", "a=boss", "=editor"):
        with pytest.raises(ValueError, match="OIDC_ROLE_MAP"):
            parse_role_map(bad)


@pytest.mark.django_db
def test_only_people_whose_groups_map_to_a_role_get_in(oidc_settings, demo_catalog):
    backend = _backend()
    assert not backend.verify_claims({"preferred_username": "liisa", "groups": ["kirjasto"]})
    assert not backend.verify_claims({"groups": ["sote"]})  # no username
    assert backend.verify_claims({"preferred_username": "liisa", "groups": ["kirjasto", "sote"]})


@pytest.mark.django_db
def test_first_sign_in_creates_the_user_with_the_highest_role_and_later_ones_follow_the_provider(
    oidc_settings, demo_catalog
):
    backend = _backend()
    claims = {"preferred_username": "liisa.l", "email": "liisa@example.fi", "groups": ["sote", "hyte-toimittajat"]}
    user = backend.create_user(claims)
    assert user.username == "liisa.l" and user.email == "liisa@example.fi"
    assert user_roles(User.objects.get(pk=user.pk)) == {"editor", "professional"}
    assert user.tarmoa_profile.region is not None and not user.is_staff
    assert list(backend.filter_users_by_claims(claims)) == [user]

    user = backend.update_user(user, {**claims, "groups": ["johto"]})
    assert user_roles(User.objects.get(pk=user.pk)) == {"manager"}


def test_enabled_without_its_settings_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    env.update({"OIDC_ENABLED": "1", "OIDC_RP_CLIENT_ID": "tarmoa", "DJANGO_SETTINGS_MODULE": "tarmoa.settings"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "OIDC_ENABLED=1 needs" in result.stderr and "OIDC_OP_TOKEN_ENDPOINT" in result.stderr


def test_enabled_login_page_offers_the_identity_provider():
    env = {**os.environ, **OIDC_ENV, "DJANGO_SETTINGS_MODULE": "tarmoa.settings"}
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.urls import reverse\n"
        "print(reverse('oidc_authentication_init'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/oidc/authenticate/"
