"""Editors add and change local services (activities PTV does not have), and archive them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import EDITOR, get_service_for_user, role_required, user_region
from catalog.local import local_service_archive, local_service_save
from catalog.models import Source
from workspace.forms import LocalServiceForm


def _local_service(request: HttpRequest, service_id: int):
    service = get_service_for_user(request.user, service_id, EDITOR)
    if service.source != Source.LOCAL:
        raise Http404
    return service


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def local_service_edit(request: HttpRequest, service_id: int | None = None) -> HttpResponse:
    """A new local service (no id) or a change to one; saving indexes it (search sees it at once)."""
    service = _local_service(request, service_id) if service_id else None
    region = user_region(request.user)
    if request.method == "POST":
        form = LocalServiceForm(request.POST, region=region)
        if form.is_valid():
            service = local_service_save(service=service, change=form.change(), region=region, actor=request.user)
            messages.success(request, _("Palvelu tallennettu. Haku näyttää sen heti."))
            return redirect("workspace:local_edit", service_id=service.id)
    else:
        initial = LocalServiceForm.initial_for(service) if service else {"languages": ["fi"]}
        form = LocalServiceForm(initial=initial, region=region)
    return render(
        request,
        "workspace/local_service.html",
        {"service": service, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(EDITOR)
@require_POST
def local_service_archive_view(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _local_service(request, service_id)
    local_service_archive(service=service, actor=request.user)
    messages.success(request, _("Palvelu arkistoitu: se ei enää näy asukkaille."))
    return redirect("workspace:local_edit", service_id=service.id)
