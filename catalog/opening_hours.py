"""Opening hours from PTV's service hours: readable lines and an "open now" answer in Helsinki time."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from catalog.i18n import current_language
from catalog.models import ServiceChannel

HELSINKI = ZoneInfo("Europe/Helsinki")
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAY_ABBR = [_("ma"), _("ti"), _("ke"), _("to"), _("pe"), _("la"), _("su")]


def _parse_time(value: str) -> time | None:
    try:
        hours, minutes = value.split(":")[:2]
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        return None


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _day_span(day_from: str, day_to: str) -> list[int]:
    if day_from not in DAYS:
        return []
    start = DAYS.index(day_from)
    if day_to not in DAYS:
        return [start]
    end = DAYS.index(day_to)
    return list(range(start, end + 1)) if end >= start else list(range(start, 7)) + list(range(0, end + 1))


def _valid_on(entry: dict, day: date) -> bool:
    start, end = _parse_date(entry.get("valid_from", "")), _parse_date(entry.get("valid_to", ""))
    return (start is None or start <= day) and (end is None or day <= end)


def _open_in(entry: dict, moment: datetime) -> bool | None:
    """True when the entry's hours cover the moment, False when they do not, None when it has no hours."""
    if entry.get("always_open"):
        return True
    weekday = moment.weekday()
    now = moment.time()
    has_hours = False
    for span in entry.get("days", []):
        opens, closes = _parse_time(span.get("from", "")), _parse_time(span.get("to", ""))
        days = _day_span(span.get("day_from", ""), span.get("day_to", ""))
        if opens is None or closes is None or not days:
            continue
        has_hours = True
        over_midnight = closes <= opens
        if weekday in days and (opens <= now < closes or (over_midnight and now >= opens)):
            return True
        # yesterday's span that runs past midnight into this morning
        if over_midnight and (weekday - 1) % 7 in days and now < closes:
            return True
    return False if has_hours else None


def is_open(hours: list[dict], moment: datetime | None = None) -> bool | None:
    """Open at `moment` (default now, Helsinki)? None when the hours do not tell."""
    moment = (moment or datetime.now(HELSINKI)).astimezone(HELSINKI)
    today = moment.date()
    exceptional = [h for h in hours if h.get("type") == "Exceptional" and _valid_on(h, today)]
    for entry in exceptional:
        if entry.get("closed"):
            return False
        answer = _open_in(entry, moment)
        if answer is not None:
            return answer
    if exceptional:
        return False
    regular = [h for h in hours if h.get("type") != "Exceptional" and _valid_on(h, today)]
    answers = [_open_in(h, moment) for h in regular if not h.get("closed")]
    if any(a is True for a in answers):
        return True
    if any(a is False for a in answers) or any(h.get("closed") for h in regular):
        return False
    return None


def _fmt(value: str) -> str:
    parsed = _parse_time(value)
    if parsed is None:
        return value
    return f"{parsed.hour}.{parsed.minute:02d}" if current_language() == "fi" else f"{parsed.hour}:{parsed.minute:02d}"


def hour_lines(hours: list[dict]) -> list[dict]:
    """Readable rows: [{"label", "info", "exceptional", "lines": ["ma–pe 8.00–16.00", ...]}]."""
    rows = []
    lang = current_language()
    for entry in hours:
        lines = []
        if entry.get("always_open"):
            lines.append(str(_("aina avoinna")))
        elif entry.get("closed"):
            lines.append(str(_("suljettu")))
        for span in entry.get("days", []):
            days = _day_span(span.get("day_from", ""), span.get("day_to", ""))
            if not days:
                continue
            label = str(DAY_ABBR[days[0]]) if len(days) == 1 else f"{DAY_ABBR[days[0]]}–{DAY_ABBR[days[-1]]}"
            lines.append(f"{label} {_fmt(span.get('from', ''))}–{_fmt(span.get('to', ''))}")
        info = entry.get("info", {})
        period = ""
        if entry.get("valid_from") or entry.get("valid_to"):
            start, end = _parse_date(entry.get("valid_from", "")), _parse_date(entry.get("valid_to", ""))
            period = " – ".join(d.strftime("%-d.%-m.%Y") for d in (start, end) if d)
        rows.append(
            {
                "exceptional": entry.get("type") == "Exceptional",
                "period": period,
                "info": info.get(lang) or info.get("fi") or "",
                "lines": lines,
            }
        )
    return rows


def channel_view(channel: ServiceChannel, moment: datetime | None = None) -> dict:
    from urllib.parse import urlencode

    map_url = ""
    if channel.has_location:
        map_url = (
            "https://www.openstreetmap.org/?"
            + urlencode({"mlat": f"{channel.latitude:.6f}", "mlon": f"{channel.longitude:.6f}"})
            + f"#map=17/{channel.latitude:.5f}/{channel.longitude:.5f}"
        )
    return {
        "channel": channel,
        "hours": hour_lines(channel.service_hours),
        "open_now": is_open(channel.service_hours, moment) if channel.service_hours else None,
        "map_url": map_url,
    }
