"""A local stand-in for a Linked Events API serving the recorded fixture pages (tests, demo)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

RECORDED_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "linkedevents"
PREFIX = "/linkedevents/v1/"
RECORDED_ON = date(2026, 11, 29)


class FakeLinkedEvents:
    def __init__(self, recorded_dir: Path = RECORDED_DIR, *, page_size: int = 3, rebase: bool = False):
        """`rebase` moves the recording's dates so that it was recorded today (demo, page tests)."""
        self.events: dict[str, dict] = {}
        for path in sorted(recorded_dir.glob("event-page-*.json")):
            for item in json.loads(path.read_text(encoding="utf-8"))["data"]:
                self.events[item["id"]] = item
        if rebase:
            shift = timedelta(days=(datetime.now(UTC).date() - RECORDED_ON).days)
            for item in self.events.values():
                for key in ("start_time", "end_time"):
                    if item.get(key):
                        moved = datetime.fromisoformat(item[key].replace("Z", "+00:00")) + shift
                        item[key] = moved.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.page_size = page_size
        self.failures: list[list] = []
        self.requests: list[str] = []

    def touch(self, event: dict) -> None:
        event["last_modified_time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def fail(self, substring: str, status: int = 500, times: int = 1) -> None:
        self.failures.append([substring, status, times])

    def answer(self, target: str) -> tuple[int, object]:
        self.requests.append(target)
        for failure in self.failures:
            if failure[0] in target and failure[2] > 0:
                failure[2] -= 1
                return failure[1], {"detail": "boom"}
        parsed = urlparse(target)
        if parsed.path != PREFIX + "event/":
            return 404, {"detail": "Not found."}
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        items = list(self.events.values())
        if "last_modified_since" in query:
            since = datetime.fromisoformat(query["last_modified_since"].replace("Z", "+00:00"))
            since = since if since.tzinfo else since.replace(tzinfo=UTC)
            items = [
                e for e in items
                if datetime.fromisoformat(e["last_modified_time"].replace("Z", "+00:00")) > since
            ]  # fmt: skip
        if query.get("show_deleted") != "true":
            items = [e for e in items if not e.get("deleted")]
        page = int(query.get("page", "1"))
        size = min(int(query.get("page_size", self.page_size)), self.page_size)
        chunk = items[(page - 1) * size : page * size]
        has_next = page * size < len(items)
        # The real API answers with an absolute URL; a host-relative one exercises the same urljoin.
        next_url = f"{PREFIX}event/?" + urlencode({**query, "page": page + 1}) if has_next else None
        return 200, {"meta": {"count": len(items), "next": next_url, "previous": None}, "data": chunk}
