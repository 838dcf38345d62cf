"""Service guidance: shortlists handed to a client and hyte referrals with a closed loop.

A Shortlist holds no personal data: services, events, themes and a language behind an
unguessable token that expires. A Referral is the only personal data in Tarmoa: the
client's first name, phone and/or email and a note, stored only with the client's
recorded consent and erased (`purged`) once the referral has been closed or untouched for
REFERRAL_RETENTION_DAYS; kind, services, themes, municipality, statuses and dates stay
for statistics.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Municipality, Region, Service, Theme
from events.models import Event


def _token() -> str:
    return secrets.token_urlsafe(18)


class Shortlist(models.Model):
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    region = models.ForeignKey(Region, null=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=2, default="fi")
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    events = models.ManyToManyField(Event, blank=True, related_name="+")
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("palvelulista")
        verbose_name_plural = _("palvelulistat")

    def __str__(self) -> str:
        return f"{self.token[:6]}… ({self.created:%Y-%m-%d})"


class Referral(models.Model):
    class Kind(models.TextChoices):
        LIIKUNTA = "liikunta", _("Liikuntalähete")
        KULTTUURI = "kulttuuri", _("Kulttuurilähete")
        HYVINVOINTI = "hyvinvointi", _("Hyvinvointilähete")

    class Status(models.TextChoices):
        SENT = "sent", _("Lähetetty")
        RECEIVED = "received", _("Vastaanotettu")
        CONTACTED = "contacted", _("Yhteydessä asiakkaaseen")
        STARTED = "started", _("Asiakas aloitti")
        COMPLETED = "completed", _("Päättynyt: toteutui")
        COULD_NOT_CONTACT = "could_not_contact", _("Asiakasta ei tavoitettu")
        DECLINED = "declined", _("Asiakas kieltäytyi")
        NO_CAPACITY = "no_capacity", _("Ei tilaa")
        WITHDRAWN = "withdrawn", _("Peruttu")

    class Contact(models.TextChoices):
        PHONE = "phone", _("Puhelimitse")
        EMAIL = "email", _("Sähköpostilla")
        NONE = "none", _("Ei yhteydenottoa – menen itse")

    CLOSED = {"completed", "could_not_contact", "declined", "no_capacity", "withdrawn"}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, null=True, on_delete=models.SET_NULL)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL)
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    language = models.CharField(max_length=2, default="fi")
    # Personal data: erased by the purge (guidance.services.referrals_purge).
    client_first_name = models.CharField(max_length=60, blank=True)
    client_phone = models.CharField(max_length=20, blank=True)
    client_email = models.EmailField(blank=True)
    contact_preference = models.CharField(max_length=10, choices=Contact.choices)
    note = models.TextField(max_length=1000, blank=True)
    consent_at = models.DateTimeField(help_text=_("Milloin asiakas antoi suostumuksensa"))
    receiver_name = models.CharField(max_length=200, blank=True)
    receiver_email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    purged = models.DateTimeField(null=True, blank=True, help_text=_("Milloin asiakkaan tiedot poistettiin"))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("lähete")
        verbose_name_plural = _("lähetteet")
        indexes = [models.Index(fields=["purged", "updated"], name="referral_purge_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created:%Y-%m-%d}"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class ReferralEvent(models.Model):
    """One status change: when, to what, and by whom (the professional, the receiver or the client)."""

    class Actor(models.TextChoices):
        PROFESSIONAL = "professional", _("Ammattilainen")
        RECEIVER = "receiver", _("Vastaanottaja")
        CLIENT = "client", _("Asiakas")
        SYSTEM = "system", _("Järjestelmä")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Referral.Status.choices)
    actor = models.CharField(max_length=20, choices=Actor.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lähetteen tilamuutos")
        verbose_name_plural = _("lähetteiden tilamuutokset")

    def __str__(self) -> str:
        return f"{self.status} ({self.actor}, {self.at:%Y-%m-%d %H:%M})"


class ReferralAccess(models.Model):
    """Every view of a referral's client data: who and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="accesses")
    actor = models.CharField(max_length=20, choices=ReferralEvent.Actor.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("lähetteen katselu")
        verbose_name_plural = _("lähetteiden katselut")

    def __str__(self) -> str:
        return f"{self.actor} {self.at:%Y-%m-%d %H:%M}"


class ReferralReceiver(models.Model):
    """Who receives a kind of referral: a municipality's exercise adviser, a culture coordinator or
    an NGO contact. Per region and kind; a municipality-specific receiver wins over a region-wide one."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Referral.Kind.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, help_text=_("Tyhjä = koko alue")
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()

    class Meta:
        ordering = ["kind", "municipality__name_fi"]
        verbose_name = _("lähetteen vastaanottaja")
        verbose_name_plural = _("lähetteiden vastaanottajat")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "municipality"], name="receiver_kind_uniq", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
