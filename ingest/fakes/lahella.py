"""A local stand-in for the Lähellä.fi activities endpoint, serving the recorded fixture."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from ingest.fakes.server import ScriptedFailures

RECORDED_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "lahella"
PREFIX = "/lahella/v1/"
RECORDED_ON = date(2026, 11, 29)


class FakeLahella(ScriptedFailures):
    def __init__(self, recorded_dir: Path = RECORDED_DIR, *, token: str = "demo-token", rebase: bool = False):  # noqa: S107
        self.items: list[dict] = []
        for path in sorted(recorded_dir.glob("activities-skip-*.json"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            self.items += json.loads(path.read_text(encoding="utf-8"))["items"]
        self.token = token
        if rebase:
            shift_ms = (datetime.now(UTC).date() - RECORDED_ON).days * 86_400_000
            for item in self.items:
                for channel in item["traits"].get("channels", []):
                    for event in channel.get("events", []):
                        event["start"] += shift_ms
                        recurrence = event.get("recurrence") or {}
                        if recurrence.get("end"):
                            recurrence["end"] += shift_ms
                        recurrence["exclude"] = [x + shift_ms for x in recurrence.get("exclude", [])]
        self.failures: list[list] = []
        self.requests: list[str] = []

    def check_headers(self, headers) -> tuple[int, object] | None:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"error": "invalid or missing token"}
        return None

    def answer(self, target: str) -> tuple[int, object]:
        if failed := self.scripted_failure(target, {"error": "boom"}):
            return failed
        parsed = urlparse(target)
        if parsed.path != PREFIX + "activities":
            return 404, {"error": "not found"}
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        limit, skip = int(query.get("limit", "100")), int(query.get("skip", "0"))
        chunk = self.items[skip : skip + limit]
        return 200, {"items": chunk, "total": len(self.items), "hasMore": skip + limit < len(self.items)}
