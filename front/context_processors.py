from django.conf import settings
from django.core.cache import cache

from catalog.selectors import region_current


def site(request):
    region = cache.get("tarmoa:region")
    if region is None:
        region = region_current() or False
        cache.set("tarmoa:region", region, 300)
    return {
        "REGION": region or None,
        "REGION_NAME": settings.TARMOA_REGION_NAME,
        "QUERY_MAX_LENGTH": settings.SEARCH_QUERY_MAX_LENGTH,
        "OIDC_ENABLED": settings.OIDC_ENABLED,
    }
