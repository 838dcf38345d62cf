"""Client for a Linked Events API (`/v1/event/`), paging through `meta.next`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

from ingest.http import JsonClient, SourceError

PAGE_SIZE = 100  # the API's maximum
EVENT_TYPES = "General,Course,Volunteering"


log = logging.getLogger(__name__)


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
            # audience keywords expanded like keywords; courses and volunteering are listed
            # only when asked for (the API's default is type_id General, events/filters.py).
            "include": "location,keywords,audience",
            "event_type": EVENT_TYPES,
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
        seen: set[str] = set()
        count: int | None = None
        listed = page = 0
        while url:
            page += 1
            self._page_allowed(page, "GET event/")
            data = self._get(url, query)
            if not isinstance(data, dict) or not isinstance(data.get("data"), list) or "meta" not in data:
                raise LinkedEventsError(f"GET {url}: not a Linked Events page")
            meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
            if count is None and isinstance(meta.get("count"), int):
                count = meta["count"]
            for item in data["data"]:
                listed += 1
                item_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(item_id, str):
                    if item_id in seen:
                        log.warning("Linked Events listed %s twice; the second is ignored", item_id)
                        self.duplicates.append(item_id)
                        continue
                    seen.add(item_id)
                yield item
            url = meta.get("next")
            query = None  # `next` carries its own query string
        # A walk that ends short of the first page's count has lost items (a full run would hide them).
        if count is not None and listed < count:
            raise LinkedEventsError(f"GET event/: {listed} events listed, the first page said {count}")
