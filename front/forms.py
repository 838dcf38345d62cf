"""Forms of the resident pages: the search form (a plain GET form shared by the HTML page and the
JSON API) and the error report."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.i18n import current_language, localized
from catalog.models import Municipality, Region, Theme
from catalog.search.cache import cached_objects
from catalog.search.query import normalize_query
from catalog.search.types import QueryTooLong, SearchFilters

TARGET_GROUPS = [
    ("", _("Kaikki")),
    ("KR1.1", _("Ikäihmiset")),
    ("KR1.2", _("Lapset ja lapsiperheet")),
    ("KR1.3", _("Nuoret")),
    ("KR1.4", _("Pitkäaikaissairaat")),
    ("KR1.6", _("Vammaiset")),
]
SERVICE_LANGUAGES = [
    ("", _("Kaikki")),
    ("fi", pgettext_lazy("language of a service", "suomi")),
    ("sv", pgettext_lazy("language of a service", "ruotsi")),
    ("en", pgettext_lazy("language of a service", "englanti")),
]
CHANNEL_CHOICES = [("place", _("Paikan päällä")), ("phone", _("Puhelimitse")), ("online", _("Verkossa"))]


_choices_cache: dict[str, tuple[dict, dict, list, list]] = {}


def _choices() -> tuple[list, list]:
    """Theme and region municipality choices in the active language.

    Built from the per-process copies of themes and municipalities (a minute old at most),
    so a search costs no query for them, and kept while those very copies are in use.
    """
    themes, municipalities = cached_objects(Theme), cached_objects(Municipality)
    language = current_language()
    cached = _choices_cache.get(language)
    if cached is None or cached[0] is not themes or cached[1] is not municipalities:
        ordered = sorted(themes.values(), key=lambda t: t.order)
        region_ids = cached_objects(Region)
        # The instance's region is the first region row (catalog.selectors.region_current).
        current = min(region_ids) if region_ids else None
        region = sorted((m for m in municipalities.values() if m.region_id == current), key=lambda m: m.name_fi)
        cached = (
            themes,
            municipalities,
            [(t.slug, localized(t, "name").text) for t in ordered],
            [(m.code, localized(m, "name").text) for m in region],
        )
        _choices_cache[language] = cached
    return cached[2], cached[3]


def region_municipality_codes() -> set[str]:
    """Codes of the region's municipalities (from the per-process copies behind the choices)."""
    return {code for code, _label in _choices()[1]}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Hakusana"),
        required=False,
        max_length=settings.SEARCH_QUERY_MAX_LENGTH,
        error_messages={
            "max_length": _("Hakusana on liian pitkä: enintään %(limit_value)d merkkiä (nyt %(show_value)d).")
        },
    )
    theme = forms.MultipleChoiceField(label=_("Teema"), required=False, widget=forms.CheckboxSelectMultiple)
    municipality = forms.ChoiceField(label=_("Kunta"), required=False)
    target_group = forms.ChoiceField(label=_("Kohderyhmä"), required=False, choices=TARGET_GROUPS)
    language = forms.ChoiceField(label=_("Palvelun kieli"), required=False, choices=SERVICE_LANGUAGES)
    free = forms.BooleanField(label=_("Vain maksuttomat"), required=False)
    channel = forms.MultipleChoiceField(
        label=_("Asiointitapa"), required=False, choices=CHANNEL_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(
        label=_("Näytä"),
        required=False,
        choices=[("", _("Palvelut ja tapahtumat")), ("service", _("Vain palvelut")), ("event", _("Vain tapahtumat"))],
    )
    sort = forms.ChoiceField(
        label=_("Järjestys"),
        required=False,
        choices=[("", _("Osuvimmat ensin")), ("name", _("Aakkosjärjestys")), ("updated", _("Viimeksi päivitetyt"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=500, widget=forms.HiddenInput)
    # What the resident took away of what the search read from the query (a chip's remove link).
    ignore = forms.MultipleChoiceField(
        required=False,
        choices=[("free", "free"), ("target_group", "target_group")],
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes, municipalities = _choices()
        self.fields["theme"].choices = themes
        self.fields["municipality"].choices = [("", _("Koko alue")), *municipalities]

    def clean_q(self) -> str:
        try:
            return normalize_query(self.cleaned_data["q"])
        except QueryTooLong:
            # Some characters grow under Unicode normalisation (U+FB2C is three code points in NFC).
            raise forms.ValidationError(
                _("Hakusana on liian pitkä: enintään %(limit)d merkkiä."),
                params={"limit": settings.SEARCH_QUERY_MAX_LENGTH},
            ) from None

    def search_filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            themes=tuple(data.get("theme") or ()),
            municipality=data.get("municipality") or "",
            target_group=data.get("target_group") or "",
            service_language=data.get("language") or "",
            free=bool(data.get("free")),
            channel_kinds=tuple(data.get("channel") or ()),
        )


class ErrorReportForm(forms.Form):
    message = forms.CharField(
        label=_("Mikä on väärin?"),
        min_length=5,
        max_length=2000,
        error_messages={
            "required": _("Kirjoita, mikä tiedoissa on väärin."),
            "min_length": _("Kirjoita vähintään %(limit_value)d merkkiä."),
            "max_length": _("Ilmoitus on liian pitkä: enintään %(limit_value)d merkkiä."),
        },
    )
    website = forms.CharField(required=False)  # honeypot: people leave it empty

    def clean_message(self) -> str:
        return self.cleaned_data["message"].strip()
