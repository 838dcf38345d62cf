"""Client for Lähellä.fi activities (`items`/`total`/`hasMore`, offset paging with limit/skip).

Lähellä.fi has no public read API; access needs an agreement and a token
(`LAHELLA_API_URL`, `LAHELLA_API_TOKEN`). The shape follows the activities JSON in
shared/reference/event-sources.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from ingest.http import JsonClient, SourceError

PAGE_SIZE = 100
log = logging.getLogger(__name__)


class LahellaError(SourceError):
    pass


class LahellaClient(JsonClient):
    error_class = LahellaError

    def __init__(self, base_url: str, *, token: str = "", page_size: int = PAGE_SIZE, **kwargs) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(base_url, headers=headers, **kwargs)
        self.page_size = page_size

    def activities(self) -> Iterator[dict]:
        skip = page = 0
        seen: set[str] = set()
        total: int | None = None
        while True:
            page += 1
            self._page_allowed(page, "GET activities")
            data = self._get("activities", {"limit": self.page_size, "skip": skip, "total": "true"})
            if not isinstance(data, dict) or not isinstance(data.get("items"), list):
                raise LahellaError(f"GET activities skip={skip}: not an items/total/hasMore page")
            if total is None and isinstance(data.get("total"), int):
                total = data["total"]
            for item in data["items"]:
                key = item.get("_key") if isinstance(item, dict) else None
                if isinstance(key, str):
                    if key in seen:
                        log.warning("Lähellä.fi listed %s twice; the second is ignored", key)
                        self.duplicates.append(key)
                        continue
                    seen.add(key)
                yield item
            skip += len(data["items"])
            if not data.get("hasMore") or not data["items"]:
                break
        # Fewer items than the first page's total: the walk lost some (a full run would hide them).
        if total is not None and skip < total:
            raise LahellaError(f"GET activities: {skip} items listed, the first page said {total}")
