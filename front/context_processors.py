from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from catalog.selectors import region_current

SELKO_COOKIE = "tarmoa_selko"


def site(request):
    region = cache.get("tarmoa:region")
    if region is None:
        region = region_current() or False
        cache.set("tarmoa:region", region, 300)
    return {
        "REGION": region or None,
        "REGION_NAME": settings.TARMOA_REGION_NAME,
        "QUERY_MAX_LENGTH": settings.SEARCH_QUERY_MAX_LENGTH,
        # Selkokieli is plain Finnish: a reading option of the Finnish pages only.
        "SELKO": request.COOKIES.get(SELKO_COOKIE) == "1" and (get_language() or "fi")[:2] == "fi",
        "OIDC_ENABLED": settings.OIDC_ENABLED,
    }
