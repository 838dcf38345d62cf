"""Linked Events sync over HTTP against the local fake server with the recorded pages."""

import pytest
from django.core.management import CommandError, call_command

from events.models import Event
from ingest.base import MappingError
from ingest.fakes import FakeLinkedEvents, FakeServer
from ingest.fakes.linkedevents import PREFIX
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.mapping import map_event
from ingest.linkedevents.sync import linkedevents_sync
from ingest.models import IngestRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_le():
    fake = FakeLinkedEvents(page_size=3, realistic_file=None)  # the recorded pages only
    with FakeServer(fake, prefix=PREFIX) as server:
        yield server


@pytest.fixture
def le_client(fake_le):
    return LinkedEventsClient(fake_le.url, max_retries=2, backoff=0.01, timeout=5)


def snapshot():
    return sorted(Event.objects.values_list("source_id", "name_fi", "is_public", "source_hash"))


def test_full_sync_pages_through_meta_next_and_maps_events(region, fake_le, le_client):
    from catalog.models import Municipality

    Municipality.objects.filter(code="297").update(name_fi="Kuopio")  # names arrive with the PTV sync
    run = linkedevents_sync(full=True, client=le_client)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.fetched == 8 and run.created == 8
    assert sum("page=3" in r for r in fake_le.fake.requests) == 1
    swim = Event.objects.get(source_id="kuopio:5001")
    assert swim.name_sv == "Vattengympa för seniorer"
    assert swim.is_free is False and swim.audience_min_age == 65
    assert swim.municipality.code == "297"
    assert swim.latitude == pytest.approx(62.8851)
    assert {t.slug for t in swim.themes.all()} == {"liikunta"}
    assert swim.occurrences.count() == 1
    assert Event.objects.get(source_id="kuopio:5006").status == "EventCancelled"
    assert Event.objects.get(source_id="kuopio:5003").description_fi.startswith("Lukupiiri kokoontuu")  # HTML removed


def test_second_sync_changes_nothing(region, fake_le, le_client):
    linkedevents_sync(full=True, client=le_client)
    before = snapshot()
    again = linkedevents_sync(full=True, client=le_client)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert snapshot() == before


def test_incremental_sync_takes_changes_and_hides_deleted(region, fake_le, le_client):
    from datetime import UTC, datetime, timedelta

    linkedevents_sync(full=True, client=le_client)
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    changed = fake_le.fake.events["kuopio:5002"]
    changed["name"]["fi"] = "Opastettu luontoretki Puijolla (uusi aika)"
    fake_le.fake.touch(changed)
    gone = fake_le.fake.events["kuopio:5003"]
    gone["deleted"] = True
    fake_le.fake.touch(gone)
    run = linkedevents_sync(client=le_client)
    assert run.kind == "incremental" and run.fetched == 2
    assert run.updated == 1 and run.removed == 1
    assert any("show_deleted=true" in r for r in fake_le.fake.requests)
    assert Event.objects.get(source_id="kuopio:5002").name_fi.endswith("(uusi aika)")
    assert Event.objects.get(source_id="kuopio:5003").is_public is False


def test_failure_mid_run_keeps_the_events(region, fake_le, le_client):
    linkedevents_sync(full=True, client=le_client)
    before = snapshot()
    fake_le.fake.events["kuopio:5001"]["name"]["fi"] = "Ei saa näkyä"
    fake_le.fake.fail("page=2", status=500, times=10)
    run = linkedevents_sync(full=True, client=le_client)
    assert run.status == IngestRun.Status.FAILED and "HTTP 500" in run.error
    assert snapshot() == before


def test_malformed_items_are_counted(region, fake_le, le_client):
    fake_le.fake.events["broken"] = {
        "id": "no-colon",
        "name": {"fi": "x"},
        "last_modified_time": "2026-11-20T08:00:00Z",
    }
    fake_le.fake.events["bad:time"] = {
        "id": "bad:time",
        "name": {"fi": "x"},
        "start_time": "huomenna",
        "last_modified_time": "2026-11-20T08:00:00Z",
    }
    run = linkedevents_sync(full=True, client=le_client)
    assert run.status == IngestRun.Status.SUCCEEDED and run.failed == 2 and run.created == 8


def test_delete_valve_on_full_sync(region, fake_le, le_client, settings):
    from datetime import UTC, datetime, timedelta

    linkedevents_sync(full=True, client=le_client)
    Event.objects.update(start_time=datetime.now(UTC) + timedelta(days=3))  # all upcoming
    for key in list(fake_le.fake.events)[:5]:
        del fake_le.fake.events[key]
    refused = linkedevents_sync(full=True, client=le_client)
    assert refused.status == IngestRun.Status.REFUSED
    assert Event.objects.filter(is_public=True).count() == 8
    forced = linkedevents_sync(full=True, client=le_client, force=True)
    assert forced.removed == 5


def test_mapping_rejects_items_without_id_or_name():
    with pytest.raises(MappingError):
        map_event({"id": "x:1", "name": {}})
    with pytest.raises(MappingError):
        map_event({"name": {"fi": "Nimi"}})


def test_command_is_off_until_configured_and_runs_with_a_url(region, fake_le, settings, capsys):
    settings.LINKED_EVENTS_API_URL = ""
    with pytest.raises(CommandError, match="LINKED_EVENTS_API_URL"):
        call_command("ingest", "linkedevents")
    call_command("ingest", "linkedevents", "--full", "--base-url", fake_le.url)
    assert "linkedevents full" in capsys.readouterr().out
    assert Event.objects.count() == 8


def test_an_unexpected_error_is_stored_as_a_failed_run(region, fake_le, le_client, monkeypatch):
    import ingest.event_writer as writer

    monkeypatch.setattr(writer, "events_write", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        linkedevents_sync(full=True, client=le_client)
    run = IngestRun.objects.latest("started")
    assert run.status == IngestRun.Status.FAILED and run.finished is not None
    assert run.error.startswith("ZeroDivisionError")
