"""Local services: activities the region adds itself because PTV does not have them.

A municipality's walking group or a digital self-care programme is stored as a Service
with `source = local` and a generated UUID as its `source_id`, with up to three channels
of its own (a place, a phone number, a web page), so search, facets, theme pages, cards
and the service page treat it exactly like a PTV service. No sync ever writes local rows
(every sync works within its own source), and they are archived, never deleted, so
referrals and statistics that name one keep their link.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from catalog.i18n import FALLBACK_ORDER
from catalog.models import ChargeType, Concept, Municipality, Service, ServiceChannel, Source, Theme
from catalog.search.indexing import services_index_lexical
from catalog.tasks import embed_services

TEXT_FIELDS = tuple(f"{name}_{lang}" for name in ("name", "summary", "description") for lang in FALLBACK_ORDER)
CHANNEL_FIELDS = ("street_address", "postal_code", "post_office", "phone", "email", "web_url", "hours")
ARCHIVED = "Archived"


class LocalServiceError(ValueError):
    pass


def phone_e164(value: str) -> str:
    """A Finnish or international phone number in E.164 ("044 123 4567" -> "+358441234567");
    ValueError for text that is no possible number."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "FI")
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError("not a phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass
class LocalServiceChange:
    """What to set; a field left as None (or out of `texts`/`channel`) keeps its value."""

    texts: dict[str, str] = field(default_factory=dict)
    themes: Sequence[Theme] | None = None
    municipalities: Sequence[Municipality] | None = None
    target_groups: Sequence[Concept] | None = None
    free: bool | None = None
    languages: Sequence[str] | None = None
    channel: dict[str, str] = field(default_factory=dict)


def local_channel_values(service: Service) -> dict[str, str]:
    """The channel fields of a local service as one flat dict (what the form and the API show)."""
    values = dict.fromkeys(CHANNEL_FIELDS, "")
    for channel in service.channels.filter(source=Source.LOCAL):
        if channel.kind == ServiceChannel.Kind.LOCATION:
            values.update(
                street_address=channel.street_address_fi,
                postal_code=channel.postal_code,
                post_office=channel.post_office_fi,
            )
        if channel.kind == ServiceChannel.Kind.WEB_PAGE and channel.web_pages:
            values["web_url"] = channel.web_pages[0]["url"]
        if channel.phones and not values["phone"]:
            values["phone"] = channel.phones[0]["number"]
        if channel.emails and not values["email"]:
            values["email"] = channel.emails[0]["value"]
        for entry in channel.service_hours:
            values["hours"] = values["hours"] or entry.get("info", {}).get("fi", "")
    return values


def _channels_write(service: Service, values: dict[str, str], now) -> None:
    """One place, phone and web page channel at most, made from the flat channel fields."""
    phones = [{"number": values["phone"], "type": "Phone", "info": "", "charge": "", "charge_description": "",
               "language": ""}] if values["phone"] else []  # fmt: skip
    emails = [{"value": values["email"], "language": ""}] if values["email"] else []
    hours = (
        [{"type": "DaysOfTheWeek", "valid_from": "", "valid_to": "", "closed": False, "always_open": False,
          "reservation": False, "info": {"fi": values["hours"]}, "days": []}]
        if values["hours"] else []
    )  # fmt: skip
    name = {f"name_{lang}": getattr(service, f"name_{lang}") for lang in FALLBACK_ORDER}
    wanted: dict[str, dict] = {}
    if values["street_address"] or values["post_office"]:
        wanted[ServiceChannel.Kind.LOCATION] = {
            "street_address_fi": values["street_address"],
            "postal_code": values["postal_code"],
            "post_office_fi": values["post_office"],
            "phones": phones,
            "emails": emails,
            "service_hours": hours,
        }
    if values["phone"] and ServiceChannel.Kind.LOCATION not in wanted:
        wanted[ServiceChannel.Kind.PHONE] = {"phones": phones, "emails": emails, "service_hours": hours}
    if values["web_url"]:
        wanted[ServiceChannel.Kind.WEB_PAGE] = {"web_pages": [{"url": values["web_url"], "text": "", "language": ""}]}
        if not wanted.keys() - {ServiceChannel.Kind.WEB_PAGE}:
            wanted[ServiceChannel.Kind.WEB_PAGE].update(emails=emails, service_hours=hours)
    kept = []
    for kind, fields_ in wanted.items():
        channel, _ = ServiceChannel.objects.update_or_create(
            source=Source.LOCAL,
            source_id=f"{service.source_id}:{kind}",
            defaults={"kind": kind, **name, **fields_, "is_public": True, "source_modified": now, "last_synced": now},
        )
        kept.append(channel.id)
    old = ServiceChannel.objects.filter(source=Source.LOCAL, source_id__startswith=f"{service.source_id}:")
    old.exclude(id__in=kept).delete()
    service.channels.set(kept)


def local_service_save(
    *, change: LocalServiceChange, region=None, service: Service | None = None, actor=None
) -> Service:
    """Create (service None) or change a local service, and index it before returning.

    A service with no municipality serves the whole `region` (all its municipalities are linked).

    Raises LocalServiceError for a PTV (or other synced) service or a missing Finnish name.
    `actor` is the user recorded in the change history.
    """
    if service is not None and service.source != Source.LOCAL:
        raise LocalServiceError("only local services can be edited; curate a PTV service instead")
    unknown = set(change.texts) - set(TEXT_FIELDS) or set(change.channel) - set(CHANNEL_FIELDS)
    if unknown:
        raise LocalServiceError(f"unknown field(s): {', '.join(sorted(unknown))}")
    now = timezone.now()
    with transaction.atomic():
        if service is None:
            service = Service(
                source=Source.LOCAL,
                source_id=str(uuid.uuid4()),
                area_type=Service.AreaType.LIMITED,
                languages=["fi"],
            )
        for name, value in change.texts.items():
            setattr(service, name, (value or "").strip())
        if not service.name_fi:
            raise LocalServiceError("name_fi: a Finnish name is required")
        if change.free is not None:
            service.charge_type = ChargeType.FREE if change.free else ChargeType.CHARGEABLE
        if change.languages is not None:
            service.languages = [lang for lang in FALLBACK_ORDER if lang in set(change.languages)]
        service.source_modified = service.last_synced = now
        service.source_hash = ""
        if service.publishing_status != ARCHIVED:
            service.publishing_status, service.is_public = "Published", True
        service._history_user = actor
        service.save()
        if change.themes is not None:
            service.themes.set(change.themes)
        if change.municipalities is not None:
            service.municipalities.set(change.municipalities)
        if region is not None and not service.municipalities.exists():
            service.municipalities.set(Municipality.objects.filter(region=region))
        if change.target_groups is not None:
            keep = service.concepts.exclude(kind=Concept.Kind.TARGET_GROUP)
            service.concepts.set([*keep, *change.target_groups])
        if change.channel or not service.channels.exists():
            values = {**local_channel_values(service), **{k: (v or "").strip() for k, v in change.channel.items()}}
            _channels_write(service, values, now)
        services_index_lexical(service_ids=[service.id])
        service_id = service.id
        transaction.on_commit(lambda: embed_services.delay(service_ids=[service_id]))
    return service


def local_service_archive(*, service: Service, actor=None) -> Service:
    """Take a local service off the public side for good (kept for history, referrals and statistics)."""
    if service.source != Source.LOCAL:
        raise LocalServiceError("only local services can be archived here; hide a PTV service with curation")
    with transaction.atomic():
        service.is_public, service.publishing_status = False, ARCHIVED
        service.source_modified = timezone.now()
        service._history_user = actor
        service.save(update_fields=["is_public", "publishing_status", "source_modified"])
        ServiceChannel.objects.filter(source=Source.LOCAL, source_id__startswith=f"{service.source_id}:").update(
            is_public=False
        )
    return service
