"""Map Linked Events JSON onto Event records; themes from the event's keywords."""

from __future__ import annotations

import re
from datetime import datetime

from ingest.base import (
    EventRecord,
    MappingError,
    as_dict,
    as_dicts,
    parse_modified,
    payload_hash,
    shape_checked,
    texts_by_lang,
)

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


def _str(obj: dict, key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MappingError(f"{key}: expected a string, got {type(value).__name__}")
    return value


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


@shape_checked("event")
def map_event(payload: dict) -> EventRecord:
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), str) or ":" not in payload["id"]:
        raise MappingError(
            f"event: missing or invalid id {payload.get('id') if isinstance(payload, dict) else payload!r}"
        )
    source_id = payload["id"]
    deleted = bool(payload.get("deleted"))
    names = texts_by_lang(payload.get("name"))
    if not names and not deleted:
        raise MappingError(f"event {source_id}: no name in fi, sv or en")
    texts = {f"name_{k}": v for k, v in names.items()}
    texts |= {
        f"short_description_{k}": v for k, v in texts_by_lang(payload.get("short_description"), html=True).items()
    }
    texts |= {f"description_{k}": v for k, v in texts_by_lang(payload.get("description"), html=True).items()}
    texts |= {f"organizer_{k}": v for k, v in texts_by_lang(payload.get("provider")).items()}
    record = EventRecord(
        source_id=source_id,
        source_hash=payload_hash(payload),
        modified=_time(payload.get("last_modified_time"), f"event {source_id} last_modified_time"),
        deleted=deleted,
        status=_str(payload, "event_status") or "EventScheduled",
        texts=texts,
        start=_time(payload.get("start_time"), f"event {source_id} start_time"),
        end=_time(payload.get("end_time"), f"event {source_id} end_time"),
        audience_min_age=payload.get("audience_min_age") if isinstance(payload.get("audience_min_age"), int) else None,
        audience_max_age=payload.get("audience_max_age") if isinstance(payload.get("audience_max_age"), int) else None,
    )
    location = as_dict(payload.get("location"), "location")
    if location:
        texts |= {f"location_name_{k}": v for k, v in texts_by_lang(location.get("name")).items()}
        texts |= {f"street_address_{k}": v for k, v in texts_by_lang(location.get("street_address")).items()}
        record.postal_code = str(location.get("postal_code") or "")[:10]
        record.municipality_name = texts_by_lang(location.get("address_locality")).get("fi", "")
        coordinates = as_dict(location.get("position"), "location.position").get("coordinates")
        if isinstance(coordinates, list) and len(coordinates) == 2:
            lon, lat = coordinates
            if isinstance(lon, int | float) and isinstance(lat, int | float) and 59 <= lat <= 71 and 19 <= lon <= 32:
                record.latitude, record.longitude = float(lat), float(lon)
    info = texts_by_lang(payload.get("info_url"))
    record.info_url = next((u for u in info.values() if u.startswith(("http://", "https://"))), "")
    for offer in as_dicts(payload.get("offers"), "offers"):
        record.offers.append(
            {"is_free": bool(offer.get("is_free")), "price": texts_by_lang(offer.get("price"), html=True),
             "info_url": texts_by_lang(offer.get("info_url")).get("fi", "")}
        )  # fmt: skip
    if record.offers:
        record.is_free = any(o["is_free"] for o in record.offers)
    for language in as_dicts(payload.get("in_language"), "in_language"):
        match = re.search(r"/language/([a-z-]+)/?$", _str(language, "@id"))
        if match:
            record.languages.append(match[1])
    names_for_themes = []
    for keyword in as_dicts(payload.get("keywords"), "keywords"):
        record.keywords.append(_str(keyword, "id") or _str(keyword, "@id"))
        names_for_themes += list(texts_by_lang(keyword.get("name")).values())
    record.themes = themes_for(names_for_themes)
    if record.start:
        record.occurrences = [(record.start, record.end)]
    return record
