from django.conf import settings
from django.core.cache import cache


def site(request):
    region = cache.get("tarmoa:region")
    if region is None:
        from catalog.models import Region

        region = Region.objects.filter(code="region").first() or False
        cache.set("tarmoa:region", region, 300)
    return {
        "REGION": region or None,
        "REGION_NAME": settings.TARMOA_REGION_NAME,
        "QUERY_MAX_LENGTH": settings.SEARCH_QUERY_MAX_LENGTH,
    }
