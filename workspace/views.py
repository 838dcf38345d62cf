from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import user_region, user_roles


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The workspace home: the tasks the signed-in user's roles open. No role, nothing to do here (but say so)."""
    roles = user_roles(request.user)
    return render(
        request,
        "workspace/home.html",
        {"roles": roles, "region": user_region(request.user), "is_staff": request.user.is_staff},
    )
