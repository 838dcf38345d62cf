"""A local stand-in for PTV open API v11, serving the recorded demo region.

Used by `make run` (load_demo, serve_demo_sources), the tests and the benchmarks, so that the real client
and sync run end to end over HTTP. It serves the recorded pages' items with the real
paging envelope and field names, answers the incremental (`?date=`) and `list?guids=`
routes from the same items, and lets tests change data and inject failures.
Binds to 127.0.0.1 only.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from ingest.fakes.server import RawAnswer

RECORDED_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "ptv_demo" / "recorded"
# Records in the shapes the live API sends and the hand-built region lacks (see its README.md).
REALISTIC_DIR = RECORDED_DIR.parent / "realistic"
GD_TEXT_TYPES = ("Description", "UserInstruction", "ChargeTypeAdditionalInfo", "BackgroundDescription")
PREFIX = "/api/v11/"
CLONE_NAMESPACE = uuid.UUID("5b0f9a54-4f1e-4bb3-9a43-3f0d7f0cfa11")


def _read_items(folder: Path) -> list[dict]:
    items: dict[str, dict] = {}
    for path in sorted(folder.rglob("page-*.json"), key=lambda p: (str(p.parent), int(p.stem.split("-")[1]))):
        for item in json.loads(path.read_text(encoding="utf-8"))["itemList"]:
            items.setdefault(item["id"], item)
    return list(items.values())


def _objects(value: object) -> list[dict]:
    """Like the real API's database, the fake lists records whatever their shape (tests send malformed ones)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _area_codes(obj: dict) -> set[str]:
    codes = set()
    for area in _objects(obj.get("areas")):
        for municipality in _objects(area.get("municipalities")):
            if municipality.get("code"):
                codes.add(str(municipality["code"]).zfill(3))
    for address in _objects(obj.get("addresses")):
        street = address.get("streetAddress")
        municipality = street.get("municipality") if isinstance(street, dict) else None
        if isinstance(municipality, dict) and municipality.get("code"):
            codes.add(str(municipality["code"]).zfill(3))
    return codes


def _nationwide(obj: dict) -> bool:
    return isinstance(obj.get("areaType"), str) and obj["areaType"] in {"Nationwide", "NationwideExceptAlandIslands"}


def _parse_date(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=None)


def _modified(obj: dict) -> datetime:
    return _parse_date(obj.get("modified") or "2000-01-01T00:00:00")


class FakePtv:
    """In-memory PTV data plus fault injection, shared with the HTTP handler."""

    def __init__(
        self,
        recorded_dir: Path = RECORDED_DIR,
        *,
        list_page_size: int = 100,
        guid_page_size: int = 1000,
        realistic_dir: Path | None = REALISTIC_DIR,
    ):
        self.services: dict[str, dict] = {s["id"]: s for s in _read_items(recorded_dir / "Service")}
        self.channels: dict[str, dict] = {c["id"]: c for c in _read_items(recorded_dir / "ServiceChannel")}
        orgs_path = recorded_dir / "Organization" / "all.json"
        self.organizations: dict[str, dict] = (
            {o["id"]: o for o in json.loads(orgs_path.read_text(encoding="utf-8"))} if orgs_path.exists() else {}
        )
        self.general_descriptions: dict[str, dict] = {}
        if realistic_dir is not None and realistic_dir.is_dir():
            for name, pool in (("services", self.services), ("channels", self.channels)):
                for item in json.loads((realistic_dir / f"{name}.json").read_text(encoding="utf-8")):
                    pool[item["id"]] = item
            for gd in json.loads((realistic_dir / "general_descriptions.json").read_text(encoding="utf-8")):
                self.general_descriptions[gd["id"]] = gd
        self.inactive: dict[str, dict] = {}  # archived or withdrawn services
        self.list_page_size = list_page_size
        self.guid_page_size = guid_page_size
        self.failures: list[list] = []  # [substring, status, remaining, body]
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self._listings: dict[tuple[str, str, bool], list[dict]] = {}

    def check_headers(self, headers) -> tuple[int, object] | None:
        """Like the real API: an Authorization header on an anonymous read is an error."""
        if headers.get("Authorization"):
            return 500, {"errorMessage": "Authorization header is not allowed on anonymous reads"}
        return None

    # --- changes made by tests -------------------------------------------------------
    def touch(self, obj: dict, when: datetime | None = None) -> None:
        obj["modified"] = (when or datetime.now(UTC)).replace(tzinfo=None).isoformat()

    def update_service(self, service_id: str, **changes) -> dict:
        service = self.services[service_id]
        service.update(changes)
        self.touch(service)
        return service

    def archive_service(self, service_id: str, status: str = "Archived") -> None:
        service = self.services.pop(service_id)
        service["publishingStatus"] = status
        self.touch(service)
        self.inactive[service_id] = service

    def add_service(self, service: dict) -> None:
        self.services[service["id"]] = service

    def fail(self, substring: str, status: int = 500, times: int = 1, body: str = '{"errorMessage": "boom"}') -> None:
        """The next `times` requests whose path+query contains `substring` answer `status`."""
        self.failures.append([substring, status, times, body])

    def scale_to(self, total: int) -> None:
        """Clone services (same texts, new GUIDs) until there are `total`; for benchmarks."""
        originals = list(self.services.values())
        round_no = 0
        while len(self.services) < total:
            round_no += 1
            for original in originals:
                if len(self.services) >= total:
                    break
                clone = copy.deepcopy(original)
                clone["id"] = str(uuid.uuid5(CLONE_NAMESPACE, f"{original['id']}:{round_no}"))
                self.services[clone["id"]] = clone

    def with_gd(self, service: dict) -> dict:
        """The service as `serviceWithGD` sends it: its general description's texts added, typed GD_…"""
        gd = self.general_descriptions.get(service.get("generalDescriptionId") or "")
        if gd is None:
            return service
        merged = dict(service)
        merged["serviceDescriptions"] = [
            *_objects(service.get("serviceDescriptions")),
            *({**d, "type": f"GD_{d['type']}"} for d in gd["descriptions"] if d.get("type") in GD_TEXT_TYPES),
        ]
        return merged

    # --- answers ----------------------------------------------------------------------
    def _take_failure(self, target: str) -> tuple[int, object] | None:
        with self.lock:
            self.requests.append(target)
            for failure in self.failures:
                if failure[0] in target and failure[2] > 0:
                    failure[2] -= 1
                    return failure[1], failure[3]
        return None

    def intercept(self, substring: str, answer: RawAnswer, times: int = 1) -> None:
        """The next `times` requests containing `substring` get `answer` as it is (a hostile source)."""
        self.failures.append([substring, answer.status, times, answer])

    @staticmethod
    def _page(items: list, page: int, size: int, *, guid_only: bool = False) -> dict:
        page_count = (len(items) + size - 1) // size
        chunk = items[(page - 1) * size : page * size] if page >= 1 else []
        if guid_only:
            chunk = [{"id": i["id"], "name": _first_name(i)} for i in chunk]
        return {"pageNumber": page, "pageSize": size, "pageCount": page_count, "itemList": chunk}

    def _in_area(self, objects: Iterable[dict], code: str, whole_country: bool) -> list[dict]:
        return [o for o in objects if code in _area_codes(o) or (whole_country and _nationwide(o))]

    def _area_listing(self, kind: str, code: str, whole_country: bool) -> list[dict]:
        pool = self.services.values() if kind == "Service" else self.channels.values()
        items = self._in_area(pool, code, whole_country)
        if kind == "ServiceChannel" and whole_country:
            linked = {
                link["serviceChannel"].get("id")
                for s in self._in_area(self.services.values(), code, True)
                for link in _objects(s.get("serviceChannels"))
                if isinstance(link.get("serviceChannel"), dict)
            }
            listed = {c["id"] for c in items}
            items += [c for cid, c in self.channels.items() if cid in linked and cid not in listed]
        return items

    def answer(self, target: str) -> tuple[int, object]:
        failure = self._take_failure(target)
        if failure:
            if isinstance(failure[1], RawAnswer):
                return failure[0], failure[1]
            return failure[0], json.loads(failure[1]) if failure[1].startswith("{") else failure[1]
        parsed = urlparse(target)
        if not parsed.path.startswith(PREFIX):
            return 404, {"errorMessage": "not found"}
        route = parsed.path[len(PREFIX) :].rstrip("/")
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        try:
            page = int(query.get("page", "1"))
        except ValueError:
            return 400, {"page": ["The value is not valid."]}
        whole_country = query.get("includeWholeCountry", "false").lower() == "true"
        with_gd = query.get("serviceWithGD", "false").lower() == "true"

        match = re.fullmatch(r"(Service|ServiceChannel)/list/area/Municipality/code/(\d{1,6})", route)
        if match:
            # A client walks pages 1..n in order: the area filter runs once a walk, on page 1,
            # not once a page (which made the fake itself quadratic in a 20,000-service bench).
            key = (match[1], match[2].zfill(3), whole_country)
            if page == 1 or key not in self._listings:
                self._listings[key] = self._area_listing(match[1], match[2].zfill(3), whole_country)
            answer = self._page(self._listings[key], page, self.list_page_size)
            if match[1] == "Service" and with_gd:
                answer["itemList"] = [self.with_gd(s) for s in answer["itemList"]]
            return 200, answer

        if route in {"Service/list", "Service/serviceWithGD/list", "ServiceChannel/list", "Organization/list"}:
            guids = [g for g in query.get("guids", "").split(",") if g]
            if not guids:
                return 400, {"guids": ["The guids field is required."]}
            if len(guids) > 100:
                return 400, {"guids": ["Maximum of 100 guids allowed."]}
            pool = {
                "Service/list": self.services,
                "Service/serviceWithGD/list": self.services,
                "ServiceChannel/list": self.channels,
                "Organization/list": self.organizations,
            }[route]
            found = [pool[g] for g in guids if g in pool]
            if not found:
                # PTV answers 404 when none of the GUIDs is published (GetByIdList).
                return 404, {"errorMessage": "Entities not found."}
            if route == "Service/serviceWithGD/list":
                found = [self.with_gd(s) for s in found]
            return 200, found

        if route in {"Service", "ServiceChannel"}:
            status = query.get("status", "Published")
            if route == "Service":
                pool = (
                    list(self.services.values())
                    if status == "Published"
                    else [s for s in self.inactive.values() if s.get("publishingStatus") == status]
                )
            else:
                pool = list(self.channels.values()) if status == "Published" else []
            if "date" in query:
                try:
                    since = _parse_date(query["date"])
                except ValueError:
                    return 400, {"date": ["The value is not a valid date."]}
                pool = [o for o in pool if _modified(o) > since]
            return 200, self._page(pool, page, self.guid_page_size, guid_only=True)

        return 404, {"errorMessage": f"no route {route}"}


def _first_name(obj: dict) -> str:
    for key in ("serviceNames", "serviceChannelNames", "organizationNames"):
        for item in _objects(obj.get(key)):
            return item.get("value") or ""
    return ""
