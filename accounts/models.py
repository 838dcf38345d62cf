"""A user's place in Tarmoa: the region they work for. Roles are Django groups (accounts.access)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Region


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tarmoa_profile")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, help_text=_("Alue, jonka palveluja käyttäjä hoitaa")
    )

    class Meta:
        verbose_name = _("käyttäjäprofiili")
        verbose_name_plural = _("käyttäjäprofiilit")

    def __str__(self) -> str:
        return f"{self.user} ({self.region or '-'})"


class ApiToken(models.Model):
    """A bearer token for the integration API. Only its SHA-256 is stored: the token itself is
    shown once (`create_user --token`) and cannot be read back from the database."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=16, editable=False, help_text=_("Tunnisteen alku, jotta sen tunnistaa"))
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-tunniste")
        verbose_name_plural = _("API-tunnisteet")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
