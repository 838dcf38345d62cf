"""Sign-in with the region's identity provider (OpenID Connect), off unless OIDC_ENABLED=1.

mozilla-django-oidc runs the protocol; this backend only decides who the person is in
Tarmoa: the username from a claim (`OIDC_USERNAME_CLAIM`, default `preferred_username`),
the role from the provider's groups (`OIDC_ROLE_CLAIM`, default `groups`, mapped by
`OIDC_ROLE_MAP`, e.g. `hyte-editors=editor,hyte-johto=manager`). Someone whose groups map to
no Tarmoa role is refused (no account is made for them); the role is brought up to date
at each sign-in, so removing the group at the provider removes the role here.
"""

from __future__ import annotations

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.services import user_upsert
from catalog.selectors import region_current
from tarmoa.lib.oidc_config import ROLE_PRIORITY


def role_from_claims(claims: dict) -> str | None:
    groups = claims.get(settings.OIDC_ROLE_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    roles = {settings.OIDC_ROLE_MAP[g] for g in groups if isinstance(g, str) and g in settings.OIDC_ROLE_MAP}
    return next((role for role in ROLE_PRIORITY if role in roles), None)


def _username(claims: dict) -> str:
    value = claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("sub") or ""
    return str(value).strip()[:150]


class TarmoaOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims) -> bool:
        return bool(_username(claims)) and role_from_claims(claims) is not None

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=_username(claims))

    def create_user(self, claims):
        user, _ = user_upsert(
            username=_username(claims),
            role=role_from_claims(claims),
            region=region_current(),
            email=str(claims.get("email") or "")[:254],
        )
        return user

    def update_user(self, user, claims):
        region = getattr(getattr(user, "tarmoa_profile", None), "region", None) or region_current()
        user, _ = user_upsert(username=user.username, role=role_from_claims(claims), region=region)
        return user
