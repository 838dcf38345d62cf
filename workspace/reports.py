"""The editors' queue of residents' error reports: follow up, and forward to the upstream owner."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import EDITOR, get_service_for_user, role_required, user_region
from catalog.models import ErrorReport
from catalog.selectors import service_upstream_owner
from catalog.services import ForwardError, error_report_forward, error_report_set_status
from workspace.forms import ReportFilterForm, ReportForwardForm, ReportStatusForm
from workspace.listing import list_page
from workspace.selectors import region_services


def _report_for_user(user, report_id: int) -> ErrorReport:
    """The report if it is about a service of the editor's region; 404 otherwise."""
    report = ErrorReport.objects.select_related("service").filter(pk=report_id).first()
    if report is None:
        raise Http404
    get_service_for_user(user, report.service_id, EDITOR)
    return report


@role_required(EDITOR)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    region = user_region(request.user)
    reports = ErrorReport.objects.none()
    if region is not None:
        reports = ErrorReport.objects.filter(service__in=region_services(region=region)).select_related("service")
        if data.get("status"):
            reports = reports.filter(status=data["status"])
    return list_page(request, "workspace/reports.html", form, reports.order_by("-created", "-id"))


@role_required(EDITOR)
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_for_user(request.user, report_id)
    return _detail(request, report)


def _detail(request: HttpRequest, report: ErrorReport, forward_form: ReportForwardForm | None = None) -> HttpResponse:
    owner = service_upstream_owner(service=report.service)
    return render(
        request,
        "workspace/report.html",
        {
            "report": report,
            "owner": owner["name"],
            "contact": owner["email"],
            "contact_origin": owner["origin"],
            "form": ReportStatusForm(initial={"status": report.status}),
            "forward_form": forward_form or ReportForwardForm(initial={"to": owner["email"]}, auto_id="id_forward_%s"),
        },
        status=400 if forward_form is not None else 200,
    )


@role_required(EDITOR)
@require_POST
def report_update(request: HttpRequest, report_id: int) -> HttpResponse:
    """Change the status, or forward the report by email to the service's upstream owner."""
    report = _report_for_user(request.user, report_id)
    if request.POST.get("action") == "forward":
        # The owner's address from the source unless the editor wrote another one.
        contact = service_upstream_owner(service=report.service)["email"]
        form = ReportForwardForm(request.POST or None, auto_id="id_forward_%s")
        if "to" in request.POST and request.POST["to"].strip():
            if not form.is_valid():
                return _detail(request, report, form)
            contact = form.cleaned_data["to"]
        service_url = request.build_absolute_uri(reverse("front:service", args=[report.service_id]))
        try:
            error_report_forward(report=report, to=contact, service_url=service_url)
        except ForwardError:
            messages.error(request, _("Palvelulle ei ole sähköpostiosoitetta lähteessä: ilmoitusta ei välitetty."))
        else:
            messages.success(request, _("Ilmoitus välitettiin osoitteeseen %(to)s.") % {"to": contact})
    else:
        form = ReportStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Valitse tila listasta."))
            return redirect("workspace:report", report_id=report.id)
        error_report_set_status(report=report, status=form.cleaned_data["status"])
        messages.success(request, _("Tila tallennettu."))
    return redirect("workspace:report", report_id=report.id)
