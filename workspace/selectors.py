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
