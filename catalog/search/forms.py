from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Hakusana"),
        required=False,
        max_length=settings.SEARCH_QUERY_MAX_LENGTH,
        error_messages={"max_length": _("Hakusana on liian pitkä: enintään %(limit_value)d merkkiä.")},
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())
