from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from events.selectors import EventFilters, period

WHEN = [
    ("week", _("Tällä viikolla")),
    ("today", _("Tänään")),
    ("weekend", _("Viikonloppuna")),
    ("dates", _("Valitse päivät")),
]
AUDIENCE = [
    ("", _("Kaikki")),
    ("children", _("Lapset")),
    ("youth", _("Nuoret")),
    ("adults", _("Aikuiset")),
    ("seniors", _("Ikäihmiset")),
]
EVENT_TYPE = [
    ("", _("Kaikki")),
    ("General", _("Tapahtumat")),
    ("Course", _("Kurssit")),
    ("Volunteering", _("Vapaaehtoistyö")),
]
ENVIRONMENT = [
    ("", _("Ei rajausta")),
    ("in", _("Sisällä")),
    ("out", _("Ulkona")),
]
ACCESSIBILITY = [
    ("", _("Ei rajausta")),
    ("ac_wheelchair", _("Esteetön pyörätuolilla")),
    ("ac_inductionloop", _("Induktiosilmukka")),
    ("ac_itoilet", _("Esteetön wc")),
]


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(label=_("Milloin"), choices=WHEN, required=False, widget=forms.RadioSelect)
    start = forms.DateField(label=_("Alkaen"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Päättyen"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    theme = forms.ChoiceField(label=_("Teema"), required=False)
    municipality = forms.ChoiceField(label=_("Kunta"), required=False)
    free = forms.BooleanField(label=_("Vain maksuttomat"), required=False)
    audience = forms.ChoiceField(label=_("Kenelle"), choices=AUDIENCE, required=False)
    accessibility = forms.ChoiceField(label=_("Saavutettavuus"), choices=ACCESSIBILITY, required=False)
    event_type = forms.ChoiceField(label=_("Tyyppi"), choices=EVENT_TYPE, required=False)
    environment = forms.ChoiceField(label=_("Sisällä vai ulkona"), choices=ENVIRONMENT, required=False)
    enrolment_open = forms.BooleanField(label=_("Ilmoittautuminen auki"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from catalog.i18n import localized
        from catalog.selectors import region_municipalities, theme_list

        self.fields["theme"].choices = [("", _("Kaikki"))] + [(t.slug, localized(t, "name").text) for t in theme_list()]
        self.fields["municipality"].choices = [("", _("Koko alue"))] + [
            (m.code, localized(m, "name").text) for m in region_municipalities()
        ]

    def clean(self):
        data = super().clean()
        when = data.get("when") or "week"
        if when == "dates":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Valitse sekä alku- että loppupäivä."))
            if end < start:
                raise forms.ValidationError(_("Loppupäivä ei voi olla ennen alkupäivää."))
            if end - start > timedelta(days=92):
                raise forms.ValidationError(_("Valitse enintään kolmen kuukauden jakso."))
        data["when"] = when
        return data

    def filters(self) -> EventFilters:
        data = self.cleaned_data
        start, end = (data["start"], data["end"]) if data["when"] == "dates" else period(data["when"])
        return EventFilters(
            start=start,
            end=end,
            themes=(data["theme"],) if data.get("theme") else (),
            municipality=data.get("municipality") or "",
            free=bool(data.get("free")),
            audience=data.get("audience") or "",
            accessibility=data.get("accessibility") or "",
            event_type=data.get("event_type") or "",
            environment=data.get("environment") or "",
            enrolment_open=bool(data.get("enrolment_open")),
        )
