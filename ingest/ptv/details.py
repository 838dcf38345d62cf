"""The parts of a PTV v11 record that are lists of small objects: contact details, hours,
vouchers, producers, entrances with their accessibility sentences.

Each helper takes the JSON value and returns the normalised shape the catalog stores (see
catalog.models); shapes follow `vrk-kpa/ptv-releases` (branch ptv-release-3_4):
V9VmOpenApiContactDetails, V11VmOpenApiServiceHour, V9VmOpenApiServiceVoucher,
V6VmOpenApiServiceOrganization, VmOpenApiEntrance / VmOpenApiAccessibilitySentence.
"""

from __future__ import annotations

from ingest.base import LANGS, MappingError, as_dict, as_dicts, as_list


def text(obj: dict, key: str, default: str = "") -> str:
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


def phones(items: list) -> list[dict]:
    found = []
    for item in items:
        if not isinstance(item, dict) or not item.get("number"):
            continue
        prefix = item.get("prefixNumber") or ""
        found.append(
            {
                "number": f"{prefix}{item['number']}".replace(" ", ""),
                "type": item.get("type") or "Phone",
                "info": item.get("additionalInformation") or "",
                "charge": item.get("serviceChargeType") or "",
                "charge_description": item.get("chargeDescription") or "",
                "language": item.get("language") or "",
            }
        )
    return found


def emails(items: list) -> list[dict]:
    return [
        {"value": e["value"], "language": e.get("language") or ""}
        for e in items
        if isinstance(e, dict) and isinstance(e.get("value"), str) and e["value"]
    ]


def web_pages(items: list) -> list[dict]:
    pages = []
    for item in items:
        if (
            isinstance(item, dict)
            and isinstance(item.get("url"), str)
            and item["url"].startswith(("http://", "https://"))
        ):
            pages.append({"url": item["url"], "text": item.get("value") or "", "language": item.get("language") or ""})
    return pages


def service_hours(items: list) -> list[dict]:
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
                    "from": text(opening, "from")[:5],
                    "to": text(opening, "to")[:5],
                }
            )
        hours.append(
            {
                "type": item.get("serviceHourType") or "DaysOfTheWeek",
                "valid_from": text(item, "validFrom")[:10],
                "valid_to": text(item, "validTo")[:10],
                "closed": bool(item.get("isClosed")),
                "always_open": bool(item.get("isAlwaysOpen")),
                "reservation": bool(item.get("isReservation")),
                "info": localized_values(as_list(item.get("additionalInformation"), "additionalInformation")),
                "days": days,
            }
        )
    return hours


def vouchers(items: object) -> list[dict]:
    """serviceVouchers: [{value, url, additionalInformation, language}] (V9VmOpenApiServiceVoucher)."""
    found = []
    for item in as_dicts(items, "serviceVouchers"):
        name = text(item, "value").strip()
        url = text(item, "url").strip()
        if not name and not url:
            continue
        found.append(
            {
                "name": name[:300],
                "url": url[:500] if url.startswith(("http://", "https://")) else "",
                "info": text(item, "additionalInformation").strip()[:1000],
                "language": text(item, "language"),
            }
        )
    return found


def producer_name(link: dict) -> dict[str, str]:
    """The free-text name of a producer that is not a PTV organisation (`organization` null)."""
    return localized_values(as_list(link.get("additionalInformation"), "organizations.additionalInformation"))


def channel_details(link: dict) -> dict:
    """What a service says about one of its channels (V11VmOpenApiServiceServiceChannel)."""
    contacts = as_dict(link.get("contactDetails"), "serviceChannels.contactDetails")
    details = {
        "charge_type": text(link, "serviceChargeType"),
        "description": localized_values(as_list(link.get("description"), "serviceChannels.description")),
        "service_hours": service_hours(as_list(link.get("serviceHours"), "serviceChannels.serviceHours")),
        "phones": phones(as_list(contacts.get("phoneNumbers"), "contactDetails.phoneNumbers")),
        "emails": emails(as_list(contacts.get("emails"), "contactDetails.emails")),
        "web_pages": web_pages(as_list(contacts.get("webPages"), "contactDetails.webPages")),
    }
    return {key: value for key, value in details.items() if value}


def entrance_sentences(address: dict) -> list[dict]:
    """The accessibility register's sentences of an address's entrances, main entrance first.

    [{"entrance": {lang: name}, "main": bool, "group": {lang: text}, "sentence": {lang: text}}]
    """
    found = []
    entrances = as_dicts(address.get("entrances"), "addresses.entrances")
    for entrance in sorted(entrances, key=lambda e: not e.get("isMainEntrance")):
        name = localized_values(as_list(entrance.get("name"), "entrances.name"))
        for group in as_dicts(entrance.get("accessibilitySentences"), "entrances.accessibilitySentences"):
            group_name = localized_values(as_list(group.get("sentenceGroup"), "accessibilitySentences.sentenceGroup"))
            for sentence in as_dicts(group.get("sentences"), "accessibilitySentences.sentences"):
                values = localized_values(as_list(sentence.get("sentence"), "sentences.sentence"))
                if values:
                    found.append(
                        {"entrance": name, "main": bool(entrance.get("isMainEntrance")), "group": group_name,
                         "sentence": values}
                    )  # fmt: skip
    return found
