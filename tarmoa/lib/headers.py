"""Response headers Django has no setting for."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: the Permissions-Policy header from settings.PERMISSIONS_POLICY (browser features the site may use)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response

    return middleware
