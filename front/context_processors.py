import logging

from django.conf import settings
from django.core.cache import cache

from catalog.selectors import region_current
from tarmoa.lib.selko import SELKO_COOKIE, reading_selko

__all__ = ["SELKO_COOKIE", "reading_selko", "site"]
log = logging.getLogger(__name__)


def site(request):
    # Every HTML page runs this: a cache that fails must cost the page nothing but the cache.
    try:
        region = cache.get("tarmoa:region")
    except Exception:  # any cache backend error; the resilient backend already answers from memory
        log.warning("cache unavailable for the region", exc_info=True)
        region = None
    if region is None:
        region = region_current() or False
        try:
            cache.set("tarmoa:region", region, 300)
        except Exception:
            log.warning("cache unavailable for the region", exc_info=True)
    return {
        "REGION": region or None,
        "REGION_NAME": settings.TARMOA_REGION_NAME,
        "QUERY_MAX_LENGTH": settings.SEARCH_QUERY_MAX_LENGTH,
        "SELKO": reading_selko(request),
        "OIDC_ENABLED": settings.OIDC_ENABLED,
    }
