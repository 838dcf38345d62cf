from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import EDITOR, get_service_for_user, role_required, user_region, user_roles
from audit.services import audit_record
from catalog.models import ServiceCuration, Source
from catalog.scope import ScopeError
from catalog.services import service_curation_update
from workspace.forms import CurationForm, LocalServiceForm, ServiceFilterForm
from workspace.listing import list_page
from workspace.selectors import STALE_AFTER_DAYS, region_follow_up, region_services


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


@role_required(EDITOR)
@require_GET
def services(request: HttpRequest) -> HttpResponse:
    """The region's services for curation, filterable by name and curation state."""
    form = ServiceFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    region = user_region(request.user)
    rows = region_services(region=region, name=data.get("q", ""), state=data.get("state", "")) if region else []
    return list_page(request, "workspace/services.html", form, rows)


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def curation(request: HttpRequest, service_id: int) -> HttpResponse:
    """What the region says about one service; saving re-indexes it (search sees it at once)."""
    service = get_service_for_user(request.user, service_id, EDITOR)
    current = ServiceCuration.objects.filter(service=service).first()
    has_scope = service.source == Source.PTV
    if request.method == "POST":
        form = CurationForm(request.POST, scope=has_scope)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service_curation_update(
                    service=service,
                    hidden=data["hidden"],
                    hidden_reason=data["hidden_reason"] if data["hidden"] else "",
                    featured=data["featured"],
                    extra_themes=list(data["extra_themes"]),
                    note=data["note"],
                    summaries={lang: data[f"summary_{lang}"] for lang in ("fi", "sv", "en")},
                    summary_selko=data["summary_selko"],
                    scope_override=data["scope_override"] if has_scope else None,
                    scope_reason=data["scope_reason"] if has_scope else None,
                    actor=request.user,
                )
            except ScopeError:
                form.add_error(
                    "extra_themes",
                    _(
                        "Palvelun luokka ei kuulu mihinkään teemaan: valitse vähintään yksi lisäteema, jotta sen voi ottaa mukaan."
                    ),
                )
            else:
                detail = {
                    "hidden": data["hidden"],
                    "featured": data["featured"],
                    "extra_themes": sorted(t.slug for t in data["extra_themes"]),
                    "changed": sorted(form.changed_data),
                }
                if has_scope:
                    detail["scope_override"] = data["scope_override"]
                audit_record(request.user, "curation", f"service:{service.id}", detail)
                messages.success(request, _("Muutokset tallennettu. Haku näyttää ne heti."))
                return redirect("workspace:curation", service_id=service.id)
    else:
        initial = {}
        if current is not None:
            initial = {
                name: getattr(current, name)
                for name in (
                    "hidden",
                    "hidden_reason",
                    "featured",
                    "note",
                    "summary_fi",
                    "summary_sv",
                    "summary_en",
                    "summary_selko",
                    "scope_override",
                    "scope_reason",
                )
            }
            initial["extra_themes"] = list(current.extra_themes.all())
        form = CurationForm(initial=initial, scope=has_scope)
    return render(
        request,
        "workspace/curation.html",
        {"service": service, "form": form, "source_themes": list(service.themes.order_by("order"))},
        status=400 if form.errors else 200,
    )


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("kyllä") if value else _("ei")
    return "–" if value in (None, "") else str(value)


def _field_label(model, name: str) -> str:
    """The label editors saw on the form for the field (the model's own name otherwise)."""
    for form_class in (CurationForm, LocalServiceForm):
        field = form_class.base_fields.get(name)
        if field is not None and field.label:
            return str(field.label)
    return str(model._meta.get_field(name).verbose_name)


def _history_rows(records, model) -> list[dict]:
    """Each historical record with who, when and what changed (field label: old → new)."""
    rows = []
    for record in records:
        changes = []
        previous = record.prev_record
        if previous is not None:
            for change in record.diff_against(previous).changes:
                label = _field_label(model, change.field)
                old, new = change.old, change.new
                if isinstance(old, list) or isinstance(new, list):  # many-to-many: the linked ids
                    old, new = len(old or []), len(new or [])
                changes.append({"label": label, "old": _shown(old), "new": _shown(new)})
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user.get_username() if record.history_user else _("järjestelmä"),
                "kind": {"+": _("Luotu"), "~": _("Muutettu"), "-": _("Poistettu")}[record.history_type],
                "what": model._meta.verbose_name,
                "changes": changes,
            }
        )
    return rows


@role_required(EDITOR)
@require_GET
def history(request: HttpRequest, service_id: int) -> HttpResponse:
    """Who changed what and when: the region's curation of the service, and a local service's own fields."""
    service = get_service_for_user(request.user, service_id, EDITOR)
    curation_records = ServiceCuration.history.filter(service_id=service.id).select_related("history_user")
    rows = _history_rows(curation_records.order_by("-history_date")[:200], ServiceCuration)
    if service.source == "local":
        service_records = service.history.select_related("history_user").order_by("-history_date")[:200]
        rows += _history_rows(service_records, type(service))
    rows.sort(key=lambda row: row["when"], reverse=True)
    return render(request, "workspace/history.html", {"service": service, "rows": rows})


@role_required(EDITOR)
@require_GET
def follow_up(request: HttpRequest) -> HttpResponse:
    """Services to follow up: stale at the source, without channels, with broken links."""
    region = user_region(request.user)
    context = region_follow_up(region=region) if region else {}
    return render(request, "workspace/follow_up.html", {**context, "stale_days": STALE_AFTER_DAYS})
