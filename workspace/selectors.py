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
    elif state == "out_of_scope":
        services = services.filter(source="ptv", publishing_status="Published").exclude(scope_status="in")
    elif state == "scope_override":
        services = services.exclude(curation__scope_override="").filter(curation__isnull=False)
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


def scope_overview() -> dict:
    """The scope page: per theme its PTV service classes (code, name, services stored and public
    under each), the classes most common among services kept out of scope, and the totals."""
    from django.db.models import Count

    from catalog.models import Concept, ScopeStatus, Source, Theme
    from catalog.scope import scope_summary

    through = Service.concepts.through.objects.filter(
        service__source=Source.PTV, service__publishing_status="Published", concept__kind=Concept.Kind.SERVICE_CLASS
    )
    stored = dict(through.values_list("concept__code").annotate(n=Count("service_id", distinct=True)))
    public = dict(
        through.filter(service__is_public=True)
        .values_list("concept__code")
        .annotate(n=Count("service_id", distinct=True))
    )
    names = class_names()
    themes = []
    for theme in Theme.objects.order_by("order"):
        classes = [
            {"code": code, "name": names.get(code, ""), "stored": stored.get(code, 0), "public": public.get(code, 0)}
            for code in theme.service_class_codes
        ]
        themes.append({"theme": theme, "classes": classes})
    out = (
        through.filter(service__scope_status=ScopeStatus.CLASS)
        .values_list("concept__code")
        .annotate(n=Count("service_id", distinct=True))
        .order_by("-n", "concept__code")[:30]
    )
    candidates = [{"code": code, "name": names.get(code, ""), "stored": n} for code, n in out if code]
    return {"themes": themes, "candidates": candidates, "summary": scope_summary()}


def class_names() -> dict[str, str]:
    """PTV service class code -> its name in the reader's language (the code lists, catalog/data)."""
    from catalog.i18n import localized
    from catalog.models import Concept

    return {
        concept.code: localized(concept, "name").text
        for concept in Concept.objects.filter(kind=Concept.Kind.SERVICE_CLASS).exclude(code="")
    }
