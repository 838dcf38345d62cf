"""Client for Lähellä.fi activities (`items`/`total`/`hasMore`, offset paging with limit/skip).

Lähellä.fi has no public read API; access needs an agreement and a token
(`LAHELLA_API_URL`, `LAHELLA_API_TOKEN`). The shape follows the activities JSON in
shared/reference/event-sources.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from ingest.http import JsonClient, SourceError

PAGE_SIZE = 100


class LahellaError(SourceError):
    pass


class LahellaClient(JsonClient):
    error_class = LahellaError

    def __init__(self, base_url: str, *, token: str = "", page_size: int = PAGE_SIZE, **kwargs) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(base_url, headers=headers, **kwargs)
        self.page_size = page_size

    def activities(self) -> Iterator[dict]:
        skip = 0
        while True:
            data = self._get("activities", {"limit": self.page_size, "skip": skip, "total": "true"})
            if not isinstance(data, dict) or not isinstance(data.get("items"), list):
                raise LahellaError(f"GET activities skip={skip}: not an items/total/hasMore page")
            yield from data["items"]
            if not data.get("hasMore") or not data["items"]:
                return
            skip += len(data["items"])
