"""HTTP client for PTV (Palvelutietovaranto) open API v11.

The sync talks to :class:`ServiceCatalogClient`, a small adapter interface, so that a v12
client (different envelope, API key) can replace this one without touching the sync.
Reads are anonymous: no Authorization header is ever sent (a malformed one makes PTV
answer 500). Transient failures (429, 5xx, connection errors, timeouts) are retried with
exponential backoff, honouring Retry-After; anything else raises :class:`PtvError`.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urljoin

import requests

log = logging.getLogger(__name__)

GUID_BATCH = 100  # PTV's maximum for list?guids=
RETRY_STATUSES = {429, 500, 502, 503, 504}


class PtvError(Exception):
    """The catalogue could not be read; the sync must not write anything."""


class ServiceCatalogClient(Protocol):
    def services_in_municipality(self, code: str, *, include_whole_country: bool) -> Iterator[dict]: ...

    def channels_in_municipality(self, code: str, *, include_whole_country: bool) -> Iterator[dict]: ...

    def changed_service_ids(self, since: datetime, *, status: str = "Published") -> list[str]: ...

    def changed_channel_ids(self, since: datetime, *, status: str = "Published") -> list[str]: ...

    def services_by_ids(self, ids: Iterable[str]) -> Iterator[dict]: ...

    def channels_by_ids(self, ids: Iterable[str]) -> Iterator[dict]: ...

    def organizations_by_ids(self, ids: Iterable[str]) -> Iterator[dict]: ...


def ptv_date(moment: datetime) -> str:
    """PTV's `date` filter: UTC, 'yyyy-MM-ddTHH:mm:ss' without a zone."""
    if moment.tzinfo is not None:
        from datetime import UTC

        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


class PtvClientV11:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30,
        max_retries: int = 4,
        backoff: float = 0.5,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.session = session or requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": "Tarmoa-ingest/1.0"})
        self.session.headers.pop("Authorization", None)
        self.requests_made = 0

    # --- HTTP -----------------------------------------------------------------------
    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        url = urljoin(self.base_url, path)
        attempt = 0
        while True:
            attempt += 1
            self.requests_made += 1
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt > self.max_retries:
                    raise PtvError(f"GET {path}: {exc.__class__.__name__} after {attempt} attempts") from exc
                self._sleep(attempt, None)
                continue
            if response.status_code in RETRY_STATUSES and attempt <= self.max_retries:
                log.warning(
                    "PTV GET %s answered %s; retrying (%s/%s)", path, response.status_code, attempt, self.max_retries
                )
                self._sleep(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code != 200:
                raise PtvError(f"GET {path} {params or ''}: HTTP {response.status_code} {response.text[:200]}")
            try:
                return response.json()
            except ValueError as exc:
                raise PtvError(f"GET {path}: response is not JSON") from exc

    def _sleep(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2 ** (attempt - 1))
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = max(delay, min(float(retry_after), 60.0))
        time.sleep(delay)

    def _pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict]:
        """Walk a paged endpoint: `page` from 1 while pageNumber < pageCount."""
        page = 1
        while True:
            data = self._get(path, {**(params or {}), "page": page})
            if not isinstance(data, dict) or "itemList" not in data:
                raise PtvError(f"GET {path} page {page}: not a PTV paging envelope")
            yield from data.get("itemList") or []
            page_count = int(data.get("pageCount") or 0)
            if page >= page_count:
                return
            page += 1

    def _by_ids(self, path: str, ids: Iterable[str]) -> Iterator[dict]:
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), GUID_BATCH):
            batch = unique[start : start + GUID_BATCH]
            data = self._get(path, {"guids": ",".join(batch)})
            if not isinstance(data, list):
                raise PtvError(f"GET {path}: expected a JSON array")
            yield from data

    # --- Adapter interface ----------------------------------------------------------
    def services_in_municipality(self, code: str, *, include_whole_country: bool) -> Iterator[dict]:
        return self._pages(
            f"Service/list/area/Municipality/code/{code}",
            {"includeWholeCountry": str(include_whole_country).lower()},
        )

    def channels_in_municipality(self, code: str, *, include_whole_country: bool) -> Iterator[dict]:
        return self._pages(
            f"ServiceChannel/list/area/Municipality/code/{code}",
            {"includeWholeCountry": str(include_whole_country).lower()},
        )

    def changed_service_ids(self, since: datetime, *, status: str = "Published") -> list[str]:
        return [item["id"] for item in self._pages("Service", {"date": ptv_date(since), "status": status})]

    def changed_channel_ids(self, since: datetime, *, status: str = "Published") -> list[str]:
        return [item["id"] for item in self._pages("ServiceChannel", {"date": ptv_date(since), "status": status})]

    def services_by_ids(self, ids: Iterable[str]) -> Iterator[dict]:
        return self._by_ids("Service/list", ids)

    def channels_by_ids(self, ids: Iterable[str]) -> Iterator[dict]:
        return self._by_ids("ServiceChannel/list", ids)

    def organizations_by_ids(self, ids: Iterable[str]) -> Iterator[dict]:
        return self._by_ids("Organization/list", ids)
