"""Map Lähellä.fi activities onto event records, expanding weekly recurrence for 90 days."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ingest.base import (
    EventRecord,
    MappingError,
    as_dict,
    as_dicts,
    as_list,
    payload_hash,
    shape_checked,
    texts_by_lang,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
HORIZON_DAYS = 90
THEMES = {
    "ht_urheilu": {"liikunta"},
    "ht_luonto": {"luonto"},
    "ht_kulttuuri": {"kulttuuri"},
    "ht_kadentaidot": {"kulttuuri"},
    "ht_vaikuttaminen": {"yhteisollisyys"},
    "ht_kansainvalisyys": {"yhteisollisyys", "toimeentulo"},
    "ht_digi_teknologia": {"toimeentulo"},
    "ht_hyvinvointi": {"mieli"},
    "hm_kohtaamispaikka": {"yhteisollisyys"},
    "hm_kylatoiminta": {"yhteisollisyys"},
}
ACCESSIBILITY = {"ac_wheelchair", "ac_rollator", "ac_inductionloop", "ac_itoilet", "ac_parking"}


def _ms(value: object, what: str) -> datetime:
    if not isinstance(value, int | float):
        raise MappingError(f"{what}: expected epoch milliseconds, got {value!r}")
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def expand(event: dict, *, now: datetime, horizon_days: int = HORIZON_DAYS) -> list[tuple[datetime, datetime | None]]:
    """Occurrences of one Lähellä.fi event from now to the horizon (weekly recurrence, exclusions)."""
    start = _ms(event.get("start"), "event start")
    recurrence = as_dict(event.get("recurrence"), "event recurrence")
    until = now + timedelta(days=horizon_days)
    if not recurrence:
        return [(start, None)] if now - timedelta(days=1) <= start <= until else []
    if recurrence.get("period", "P1W") != "P1W":
        raise MappingError(f"unsupported recurrence period {recurrence.get('period')!r}")
    end = _ms(recurrence["end"], "recurrence end") if recurrence.get("end") else until
    excluded = {_ms(x, "exclude").astimezone(HELSINKI).date() for x in as_list(recurrence.get("exclude"), "exclude")}
    local_day = max(start, now).astimezone(HELSINKI).date()
    last_day = min(end, until).astimezone(HELSINKI).date()
    occurrences = []
    day = local_day
    while day <= last_day:
        for slot in as_dicts(recurrence.get("daySpecificTimes"), "daySpecificTimes"):
            if slot.get("weekday") != day.isoweekday() or day in excluded:
                continue
            try:
                begins = time.fromisoformat(slot["startTime"])
                ends = time.fromisoformat(slot["endTime"]) if slot.get("endTime") else None
            except (KeyError, ValueError):
                raise MappingError(f"bad daySpecificTimes entry {slot!r}") from None
            occurrence_start = datetime.combine(day, begins, HELSINKI).astimezone(UTC)
            occurrence_end = datetime.combine(day, ends, HELSINKI).astimezone(UTC) if ends else None
            if occurrence_start >= now - timedelta(hours=12):
                occurrences.append((occurrence_start, occurrence_end))
        day += timedelta(days=1)
    return occurrences


@shape_checked("activity")
def map_activity(payload: dict, *, now: datetime | None = None) -> EventRecord:
    now = now or datetime.now(UTC)
    if not isinstance(payload, dict) or not str(payload.get("_key") or "").strip():
        raise MappingError("activity: missing _key")
    key = str(payload["_key"])
    traits = as_dict(payload.get("traits"), "traits")
    translations = as_dict(traits.get("translations"), "traits.translations")
    texts: dict[str, str] = {}
    for lang in ("fi", "sv", "en"):
        tr = as_dict(translations.get(lang), f"traits.translations.{lang}")
        for source_field, field_name in (
            ("name", "name"),
            ("summary", "short_description"),
            ("description", "description"),
        ):
            value = texts_by_lang({lang: tr.get(source_field)}, html=source_field != "name").get(lang)
            if value:
                texts[f"{field_name}_{lang}"] = value
    published = payload.get("status") == "published"
    if published and not any(k.startswith("name_") for k in texts):
        raise MappingError(f"activity {key}: no name in fi, sv or en")
    record = EventRecord(
        source_id=key,
        source_hash=payload_hash(payload),
        modified=_ms(payload["modified"], "modified") if payload.get("modified") else None,
        deleted=not published,
        status="EventScheduled",
        texts=texts,
        start=None,
        end=None,
    )
    groups = [g for g in as_dicts(payload.get("groups"), "groups") if g.get("name")]
    if groups:
        texts["organizer_fi"] = str(groups[0]["name"])[:300]
    record.is_free = "free" in as_list(traits.get("pricing"), "traits.pricing")
    prices = texts_by_lang({k: (v or {}).get("pricing") for k, v in translations.items()}, html=True)
    record.offers = [{"is_free": record.is_free, "price": prices, "info_url": ""}]
    ages = []
    for item in as_list(traits.get("demographic"), "traits.demographic"):
        match = re.fullmatch(r"ageGroup/range:(\d+)-(\d+)", str(item))
        if match:
            ages.append((int(match[1]), int(match[2])))
    if ages:
        record.audience_min_age = min(a for a, _ in ages)
        record.audience_max_age = min(max(b for _, b in ages), 120)
    record.languages = [str(code).split("-")[0] for code in as_list(traits.get("locale"), "traits.locale")]
    codes = [
        str(c) for c in as_list(traits.get("theme"), "traits.theme") + as_list(traits.get("format"), "traits.format")
    ]
    record.keywords = [f"lahella:{c}" for c in codes]
    record.themes = set().union(*(THEMES.get(c, set()) for c in codes)) if codes else set()
    www = [c.get("value") for c in as_dicts(traits.get("contacts"), "traits.contacts") if c.get("type") == "www"]
    group_pages = [g.get("url") for g in groups]
    record.info_url = next(
        (u for u in [*www, *group_pages] if isinstance(u, str) and u.startswith(("http://", "https://"))), ""
    )
    channels = as_dicts(traits.get("channels"), "traits.channels")
    if channels:
        channel = channels[0]
        address = as_dict(
            as_dict(
                as_dict(channel.get("translations"), "channel.translations").get("fi"), "channel.translations.fi"
            ).get("address"),
            "channel address",
        )
        if address.get("street"):
            texts["street_address_fi"] = str(address["street"])
        record.postal_code = str(address.get("postalCode") or "")[:10]
        record.municipality_name = str(address.get("city") or "")
        center = as_dict(as_dict(channel.get("map"), "channel.map").get("center"), "channel.map.center").get(
            "coordinates"
        )
        if isinstance(center, list) and len(center) == 2 and all(isinstance(x, int | float) for x in center):
            lon, lat = center
            if 59 <= lat <= 71 and 19 <= lon <= 32:
                record.latitude, record.longitude = float(lat), float(lon)
        record.accessibility = [
            a
            for a in as_list(channel.get("accessibility"), "channel.accessibility")
            if isinstance(a, str) and a in ACCESSIBILITY
        ]
        for event in as_dicts(channel.get("events"), "channel.events"):
            record.occurrences += expand(event, now=now)
    record.occurrences.sort(key=lambda o: o[0])
    if record.occurrences:
        record.start = record.occurrences[0][0]
        record.end = record.occurrences[-1][1] or record.occurrences[-1][0]
    return record
