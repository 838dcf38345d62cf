"""`/metrics` for Prometheus (django-prometheus), closed to the public.

A scrape is allowed when the connecting address (REMOTE_ADDR, the direct peer: never
X-Forwarded-For, which a client writes itself) is in `METRICS_ALLOWED_IPS`, or when it
carries `Authorization: Bearer <METRICS_TOKEN>`. Anything else gets a plain 404, as if
there were nothing here. Behind the compose proxy every public request arrives from the
proxy's address, so the proxy also answers 404 to /metrics itself (see Caddyfile) and
Prometheus scrapes web:8000 directly.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from tarmoa.lib.netlist import address_in


def _address_allowed(request: HttpRequest) -> bool:
    return address_in(request.META.get("REMOTE_ADDR", ""), settings.METRICS_ALLOWED_NETWORKS)


def _token_allowed(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not (_address_allowed(request) or _token_allowed(request)):
        return HttpResponseNotFound(b"Not Found", content_type="text/plain")
    return ExportToDjangoView(request)
