"""A local stand-in for THL's Sotkanet REST API (https://sotkanet.fi/rest/1.1/), serving
the demo fixtures in ingest/fixtures/sotkanet/.

The fixtures hold SYNTHETIC DEMO VALUES in the live shapes, not THL figures. The shapes
come from public clients of the live service:
- `indicators/{id}`: rOpenGov/sotkanet R/sotkanet_indicators.R and R/sotkanet_collect.R
  (`id`, `title`, `organization`), MattiManninenMJ/hus-sotkanet
  config/indicators_metadata.json (a recorded answer: `range`, `primaryValueType`, `decimals`);
- `regions`: rOpenGov/sotkanet R/sotkanet_regions.R and R/sotkanet_collect.R
  (`id`, `title`, `code`, `category`, `uri`);
- `json?indicator=&years=&years=&genders=`: rOpenGov/sotkanet R/get_sotkanet.R (the query),
  MattiManninenMJ/hus-sotkanet api/sotkanet_api.py and data/processor.py (`indicator`,
  `region`, `year`, `gender`, `value`, `absValue`); the answer holds every region's points.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from ingest.fakes.server import ScriptedFailures

RECORDED_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "sotkanet"
PREFIX = "/sotkanet/rest/1.1/"


class FakeSotkanet(ScriptedFailures):
    def __init__(self, recorded_dir: Path = RECORDED_DIR) -> None:
        def load(name: str):
            return json.loads((recorded_dir / f"{name}.json").read_text(encoding="utf-8"))

        self.indicators: dict[int, dict] = {i["id"]: i for i in load("indicators")}
        self.regions: list = load("regions")
        self.data: list = load("data")
        self.failures: list[list] = []
        self.overrides: dict[str, object] = {}  # path substring -> body (or RawAnswer) to send instead
        self.requests: list[str] = []

    def answer(self, target: str) -> tuple[int, object]:
        if failed := self.scripted_failure(target, {"error": "boom"}):
            return failed
        for substring, body in self.overrides.items():
            if substring in target:
                return 200, body
        parsed = urlparse(target)
        if not parsed.path.startswith(PREFIX):
            return 404, {"error": "not found"}
        path = parsed.path[len(PREFIX) :]
        query = parse_qs(parsed.query)
        if path == "regions":
            return 200, self.regions
        if path.startswith("indicators/"):
            indicator = self.indicators.get(int(path.rsplit("/", 1)[1])) if path.rsplit("/", 1)[1].isdigit() else None
            return (200, indicator) if indicator else (404, {"error": "not found"})
        if path == "json":
            ids = {int(v) for v in query.get("indicator", []) if v.isdigit()}
            years = {int(v) for v in query.get("years", []) if v.isdigit()}
            genders = set(query.get("genders", [])) or {"total"}
            return 200, [
                p for p in self.data
                if p["indicator"] in ids and (not years or p["year"] in years) and p["gender"] in genders
            ]  # fmt: skip
        return 404, {"error": "not found"}
