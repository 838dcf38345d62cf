"""The guidance card's upcoming events are age-aware, as its services are (issue #13): an event
meant only for other ages is left out for the ticked band; events without age data stay."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from catalog.models import Municipality, Theme
from events.models import Event, EventOccurrence
from survey.services import event_fits_age

pytestmark = pytest.mark.django_db

BABIES = [{"id": "yso:p20513", "name": {"fi": "vauvaperheet", "sv": "babyfamiljer"}}]
OLDER = [{"id": "yso:p2433", "name": {"fi": "ikääntyneet", "sv": "äldre"}}]


def _event(source_id: str, name: str, **fields) -> Event:
    event = Event.objects.create(
        source="linkedevents",
        source_id=source_id,
        name_fi=name,
        municipality=Municipality.objects.get(code="297"),
        start_time=timezone.now() + timedelta(minutes=30),
        is_public=True,
        **fields,
    )
    event.themes.add(Theme.objects.get(slug="yhteisollisyys"))
    EventOccurrence.objects.create(event=event, start=event.start_time, end=event.start_time + timedelta(hours=2))
    return event


@pytest.fixture
def card_events(demo_catalog):
    return {
        "Vauvakahvila Testi": _event("age-1", "Vauvakahvila Testi", audience=BABIES),
        "Perhekerho Testi": _event("age-2", "Perhekerho Testi", audience_min_age=0, audience_max_age=6),
        "Senioritanssit Testi": _event("age-3", "Senioritanssit Testi", audience=OLDER),
        "Kylätalon avoimet ovet Testi": _event("age-4", "Kylätalon avoimet ovet Testi"),
    }


def _shown(client, age_band: str) -> set[str]:
    html = client.get(f"/ammattilainen/ohjaus/?themes=osallisuus&age_band={age_band}&municipality=297").content
    events = html.decode().split('id="events-title"', 1)[1].split("</section>", 1)[0]
    return {
        name for name in ("Vauvakahvila", "Perhekerho", "Senioritanssit", "Kylätalon avoimet ovet") if name in events
    }


def test_a_baby_cafe_is_not_offered_to_a_65_to_74_year_old(client, professional, card_events):
    client.force_login(professional)
    assert _shown(client, "65-74") == {"Senioritanssit", "Kylätalon avoimet ovet"}


def test_family_events_are_offered_to_a_parents_age_band(client, professional, card_events):
    client.force_login(professional)
    assert _shown(client, "30-44") == {"Vauvakahvila", "Perhekerho", "Kylätalon avoimet ovet"}


def test_without_an_age_band_every_event_is_offered(client, professional, card_events):
    client.force_login(professional)
    assert _shown(client, "") == {"Vauvakahvila", "Perhekerho", "Senioritanssit", "Kylätalon avoimet ovet"}


def _e(audience=(), low=None, high=None):
    return SimpleNamespace(audience=list(audience), audience_min_age=low, audience_max_age=high)


@pytest.mark.parametrize(
    ("event", "band", "fits"),
    [
        (_e(), "75+", True),  # no age data: for everyone
        (_e(BABIES), "65-74", False),
        (_e(BABIES), "18-29", True),  # parents
        (_e([{"id": "yso:p99999", "name": {"fi": "lapset"}}]), "75+", False),  # matched by Finnish name
        (_e(BABIES + [{"id": "yso:p6165", "name": {"fi": "maahanmuuttajat"}}]), "65-74", True),  # not only age-bound
        (_e(OLDER), "alle-18", False),
        (_e(low=65), "45-64", False),
        (_e(low=60), "45-64", True),  # the ages overlap
        (_e(low=13, high=17), "alle-18", True),
        (_e(low=13, high=17), "65-74", False),
        (_e(low=18), "75+", True),
        (_e(OLDER), "nonsense", True),  # an unknown band filters nothing
    ],
)
def test_event_fits_age(event, band, fits):
    assert event_fits_age(event, band) is fits
