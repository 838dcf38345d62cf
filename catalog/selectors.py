"""Reads of the catalog. Views, tasks and commands call these."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from catalog.models import Municipality, Region, Service, ServiceOrganization, Theme


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("order")


def region_current() -> Region | None:
    """The region this instance serves: the first region row (seeded by `setup_region`)."""
    return Region.objects.order_by("id").first()


def region_municipalities() -> QuerySet[Municipality]:
    """The current region's municipalities by name (one query: the region is a subquery)."""
    return Municipality.objects.filter(region__in=Region.objects.order_by("id")[:1]).order_by("name_fi")


def service_for_resident(*, service_id: int) -> Service | None:
    return (
        Service.objects.filter(id=service_id, is_public=True)
        .exclude(curation__hidden=True)
        .select_related("curation")
        .prefetch_related(
            "themes",
            "municipalities",
            "channels__municipality",
            Prefetch("organization_roles", queryset=ServiceOrganization.objects.select_related("organization")),
        )
        .first()
    )


def _general_fields(service: Service) -> set[str]:
    """Texts shown from the general description (PTV GD_…) in the reader's language, e.g. {"description"}."""
    from catalog.i18n import localized

    shown = set()
    for name in ("summary", "description", "user_instruction", "charge_info"):
        value = localized(service, name)
        if value.text and f"{name}_{value.language}" in (service.general_text_fields or []):
            shown.add(name)
    return shown


def _channel_details(service: Service, channel_id: str) -> dict:
    """What this service says about one of its channels (PTV serviceChannels[]), ready to show."""
    from catalog.opening_hours import hour_lines

    details = (service.channel_details or {}).get(channel_id) or {}
    if not isinstance(details, dict):
        return {}
    return {**details, "hour_lines": hour_lines(details.get("service_hours") or [])}


def service_detail_context(*, service: Service) -> dict:
    from catalog.opening_hours import channel_view

    channels = [
        {**channel_view(c), "details": _channel_details(service, c.source_id)}
        for c in service.channels.all()
        if c.is_public
    ]
    order = {"ServiceLocation": 0, "Phone": 1, "EChannel": 2, "WebPage": 3}
    channels.sort(key=lambda c: (order.get(c["channel"].kind, 9), c["channel"].name_fi))
    producers = [r for r in service.organization_roles.all() if r.role == "Producer"]
    responsible = [r for r in service.organization_roles.all() if r.role != "Producer"]
    curation = getattr(service, "curation", None)  # None when the region has not curated it
    has_own_summary = curation is not None and any(getattr(curation, f"summary_{lang}") for lang in ("fi", "sv", "en"))
    return {
        "service": service,
        # The region's own summary (curation overlay) replaces the source's where it wrote one.
        "summary_source": curation if has_own_summary else service,
        "channels": channels,
        "organizations": [r.organization for r in responsible + producers],
        # Producers that are not PTV organisations (associations, bought-in services): names only.
        "producer_names": [p["name"] for p in service.producers or [] if isinstance(p, dict) and p.get("name")],
        "general_fields": _general_fields(service),
        "themes": list(service.themes.all()),
    }


def _first_email(items) -> str:
    for email in items or []:
        if isinstance(email, dict) and isinstance(email.get("value"), str) and email["value"].strip():
            return email["value"].strip()
    return ""


def service_upstream_owner(*, service: Service) -> dict:
    """Who keeps the service's source data and the address a resident's error report goes to:
    {"name", "email", "origin"} ("" where the source has none); `origin` tells an editor where
    the address came from. The owner's own address first:

    1. the responsible organisation's own email in PTV;
    2. a channel of that organisation (its phone line, office or web page);
    3. the service's own contact details for one of its channels in PTV;
    4. any channel of the service (maybe another organisation's: the origin says whose);
    a local service's owner is the region itself, with the address its channel shows.
    """
    from django.utils.translation import gettext as _

    roles = sorted(service.organization_roles.select_related("organization"), key=lambda r: r.role == "Producer")
    owner = roles[0].organization if roles else None
    name = owner.name_fi if owner else ""

    def found(email: str, origin: str) -> dict:
        return {"name": name, "email": email, "origin": origin}

    if owner is not None and _first_email(owner.emails):
        return found(_first_email(owner.emails), _("organisaation oma sähköpostiosoite lähteessä"))
    channels = list(service.channels.select_related("organization").order_by("id"))
    if owner is not None:
        for channel in channels:
            if channel.organization_id == owner.id and _first_email(channel.emails):
                return found(
                    _first_email(channel.emails),
                    _("organisaation asiointikanava %(channel)s") % {"channel": channel.name_fi},
                )
    for _guid, details in sorted((service.channel_details or {}).items()):
        email = _first_email(details.get("emails") if isinstance(details, dict) else None)
        if email:
            return found(email, _("palvelun omat yhteystiedot lähteessä"))
    for channel in channels:
        if _first_email(channel.emails):
            other = channel.organization.name_fi if channel.organization and channel.organization != owner else ""
            origin = _("asiointikanava %(channel)s") % {"channel": channel.name_fi}
            if other:
                origin += " (" + _("toisen organisaation: %(name)s") % {"name": other} + ")"
            return found(_first_email(channel.emails), origin)
    return found("", "")


def location_for_text(*, text: str) -> tuple[float, float] | None:
    """Where a resident says they are ("70100", "Kuopio", "Väinölänniemenkatu 2"), from the catalog itself.

    No outside geocoder: a postcode or a post office is the mean position of the service
    points that carry it, a street address the position of a point at that address. Good
    enough for "about 3 km"; None when nothing matches.
    """
    import re

    from django.db.models import Avg, Q

    from catalog.models import ServiceChannel

    text = " ".join((text or "").split())[:100]
    if not text:
        return None
    located = ServiceChannel.objects.filter(is_public=True, latitude__isnull=False, longitude__isnull=False)
    postcode = re.search(r"\b\d{5}\b", text)
    if postcode:
        matches = located.filter(postal_code=postcode.group())
    else:
        matches = located.filter(
            Q(post_office_fi__iexact=text) | Q(post_office_sv__iexact=text) | Q(post_office_en__iexact=text)
        )
        if not matches.exists():
            street = text.split(",")[0].strip()
            matches = located.filter(Q(street_address_fi__iexact=street) | Q(street_address_sv__iexact=street))
    point = matches.aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if point["lat"] is None:
        return None
    return point["lat"], point["lon"]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), the same formula as static/js/distance.js."""
    from math import asin, cos, radians, sin, sqrt

    lat1, lon1, lat2, lon2 = map(radians, (*a, *b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


def service_target_groups(*, service_ids: list[int]) -> dict[int, set[str]]:
    """PTV target group codes (KR1.1, KR1.2, ...) of each service, one query."""
    through = Service.concepts.through
    groups: dict[int, set[str]] = {service_id: set() for service_id in service_ids}
    rows = through.objects.filter(service_id__in=service_ids, concept__kind="target_group").values_list(
        "service_id", "concept__code"
    )
    for service_id, code in rows:
        groups[service_id].add(code)
    return groups
