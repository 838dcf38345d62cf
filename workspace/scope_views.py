"""The scope page: which PTV service classes each theme takes in (issue #12, #18).

Editors and admins see it; only admins change a theme's classes. A change is previewed
first with the number of services it moves (counted from the stored rows, catalog.scope),
then applied at once on confirmation and recorded in the theme's history and the audit log.
Single services are included or excluded on their curation page (editors).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import ADMIN, EDITOR, has_role, role_required
from audit.services import audit_record
from catalog.models import Theme
from catalog.scope import scope_preview
from catalog.services import scope_theme_update
from workspace.forms import ScopeChangeForm
from workspace.selectors import class_names, scope_overview


def _page(request: HttpRequest, *, invalid: ScopeChangeForm | None = None) -> HttpResponse:
    """The scope page; each theme has its own add form (`invalid` shows its errors under its theme)."""
    context = scope_overview()
    for row in context["themes"]:
        theme = row["theme"]
        if invalid is not None and invalid.theme == theme:
            row["form"] = invalid
        else:
            row["form"] = ScopeChangeForm(theme=theme, auto_id=f"id_{theme.slug}_%s")
    return render(
        request,
        "workspace/scope.html",
        {**context, "can_change": has_role(request.user, ADMIN)},
        status=400 if invalid is not None else 200,
    )


@role_required(EDITOR, ADMIN)
@require_GET
def scope(request: HttpRequest) -> HttpResponse:
    return _page(request)


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def scope_change(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: what adding or removing a class would move; POST: save it and apply it at once."""
    theme = get_object_or_404(Theme, slug=slug)
    data = request.POST if request.method == "POST" else request.GET
    form = ScopeChangeForm(data, theme=theme, auto_id=f"id_{theme.slug}_%s")
    if not form.is_valid():
        return _page(request, invalid=form)
    codes = form.new_codes()
    if request.method == "POST":
        counts = scope_theme_update(theme=theme, codes=codes, actor=request.user)
        audit_record(
            request.user,
            "scope",
            f"theme:{theme.slug}",
            {"action": form.cleaned_data["action"], "code": form.cleaned_data["code"], "codes": codes, **counts},
        )
        messages.success(
            request,
            _(
                "Teeman palveluluokat tallennettu ja otettu käyttöön: teemaan tuli %(added)d palvelua ja siitä "
                "poistui %(removed)d; asukkaille tuli näkyviin %(shown)d ja piiloon %(hidden)d palvelua."
            )
            % {
                "added": counts["theme_added"],
                "removed": counts["theme_removed"],
                "shown": counts["public_added"],
                "hidden": counts["public_removed"],
            },
        )
        return redirect("workspace:scope")
    counts = scope_preview(theme=theme, codes=codes)
    return render(
        request,
        "workspace/scope_confirm.html",
        {
            "theme": theme,
            "form": form,
            "code": form.cleaned_data["code"],
            "code_name": class_names().get(form.cleaned_data["code"], ""),
            "adding": form.cleaned_data["action"] == "add",
            "counts": counts,
        },
    )
