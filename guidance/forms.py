"""Forms of service guidance (professional side and the public status pages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Municipality
from catalog.phone_fields import PhoneFormField
from guidance.models import Referral
from survey.card import AGE_BANDS, CARD


class GuidanceForm(forms.Form):
    """The "Mitä sinulle kuuluu?" card with the client: themes, age band, home municipality, a search."""

    themes = forms.MultipleChoiceField(
        label=_("Keskustelussa esiin nousseet teemat"),
        required=False,
        choices=[(t.key, t.title) for t in CARD],
        widget=forms.CheckboxSelectMultiple,
    )
    age_band = forms.ChoiceField(label=_("Asiakkaan ikäryhmä"), required=False, choices=AGE_BANDS)
    municipality = forms.ChoiceField(label=_("Asiakkaan kotikunta"), required=False)
    q = forms.CharField(label=_("Hae palveluja"), required=False, max_length=200)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.filter(region=region).order_by("name_fi")
        self.fields["municipality"].choices = [("", _("Koko alue"))] + [(m.code, m.name_fi) for m in municipalities]


class ShortlistForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Listan kieli"), choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")], initial="fi"
    )


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Lähetteen laji"), choices=Referral.Kind.choices, widget=forms.RadioSelect)
    municipality = forms.ChoiceField(label=_("Asiakkaan kotikunta"), required=False)
    first_name = forms.CharField(label=_("Asiakkaan etunimi"), required=False, max_length=60)
    contact_preference = forms.ChoiceField(
        label=_("Miten asiakas haluaa, että häneen otetaan yhteyttä?"),
        choices=Referral.Contact.choices,
        widget=forms.RadioSelect,
    )
    phone = PhoneFormField(label=_("Puhelinnumero"), required=False, max_length=40)
    email = forms.EmailField(label=_("Sähköposti"), required=False, max_length=254)
    note = forms.CharField(
        label=_("Lyhyt viesti vastaanottajalle"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Älä kirjoita terveystietoja. Kerro vain, mitä asiakas toivoo."),
    )
    consent = forms.BooleanField(
        label=_("Asiakas on antanut suostumuksensa siihen, että hänen yhteystietonsa välitetään vastaanottajalle."),
        error_messages={"required": _("Lähetettä ei voi tehdä ilman asiakkaan suostumusta.")},
    )

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.filter(region=region).order_by("name_fi")
        self.fields["municipality"].choices = [("", _("Ei valittu"))] + [(m.code, m.name_fi) for m in municipalities]

    def clean(self) -> dict:
        data = super().clean()
        preference = data.get("contact_preference")
        if preference == Referral.Contact.PHONE and not data.get("phone"):
            self.add_error("phone", _("Anna puhelinnumero, kun asiakas haluaa soiton."))
        if preference == Referral.Contact.EMAIL and not data.get("email"):
            self.add_error("email", _("Anna sähköposti, kun asiakas haluaa sähköpostin."))
        return data


RECEIVER_CHOICES = [
    (s, label) for s, label in Referral.Status.choices if s not in {Referral.Status.SENT, Referral.Status.WITHDRAWN}
]


class ReceiverStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Lähetteen tila"), choices=RECEIVER_CHOICES, widget=forms.RadioSelect)


class ClientStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(Referral.Status.STARTED, ""), (Referral.Status.DECLINED, "")])
