"""A local stand-in for a Linked Events API serving the recorded fixture pages (tests, demo)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

from ingest.fakes.server import ScriptedFailures

RECORDED_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "linkedevents"
# Courses, volunteering, date-only times, a recurring series, the richer fields (see its README.md).
REALISTIC_FILE = RECORDED_DIR / "realistic" / "events.json"
TIME_KEYS = ("start_time", "end_time", "enrolment_start_time", "enrolment_end_time")
PREFIX = "/linkedevents/v1/"
RECORDED_ON = date(2026, 11, 29)


class FakeLinkedEvents(ScriptedFailures):
    def __init__(
        self,
        recorded_dir: Path = RECORDED_DIR,
        *,
        page_size: int = 3,
        rebase: bool = False,
        realistic_file: Path | None = REALISTIC_FILE,
    ):
        """`rebase` moves the recording's dates so that it was recorded today (demo, page tests)."""
        self.events: dict[str, dict] = {}
        for path in sorted(recorded_dir.glob("event-page-*.json")):
            for item in json.loads(path.read_text(encoding="utf-8"))["data"]:
                self.events[item["id"]] = item
        if realistic_file is not None and realistic_file.exists():
            for item in json.loads(realistic_file.read_text(encoding="utf-8")):
                self.events[item["id"]] = item
        if rebase:
            shift = timedelta(days=(datetime.now(UTC).date() - RECORDED_ON).days)
            for item in self.events.values():
                for key in TIME_KEYS:
                    value = item.get(key)
                    if value and len(value) == 10:  # a date without a time stays a date
                        item[key] = (date.fromisoformat(value) + shift).isoformat()
                    elif value:
                        moved = datetime.fromisoformat(value.replace("Z", "+00:00")) + shift
                        item[key] = moved.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.page_size = page_size
        self.failures: list[list] = []
        self.requests: list[str] = []

    def _recurring_parent(self, event: dict) -> bool:
        parent_id = str((event.get("super_event") or {}).get("@id") or "").rstrip("/").rsplit("/", 1)[-1]
        parent = self.events.get(parent_id)
        return bool(parent and parent.get("super_event_type") == "recurring")

    def touch(self, event: dict) -> None:
        event["last_modified_time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def answer(self, target: str) -> tuple[int, object]:
        if failed := self.scripted_failure(target, {"detail": "boom"}):
            return failed
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
        # Only General events unless event_type names others (linkedevents events/filters.py).
        types = {t.strip().lower() for t in query.get("event_type", "General").split(",")}
        items = [e for e in items if str(e.get("type_id") or "General").lower() in types]
        if query.get("hide_recurring_children") == "true":
            items = [e for e in items if not e.get("super_event") or not self._recurring_parent(e)]
        page = int(query.get("page", "1"))
        size = min(int(query.get("page_size", self.page_size)), self.page_size)
        chunk = items[(page - 1) * size : page * size]
        has_next = page * size < len(items)
        # The real API answers with an absolute URL; a host-relative one exercises the same urljoin.
        next_url = f"{PREFIX}event/?" + urlencode({**query, "page": page + 1}) if has_next else None
        return 200, {"meta": {"count": len(items), "next": next_url, "previous": None}, "data": chunk}
