"""HTTP client for PTV (Palvelutietovaranto) open API v11.

The sync talks to :class:`ServiceCatalogClient`, a small adapter interface, so that a v12
client (different envelope, API key) can replace this one without touching the sync.
Reads are anonymous: no Authorization header is ever sent (a malformed one makes PTV
answer 500). Retries and timeouts come from :class:`ingest.http.JsonClient`; anything
that cannot be read raises :class:`PtvError`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, Protocol

from ingest.http import Gone, JsonClient, SourceError

log = logging.getLogger(__name__)
GUID_BATCH = 100  # PTV's maximum for list?guids=


class PtvError(SourceError):
    """PTV could not be read; the sync must not write anything."""


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


class PtvClientV11(JsonClient):
    error_class = PtvError

    def __init__(self, base_url: str, **kwargs) -> None:
        super().__init__(base_url, **kwargs)
        # A malformed Authorization header makes PTV answer 500 on anonymous reads.
        self.session.headers.pop("Authorization", None)
        self.vanished: list[str] = []  # GUIDs asked for with list?guids= that PTV no longer publishes

    def begin_run(self, *, deadline: float | None = None) -> None:
        super().begin_run(deadline=deadline)
        self.vanished = []

    def _pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict]:
        """Walk a paged endpoint: `page` from 1 while pageNumber < pageCount.

        The next page is requested while the caller works through this one (a 20,000-service
        walk otherwise waits for the server about as long as it spends decoding): the same
        requests in the same order, one at a time, from one helper thread.
        """

        def fetch(page: int) -> tuple[list, int]:
            self._page_allowed(page, f"GET {path}")
            data = self._get(path, {**(params or {}), "page": page})
            if not isinstance(data, dict) or "itemList" not in data or not isinstance(data["itemList"] or [], list):
                raise PtvError(f"GET {path} page {page}: not a PTV paging envelope")
            items = data.get("itemList") or []
            try:
                page_count, page_size = int(data.get("pageCount") or 0), int(data.get("pageSize") or 0)
            except (TypeError, ValueError):
                raise PtvError(f"GET {path} page {page}: pageCount/pageSize are not numbers") from None
            # Every page but the last is full: a short page means items the walk would
            # silently miss (and a full sync would then hide).
            if page < page_count and page_size and len(items) != page_size:
                raise PtvError(f"GET {path} page {page}/{page_count}: {len(items)} items, pageSize {page_size}")
            if page_size and len(items) > page_size:
                raise PtvError(f"GET {path} page {page}: {len(items)} items, over pageSize {page_size}")
            return items, page_count

        seen: set[str] = set()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ptv-pages") as pool:
            page = 1
            pending = pool.submit(fetch, page)
            while pending is not None:
                items, page_count = pending.result()
                pending = pool.submit(fetch, page + 1) if page < page_count else None
                page += 1
                for item in items:
                    guid = item.get("id") if isinstance(item, dict) else None
                    if isinstance(guid, str):
                        if guid in seen:
                            log.warning("GET %s listed %s twice; the second is ignored", path, guid)
                            self.duplicates.append(guid)
                            continue
                        seen.add(guid)
                    yield item

    def _by_ids(self, path: str, ids: Iterable[str]) -> Iterator[dict]:
        """`list?guids=` in batches; a 404 means none of the batch is published (gone), not a failure."""
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), GUID_BATCH):
            batch = unique[start : start + GUID_BATCH]
            try:
                data = self._get(path, {"guids": ",".join(batch)}, allow_404=True)
            except Gone:
                log.info("GET %s: none of %s GUIDs is published any more", path, len(batch))
                self.vanished += batch
                continue
            if not isinstance(data, list):
                raise PtvError(f"GET {path}: expected a JSON array")
            returned = {item.get("id") for item in data if isinstance(item, dict)}
            self.vanished += [guid for guid in batch if guid not in returned]
            yield from data

    # --- Adapter interface ----------------------------------------------------------
    def services_in_municipality(self, code: str, *, include_whole_country: bool) -> Iterator[dict]:
        # serviceWithGD=true: the texts of the service's general description come along,
        # typed GD_Description, GD_UserInstruction, ... (without it they are never sent).
        return self._pages(
            f"Service/list/area/Municipality/code/{code}",
            {"includeWholeCountry": str(include_whole_country).lower(), "serviceWithGD": "true"},
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
        return self._by_ids("Service/serviceWithGD/list", ids)

    def channels_by_ids(self, ids: Iterable[str]) -> Iterator[dict]:
        return self._by_ids("ServiceChannel/list", ids)

    def organizations_by_ids(self, ids: Iterable[str]) -> Iterator[dict]:
        return self._by_ids("Organization/list", ids)
