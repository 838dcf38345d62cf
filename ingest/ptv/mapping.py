"""Map PTV v11 JSON onto plain records the sync writes.

Pure functions, no database: each takes one PTV object and returns a record or raises
:class:`MappingError` naming what is wrong, so the sync can log the GUID and go on.
Coordinates arrive as EPSG:3067 (ETRS-TM35FIN) strings, `latitude` being the northing;
they are converted to WGS84 only when PTV says they are good (`coordinateState` Ok or
EnteredByUser).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from ingest.base import LANGS, MappingError, as_dict, as_dicts, as_list, parse_modified, payload_hash, shape_checked
from ingest.ptv import details
from ingest.ptv.details import localized_values

GOOD_COORDINATE_STATES = {"ok", "enteredbyuser"}
# Area types PTV resolves to municipalities itself (their `municipalities` list is filled).
MUNICIPALITY_AREA = "Municipality"
# Wellbeing services county areas (since 2023; the 3.4 source predates them). PTV's writers
# spell the type "WellbeingServiceCounties"; the singular forms are accepted too. When such an
# area comes without its municipalities it is placed from the code table below.
COUNTY_AREA_TYPES = {"wellbeingservicecounties", "wellbeingservicecounty", "wellbeingservicescounty",
                     "wellbeingservicescounties"}  # fmt: skip
COUNTY_TABLE = Path(__file__).with_name("data") / "wellbeing_services_counties.json"
FINLAND_BOUNDS = (59.3, 70.2, 19.0, 31.7)  # lat min, lat max, lon min, lon max


@dataclass
class ConceptRef:
    kind: str
    uri: str
    code: str
    names: dict[str, str]
    parent_uri: str = ""
    legacy_uri: str = ""  # the urn.fi URI PTV still sends in `uri` beside `newUri`


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
    producers: list[dict] = field(default_factory=list)  # not PTV organisations: {"name", "provision_type"}
    general_text_fields: list[str] = field(default_factory=list)  # text columns taken from GD_… texts
    vouchers_in_use: bool | None = None
    vouchers: list[dict] = field(default_factory=list)
    funding_type: str = ""
    channel_details: dict[str, dict] = field(default_factory=dict)
    unplaced_areas: list[str] = field(default_factory=list)  # "type code" of areas without municipalities
    county_areas: list[str] = field(default_factory=list)  # county codes placed from the code table
    nameless_producers: int = 0  # null organisations without even a free-text name (nothing to show)

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
    accessibility_sentences: list[dict] = field(default_factory=list)
    requires_authentication: bool | None = None
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
    emails: list[dict] = field(default_factory=list)  # the organisation's own addresses (error reports go there)


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


_str = details.text


def _names(items: object) -> dict[str, str]:
    return localized_values(as_list(items, "name"))


def _municipality(obj: object) -> MunicipalityRef | None:
    if not as_dict(obj, "municipality").get("code"):
        return None
    code = str(obj["code"]).strip()
    if not code.isdigit():
        return None
    return MunicipalityRef(code=code.zfill(3), names=_names(obj.get("name")))


@lru_cache(maxsize=1)
def county_municipalities() -> dict[str, dict[str, str]]:
    """Wellbeing services county code ("13") -> {municipality code: Finnish name}, from the
    code table in ingest/ptv/data (Statistics Finland's classification; see its `_source`)."""
    data = json.loads(COUNTY_TABLE.read_text(encoding="utf-8"))
    return {code: county["municipalities"] for code, county in data["counties"].items()}


def county_code(value: object) -> str:
    """A county code as the table keys it: its digits, two wide ("13", "HV13", 13 -> "13")."""
    digits = "".join(re.findall(r"\d", str(value or "")))
    return digits.zfill(2) if 0 < len(digits) <= 2 else digits


def _county_refs(area: dict) -> list[MunicipalityRef]:
    if _str(area, "type").replace(" ", "").lower() not in COUNTY_AREA_TYPES:
        return []
    municipalities = county_municipalities().get(county_code(area.get("code")), {})
    return [MunicipalityRef(code=code, names={"fi": name}) for code, name in municipalities.items()]


def _area_municipalities(
    payload: dict, unplaced: list[str] | None = None, counties: list[str] | None = None
) -> list[MunicipalityRef]:
    """Municipalities of every area, whatever its type (Province, BusinessRegions,
    HospitalRegions, a wellbeing services county, ...): PTV lists each area's municipalities.
    A wellbeing services county without them is placed from the code table (its code added
    to `counties`); an area of another type without municipalities, or a county code the
    table does not know, is added to `unplaced` as "type code"."""
    found: dict[str, MunicipalityRef] = {}
    for area in as_dicts(payload.get("areas"), "areas"):
        listed = 0
        for item in as_list(area.get("municipalities"), "areas.municipalities"):
            ref = _municipality(item)
            if ref:
                listed += 1
                found.setdefault(ref.code, ref)
        if area.get("type") == MUNICIPALITY_AREA and area.get("code"):
            ref = _municipality(area)
            if ref:
                listed += 1
                found.setdefault(ref.code, ref)
        if not listed:
            table = _county_refs(area)
            for ref in table:
                found.setdefault(ref.code, ref)
            if table and counties is not None:
                counties.append(county_code(area.get("code")))
            elif not table and unplaced is not None:
                unplaced.append(f"{_str(area, 'type') or '?'} {_str(area, 'code')}".strip())
    return list(found.values())


def _concepts(payload: dict, key: str, kind: str) -> list[ConceptRef]:
    refs = []
    for item in as_dicts(payload.get(key), key):
        # PTV 3.4 sends the legacy urn.fi URI in `uri` and the uri.suomi.fi one in `newUri`
        # (V7VmOpenApiFintoItemWithDescription); the catalog keys concepts by the new one.
        legacy, new = _str(item, "uri"), _str(item, "newUri")
        uri = new or legacy
        code = _str(item, "code")
        if not uri and not code and not item.get("name"):
            continue
        refs.append(
            ConceptRef(
                kind=kind,
                uri=uri,
                code=code,
                names=_names(item.get("name")),
                parent_uri=_str(item, "parentUri"),
                legacy_uri=legacy if new and legacy != new else "",
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
GENERAL_PREFIX = "GD_"  # texts of the general description, sent with serviceWithGD


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
        if link.get("organization") is not None  # a producer that is no PTV organisation
    ]
    return channels, organizations  # fmt: skip


@shape_checked("service")
def service_unusual(payload: dict) -> tuple[int, int, bool]:
    """(producers without a PTV organisation, of them without a name, uses general-description
    texts) of a payload, without mapping it: counted for unchanged services too."""
    named = nameless = 0
    for link in as_dicts(payload.get("organizations"), "organizations"):
        if link.get("organization") is None:
            if details.producer_name(link):
                named += 1
            else:
                nameless += 1
    own: set[tuple[str, str]] = set()
    general: set[tuple[str, str]] = set()
    for item in as_dicts(payload.get("serviceDescriptions"), "serviceDescriptions"):
        kind, lang = str(item.get("type") or ""), str(item.get("language") or "")
        if kind.startswith(GENERAL_PREFIX):
            general.add((kind.removeprefix(GENERAL_PREFIX), lang))
        elif item.get("value"):
            own.add((kind, lang))
    uses_general = any(key[0] in SERVICE_TEXT_TYPES and key not in own for key in general)
    return named, nameless, uses_general


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
    general_fields = []
    for ptv_type, field_name in SERVICE_TEXT_TYPES.items():
        own = localized_values(descriptions, type_=ptv_type)
        general = localized_values(descriptions, type_=f"{GENERAL_PREFIX}{ptv_type}")
        for lang in LANGS:
            # The service's own text first; the general description's only where it has none.
            if own.get(lang):
                texts[f"{field_name}_{lang}"] = own[lang]
            elif general.get(lang):
                texts[f"{field_name}_{lang}"] = general[lang]
                general_fields.append(f"{field_name}_{lang}")
    for lang, value in localized_values(_list(payload, "requirements")).items():
        texts[f"requirements_{lang}"] = value
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
    channel_extra: dict[str, dict] = {}
    for link in as_dicts(payload.get("serviceChannels"), "serviceChannels"):
        channel = as_dict(link.get("serviceChannel"), "serviceChannels.serviceChannel")
        channel_id = parse_guid(channel.get("id"), f"service {source_id} channel")
        channel_ids.append(channel_id)
        extra = details.channel_details(link)
        if extra:
            channel_extra[channel_id] = extra
    organizations = []
    producers = []
    nameless = 0
    for link in as_dicts(payload.get("organizations"), "organizations"):
        if link.get("organization") is None:
            # A producer that is not a published PTV organisation (bought-in services,
            # associations): PTV sends `organization: null` and its name in additionalInformation.
            name = details.producer_name(link)
            if name:
                producers.append({"name": name, "provision_type": _str(link, "provisionType"),
                                  "role": _str(link, "roleType", "Producer")})  # fmt: skip
            else:
                nameless += 1
            continue
        org = as_dict(link.get("organization"), "organizations.organization")
        organizations.append(
            (
                parse_guid(org.get("id"), f"service {source_id} organization"),
                _str(link, "roleType", "Responsible"),
                _str(link, "provisionType"),
            )
        )
    languages = [lang for lang in _list(payload, "languages") if isinstance(lang, str)]
    unplaced: list[str] = []
    counties: list[str] = []
    municipalities = _area_municipalities(payload, unplaced, counties)
    in_use = payload.get("serviceVouchersInUse")
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
        municipalities=municipalities,
        concepts=(
            _concepts(payload, "serviceClasses", "service_class")
            + _concepts(payload, "targetGroups", "target_group")
            + _concepts(payload, "lifeEvents", "life_event")
            + _concepts(payload, "ontologyTerms", "ontology_term")
        ),
        channel_ids=list(dict.fromkeys(channel_ids)),
        organizations=organizations,
        producers=producers,
        general_text_fields=general_fields,
        vouchers_in_use=in_use if isinstance(in_use, bool) else None,
        vouchers=details.vouchers(payload.get("serviceVouchers")),
        funding_type=_str(payload, "fundingType"),
        channel_details=channel_extra,
        unplaced_areas=unplaced,
        county_areas=counties,
        nameless_producers=nameless,
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
        phones=details.phones(_list(payload, "phoneNumbers") + _list(payload, "supportPhones")),
        emails=details.emails(_list(payload, "emails") + _list(payload, "supportEmails")),
        web_pages=details.web_pages(_list(payload, "webPages")),
        service_hours=details.service_hours(_list(payload, "serviceHours")),
        accessibility=[a for a in _list(payload, "accessibilityClassification") if isinstance(a, dict)],
        requires_authentication=(
            payload["requiresAuthentication"] if isinstance(payload.get("requiresAuthentication"), bool) else None
        ),
        languages=[lang for lang in _list(payload, "languages") if isinstance(lang, str)],
    )
    visiting = [a for a in _list(payload, "addresses") if isinstance(a, dict) and a.get("type") == "Location"]
    if visiting:
        _visiting_address(record, visiting[0])
    return record


def _visiting_address(record: ChannelRecord, address: dict) -> None:
    """Street, post office, municipality, coordinates, additional information and entrances.

    A trail, shelter or outdoor site has no street: subType "Other" with `otherAddress`
    holding TM35FIN coordinates without a `coordinateState` (PTV itself converts these to
    EnteredByUser street coordinates for older API versions, V9VmOpenApiAddressLocation)
    and no municipality.
    """
    texts = record.texts
    street = as_dict(address.get("streetAddress"), "addresses.streetAddress")
    other = as_dict(address.get("otherAddress"), "addresses.otherAddress")
    place = street or other
    if street:
        number = _str(street, "streetNumber").strip()
        for lang, value in localized_values(as_list(street.get("street"), "street")).items():
            texts[f"street_address_{lang}"] = f"{value} {number}".strip()
        record.municipality = _municipality(street.get("municipality"))
    if place:
        for lang, value in localized_values(as_list(place.get("postOffice"), "postOffice")).items():
            texts[f"post_office_{lang}"] = value
        info = as_list(place.get("additionalInformation"), "additionalInformation")
        for lang, value in localized_values(info).items():
            texts[f"address_info_{lang}"] = value
        record.postal_code = _str(place, "postalCode")
        good = not street or str(street.get("coordinateState") or "").lower() in GOOD_COORDINATE_STATES
        if good:
            point = tm35fin_to_wgs84(place.get("latitude"), place.get("longitude"))
            if point:
                record.latitude, record.longitude = point
    record.accessibility_sentences = details.entrance_sentences(address)


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
    pages = details.web_pages(_list(payload, "webPages"))
    return OrganizationRecord(
        source_id=source_id,
        source_hash=payload_hash(payload),
        modified=parse_modified(payload.get("modified")),
        texts=texts,
        organization_type=_str(payload, "organizationType"),
        business_code=_str(payload, "businessCode"),
        municipality=_municipality(payload.get("municipality")),
        web_url=pages[0]["url"] if pages else "",
        emails=details.emails(_list(payload, "emails")),
    )
