"""Map Linked Events JSON onto Event records; themes from the event's keywords."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape

from ingest.ptv.mapping import MappingError, parse_modified, payload_hash

LANGS = ("fi", "sv", "en")
# Keyword words (Finnish, Swedish or English, lower case) that put an event into a theme.
KEYWORD_THEMES = {
    "liikunta": [
        "liikunta",
        "urheilu",
        "uinti",
        "jumppa",
        "tanssi",
        "kuntosali",
        "motion",
        "idrott",
        "simning",
        "physical activity",
        "sports",
        "swimming",
        "exercise",
    ],
    "luonto": ["luonto", "retkeily", "ulkoilu", "natur", "vandring", "friluftsliv", "nature", "hiking", "outdoor"],
    "kulttuuri": [
        "kulttuuri",
        "musiikki",
        "teatteri",
        "taide",
        "kirjasto",
        "elokuva",
        "näyttely",
        "konsert",
        "kultur",
        "musik",
        "teater",
        "konst",
        "bibliotek",
        "culture",
        "music",
        "theatre",
        "art",
        "librar",
        "film",
    ],
    "yhteisollisyys": [
        "vapaaehtois",
        "yhteisö",
        "osallisuus",
        "kohtaamis",
        "frivillig",
        "gemenskap",
        "volunteer",
        "community",
    ],
    "toimeentulo": [
        "työllisyys",
        "koulutus",
        "talous",
        "kotoutuminen",
        "sysselsättning",
        "utbildning",
        "employment",
        "education",
        "integration",
    ],
    "ohjaus": ["neuvonta", "terveys", "rådgivning", "hälsa", "advice", "health"],
    "ravitsemus": ["ruoka", "ruoanvalmistus", "ravitsemus", "uni", "mat", "matlagning", "food", "cooking", "nutrition"],
    "mieli": ["mielenterveys", "päihde", "psykisk", "mental", "substance"],
}
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class EventRecord:
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


def _text(value: object, *, html: bool = False) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    out = {}
    for lang in LANGS:
        text = value.get(lang)
        if isinstance(text, str) and text.strip():
            out[lang] = " ".join(unescape(_TAGS.sub(" ", text)).split()) if html else text.strip()
    return out


def _time(value: object, what: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return parse_modified(value)
    except MappingError:
        raise MappingError(f"{what}: not an ISO time: {value!r}") from None


def themes_for(keyword_names: list[str]) -> set[str]:
    themes = set()
    for name in keyword_names:
        lowered = name.lower()
        for theme, words in KEYWORD_THEMES.items():
            if any(word in lowered for word in words):
                themes.add(theme)
    return themes


def map_event(payload: dict) -> EventRecord:
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), str) or ":" not in payload["id"]:
        raise MappingError(
            f"event: missing or invalid id {payload.get('id') if isinstance(payload, dict) else payload!r}"
        )
    source_id = payload["id"]
    deleted = bool(payload.get("deleted"))
    names = _text(payload.get("name"))
    if not names and not deleted:
        raise MappingError(f"event {source_id}: no name in fi, sv or en")
    texts = {f"name_{k}": v for k, v in names.items()}
    texts |= {f"short_description_{k}": v for k, v in _text(payload.get("short_description"), html=True).items()}
    texts |= {f"description_{k}": v for k, v in _text(payload.get("description"), html=True).items()}
    texts |= {f"organizer_{k}": v for k, v in _text(payload.get("provider")).items()}
    record = EventRecord(
        source_id=source_id,
        source_hash=payload_hash(payload),
        modified=_time(payload.get("last_modified_time"), f"event {source_id} last_modified_time"),
        deleted=deleted,
        status=payload.get("event_status") or "EventScheduled",
        texts=texts,
        start=_time(payload.get("start_time"), f"event {source_id} start_time"),
        end=_time(payload.get("end_time"), f"event {source_id} end_time"),
        audience_min_age=payload.get("audience_min_age") if isinstance(payload.get("audience_min_age"), int) else None,
        audience_max_age=payload.get("audience_max_age") if isinstance(payload.get("audience_max_age"), int) else None,
    )
    location = payload.get("location")
    if isinstance(location, dict):
        texts |= {f"location_name_{k}": v for k, v in _text(location.get("name")).items()}
        texts |= {f"street_address_{k}": v for k, v in _text(location.get("street_address")).items()}
        record.postal_code = str(location.get("postal_code") or "")[:10]
        record.municipality_name = _text(location.get("address_locality")).get("fi", "")
        position = location.get("position") or {}
        coordinates = position.get("coordinates") if isinstance(position, dict) else None
        if isinstance(coordinates, list) and len(coordinates) == 2:
            lon, lat = coordinates
            if isinstance(lon, int | float) and isinstance(lat, int | float) and 59 <= lat <= 71 and 19 <= lon <= 32:
                record.latitude, record.longitude = float(lat), float(lon)
    info = _text(payload.get("info_url"))
    record.info_url = next((u for u in info.values() if u.startswith(("http://", "https://"))), "")
    for offer in payload.get("offers") or []:
        if isinstance(offer, dict):
            record.offers.append(
                {"is_free": bool(offer.get("is_free")), "price": _text(offer.get("price"), html=True),
                 "info_url": _text(offer.get("info_url")).get("fi", "")}
            )  # fmt: skip
    if record.offers:
        record.is_free = any(o["is_free"] for o in record.offers)
    for language in payload.get("in_language") or []:
        match = re.search(r"/language/([a-z-]+)/?$", (language or {}).get("@id", ""))
        if match:
            record.languages.append(match[1])
    names_for_themes = []
    for keyword in payload.get("keywords") or []:
        if not isinstance(keyword, dict):
            continue
        record.keywords.append(keyword.get("id") or keyword.get("@id", ""))
        names_for_themes += list(_text(keyword.get("name")).values())
    record.themes = themes_for(names_for_themes)
    if record.start:
        record.occurrences = [(record.start, record.end)]
    return record
