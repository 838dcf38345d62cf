"""/ammattilainen/johto/indikaattorit/: admins choose the followed Sotkanet indicators and their themes.

The same data as the Django admin's Väestöindikaattorit list, in the workspace's own form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import ADMIN, role_required
from catalog.models import Theme
from ingest.models import Indicator
from ingest.sotkanet.services import indicator_themes_set

NEW = "new"


class IndicatorForm(forms.Form):
    sotkanet_id = forms.IntegerField(
        label=gettext_lazy("Sotkanet-indikaattorin numero"), min_value=1, max_value=10**7,
        help_text=gettext_lazy("Numero löytyy Sotkanetin indikaattorin kuvauksesta (esim. sotkanet.fi)."),
    )  # fmt: skip
    themes = forms.MultipleChoiceField(label=gettext_lazy("Teemat"), required=False,
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip
    is_active = forms.BooleanField(label=gettext_lazy("Seurataan (synkronoidaan ja näytetään)"), required=False,
                                   initial=True)  # fmt: skip

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["themes"].choices = [(t.slug, t.t("name")) for t in Theme.objects.order_by("order")]
        if indicator is not None:
            # The number of a followed indicator is fixed: a new number is a new indicator.
            self.fields["sotkanet_id"].widget = forms.HiddenInput()
            self.fields["sotkanet_id"].required = False

    def clean_sotkanet_id(self) -> int:
        if self.indicator is not None:
            return self.indicator.sotkanet_id
        value = self.cleaned_data["sotkanet_id"]
        if Indicator.objects.filter(sotkanet_id=value).exists():
            raise forms.ValidationError(_("Indikaattori on jo listalla."))
        return value


def _forms(bound: tuple[str, dict] | None = None) -> list[tuple[Indicator | None, IndicatorForm]]:
    out = []
    for indicator in Indicator.objects.prefetch_related("themes").order_by("sotkanet_id"):
        prefix = f"i{indicator.sotkanet_id}"
        initial = {"sotkanet_id": indicator.sotkanet_id, "is_active": indicator.is_active,
                   "themes": [t.slug for t in indicator.themes.all()]}  # fmt: skip
        data = bound[1] if bound and bound[0] == prefix else None
        out.append((indicator, IndicatorForm(data, prefix=prefix, indicator=indicator, initial=initial)))
    data = bound[1] if bound and bound[0] == NEW else None
    out.append((None, IndicatorForm(data, prefix=NEW)))
    return out


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def indicator_themes(request: HttpRequest) -> HttpResponse:
    language = (get_language() or "fi")[:2]
    if request.method == "POST":
        prefix = request.POST.get("form", "")
        entries = _forms((prefix, request.POST))
        form = next((f for _indicator, f in entries if f.prefix == prefix), None)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            indicator = indicator_themes_set(sotkanet_id=data["sotkanet_id"], themes=data["themes"],
                                             is_active=data["is_active"])  # fmt: skip
            messages.success(request, _("Indikaattorin %(id)s teemat tallennettu.") % {"id": indicator.sotkanet_id})
            return redirect("dashboard:indicator_themes")
        status = 400
    else:
        entries, status = _forms(), 200
    rows = [{"indicator": i, "title": i.title(language) if i else "", "form": f} for i, f in entries]
    return render(request, "dashboard/indicator_themes.html", {"rows": rows}, status=status)
