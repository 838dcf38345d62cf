"""Forms of the professionals' workspace."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.i18n import localized
from catalog.local import CHANNEL_FIELDS, TEXT_FIELDS, LocalServiceChange, local_channel_values
from catalog.models import Concept, ErrorReport, Municipality, ScopeOverride, Theme
from catalog.phone_fields import PhoneFormField


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
            ("local", _("Paikalliset")),
            ("archived", _("Arkistoidut paikalliset")),
            ("out_of_scope", _("Rajauksen ulkopuoliset (PTV)")),
            ("scope_override", _("Rajaus muutettu palvelukohtaisesti")),
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

    scope_override = forms.ChoiceField(
        label=_("Hyte-rajaus"),
        required=False,
        choices=ScopeOverride.choices,
        help_text=_(
            "Ota palvelu mukaan, vaikka sen palveluluokka ei kuulu mihinkään teemaan, tai jätä se pois, vaikka "
            "kuuluu. Jos luokka ei kuulu mihinkään teemaan, valitse lisäteema. Säilyy synkronoinneissa."
        ),
    )
    scope_reason = forms.CharField(label=_("Rajauksen muutoksen syy"), required=False, max_length=300)

    def __init__(self, *args, scope: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_themes"].label_from_instance = lambda theme: localized(theme, "name").text
        if not scope:  # only PTV services have a class-based scope to override
            del self.fields["scope_override"], self.fields["scope_reason"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("hidden") and not (data.get("hidden_reason") or "").strip():
            self.add_error("hidden_reason", _("Kerro, miksi palvelu piilotetaan."))
        return data


class ScopeChangeForm(forms.Form):
    """Add a PTV service class to a theme, or remove one (previewed before it is saved)."""

    action = forms.ChoiceField(choices=[("add", _("Lisää")), ("remove", _("Poista"))], widget=forms.HiddenInput)
    code = forms.CharField(label=_("Palveluluokan koodi"), max_length=20, help_text=_("Esimerkiksi P4.1"))

    def __init__(self, *args, theme: Theme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme = theme
        self.fields["action"].initial = "add"

    def clean(self) -> dict:
        data = super().clean()
        code, action = (data.get("code") or "").strip().upper(), data.get("action")
        if not code or not action or self.theme is None:
            return data
        data["code"] = code
        current = self.theme.service_class_codes
        if action == "add":
            if code in current:
                self.add_error("code", _("Luokka on jo teemassa."))
            elif not Concept.objects.filter(kind=Concept.Kind.SERVICE_CLASS, code=code).exists():
                self.add_error("code", _("PTV:n palveluluokissa ei ole koodia %(code)s.") % {"code": code})
        elif code not in current:
            self.add_error("code", _("Luokka ei ole teemassa."))
        return data

    def new_codes(self) -> list[str]:
        code, current = self.cleaned_data["code"], list(self.theme.service_class_codes)
        if self.cleaned_data["action"] == "add":
            return [*current, code]
        return [c for c in current if c != code]


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tila"), required=False, choices=[("", _("Kaikki")), *ErrorReport.Status.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10000, widget=forms.HiddenInput)


class ReportStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Tila"), choices=ErrorReport.Status.choices)


class ReportForwardForm(forms.Form):
    """Where to forward a report: the owner's address from the source, which the editor may change."""

    to = forms.EmailField(
        label=_("Vastaanottajan sähköpostiosoite"),
        max_length=254,
        help_text=_("Lähteen osoite on valmiina; voit vaihtaa sen, jos tiedät oikean."),
    )


def _text(label, max_length: int, *, rows: int = 0, required: bool = False, help_text="") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget, help_text=help_text)


class LocalServiceForm(forms.Form):
    """A local service's fields: what residents see of it (see catalog.local)."""

    name_fi = _text(_("Nimi (suomi)"), 300, required=True)
    name_sv = _text(_("Nimi (ruotsi)"), 300)
    name_en = _text(_("Nimi (englanti)"), 300)
    summary_fi = _text(_("Tiivistelmä (suomi)"), 1000, rows=2, help_text=_("Yksi tai kaksi virkettä."))
    summary_sv = _text(_("Tiivistelmä (ruotsi)"), 1000, rows=2)
    summary_en = _text(_("Tiivistelmä (englanti)"), 1000, rows=2)
    description_fi = _text(_("Kuvaus (suomi)"), 10000, rows=5)
    description_sv = _text(_("Kuvaus (ruotsi)"), 10000, rows=5)
    description_en = _text(_("Kuvaus (englanti)"), 10000, rows=5)
    themes = forms.ModelMultipleChoiceField(
        label=_("Teemat"), queryset=Theme.objects.order_by("order"), required=False, widget=forms.CheckboxSelectMultiple
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kunnat"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Jos et valitse yhtään, palvelu näkyy koko alueella."),
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Kohderyhmät"),
        queryset=Concept.objects.filter(kind=Concept.Kind.TARGET_GROUP, code__regex=r"^KR[0-9]+(\.[0-9]+)?$"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    free = forms.ChoiceField(
        label=_("Hinta"),
        required=False,
        choices=[("", _("Ei tiedossa")), ("free", _("Maksuton")), ("chargeable", _("Maksullinen"))],
    )
    languages = forms.MultipleChoiceField(
        label=_("Palvelun kielet"),
        required=False,
        choices=[
            ("fi", pgettext_lazy("language of a service", "suomi")),
            ("sv", pgettext_lazy("language of a service", "ruotsi")),
            ("en", pgettext_lazy("language of a service", "englanti")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    street_address = _text(_("Katuosoite"), 300)
    postal_code = forms.RegexField(
        label=_("Postinumero"), regex=r"^[0-9]{5}$", required=False, error_messages={"invalid": _("Viisi numeroa.")}
    )
    post_office = _text(_("Postitoimipaikka"), 100)
    phone = PhoneFormField(label=_("Puhelin"), required=False, max_length=40)
    email = forms.EmailField(label=_("Sähköposti"), required=False, max_length=254)
    web_url = forms.URLField(label=_("Verkkosivu"), required=False, max_length=500, assume_scheme="https")
    hours = _text(_("Aukioloajat"), 500, help_text=_("Esimerkiksi: tiistaisin klo 10–11"))

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.filter(region=region).order_by("name_fi")
        for name in ("themes", "municipalities", "target_groups"):
            self.fields[name].label_from_instance = lambda obj: localized(obj, "name").text

    GROUPS = (
        (_("Nimi ja kuvaus"), TEXT_FIELDS),
        (_("Kenelle ja missä"), ("themes", "municipalities", "target_groups", "free", "languages")),
        (_("Yhteystiedot ja aukiolo"), CHANNEL_FIELDS),
    )

    def groups(self) -> list[tuple[str, list]]:
        """(legend, bound fields) for the page's fieldsets."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def change(self) -> LocalServiceChange:
        data = self.cleaned_data
        return LocalServiceChange(
            texts={name: data[name] for name in TEXT_FIELDS},
            themes=list(data["themes"]),
            municipalities=list(data["municipalities"]),
            target_groups=list(data["target_groups"]),
            free={"free": True, "chargeable": False}.get(data["free"]),
            languages=data["languages"],
            channel={name: data[name] for name in CHANNEL_FIELDS},
        )

    @classmethod
    def initial_for(cls, service) -> dict:
        initial = {name: getattr(service, name) for name in TEXT_FIELDS}
        initial.update(local_channel_values(service))
        initial["themes"] = list(service.themes.all())
        initial["municipalities"] = list(service.municipalities.all())
        initial["target_groups"] = list(service.concepts.filter(kind=Concept.Kind.TARGET_GROUP))
        initial["free"] = {"FreeOfCharge": "free", "Chargeable": "chargeable"}.get(service.charge_type, "")
        initial["languages"] = list(service.languages)
        return initial
