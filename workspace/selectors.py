"""Reads of the professionals' workspace."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from catalog.models import Region, Service


def region_services(*, region: Region, name: str = "", state: str = "") -> QuerySet[Service]:
    """The region's services (serving one of its municipalities, or nationwide), by name."""
    services = (
        Service.objects.filter(
            Q(municipalities__region=region)
            | Q(area_type__in=[Service.AreaType.NATIONWIDE, Service.AreaType.NATIONWIDE_EXCEPT_ALAND])
        )
        .defer("embedding", "search_vector", "search_head", "search_text")
        .select_related("curation")
        .distinct()
        .order_by("name_fi", "id")
    )
    if name:
        services = services.filter(Q(name_fi__icontains=name) | Q(name_sv__icontains=name) | Q(source_id=name))
    if state == "hidden":
        services = services.filter(curation__hidden=True)
    elif state == "featured":
        services = services.filter(curation__featured=True)
    elif state == "curated":
        services = services.filter(curation__isnull=False)
    elif state == "local":
        services = services.filter(source="local", is_public=True)
    elif state == "archived":
        services = services.filter(source="local", is_public=False)
    return services


STALE_AFTER_DAYS = 365
FOLLOW_UP_ROWS = 200


def region_follow_up(*, region: Region) -> dict:
    """What editors should look at: services not updated at the source for 12 months, services
    with no channel, and services whose web links the link check found broken."""
    from datetime import timedelta

    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from catalog.models import LinkCheck, ServiceChannel

    public = region_services(region=region).filter(is_public=True)
    stale = public.filter(source_modified__lt=timezone.now() - timedelta(days=STALE_AFTER_DAYS)).order_by(
        "source_modified", "id"
    )
    public_channel = ServiceChannel.objects.filter(services=OuterRef("pk"), is_public=True)
    no_channel = public.exclude(Exists(public_channel))
    broken = []
    for check in LinkCheck.objects.filter(ok=False).order_by("failing_since", "url")[:FOLLOW_UP_ROWS]:
        channels = ServiceChannel.objects.filter(is_public=True, web_pages__contains=[{"url": check.url}])
        for service in public.filter(channels__in=channels).distinct()[:5]:
            broken.append({"service": service, "check": check})
    return {
        "stale": stale[:FOLLOW_UP_ROWS],
        "stale_count": stale.count(),
        "no_channel": no_channel[:FOLLOW_UP_ROWS],
        "no_channel_count": no_channel.count(),
        "broken": broken,
        "last_check": LinkCheck.objects.order_by("-checked").values_list("checked", flat=True).first(),
    }
