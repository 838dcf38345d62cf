from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from catalog.opening_hours import hour_lines, is_open

HEL = ZoneInfo("Europe/Helsinki")
WEEKDAYS = [
    {
        "type": "DaysOfTheWeek",
        "valid_from": "",
        "valid_to": "",
        "closed": False,
        "always_open": False,
        "info": {},
        "days": [
            {"day_from": "Monday", "day_to": "Friday", "from": "08:00", "to": "16:00"},
            {"day_from": "Saturday", "day_to": "", "from": "10:00", "to": "14:00"},
        ],
    }
]


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=HEL)


def test_open_during_weekday_hours_in_helsinki_time():
    assert is_open(WEEKDAYS, at("2026-11-30T09:00")) is True  # Monday
    assert is_open(WEEKDAYS, at("2026-11-30T16:00")) is False  # closes at 16
    assert is_open(WEEKDAYS, at("2026-12-05T11:00")) is True  # Saturday
    assert is_open(WEEKDAYS, at("2026-12-06T11:00")) is False  # Sunday


def test_utc_moment_is_converted_to_helsinki():
    # 06:30 UTC is 08:30 in Helsinki in winter
    utc = datetime(2026, 11, 30, 6, 30, tzinfo=ZoneInfo("UTC"))
    assert is_open(WEEKDAYS, utc) is True


def test_exceptional_closure_overrides_regular_hours():
    hours = [
        *WEEKDAYS,
        {
            "type": "Exceptional",
            "valid_from": "2026-12-24",
            "valid_to": "2026-12-26",
            "closed": True,
            "days": [],
            "info": {},
        },
    ]
    assert is_open(hours, at("2026-12-24T10:00")) is False
    assert is_open(hours, at("2026-12-28T10:00")) is True


def test_over_midnight_and_always_open_and_unknown():
    night = [{"type": "DaysOfTheWeek", "days": [{"day_from": "Friday", "day_to": "", "from": "22:00", "to": "02:00"}]}]
    assert is_open(night, at("2026-12-04T23:00")) is True
    assert is_open(night, at("2026-12-05T01:00")) is True
    assert is_open(night, at("2026-12-05T03:00")) is False
    assert is_open([{"type": "DaysOfTheWeek", "always_open": True, "days": []}], at("2026-12-05T03:00")) is True
    assert is_open([], at("2026-12-05T03:00")) is None


def test_readable_lines_in_finnish_and_english():
    with translation.override("fi"):
        assert hour_lines(WEEKDAYS)[0]["lines"] == ["ma–pe 8.00–16.00", "la 10.00–14.00"]
    with translation.override("en"):
        assert hour_lines(WEEKDAYS)[0]["lines"] == ["Mon–Fri 8:00–16:00", "Sat 10:00–14:00"]
