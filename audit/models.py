"""The audit log: who did what to what, when. Written by audit.services.audit_record only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("Kirjautuminen")
        LOGIN_FAILED = "login_failed", _("Epäonnistunut kirjautuminen")
        LOCKOUT = "lockout", _("Tunnus tai osoite lukittu")
        LOGOUT = "logout", _("Uloskirjautuminen")
        OTP_DEVICE_CONFIRMED = "otp_device_confirmed", _("Kaksivaiheinen tunnistus otettu käyttöön")
        OTP_VERIFIED = "otp_verified", _("Kaksivaiheinen tunnistus onnistui")
        OTP_FAILED = "otp_failed", _("Kaksivaiheinen tunnistus epäonnistui")
        CURATION = "curation", _("Palvelun kuratointi muuttui")
        REFERRAL_VIEW = "referral_view", _("Lähetetietoja katsottu")
        EXPORT = "export", _("Tietojen vienti")
        SYNC_START = "sync_start", _("Synkronointi käynnistetty")
        SCOPE = "scope", _("Teeman palveluluokat muuttuivat")

    time = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Kept as text too: the name survives the user's deletion, and a failed login names no user.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True, help_text=_("Kirjautumistapahtumissa"))

    class Meta:
        ordering = ["-time"]
        verbose_name = _("lokitapahtuma")
        verbose_name_plural = _("tapahtumaloki")
        indexes = [
            # The admin's list: newest first, filtered by action or by user.
            models.Index(fields=["action", "-time"], name="audit_action_time_idx"),
            models.Index(fields=["actor", "-time"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.target}"
