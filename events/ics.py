"""An iCalendar (.ics, RFC 5545) file for one event's coming occurrences."""

from __future__ import annotations

from datetime import UTC, datetime

from events.models import Event, EventOccurrence


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(event: Event, occurrences: list[EventOccurrence], *, url: str) -> str:
    location = ", ".join(p for p in [event.t("location_name"), event.t("street_address"), event.postal_code] if p)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tarmoa//Tapahtumat//FI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    now = _stamp(datetime.now(UTC))
    for occurrence in occurrences:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.source}-{event.source_id}-{_stamp(occurrence.start)}@tarmoa",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(occurrence.start)}",
        ]
        if occurrence.end:
            lines.append(f"DTEND:{_stamp(occurrence.end)}")
        lines += [f"SUMMARY:{_escape(event.t('name'))}", f"URL:{url}"]
        if location:
            lines.append(f"LOCATION:{_escape(location)}")
        description = event.t("short_description")
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        if event.status == Event.Status.CANCELLED:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
