"""Bearer tokens for the integration API (`Authorization: Bearer <token>`) and role checks for API views."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from accounts.access import ROLES, has_role
from accounts.models import ApiToken

TOKEN_PREFIX = "tarmoa_"  # noqa: S105 (a marker that makes leaked tokens easy to grep, not a secret)
_LAST_USED_STEP = timedelta(minutes=5)  # last_used is written at most this often per token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def api_token_issue(*, user) -> str:
    """A new token for `user`, replacing the user's earlier ones (rotation); returned once, stored hashed."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.filter(user=user).delete()
        ApiToken.objects.create(user=user, digest=_digest(token), prefix=token[:12])
    return token


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; no header means anonymous (the view's permissions then answer 401)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <token>'")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("invalid token") from None
        if len(token) > 200:
            raise exceptions.AuthenticationFailed("invalid token")
        row = ApiToken.objects.select_related("user").filter(digest=_digest(token)).first()
        if row is None or not row.user.is_active:
            raise exceptions.AuthenticationFailed("invalid or revoked token")
        now = timezone.now()
        if row.last_used is None or now - row.last_used > _LAST_USED_STEP:
            ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        return row.user, row

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 to anonymous callers.
        return f'{self.keyword} realm="api"'


def role_permission(*roles: str) -> type[BasePermission]:
    """A DRF permission class: authenticated (else 401) and holding one of `roles` (else 403)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")

    class HasRole(BasePermission):
        message = f"This needs the role {' or '.join(roles)}."

        def has_permission(self, request, view) -> bool:
            if not (request.user and request.user.is_authenticated):
                raise exceptions.NotAuthenticated("Authentication needed: send 'Authorization: Bearer <token>'.")
            return has_role(request.user, *roles)

    HasRole.__name__ = "Has" + "Or".join(r.capitalize() for r in roles)
    return HasRole


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How drf-spectacular documents BearerTokenAuthentication in /api/v1/openapi.json."""

    target_class = "accounts.tokens.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `python manage.py create_user NAME --role ROLE --token`.",
        }
