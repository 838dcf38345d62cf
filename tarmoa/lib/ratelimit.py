"""Rate limits shared by every process through the cache (Redis), per client.

A bucket (`search`, `api`, `survey`, `survey_store`, `report`, `click`, `login`, `otp`)
allows N requests a period per client; `settings.RATE_LIMITS` holds them with their
defaults (the `RATE_LIMITS` environment variable overrides them, see README). The client is the real address behind
the trusted proxies (`tarmoa.lib.clientip`), an IPv6 client its /64; only a keyed hash
of it reaches the cache, never the address.

Counting is a fixed window: one counter per client, bucket and window, created with
`add` and raised with `incr` (both atomic in Redis), expiring with the window. When the
cache is unreachable the resilient cache backend counts in the process instead, so the
limits hold per process rather than not at all.

Use:
- `@rate_limit("search")` on a view: over the limit it answers 429 with Retry-After
  (an HTML page, or JSON with `json=True`);
- `hit(request, "survey_store")` in a view that decides itself what to do when limited;
- `ApiRateThrottle` (or a subclass with another `bucket`) on Django REST framework views:
  the same buckets and counters as the decorator.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from tarmoa.lib.clientip import client_key


def rate_for(bucket: str) -> tuple[int, int] | None:
    """(limit, period in seconds) of a bucket, or None when it is off."""
    try:
        return settings.RATE_LIMITS[bucket]
    except KeyError:
        raise KeyError(f"unknown rate limit bucket {bucket!r}") from None


def _digest(key: str) -> str:
    # Keyed with the secret so the cache never holds a guessable address.
    return hashlib.blake2b(key.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=12).hexdigest()


def hit(request: HttpRequest | None, bucket: str, *, key: str | None = None) -> int:
    """Count one request of the client in `bucket`: 0 when allowed, else the seconds to wait.

    `key` replaces the client address (e.g. a user name); either way only a hash is kept.
    """
    rate = rate_for(bucket)
    if rate is None:
        return 0
    limit, period = rate
    who = key if key is not None else (client_key(request) if request is not None else "")
    now = time.time()
    window = int(now // period)
    cache_key = f"rl:{bucket}:{_digest(who)}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * period - now + 0.999))


def too_many_response(request: HttpRequest, retry_after: int, *, json: bool = False) -> HttpResponse:
    """429 with Retry-After, as JSON or as the site's page."""
    message = _("Liian monta pyyntöä lyhyessä ajassa. Yritä hetken kuluttua uudelleen.")
    if json:
        response: HttpResponse = JsonResponse(
            {"error": message, "retry_after": retry_after}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    else:
        html = render_to_string("429.html", {"message": message, "retry_after": retry_after}, request=request)
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(bucket: str, *, methods: Iterable[str] | None = None, json: bool = False) -> Callable:
    """View decorator: count each request (of `methods`, default all) and answer 429 over the limit."""
    counted = {m.upper() for m in methods} if methods else None
    rate_for(bucket)  # an unknown bucket fails at import, not on a request

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if counted is None or request.method in counted:
                wait = hit(request, bucket)
                if wait:
                    return too_many_response(request, wait, json=json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ApiRateThrottle(BaseThrottle):
    """Django REST framework throttle on the `api` bucket (the counters `rate_limit("api")` uses).

    Subclass with another `bucket` for other views. DRF turns a refusal into 429 with
    Retry-After from `wait()`.
    """

    bucket = "api"

    def allow_request(self, request, view) -> bool:
        # DRF's Request wraps Django's; the address is read from the wrapped one.
        self._wait = hit(getattr(request, "_request", request), self.bucket)
        return self._wait == 0

    def wait(self) -> float | None:
        return float(self._wait) if getattr(self, "_wait", 0) else None
