"""The dashboard's filter form (django-filter): period, municipality, theme and language."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Municipality, Region, SearchLog
from dashboard.stats import StatsFilter
from survey.card import CARD

MAX_DAYS = 3 * 366


class DashboardFilter(django_filters.FilterSet):
    start = django_filters.DateFilter(label=_("Alkaen"), widget=forms.DateInput(attrs={"type": "date"}))
    end = django_filters.DateFilter(label=_("Päättyen"), widget=forms.DateInput(attrs={"type": "date"}))
    municipality = django_filters.ChoiceFilter(label=_("Kunta"), empty_label=_("Koko alue"))
    theme = django_filters.ChoiceFilter(
        label=_("Teema"), empty_label=_("Kaikki teemat"), choices=[(t.key, t.title) for t in CARD]
    )
    language = django_filters.ChoiceFilter(
        label=_("Haun kieli"),
        empty_label=_("Kaikki kielet"),
        choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")],
    )

    class Meta:
        model = SearchLog
        fields: list[str] = []

    def __init__(self, data=None, *args, region: Region | None = None, **kwargs):
        super().__init__(data, *args, queryset=SearchLog.objects.none(), **kwargs)
        municipalities = Municipality.objects.filter(region=region).order_by("name_fi")
        self.filters["municipality"].extra["choices"] = [(m.code, m.name_fi) for m in municipalities]
        self.form.fields["municipality"].choices = [("", _("Koko alue"))] + [
            (m.code, m.name_fi) for m in municipalities
        ]

    def stats_filter(self) -> StatsFilter | None:
        """The validated filter, or None when the form has errors (the page says which)."""
        if not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=364)
        if start > end:
            self.form.add_error("start", _("Alkupäivä on päättymispäivän jälkeen."))
            return None
        if (end - start).days > MAX_DAYS:
            self.form.add_error("start", _("Valitse enintään kolmen vuoden jakso."))
            return None
        return StatsFilter(start=start, end=end, municipality=data.get("municipality") or "",
                           theme=data.get("theme") or "", language=data.get("language") or "")  # fmt: skip
