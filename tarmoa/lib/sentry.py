"""Optional error tracking with Sentry (or a Sentry-compatible service such as GlitchTip).

On when `SENTRY_DSN` is set and the `sentry-sdk` package is installed (it is not in
requirements: `pip install sentry-sdk`, or build the image with
`--build-arg EXTRA_PIP_PACKAGES=sentry-sdk`). Events carry no personal data: no
user ids or addresses (`send_default_pii=False`), and the request's query string,
cookies, body and headers are dropped, since searches and survey answers live there.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

log = logging.getLogger("tarmoa.settings")


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "cookies", "data", "headers", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> bool:
    """Start the SDK; False (with a warning) when the package is missing."""
    if not dsn:
        return False
    if importlib.util.find_spec("sentry_sdk") is None:
        log.warning("SENTRY_DSN is set but sentry-sdk is not installed: errors are not sent (pip install sentry-sdk).")
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        before_send=scrub_event,
    )
    return True
