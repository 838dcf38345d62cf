"""Writes of service guidance: shortlists, referrals, their status loop and the purge of client data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from catalog.models import Municipality, Region, Service, Theme
from events.models import Event
from guidance.models import Referral, ReferralAccess, ReferralEvent, ReferralReceiver, Shortlist

_LINK_SALT = "tarmoa.guidance.referral-link"
LANGUAGES = ("fi", "sv", "en")
ACTOR_STATUSES = {
    ReferralEvent.Actor.PROFESSIONAL: set(Referral.Status.values),
    ReferralEvent.Actor.RECEIVER: set(Referral.Status.values) - {Referral.Status.WITHDRAWN, Referral.Status.SENT},
    ReferralEvent.Actor.CLIENT: {Referral.Status.STARTED, Referral.Status.DECLINED},
}


class GuidanceError(ValueError):
    """Bad input for a shortlist or a referral; the message says what to fix."""


def shortlist_create(
    *,
    user,
    region: Region | None,
    services: Sequence[Service] = (),
    events: Sequence[Event] = (),
    themes: Sequence[Theme] = (),
    language: str = "fi",
) -> Shortlist:
    if language not in LANGUAGES:
        raise GuidanceError("language must be fi, sv or en")
    if not services and not events:
        raise GuidanceError("a shortlist needs at least one service or event")
    expires = timezone.now() + timedelta(days=settings.SHORTLIST_VALID_DAYS)
    with transaction.atomic():
        shortlist = Shortlist.objects.create(region=region, created_by=user, language=language, expires=expires)
        shortlist.services.set(services)
        shortlist.events.set(events)
        shortlist.themes.set(themes)
    return shortlist


def receiver_for(*, region: Region | None, kind: str, municipality: Municipality | None) -> ReferralReceiver | None:
    """The municipality's own receiver of this kind, else the region-wide one."""
    receivers = ReferralReceiver.objects.filter(region=region, kind=kind)
    if municipality is not None:
        own = receivers.filter(municipality=municipality).first()
        if own is not None:
            return own
    return receivers.filter(municipality__isnull=True).first()


def referral_link_token(referral: Referral, audience: str) -> str:
    """A signed link value for the receiver's or the client's page ("receiver" or "client")."""
    return signing.dumps({"r": str(referral.id), "a": audience}, salt=_LINK_SALT)


def referral_from_token(token: str, audience: str) -> Referral | None:
    """The referral a link names, None when the link is forged, for another audience or expired."""
    max_age = timedelta(days=settings.REFERRAL_LINK_DAYS)
    try:
        data = signing.loads(token[:500], salt=_LINK_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != audience:
        return None
    try:
        return Referral.objects.filter(id=str(data.get("r"))).first()
    except (ValueError, TypeError):
        return None


@dataclass
class ClientContact:
    first_name: str = ""
    phone: str = ""
    email: str = ""
    contact_preference: str = Referral.Contact.NONE


def referral_create(
    *,
    user,
    region: Region | None,
    kind: str,
    client: ClientContact,
    consent: bool,
    services: Sequence[Service] = (),
    themes: Sequence[Theme] = (),
    municipality: Municipality | None = None,
    note: str = "",
    language: str = "fi",
    receiver_url: Callable[[str], str],
) -> Referral:
    """Store a referral and email its receiver a link to it. Nothing is stored without consent.

    `receiver_url(token)` builds the absolute URL of the receiver's page. The email holds no
    client data: the receiver reads it behind the link, where every view is logged.
    """
    if consent is not True:
        raise GuidanceError("the client's consent is required; without it no referral is stored")
    if kind not in Referral.Kind.values:
        raise GuidanceError(f"kind must be one of {', '.join(Referral.Kind.values)}")
    if client.contact_preference not in Referral.Contact.values:
        raise GuidanceError(f"contact_preference must be one of {', '.join(Referral.Contact.values)}")
    if client.contact_preference == Referral.Contact.PHONE and not client.phone:
        raise GuidanceError("a phone number is needed when the client wants a call")
    if client.contact_preference == Referral.Contact.EMAIL and not client.email:
        raise GuidanceError("an email address is needed when the client wants an email")
    if language not in LANGUAGES:
        raise GuidanceError("language must be fi, sv or en")
    receiver = receiver_for(region=region, kind=kind, municipality=municipality)
    if receiver is None:
        raise GuidanceError("no receiver is configured for this kind of referral in the region")
    with transaction.atomic():
        referral = Referral.objects.create(
            kind=kind,
            region=region,
            municipality=municipality,
            professional=user,
            language=language,
            client_first_name=client.first_name.strip()[:60],
            client_phone=client.phone.strip()[:20],
            client_email=client.email.strip()[:254],
            contact_preference=client.contact_preference,
            note=note.strip()[:1000],
            consent_at=timezone.now(),
            receiver_name=receiver.name,
            receiver_email=receiver.email,
        )
        referral.services.set(services)
        referral.themes.set(themes)
        ReferralEvent.objects.create(referral=referral, status=Referral.Status.SENT, actor="professional", user=user)
        link = receiver_url(referral_link_token(referral, "receiver"))
        transaction.on_commit(lambda: _notify_receiver(referral, link))
    return referral


def _notify_receiver(referral: Referral, link: str) -> None:
    body = "\n".join(
        [
            f"Tarmoaan on tehty teille {referral.get_kind_display().lower()}.",
            "",
            "Lähetteen tiedot ja asiakkaan yhteystiedot näette tästä linkistä (jokainen katselu kirjataan):",
            link,
            "",
            "Päivittäkää lähetteen tila samalla sivulla, kun olette olleet yhteydessä asiakkaaseen.",
        ]
    )
    send_mail(f"Uusi {referral.get_kind_display().lower()} (Tarmoa)", body, None, [referral.receiver_email])


def referral_set_status(*, referral: Referral, status: str, actor: str, user=None) -> Referral:
    if status not in Referral.Status.values:
        raise GuidanceError(f"status must be one of {', '.join(Referral.Status.values)}")
    if status not in ACTOR_STATUSES.get(actor, set()):
        raise GuidanceError(f"{actor} cannot set the status {status}")
    with transaction.atomic():
        referral.status = status
        referral.save(update_fields=["status", "updated"])
        ReferralEvent.objects.create(referral=referral, status=status, actor=actor, user=user)
    return referral


def referral_access_log(*, referral: Referral, actor: str, user=None) -> None:
    """Record that someone saw the referral's client data: on the referral and in the audit log."""
    from audit.services import audit_record

    signed_in = user if user is not None and user.is_authenticated else None
    ReferralAccess.objects.create(referral=referral, actor=actor, user=signed_in)
    audit_record(signed_in or actor, "referral_view", f"referral:{referral.id}", {"actor": actor})


def referrals_purge(*, now=None) -> int:
    """Erase client contact data and notes of referrals closed or untouched for REFERRAL_RETENTION_DAYS.

    Kind, services, themes, municipality, statuses and dates stay for statistics. Returns how
    many referrals were purged.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REFERRAL_RETENTION_DAYS)
    due = Referral.objects.filter(purged__isnull=True, updated__lt=cutoff)
    return due.update(client_first_name="", client_phone="", client_email="", note="", purged=now)
