"""The vocabulary every source shares: its errors, payload hashing and times, text columns,
the event record that both event sources map onto, and when a source last synced well.

Source packages (ptv/, linkedevents/, lahella/) import from here and from ingest.sync,
never from one another, so a source can be added or removed without touching the rest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from typing import Any, ParamSpec, TypeVar

from ingest.http import SourceError

__all__ = [
    "LANGS",
    "DeleteValveRefused",
    "EventRecord",
    "MappingError",
    "SourceBusy",
    "SourceError",
    "SourceNotConfigured",
    "as_dict",
    "as_dicts",
    "as_list",
    "client_options",
    "last_good_run_start",
    "parse_modified",
    "payload_hash",
    "set_texts",
    "shape_checked",
    "texts_by_lang",
]

P = ParamSpec("P")
T = TypeVar("T")
LANGS = ("fi", "sv", "en")
_TAGS = re.compile(r"<[^>]+>")


class MappingError(ValueError):
    """One record is malformed: it is logged with its id and counted as failed, the run goes on."""


class DeleteValveRefused(Exception):
    """A full run would hide more than INGEST_DELETE_LIMIT_PERCENT of the source's rows."""


class SourceBusy(Exception):
    """Another run of the same source holds its lock (one run per source at a time)."""


class SourceNotConfigured(Exception):
    """The source's settings are missing: the sync is off (scheduled runs skip it quietly)."""


# --- mapping helpers -------------------------------------------------------------------
def payload_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def parse_modified(value: object) -> datetime | None:
    """An ISO time as aware UTC; a naive one is taken as UTC (PTV's `modified` is naive UTC)."""
    if not value:
        return None
    if not isinstance(value, str):
        raise MappingError(f"modified: not a string: {value!r}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise MappingError(f"modified: not an ISO time: {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def as_dict(value: object, what: str) -> dict:
    """`value` when it is an object; None counts as empty. Anything else is a malformed record."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MappingError(f"{what}: expected an object, got {type(value).__name__}")
    return value


def as_list(value: object, what: str) -> list:
    """`value` when it is a list; None counts as empty. Anything else is a malformed record."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise MappingError(f"{what}: expected a list, got {type(value).__name__}")
    return value


def as_dicts(value: object, what: str) -> list[dict]:
    """A list whose every entry is an object (a string or number there means a malformed record)."""
    items = as_list(value, what)
    for item in items:
        if not isinstance(item, dict):
            raise MappingError(f"{what}: expected objects, got {type(item).__name__}")
    return items


def texts_by_lang(value: object, *, html: bool = False) -> dict[str, str]:
    """{lang: text} from a {"fi": ..., "sv": ..., "en": ...} object; tags removed when `html`."""
    if not isinstance(value, dict):
        return {}
    out = {}
    for lang in LANGS:
        text = value.get(lang)
        if isinstance(text, str) and text.strip():
            out[lang] = " ".join(unescape(_TAGS.sub(" ", text)).split()) if html else text.strip()
    return out


# --- writing -----------------------------------------------------------------------------
def set_texts(obj: Any, texts: dict[str, str], fields: list[str]) -> None:
    """Copy fi/sv/en texts onto `<field>_<lang>` columns; a text the source lacks becomes empty."""
    for lang in LANGS:
        for name in fields:
            setattr(obj, f"{name}_{lang}", texts.get(f"{name}_{lang}", ""))


@dataclass
class EventRecord:
    """One event as Linked Events or Lähellä.fi describes it, ready for ingest.event_writer."""

    source_id: str
    source_hash: str
    modified: datetime | None
    deleted: bool
    status: str
    texts: dict[str, str]
    start: datetime | None
    end: datetime | None
    postal_code: str = ""
    municipality_name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    info_url: str = ""
    offers: list[dict] = field(default_factory=list)
    is_free: bool | None = None
    audience_min_age: int | None = None
    audience_max_age: int | None = None
    languages: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    themes: set[str] = field(default_factory=set)
    accessibility: list[str] = field(default_factory=list)
    occurrences: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    event_type: str = "General"  # General, Course or Volunteering (Linked Events type_id)
    environment: str = ""  # "in" or "out"
    audience: list[dict] = field(default_factory=list)  # [{"id", "name": {lang: text}}]
    images: list[dict] = field(default_factory=list)  # [{"url", "alt_text": {lang: text}, "license", "photographer"}]
    enrolment_start: datetime | None = None
    enrolment_end: datetime | None = None
    maximum_attendee_capacity: int | None = None
    super_event_id: str = ""  # the series or umbrella event this one belongs to
    super_event_type: str = ""  # "recurring" (a series) or "umbrella" on the parent


def client_options() -> dict[str, Any]:
    """The HTTP limits every source client gets from the settings (ingest.http.JsonClient)."""
    from django.conf import settings

    return {
        "timeout": settings.PTV_TIMEOUT_SECONDS,
        "max_retries": settings.PTV_MAX_RETRIES,
        "request_deadline": settings.INGEST_REQUEST_DEADLINE_SECONDS,
        "max_pages": settings.INGEST_MAX_PAGES,
        "max_bytes": settings.INGEST_MAX_RESPONSE_MB * 1024 * 1024,
    }


def last_good_run_start(source: str) -> datetime | None:
    """Where an incremental run starts: the start of the source's last successful run."""
    # Imported here so that the mappers, which import this module, stay free of the ORM.
    from ingest.models import IngestRun

    run = IngestRun.objects.filter(source=source, status=IngestRun.Status.SUCCEEDED).order_by("-started").first()
    return run.started if run else None


def shape_checked(what: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Turn a mapper's TypeError/AttributeError/KeyError/IndexError into a MappingError.

    Payloads are untrusted JSON: a string, number or null where an object or list belongs
    must fail that one record (logged, counted), never the whole run. The mappers check
    the shapes they rely on; this catches the shapes nobody thought of.
    """

    def decorate(mapper: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(mapper)
        def checked(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return mapper(*args, **kwargs)
            except (TypeError, AttributeError, KeyError, IndexError) as exc:
                raise MappingError(f"{what}: unexpected shape ({exc.__class__.__name__}: {exc})") from exc

        return checked

    return decorate
