"""Map PTV v11 JSON onto plain records the sync writes.

Pure functions, no database: each takes one PTV object and returns a record or raises
:class:`MappingError` naming what is wrong, so the sync can log the GUID and go on.
Coordinates arrive as EPSG:3067 (ETRS-TM35FIN) strings, `latitude` being the northing;
they are converted to WGS84 only when PTV says they are good (`coordinateState` Ok or
EnteredByUser).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from ingest.base import LANGS, MappingError, as_dict, as_dicts, as_list, parse_modified, payload_hash, shape_checked

GOOD_COORDINATE_STATES = {"ok", "enteredbyuser"}
FINLAND_BOUNDS = (59.3, 70.2, 19.0, 31.7)  # lat min, lat max, lon min, lon max


@dataclass
class ConceptRef:
    kind: str
    uri: str
    code: str
    names: dict[str, str]
    parent_uri: str = ""


@dataclass
class MunicipalityRef:
    code: str
    names: dict[str, str]


@dataclass
class ServiceRecord:
    source_id: str
    source_hash: str
    modified: datetime | None
    publishing_status: str
    texts: dict[str, str]  # e.g. name_fi, summary_sv, user_instruction_en
    keywords: dict[str, list[str]]
    charge_type: str
    languages: list[str]
    area_type: str
    municipalities: list[MunicipalityRef]
    concepts: list[ConceptRef]
    channel_ids: list[str]
    organizations: list[tuple[str, str, str]]  # (organization GUID, role, provision type)

    @property
    def class_codes(self) -> set[str]:
        return {c.code for c in self.concepts if c.kind == "service_class" and c.code}

    @property
    def target_group_codes(self) -> set[str]:
        return {c.code for c in self.concepts if c.kind == "target_group" and c.code}

    @property
    def is_nationwide(self) -> bool:
        return self.area_type in {"Nationwide", "NationwideExceptAlandIslands"}


@dataclass
class ChannelRecord:
    source_id: str
    source_hash: str
    modified: datetime | None
    kind: str
    organization_id: str
    texts: dict[str, str]
    postal_code: str = ""
    municipality: MunicipalityRef | None = None
    area_municipalities: list[MunicipalityRef] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    phones: list[dict] = field(default_factory=list)
    emails: list[dict] = field(default_factory=list)
    web_pages: list[dict] = field(default_factory=list)
    service_hours: list[dict] = field(default_factory=list)
    accessibility: list[dict] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass
class OrganizationRecord:
    source_id: str
    source_hash: str
    modified: datetime | None
    texts: dict[str, str]
    organization_type: str
    business_code: str
    municipality: MunicipalityRef | None
    web_url: str


# --- helpers ---------------------------------------------------------------------------
def parse_guid(value: object, what: str) -> str:
    guid = _canonical_guid(value) if isinstance(value, str) else None
    if guid is None:
        raise MappingError(f"{what}: invalid GUID {value!r}")
    return guid


@lru_cache(maxsize=100_000)
def _canonical_guid(value: str) -> str | None:
    """Cached: the same channel and organisation GUIDs recur across thousands of services."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _list(payload: dict, key: str) -> list:
    return as_list(payload.get(key), key)


def _str(obj: dict, key: str, default: str = "") -> str:
    """A text field: missing or null gives `default`; a number or an object is malformed."""
    value = obj.get(key)
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise MappingError(f"{key}: expected a string, got {type(value).__name__}")
    return value


def localized_values(items: list, *, type_: str | None = None) -> dict[str, str]:
    """{lang: value} from [{language, value, type}] (optionally of one type); fi/sv/en only."""
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise MappingError(f"localized text: expected an object, got {item!r}")
        if type_ is not None and item.get("type") != type_:
            continue
        lang = item.get("language")
        lang = lang.lower() if isinstance(lang, str) else ""
        value = item.get("value")
        if lang in LANGS and isinstance(value, str) and value.strip() and lang not in out:
            out[lang] = value.strip()
    return out


def _names(items: object) -> dict[str, str]:
    return localized_values(as_list(items, "name"))


def _municipality(obj: object) -> MunicipalityRef | None:
    if not as_dict(obj, "municipality").get("code"):
        return None
    code = str(obj["code"]).strip()
    if not code.isdigit():
        return None
    return MunicipalityRef(code=code.zfill(3), names=_names(obj.get("name")))


def _area_municipalities(payload: dict) -> list[MunicipalityRef]:
    found: dict[str, MunicipalityRef] = {}
    for area in as_dicts(payload.get("areas"), "areas"):
        for item in as_list(area.get("municipalities"), "areas.municipalities"):
            ref = _municipality(item)
            if ref:
                found.setdefault(ref.code, ref)
        if area.get("type") == "Municipality" and area.get("code"):
            ref = _municipality(area)
            if ref:
                found.setdefault(ref.code, ref)
    return list(found.values())


def _concepts(payload: dict, key: str, kind: str) -> list[ConceptRef]:
    refs = []
    for item in as_dicts(payload.get(key), key):
        uri = _str(item, "uri")
        code = _str(item, "code")
        if not uri and not code and not item.get("name"):
            continue
        refs.append(
            ConceptRef(
                kind=kind, uri=uri, code=code, names=_names(item.get("name")), parent_uri=_str(item, "parentUri")
            )
        )
    return refs


# --- services -------------------------------------------------------------------------
SERVICE_TEXT_TYPES = {
    "Summary": "summary",
    "Description": "description",
    "UserInstruction": "user_instruction",
    "ChargeTypeAdditionalInfo": "charge_info",
}


@shape_checked("service")
def service_links(payload: dict) -> tuple[list[str], list[str]]:
    """The channel and organisation GUIDs of a service, without mapping the rest of it."""
    channels = [
        parse_guid(as_dict(link.get("serviceChannel"), "serviceChannel").get("id"), "channel")
        for link in as_dicts(payload.get("serviceChannels"), "serviceChannels")
    ]
    organizations = [
        parse_guid(as_dict(link.get("organization"), "organization").get("id"), "organization")
        for link in as_dicts(payload.get("organizations"), "organizations")
    ]
    return channels, organizations  # fmt: skip


@shape_checked("service")
def map_service(payload: dict, *, source_hash: str | None = None) -> ServiceRecord:
    """`source_hash`, when given, is payload_hash(payload) already computed by the caller."""
    if not isinstance(payload, dict):
        raise MappingError("service: expected an object")
    source_id = parse_guid(payload.get("id"), "service id")
    names = localized_values(_list(payload, "serviceNames"), type_="Name")
    if not names:
        raise MappingError(f"service {source_id}: no name in fi, sv or en")
    texts = {f"name_{lang}": value for lang, value in names.items()}
    descriptions = _list(payload, "serviceDescriptions")
    for ptv_type, field_name in SERVICE_TEXT_TYPES.items():
        own = localized_values(descriptions, type_=ptv_type)
        general = localized_values(descriptions, type_=f"GD_{ptv_type}")
        for lang in LANGS:
            value = own.get(lang) or general.get(lang)
            if value:
                texts[f"{field_name}_{lang}"] = value
    keywords: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for item in as_dicts(payload.get("keywords"), "keywords"):
        lang = item.get("language")
        value = _str(item, "value").strip()
        if lang in LANGS and value and value not in keywords[lang]:
            keywords[lang].append(value)
    for lang, value in localized_values(_list(payload, "serviceNames"), type_="AlternativeName").items():
        if value not in keywords[lang]:
            keywords[lang].append(value)
    channel_ids = []
    for link in as_dicts(payload.get("serviceChannels"), "serviceChannels"):
        channel = as_dict(link.get("serviceChannel"), "serviceChannels.serviceChannel")
        channel_ids.append(parse_guid(channel.get("id"), f"service {source_id} channel"))
    organizations = []
    for link in as_dicts(payload.get("organizations"), "organizations"):
        org = as_dict(link.get("organization"), "organizations.organization")
        organizations.append(
            (
                parse_guid(org.get("id"), f"service {source_id} organization"),
                _str(link, "roleType", "Responsible"),
                _str(link, "provisionType"),
            )
        )
    languages = [lang for lang in _list(payload, "languages") if isinstance(lang, str)]
    return ServiceRecord(
        source_id=source_id,
        source_hash=source_hash or payload_hash(payload),
        modified=parse_modified(payload.get("modified")),
        publishing_status=_str(payload, "publishingStatus", "Published"),
        texts=texts,
        keywords=keywords,
        charge_type=_str(payload, "serviceChargeType"),
        languages=languages,
        area_type=_str(payload, "areaType", "LimitedType"),
        municipalities=_area_municipalities(payload),
        concepts=(
            _concepts(payload, "serviceClasses", "service_class")
            + _concepts(payload, "targetGroups", "target_group")
            + _concepts(payload, "lifeEvents", "life_event")
            + _concepts(payload, "ontologyTerms", "ontology_term")
        ),
        channel_ids=list(dict.fromkeys(channel_ids)),
        organizations=organizations,
    )


# --- channels -------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


def tm35fin_to_wgs84(northing: object, easting: object) -> tuple[float, float] | None:
    """(lat, lon) from PTV's latitude (northing) and longitude (easting) strings; None when unusable."""
    try:
        north = float(str(northing).replace(",", "."))
        east = float(str(easting).replace(",", "."))
    except (TypeError, ValueError):
        return None
    lon, lat = _transformer().transform(east, north)
    lat_min, lat_max, lon_min, lon_max = FINLAND_BOUNDS
    if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
        return None
    return round(lat, 6), round(lon, 6)


def _phones(items: list) -> list[dict]:
    phones = []
    for item in items:
        if not isinstance(item, dict) or not item.get("number"):
            continue
        prefix = item.get("prefixNumber") or ""
        phones.append(
            {
                "number": f"{prefix}{item['number']}".replace(" ", ""),
                "type": item.get("type") or "Phone",
                "info": item.get("additionalInformation") or "",
                "charge": item.get("serviceChargeType") or "",
                "charge_description": item.get("chargeDescription") or "",
                "language": item.get("language") or "",
            }
        )
    return phones


def _web_pages(items: list) -> list[dict]:
    pages = []
    for item in items:
        if (
            isinstance(item, dict)
            and isinstance(item.get("url"), str)
            and item["url"].startswith(("http://", "https://"))
        ):
            pages.append({"url": item["url"], "text": item.get("value") or "", "language": item.get("language") or ""})
    return pages


def _service_hours(items: list) -> list[dict]:
    hours = []
    for item in items:
        if not isinstance(item, dict):
            raise MappingError("serviceHours: expected objects")
        days = []
        for opening in as_list(item.get("openingHour"), "serviceHours.openingHour"):
            if not isinstance(opening, dict) or not opening.get("dayFrom"):
                continue
            days.append(
                {
                    "day_from": opening["dayFrom"],
                    "day_to": opening.get("dayTo") or "",
                    "from": _str(opening, "from")[:5],
                    "to": _str(opening, "to")[:5],
                }
            )
        hours.append(
            {
                "type": item.get("serviceHourType") or "DaysOfTheWeek",
                "valid_from": _str(item, "validFrom")[:10],
                "valid_to": _str(item, "validTo")[:10],
                "closed": bool(item.get("isClosed")),
                "always_open": bool(item.get("isAlwaysOpen")),
                "reservation": bool(item.get("isReservation")),
                "info": localized_values(as_list(item.get("additionalInformation"), "additionalInformation")),
                "days": days,
            }
        )
    return hours


@shape_checked("channel")
def map_channel(payload: dict) -> ChannelRecord:
    if not isinstance(payload, dict):
        raise MappingError("channel: expected an object")
    source_id = parse_guid(payload.get("id"), "channel id")
    kind = _str(payload, "serviceChannelType")
    if kind not in {"ServiceLocation", "Phone", "WebPage", "EChannel", "PrintableForm"}:
        raise MappingError(f"channel {source_id}: unknown serviceChannelType {kind!r}")
    names = localized_values(_list(payload, "serviceChannelNames"), type_="Name")
    if not names:
        raise MappingError(f"channel {source_id}: no name in fi, sv or en")
    texts = {f"name_{lang}": value for lang, value in names.items()}
    descriptions = _list(payload, "serviceChannelDescriptions")
    for ptv_type, field_name in {"Summary": "summary", "Description": "description"}.items():
        for lang, value in localized_values(descriptions, type_=ptv_type).items():
            texts[f"{field_name}_{lang}"] = value
    record = ChannelRecord(
        source_id=source_id,
        source_hash=payload_hash(payload),
        modified=parse_modified(payload.get("modified")),
        kind=kind,
        organization_id=str(payload.get("organizationId") or ""),
        texts=texts,
        area_municipalities=_area_municipalities(payload),
        phones=_phones(_list(payload, "phoneNumbers") + _list(payload, "supportPhones")),
        emails=[
            {"value": e["value"], "language": e.get("language") or ""}
            for e in _list(payload, "emails") + _list(payload, "supportEmails")
            if isinstance(e, dict) and e.get("value")
        ],
        web_pages=_web_pages(_list(payload, "webPages")),
        service_hours=_service_hours(_list(payload, "serviceHours")),
        accessibility=[a for a in _list(payload, "accessibilityClassification") if isinstance(a, dict)],
        languages=[lang for lang in _list(payload, "languages") if isinstance(lang, str)],
    )
    visiting = [a for a in _list(payload, "addresses") if isinstance(a, dict) and a.get("type") == "Location"]
    if visiting:
        address = visiting[0]
        street = as_dict(address.get("streetAddress") or address.get("otherAddress"), "addresses.streetAddress")
        if street:
            number = _str(street, "streetNumber").strip()
            for lang, value in localized_values(as_list(street.get("street"), "street")).items():
                texts[f"street_address_{lang}"] = f"{value} {number}".strip()
            for lang, value in localized_values(as_list(street.get("postOffice"), "postOffice")).items():
                texts[f"post_office_{lang}"] = value
            record.postal_code = _str(street, "postalCode")
            record.municipality = _municipality(street.get("municipality"))
            if str(street.get("coordinateState") or "").lower() in GOOD_COORDINATE_STATES:
                point = tm35fin_to_wgs84(street.get("latitude"), street.get("longitude"))
                if point:
                    record.latitude, record.longitude = point
    return record


# --- organisations ----------------------------------------------------------------------
@shape_checked("organization")
def map_organization(payload: dict) -> OrganizationRecord:
    if not isinstance(payload, dict):
        raise MappingError("organization: expected an object")
    source_id = parse_guid(payload.get("id"), "organization id")
    names = localized_values(_list(payload, "organizationNames"), type_="Name")
    if not names and _str(payload, "businessName"):
        names = {"fi": _str(payload, "businessName")}
    if not names:
        raise MappingError(f"organization {source_id}: no name")
    texts = {f"name_{lang}": value for lang, value in names.items()}
    for lang, value in localized_values(_list(payload, "organizationDescriptions"), type_="Summary").items():
        texts[f"summary_{lang}"] = value
    pages = _web_pages(_list(payload, "webPages"))
    return OrganizationRecord(
        source_id=source_id,
        source_hash=payload_hash(payload),
        modified=parse_modified(payload.get("modified")),
        texts=texts,
        organization_type=_str(payload, "organizationType"),
        business_code=_str(payload, "businessCode"),
        municipality=_municipality(payload.get("municipality")),
        web_url=pages[0]["url"] if pages else "",
    )
