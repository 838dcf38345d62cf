"""A JSON-over-HTTP reader shared by the source clients: anonymous GETs, limits, retries.

Transient failures (429, 5xx, connection errors, timeouts) are retried with exponential
backoff, honouring Retry-After; anything else raises SourceError so the sync can stop
before it writes.

A source is untrusted input, so every read is bounded (issue #15, "a hostile source"):
- a deadline per request that is total, not per read: the body is read in chunks as
  they arrive and the request fails once `request_deadline` seconds have passed (a
  server dripping one byte every two seconds never resets it); a read waits at most
  the time that is left;
- a deadline per run (`begin_run(deadline=...)`) checked before each request and
  bounding each request's own deadline;
- a cap on the size of one response (`max_bytes`) checked while reading, so a 150 MB
  field is refused before it is held in memory;
- a JSON content type (`text/html` from a proxy's error page is not data);
- a cap on pages a walk may take (`max_pages`, checked by the clients' paging loops).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from typing import Any
from urllib.parse import urljoin

import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError

log = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}
CHUNK = 64 * 1024


class SourceError(Exception):
    """The source could not be read; the sync must not write anything."""


class Gone(Exception):
    """The source answered 404 for this request (the clients decide whether that means "none")."""


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
        request_deadline: float | None = None,
        max_bytes: int = 50 * 1024 * 1024,
        max_pages: int = 500,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        self.request_deadline = request_deadline or timeout * 4
        self.max_bytes = max_bytes
        self.max_pages = max_pages
        self.max_retries = max_retries
        self.backoff = backoff
        self.session = session or requests.Session()
        self.session.headers.update(
            {"Accept": "application/json", "User-Agent": "Tarmoa-ingest/1.0", **(headers or {})}
        )
        self.requests_made = 0
        self.run_deadline: float | None = None  # time.monotonic() value
        self.duplicates: list[str] = []  # ids a walk listed twice (counted and logged)

    def begin_run(self, *, deadline: float | None = None) -> None:
        """Start a run: its deadline (seconds from now) and fresh counters."""
        self.run_deadline = time.monotonic() + deadline if deadline else None
        self.requests_made = 0
        self.duplicates = []

    def _remaining(self, what: str) -> float:
        if self.run_deadline is None:
            return self.request_deadline
        left = self.run_deadline - time.monotonic()
        if left <= 0:
            raise self.error_class(f"{what}: the run's deadline passed")
        return min(self.request_deadline, left)

    def _get(self, path_or_url: str, params: dict[str, Any] | None = None, *, allow_404: bool = False) -> Any:
        url = urljoin(self.base_url, path_or_url)
        attempt = 0
        while True:
            attempt += 1
            self.requests_made += 1
            budget = self._remaining(f"GET {path_or_url}")
            try:
                status, headers, body = self._fetch(url, params, budget, path_or_url)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt > self.max_retries:
                    raise self.error_class(
                        f"GET {path_or_url}: {exc.__class__.__name__} after {attempt} attempts"
                    ) from exc
                self._sleep(attempt, None)
                continue
            if status in RETRY_STATUSES and attempt <= self.max_retries:
                log.warning("GET %s answered %s; retrying (%s/%s)", path_or_url, status, attempt, self.max_retries)
                self._sleep(attempt, headers.get("Retry-After"))
                continue
            if status == 404 and allow_404:
                raise Gone(path_or_url)
            if status != 200:
                text = body[:200].decode("utf-8", "replace")
                raise self.error_class(f"GET {path_or_url} {params or ''}: HTTP {status} {text}")
            content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type != "application/json" and not content_type.endswith("+json"):
                raise self.error_class(f"GET {path_or_url}: content type {content_type or 'missing'!r}, not JSON")
            try:
                return json.loads(body)
            except ValueError as exc:
                raise self.error_class(f"GET {path_or_url}: response is not JSON") from exc

    def _fetch(self, url: str, params: dict[str, Any] | None, budget: float, what: str) -> tuple[int, Any, bytes]:
        """One GET read within `budget` seconds in all and `max_bytes` at most."""
        started = time.monotonic()
        read_timeout = max(0.05, min(self.timeout, budget))
        with self.session.get(url, params=params, timeout=(min(self.timeout, budget), read_timeout), stream=True) as r:
            declared = r.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self.error_class(f"GET {what}: {declared} bytes is over the {self.max_bytes}-byte limit")
            chunks: list[bytes] = []
            size = 0
            raw = r.raw
            while True:
                # read1 returns what one read of the socket brings, so the total time is
                # checked between every few bytes of a slow drip (each read waits at most the time left).
                left = budget - (time.monotonic() - started)
                if left <= 0:
                    raise self.error_class(f"GET {what}: no complete answer within {budget:.0f} s")
                self._set_read_timeout(raw, min(read_timeout, left))
                try:
                    chunk = raw.read1(CHUNK, decode_content=True)
                except ReadTimeoutError as exc:
                    raise requests.Timeout(str(exc)) from exc
                except ProtocolError as exc:
                    raise requests.ConnectionError(str(exc)) from exc
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_bytes:
                    raise self.error_class(f"GET {what}: the answer is over the {self.max_bytes}-byte limit")
                chunks.append(chunk)
            return r.status_code, r.headers, b"".join(chunks)

    @staticmethod
    def _set_read_timeout(raw: Any, seconds: float) -> None:
        """Shorten the socket's read timeout to the time left (urllib3 keeps it on the connection)."""
        with contextlib.suppress(AttributeError, OSError):
            raw._fp.fp.raw._sock.settimeout(max(0.05, seconds))

    def _sleep(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2 ** (attempt - 1))
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = max(delay, min(float(retry_after), 60.0))
        time.sleep(delay)

    def _page_allowed(self, page: int, what: str) -> None:
        if page > self.max_pages:
            raise self.error_class(f"{what}: more than {self.max_pages} pages; refusing to walk on")
