"""Two-factor authentication required for editors, managers and admins (TARMOA_REQUIRE_2FA)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from accounts.access import ADMIN, EDITOR, MANAGER, user_roles

# Pages a signed-in but not yet verified user may open: the 2FA page itself, logout, language.
_OPEN_URL_NAMES = {"two_factor", "logout", "set_language", "healthz"}


def needs_two_factor(user) -> bool:
    """Editors, managers and admins (and staff, who open the Django admin) sign in with a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user_roles(user) & {EDITOR, MANAGER, ADMIN})


def _open(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        return resolve(request.path_info).url_name in _OPEN_URL_NAMES
    except Resolver404:
        return False


def two_factor_required(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware (after django-otp's): send an unverified editor, manager or admin to the 2FA page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if settings.TARMOA_REQUIRE_2FA and needs_two_factor(user) and not user.is_verified() and not _open(request):
            return HttpResponseRedirect(reverse("two_factor") + "?" + urlencode({"next": request.get_full_path()}))
        return get_response(request)

    return middleware
