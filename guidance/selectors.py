"""Reads of service guidance: what a shortlist or referral shows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from catalog.models import Service, ServiceChannel
from catalog.opening_hours import channel_view
from events.models import EventOccurrence
from guidance.models import Referral, Shortlist


def service_handout(services) -> list[dict]:
    """Each service with what a client needs to get there: phones, address, hours, web page."""
    ids = [s.id for s in services]
    rows = (
        Service.objects.filter(id__in=ids)
        .select_related("curation")
        .prefetch_related(Prefetch("channels", queryset=ServiceChannel.objects.filter(is_public=True)))
    )
    by_id = {s.id: s for s in rows}
    out = []
    for service_id in ids:
        service = by_id.get(service_id)
        if service is None:
            continue
        channels = [channel_view(c) for c in service.channels.all()]
        order = {"ServiceLocation": 0, "Phone": 1, "EChannel": 2, "WebPage": 3}
        channels.sort(key=lambda c: order.get(c["channel"].kind, 9))
        curation = getattr(service, "curation", None)
        own = curation is not None and any(getattr(curation, f"summary_{lang}") for lang in ("fi", "sv", "en"))
        out.append({"service": service, "summary_source": curation if own else service, "channels": channels})
    return out


def event_handout(events) -> list[dict]:
    """Each event with its next start times (at most three)."""
    now = timezone.now()
    out = []
    for event in events:
        times = list(
            EventOccurrence.objects.filter(event=event, start__gte=now - timedelta(hours=2))
            .order_by("start")
            .values_list("start", flat=True)[:3]
        )
        out.append({"event": event, "times": times})
    return out


def shortlist_context(shortlist: Shortlist) -> dict:
    services = list(shortlist.services.order_by("name_fi"))
    events = list(shortlist.events.filter(is_public=True).select_related("municipality").order_by("name_fi"))
    return {
        "shortlist": shortlist,
        "services": service_handout(services),
        "events": event_handout(events),
        "themes": list(shortlist.themes.order_by("order")),
    }


def referrals_of(user) -> list[Referral]:
    return list(Referral.objects.filter(professional=user).prefetch_related("services").order_by("-created")[:200])
