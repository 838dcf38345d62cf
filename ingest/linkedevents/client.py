"""Client for a Linked Events API (`/v1/event/`), paging through `meta.next`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ingest.http import JsonClient, SourceError

PAGE_SIZE = 100  # the API's maximum


class LinkedEventsError(SourceError):
    pass


class LinkedEventsClient(JsonClient):
    error_class = LinkedEventsError

    def events(
        self,
        *,
        start: datetime,
        end: datetime,
        since: datetime | None = None,
        division: str = "",
        bbox: str = "",
    ) -> Iterator[dict]:
        """Events overlapping [start, end]; with `since`, only those modified since, deleted ones included."""
        params: dict[str, str | int] = {
            "start": start.date().isoformat(),
            "end": end.date().isoformat(),
            "page_size": PAGE_SIZE,
            "include": "location,keywords",
        }
        if since is not None:
            params["last_modified_since"] = since.isoformat()
            params["show_deleted"] = "true"
        if division:
            params["division"] = division
        if bbox:
            params["bbox"] = bbox
        url: str | None = "event/"
        query: dict | None = params
        while url:
            data = self._get(url, query)
            if not isinstance(data, dict) or not isinstance(data.get("data"), list) or "meta" not in data:
                raise LinkedEventsError(f"GET {url}: not a Linked Events page")
            yield from data["data"]
            url = (data.get("meta") or {}).get("next")
            query = None  # `next` carries its own query string
