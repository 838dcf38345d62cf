"""One access module: roles, the user's region, and checks that return the object or raise.

Roles are Django groups created by a migration (accounts/migrations/0002_roles.py):
- `professional` uses the offering in service guidance (internal notes, shortlists, referrals);
- `editor` curates the region's offering (and may do what a professional does);
- `manager` reads the leadership dashboard (statistics only; guidance needs the professional role too);
- `admin` manages users, syncs and scope (and may do everything). A superuser is an admin.
Staff status is not a role: it only opens the Django admin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from catalog.models import Region, Service
from catalog.selectors import region_current

PROFESSIONAL, EDITOR, MANAGER, ADMIN = "professional", "editor", "manager", "admin"
ROLES = (PROFESSIONAL, EDITOR, MANAGER, ADMIN)
# What each role may do besides its own name.
IMPLIED = {ADMIN: set(ROLES), EDITOR: {EDITOR, PROFESSIONAL}}


def user_roles(user) -> set[str]:
    """Every role the user has, implied ones included; empty for anonymous or inactive users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(ROLES)
    cached = getattr(user, "_tarmoa_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        cached = set().union(*(IMPLIED.get(name, {name}) for name in names)) if names else set()
        user._tarmoa_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """Whether the user has any of `roles` (directly or implied by a higher one)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    return bool(user_roles(user) & set(roles))


def require_role(user, *roles: str) -> None:
    """Raise PermissionDenied (403) unless the user has one of `roles`."""
    if not has_role(user, *roles):
        raise PermissionDenied


def role_required(*roles: str) -> Callable:
    """View decorator: anonymous users go to the login page, signed-in users without the role get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def user_region(user) -> Region | None:
    """The region the user works for: their profile's, else the instance's own region."""
    profile = getattr(user, "tarmoa_profile", None) if getattr(user, "is_authenticated", False) else None
    if profile is not None and profile.region_id:
        return profile.region
    return region_current()


def get_service_for_user(user, service_id: int, *roles: str) -> Service:
    """The service if the user has one of `roles` and it belongs to the user's region, else 403/404.

    A service belongs to a region when it is nationwide or serves one of its municipalities.
    """
    require_role(user, *roles)
    region = user_region(user)
    service = Service.objects.filter(pk=service_id).first()
    if service is None or region is None:
        raise Http404
    nationwide = service.area_type in {Service.AreaType.NATIONWIDE, Service.AreaType.NATIONWIDE_EXCEPT_ALAND}
    if not nationwide and not service.municipalities.filter(region=region).exists():
        raise Http404
    return service
