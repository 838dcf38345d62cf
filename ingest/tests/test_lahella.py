"""Lähellä.fi sync over HTTP against the local fake server, and weekly recurrence expansion."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from events.models import Event
from ingest.base import MappingError
from ingest.fakes import FakeLahella, FakeServer
from ingest.fakes.lahella import PREFIX
from ingest.lahella.client import LahellaClient
from ingest.lahella.mapping import expand, map_activity
from ingest.lahella.sync import lahella_sync
from ingest.models import IngestRun

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.fixture
def fake_lahella():
    with FakeServer(FakeLahella(), prefix=PREFIX) as server:
        yield server


def client_for(server, token="demo-token"):
    return LahellaClient(server.url, token=token, page_size=2, max_retries=1, backoff=0.01, timeout=5)


def test_weekly_recurrence_expands_in_helsinki_time_for_90_days():
    event = {
        "start": 1756710000000,
        "timeZone": "Europe/Helsinki",
        "recurrence": {
            "period": "P1W",
            "end": 1811808000000,
            "daySpecificTimes": [{"weekday": 2, "startTime": "10:00", "endTime": "11:00"}],
            "exclude": [1765270800000],
        },
    }  # 2026-12-09 (a Wednesday) – not a Tuesday, no effect
    occurrences = expand(event, now=NOW)
    assert 12 <= len(occurrences) <= 13  # every Tuesday for 90 days
    first_start, first_end = occurrences[0]
    assert first_start == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 10:00 EET = 08:00 UTC
    assert first_end == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert all(o[0].weekday() == 1 for o in occurrences)


def test_excluded_day_is_skipped_and_bad_period_is_malformed():
    tuesday_ms = int(datetime(2026, 12, 1, 8, 0, tzinfo=UTC).timestamp() * 1000)
    event = {
        "start": 1756710000000,
        "recurrence": {
            "period": "P1W",
            "exclude": [tuesday_ms],
            "daySpecificTimes": [{"weekday": 2, "startTime": "10:00", "endTime": "11:00"}],
        },
    }
    assert datetime(2026, 12, 1, 8, 0, tzinfo=UTC) not in [o[0] for o in expand(event, now=NOW)]
    with pytest.raises(MappingError):
        expand({"start": 1756710000000, "recurrence": {"period": "P1M"}}, now=NOW)


def test_activity_mapping_themes_ages_accessibility_and_drafts():
    fake = FakeLahella()
    walk = map_activity(fake.items[0], now=NOW)
    assert walk.texts["name_sv"] == "Promenadklubb på Väinölänniemi"
    assert walk.themes == {"liikunta", "luonto"}
    assert walk.is_free is True and walk.audience_min_age == 30
    assert walk.accessibility == ["ac_wheelchair", "ac_parking"]
    assert walk.latitude == pytest.approx(62.8887)
    assert walk.texts["organizer_fi"] == "Kuopion Latu ry"
    assert len(walk.occurrences) > 20  # Tuesdays and Thursdays
    assert map_activity(fake.items[3], now=NOW).deleted is True  # a draft is not shown


@pytest.mark.django_db
def test_sync_pages_with_skip_stores_occurrences_and_is_idempotent(region, fake_lahella):
    run = lahella_sync(client=client_for(fake_lahella))
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.fetched == 4 and run.created == 3 and run.skipped == 1
    assert any("skip=2" in r for r in fake_lahella.fake.requests)
    walk = Event.objects.get(source="lahella", source_id="90001")
    assert walk.occurrences.count() > 20 and walk.is_public
    again = lahella_sync(client=client_for(fake_lahella))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.django_db
def test_wrong_token_and_failures_change_nothing(region, fake_lahella):
    lahella_sync(client=client_for(fake_lahella))
    before = sorted(Event.objects.values_list("source_id", "is_public"))
    refused = lahella_sync(client=client_for(fake_lahella, token="wrong"))
    assert refused.status == IngestRun.Status.FAILED and "401" in refused.error
    fake_lahella.fake.fail("skip=2", status=500, times=5)
    failed = lahella_sync(client=client_for(fake_lahella))
    assert failed.status == IngestRun.Status.FAILED
    assert sorted(Event.objects.values_list("source_id", "is_public")) == before


@pytest.mark.django_db
def test_command_is_off_until_configured(region, settings):
    settings.LAHELLA_API_URL = ""
    with pytest.raises(CommandError, match="LAHELLA_API_URL"):
        call_command("ingest", "lahella")
