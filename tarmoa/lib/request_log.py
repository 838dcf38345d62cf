"""Request id for every request, and (with `LOG_REQUESTS`) one log line per request.

The id comes from the proxy's `X-Request-ID` (Caddy sets one per request) when it looks
like an id, else a new one; it is echoed in the response so an operator can find the
lines of one request. The request line names the URL *pattern* that answered
(`kysely/tulos/<str:token>/`), never the path or query string the client sent: search
queries are personal and result links carry secrets, so neither may reach a log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from tarmoa.lib.jsonlog import request_id_var

log = logging.getLogger("tarmoa.request")
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if getattr(settings, "LOG_REQUESTS", False):
                match = request.resolver_match
                route = f"/{match.route}" if match is not None else "(no route)"
                log.info(
                    "%s %s %s",
                    request.method,
                    route,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "route": route,
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)
