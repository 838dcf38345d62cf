"""Map Linked Events JSON onto Event records; themes from the event's keywords.

Times: the API serialises an event without a time of day as a bare date
(`"2026-05-01"`, events/serializers.py when has_start_time/has_end_time is false). Such a
date is a day in Helsinki: the start is its midnight in Europe/Helsinki and the end is
inclusive, i.e. the midnight after the last day (or after the start day when end_time is
null), so an event of 1-3 May is still on the list on 3 May.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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


HELSINKI = ZoneInfo("Europe/Helsinki")
EVENT_TYPES = {"General", "Course", "Volunteering"}
LEGACY_TYPE_IDS = {1: "General", 2: "Course", 3: "Volunteering"}


def _date_only(value: object) -> date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _helsinki_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=HELSINKI)


def _time(value: object, what: str) -> datetime | None:
    if value in (None, ""):
        return None
    day = _date_only(value)
    if day is not None:
        return _helsinki_midnight(day)
    try:
        return parse_modified(value)
    except MappingError:
        raise MappingError(f"{what}: not an ISO time: {value!r}") from None


def _start_end(payload: dict, source_id: str) -> tuple[datetime | None, datetime | None]:
    start = _time(payload.get("start_time"), f"event {source_id} start_time")
    end_value = payload.get("end_time")
    end_day = _date_only(end_value)
    if end_day is not None:
        end = _helsinki_midnight(end_day + timedelta(days=1))  # the last day counts in full
    else:
        end = _time(end_value, f"event {source_id} end_time")
    start_day = _date_only(payload.get("start_time"))
    if end is None and start_day is not None:
        end = _helsinki_midnight(start_day + timedelta(days=1))
    return start, end


def _event_type(value: object) -> str:
    if isinstance(value, int):
        return LEGACY_TYPE_IDS.get(value, "General")
    return value if isinstance(value, str) and value in EVENT_TYPES else "General"


def _multilingual(value: object, *, html: bool = False) -> dict[str, str]:
    """A translated field ({"fi": ...}); a plain string (an untranslated field) counts as Finnish."""
    if isinstance(value, str) and value.strip():
        return {"fi": value.strip()}
    return texts_by_lang(value, html=html)


def _ref_id(value: object) -> str:
    """ "kuopio:9100" from {"@id": "https://.../event/kuopio:9100/"}."""
    ref = value.get("@id") if isinstance(value, dict) else None
    return ref.rstrip("/").rsplit("/", 1)[-1] if isinstance(ref, str) and ref else ""


def _images(value: object) -> list[dict]:
    images = []
    for image in as_dicts(value, "images"):
        url = image.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            continue
        images.append(
            {
                "url": url[:500],
                "alt_text": _multilingual(image.get("alt_text")),
                "license": _str(image, "license")[:50],
                "photographer": _str(image, "photographer_name")[:200],
            }
        )
    return images


def _audience(value: object) -> list[dict]:
    audience = []
    for keyword in as_dicts(value, "audience"):
        keyword_id = _str(keyword, "id") or _ref_id(keyword)
        if keyword_id:
            audience.append({"id": keyword_id[:100], "name": texts_by_lang(keyword.get("name"))})
    return audience


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
    texts |= {f"location_extra_info_{k}": v[:400] for k, v in _multilingual(payload.get("location_extra_info")).items()}
    texts |= {f"provider_contact_info_{k}": v for k, v in _multilingual(payload.get("provider_contact_info")).items()}
    start, end = _start_end(payload, source_id)
    capacity = payload.get("maximum_attendee_capacity")
    environment = payload.get("environment")
    record = EventRecord(
        source_id=source_id,
        source_hash=payload_hash(payload),
        modified=_time(payload.get("last_modified_time"), f"event {source_id} last_modified_time"),
        deleted=deleted,
        status=_str(payload, "event_status") or "EventScheduled",
        texts=texts,
        start=start,
        end=end,
        audience_min_age=payload.get("audience_min_age") if isinstance(payload.get("audience_min_age"), int) else None,
        audience_max_age=payload.get("audience_max_age") if isinstance(payload.get("audience_max_age"), int) else None,
        event_type=_event_type(payload.get("type_id")),
        environment=environment if environment in {"in", "out"} else "",
        audience=_audience(payload.get("audience")),
        images=_images(payload.get("images")),
        enrolment_start=_time(payload.get("enrolment_start_time"), f"event {source_id} enrolment_start_time"),
        enrolment_end=_time(payload.get("enrolment_end_time"), f"event {source_id} enrolment_end_time"),
        maximum_attendee_capacity=capacity if isinstance(capacity, int) and capacity >= 0 else None,
        super_event_id=_ref_id(payload.get("super_event")),
        super_event_type=_str(payload, "super_event_type"),
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
             "info_url": texts_by_lang(offer.get("info_url")).get("fi", ""),
             "description": _multilingual(offer.get("description"), html=True)}
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


def series_merge(records: dict[str, EventRecord]) -> list[str]:
    """A recurring series once: the children's dates become the parent's occurrences.

    Linked Events lists a recurring series as a parent spanning it (`super_event_type`
    "recurring") and a child per date pointing at it (`super_event`). Imported as they
    come, a resident would see the series twice. Children whose parent is in `records`
    are folded into it and dropped; an umbrella's children stay events of their own.
    Returns the ids of the children folded (rows of them from before are hidden).
    """
    children: dict[str, list[EventRecord]] = {}
    for record in records.values():
        parent = records.get(record.super_event_id) if record.super_event_id else None
        if parent is not None and parent.super_event_type == "recurring" and not record.deleted:
            children.setdefault(parent.source_id, []).append(record)
    folded: list[str] = []
    for parent_id, kids in children.items():
        parent = records[parent_id]
        parent.occurrences = sorted(
            ((kid.start, kid.end) for kid in kids if kid.start and kid.status != "EventCancelled"),
            key=lambda pair: pair[0],
        )
        # The parent's row changes whenever one of its dates does.
        parent.source_hash = hashlib.sha256(
            "".join([parent.source_hash, *sorted(kid.source_hash for kid in kids)]).encode()
        ).hexdigest()
        for kid in kids:
            del records[kid.source_id]
            folded.append(kid.source_id)
    return folded
