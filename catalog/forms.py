from django import forms
from django.utils.translation import gettext_lazy as _


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
