"""Forms of the professionals' workspace."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.i18n import localized
from catalog.models import ErrorReport, Theme


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Palvelun nimi"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("Tila"),
        required=False,
        choices=[
            ("", _("Kaikki")),
            ("hidden", _("Piilotetut")),
            ("featured", _("Nostetut")),
            ("curated", _("Muokatut")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10000, widget=forms.HiddenInput)


def _summary_field(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), help_text=help_text
    )


class CurationForm(forms.Form):
    hidden = forms.BooleanField(label=_("Piilota asukkailta"), required=False)
    hidden_reason = forms.CharField(label=_("Piilottamisen syy"), required=False, max_length=300)
    featured = forms.BooleanField(
        label=_("Nosta ensimmäiseksi"),
        required=False,
        help_text=_("Nostettu palvelu näkyy ensimmäisenä teemasivuilla ja listauksissa ilman hakusanaa."),
    )
    extra_themes = forms.ModelMultipleChoiceField(
        label=_("Lisäteemat"),
        queryset=Theme.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Teemat luokituksen antamien lisäksi."),
    )
    note = forms.CharField(
        label=_("Sisäinen huomio ammattilaisille"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary_fi = _summary_field(
        _("Alueen oma tiivistelmä (suomi)"),
        _("Korvaa lähteen tiivistelmän asukkaiden näkymässä. Lähteen tieto säilyy ennallaan."),
    )
    summary_sv = _summary_field(_("Alueen oma tiivistelmä (ruotsi)"))
    summary_en = _summary_field(_("Alueen oma tiivistelmä (englanti)"))
    summary_selko = _summary_field(
        _("Tiivistelmä selkokielellä"),
        _(
            "Näytetään asukkaalle, joka valitsee selkokielen. Kirjoita itse selkokielen ohjeiden mukaan: "
            "lyhyet lauseet, tutut sanat. Älä käytä konekäännöstä."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_themes"].label_from_instance = lambda theme: localized(theme, "name").text

    def clean(self) -> dict:
        data = super().clean()
        if data.get("hidden") and not (data.get("hidden_reason") or "").strip():
            self.add_error("hidden_reason", _("Kerro, miksi palvelu piilotetaan."))
        return data


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tila"), required=False, choices=[("", _("Kaikki")), *ErrorReport.Status.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10000, widget=forms.HiddenInput)


class ReportStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Tila"), choices=ErrorReport.Status.choices)
