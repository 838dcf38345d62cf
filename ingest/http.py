"""A JSON-over-HTTP reader shared by the source clients: anonymous GETs, timeouts, retries.

Transient failures (429, 5xx, connection errors, timeouts) are retried with exponential
backoff, honouring Retry-After; anything else raises SourceError so the sync can stop
before it writes.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any
from urllib.parse import urljoin

import requests

log = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}


class SourceError(Exception):
    """The source could not be read; the sync must not write anything."""


class JsonClient:
    error_class: type[SourceError] = SourceError

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30,
        max_retries: int = 4,
        backoff: float = 0.5,
        session: requests.Session | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.session = session or requests.Session()
        self.session.headers.update(
            {"Accept": "application/json", "User-Agent": "Tarmoa-ingest/1.0", **(headers or {})}
        )
        self.requests_made = 0

    def _get(self, path_or_url: str, params: dict[str, Any] | None = None) -> Any:
        url = urljoin(self.base_url, path_or_url)
        attempt = 0
        while True:
            attempt += 1
            self.requests_made += 1
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt > self.max_retries:
                    raise self.error_class(
                        f"GET {path_or_url}: {exc.__class__.__name__} after {attempt} attempts"
                    ) from exc
                self._sleep(attempt, None)
                continue
            if response.status_code in RETRY_STATUSES and attempt <= self.max_retries:
                log.warning(
                    "GET %s answered %s; retrying (%s/%s)", path_or_url, response.status_code, attempt, self.max_retries
                )
                self._sleep(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code != 200:
                raise self.error_class(
                    f"GET {path_or_url} {params or ''}: HTTP {response.status_code} {response.text[:200]}"
                )
            try:
                return response.json()
            except ValueError as exc:
                raise self.error_class(f"GET {path_or_url}: response is not JSON") from exc

    def _sleep(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2 ** (attempt - 1))
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = max(delay, min(float(retry_after), 60.0))
        time.sleep(delay)
