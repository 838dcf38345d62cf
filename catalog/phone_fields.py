"""One phone field for forms and one for the API: any Finnish or international number in, E.164 out."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from catalog.local import phone_e164


class PhoneFormField(forms.CharField):
    def clean(self, value) -> str:
        value = (super().clean(value) or "").strip()
        if not value:
            return value
        try:
            return phone_e164(value)
        except ValueError:
            raise forms.ValidationError(_("Tarkista puhelinnumero, esimerkiksi 044 123 4567.")) from None


class PhoneApiField(serializers.CharField):
    """A JSON string holding a possible phone number ("" allowed); stored in E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError("Must be a string.")
        value = super().to_internal_value(data).strip()
        if not value:
            return value
        try:
            return phone_e164(value)
        except ValueError:
            raise serializers.ValidationError("Not a phone number.") from None
