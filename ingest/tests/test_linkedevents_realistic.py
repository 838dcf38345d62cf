"""The Linked Events sync against the shapes the live API sends (issue #17), from
ingest/fixtures/linkedevents/realistic/ (see its README for the upstream definitions)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.models import Event
from events.selectors import EventFilters, upcoming
from ingest.fakes import FakeLinkedEvents, FakeServer
from ingest.fakes.linkedevents import PREFIX
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.sync import linkedevents_sync
from ingest.models import IngestRun

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def fake_le():
    fake = FakeLinkedEvents(page_size=4)
    with FakeServer(fake, prefix=PREFIX) as server:
        yield server


@pytest.fixture
def synced(region, fake_le):
    run = linkedevents_sync(full=True, client=LinkedEventsClient(fake_le.url, max_retries=1, backoff=0.01, timeout=5))
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    return run


def test_courses_and_volunteering_are_asked_for_and_kept(synced, fake_le):
    assert all("event_type=General%2CCourse%2CVolunteering" in r for r in fake_le.fake.requests)
    assert Event.objects.get(source_id="kuopio:9001").event_type == "Course"
    assert Event.objects.get(source_id="kuopio:9002").event_type == "Volunteering"
    assert Event.objects.get(source_id="kuopio:5001").event_type == "General"
    assert synced.details["unusual"]["event_types"] == {"General": 10, "Course": 1, "Volunteering": 1}


def test_date_only_times_are_helsinki_days_with_an_inclusive_last_day(synced):
    three_days = Event.objects.get(source_id="kuopio:9002")  # "2026-12-18" .. "2026-12-20"
    assert three_days.start_time == datetime(2026, 12, 18, tzinfo=HELSINKI)
    assert three_days.end_time == datetime(2026, 12, 21, tzinfo=HELSINKI)
    one_day = Event.objects.get(source_id="kuopio:9003")  # "2026-12-12", end_time null
    assert one_day.start_time == datetime(2026, 12, 12, tzinfo=HELSINKI)
    assert one_day.end_time == datetime(2026, 12, 13, tzinfo=HELSINKI)
    occurrence = three_days.occurrences.get()
    assert occurrence.all_day and occurrence.last_day == date(2026, 12, 20)
    # On its last day, at 15:00 Helsinki, the event is still on the list (it used to end at 03:00 that morning).
    last_day = datetime(2026, 12, 20, 15, tzinfo=HELSINKI)
    listed = [e.source_id for e, _ in upcoming(EventFilters(start=last_day.date(), end=last_day.date()), now=last_day)]
    assert "kuopio:9002" in listed
    assert synced.details["unusual"]["date_only"] == 2


def test_a_recurring_series_is_one_event_with_its_dates(synced):
    series = Event.objects.get(source_id="kuopio:9100")
    starts = [o.start.astimezone(HELSINKI).date() for o in series.occurrences.all()]
    assert starts == [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)]
    assert not Event.objects.filter(source_id__in=["kuopio:9101", "kuopio:9102", "kuopio:9103"]).exists()
    assert synced.details["unusual"]["series_dates_folded"] == 3


def test_a_changed_date_of_a_series_rewrites_the_series(synced, fake_le):
    fake = fake_le.fake
    fake.events["kuopio:9102"]["start_time"] = "2026-12-09T12:00:00Z"
    fake.events["kuopio:9102"]["end_time"] = "2026-12-09T13:00:00Z"
    run = linkedevents_sync(full=True, client=LinkedEventsClient(fake_le.url, max_retries=1, timeout=5))
    assert run.status == IngestRun.Status.SUCCEEDED and run.updated == 1
    series = Event.objects.get(source_id="kuopio:9100")
    assert date(2026, 12, 9) in [o.start.astimezone(HELSINKI).date() for o in series.occurrences.all()]


def test_the_richer_fields_are_kept(synced):
    course = Event.objects.get(source_id="kuopio:9001")
    assert course.audience == [{"id": "yso:p2433", "name": {"fi": "ikääntyneet", "sv": "äldre", "en": "older people"}}]
    assert course.images[0] == {
        "url": "https://images.example.fi/kuntosali.jpg",
        "alt_text": {"fi": "Ohjaaja neuvoo senioria kuntosalilaitteen käytössä"},
        "license": "cc_by",
        "photographer": "Kuopion kaupunki",
    }
    assert course.enrolment_end == datetime(2026, 12, 5, 20, tzinfo=ZoneInfo("UTC"))
    assert course.enrolment_start == datetime(2026, 11, 20, 8, tzinfo=ZoneInfo("UTC"))
    assert course.maximum_attendee_capacity == 12
    assert course.environment == "in"
    assert Event.objects.get(source_id="kuopio:9003").environment == "out"
    assert course.offers[0]["description"] == {"fi": "Hinta sisältää neljä ohjauskertaa."}
    assert course.location_extra_info_fi == "2. kerros, sali B"
    assert course.provider_contact_info_fi == "liikuntapalvelut@example.fi, puh. 017 123 4567"


def test_event_page_shows_type_image_enrolment_and_place(synced, client):
    course = Event.objects.get(source_id="kuopio:9001")
    page = client.get(f"/tapahtumat/{course.id}/").content.decode()
    assert "Kurssi" in page
    assert 'alt="Ohjaaja neuvoo senioria kuntosalilaitteen käytössä"' in page
    assert "Ilmoittautuminen" in page and "5.12.2026" in page
    assert "12" in page and "2. kerros, sali B" in page
    assert "Sisällä" in page and "ikääntyneet" in page
    assert "Hinta sisältää neljä ohjauskertaa." in page
    volunteering = Event.objects.get(source_id="kuopio:9002")
    page = client.get(f"/tapahtumat/{volunteering.id}/").content.decode()
    assert "18.12.2026" in page and "20.12.2026" in page and "00.00" not in page


def test_event_filters_by_type_and_environment(synced):
    window = {"start": date(2026, 12, 1), "end": date(2026, 12, 31)}
    now = datetime(2026, 12, 1, tzinfo=HELSINKI)
    courses = upcoming(EventFilters(**window, event_type="Course"), now=now)
    assert [e.source_id for e, _ in courses] == ["kuopio:9001"]
    outdoors = upcoming(EventFilters(**window, environment="out"), now=now)
    assert [e.source_id for e, _ in outdoors] == ["kuopio:9003"]
    enrolment = upcoming(EventFilters(**window, enrolment_open=True), now=now - timedelta(days=3))
    assert [e.source_id for e, _ in enrolment] == ["kuopio:9001"]


def test_dates_of_a_series_imported_before_as_events_are_hidden(region, fake_le):
    for n in (1, 2, 3):  # as the sync used to store them: each date an event of its own
        Event.objects.create(
            source="linkedevents",
            source_id=f"kuopio:910{n}",
            name_fi="Tuolijumppa kirjastossa",
            start_time=datetime(2026, 12, n * 7 - 6, 14, tzinfo=HELSINKI),
            end_time=datetime(2026, 12, n * 7 - 6, 15, tzinfo=HELSINKI),
        )
    client = LinkedEventsClient(fake_le.url, max_retries=1, timeout=5)
    run = linkedevents_sync(since=datetime(2026, 11, 1, tzinfo=HELSINKI), client=client)  # incremental: no sweep
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert (
        not Event.objects.filter(source_id__startswith="kuopio:910", is_public=True)
        .exclude(source_id="kuopio:9100")
        .exists()
    )
    assert run.removed == 3
