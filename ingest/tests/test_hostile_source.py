"""Ingest against a hostile or broken source (issue #15): every limit of the reader and
the run, played with the in-process fake servers (ingest.fakes.RawAnswer)."""

import json
import time

import psycopg
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from catalog.models import Service
from events.models import Event
from ingest.base import SourceBusy
from ingest.fakes import FakeLinkedEvents, FakeServer, RawAnswer
from ingest.fakes.linkedevents import PREFIX as LE_PREFIX
from ingest.http import SourceError
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.sync import linkedevents_sync
from ingest.models import IngestRun
from ingest.ptv.client import PtvClientV11
from ingest.ptv.sync import ptv_sync
from ingest.services import _lock_key, ingest_run
from ingest.tasks import run_ingest

pytestmark = pytest.mark.django_db
AREA_LIST = "Service/list/area/Municipality/code/"


def client_for(server, **limits):
    return PtvClientV11(server.url, backoff=0.01, **{"max_retries": 0, "timeout": 5, **limits})


def full(client):
    return ptv_sync(full=True, client=client, index=False)


def some_services(fake, count):
    return [fake.services[guid] for guid in sorted(fake.services)[:count]]


def page(items, *, number=1, size=10, count=1):
    return RawAnswer(
        body=json.dumps({"pageNumber": number, "pageSize": size, "pageCount": count, "itemList": items}).encode()
    )


def test_a_short_page_fails_the_run_and_leaves_the_catalog(region, fake_ptv):
    fake_ptv.fake.intercept(AREA_LIST, page(some_services(fake_ptv.fake, 2), size=10, count=3))
    run = full(client_for(fake_ptv))
    assert run.status == IngestRun.Status.FAILED
    assert "2 items, pageSize 10" in run.error
    assert not Service.objects.exists()


def test_a_never_ending_page_count_stops_at_the_page_cap(region, fake_ptv):
    service = some_services(fake_ptv.fake, 1)
    fake_ptv.fake.intercept(AREA_LIST, page(service, size=1, count=10**9), times=1000)
    run = full(client_for(fake_ptv, max_pages=5))
    assert run.status == IngestRun.Status.FAILED and "more than 5 pages" in run.error
    assert sum(AREA_LIST in r for r in fake_ptv.fake.requests) <= 6


def test_a_slow_drip_ends_at_the_request_deadline(region, fake_ptv):
    body = json.dumps({"pageNumber": 1, "pageSize": 10, "pageCount": 1, "itemList": []}).encode()
    fake_ptv.fake.intercept(AREA_LIST, RawAnswer(body=body, drip_seconds=0.3))
    started = time.monotonic()
    run = full(client_for(fake_ptv, request_deadline=1))
    assert run.status == IngestRun.Status.FAILED
    assert time.monotonic() - started < 5  # the whole answer would take 20 s
    assert "within 1 s" in run.error or "Timeout" in run.error


def test_the_run_deadline_bounds_every_request(region, fake_ptv, settings):
    settings.INGEST_RUN_DEADLINE_SECONDS = 1
    body = json.dumps({"pageNumber": 1, "pageSize": 10, "pageCount": 1, "itemList": []}).encode()
    fake_ptv.fake.intercept(AREA_LIST, RawAnswer(body=body, drip_seconds=0.3), times=100)
    started = time.monotonic()
    run = full(client_for(fake_ptv, request_deadline=60))
    assert run.status == IngestRun.Status.FAILED
    assert time.monotonic() - started < 5
    client = client_for(fake_ptv)
    client.begin_run(deadline=0.01)
    time.sleep(0.05)
    with pytest.raises(SourceError, match="deadline passed"):
        client._get("Organization/list", {"guids": "x"})


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_an_oversized_answer_is_refused(region, fake_ptv, declared):
    big = b'{"pageNumber": 1, "pageSize": 10, "pageCount": 1, "itemList": [], "x": "' + b"a" * 2_000_000 + b'"}'
    fake_ptv.fake.intercept(AREA_LIST, RawAnswer(body=big, length=None if declared else -1))
    run = full(client_for(fake_ptv, max_bytes=1_000_000))
    assert run.status == IngestRun.Status.FAILED
    assert "1000000-byte limit" in run.error


def test_html_is_not_json(region, fake_ptv):
    fake_ptv.fake.intercept(AREA_LIST, RawAnswer(body=b"<html>maintenance</html>", content_type="text/html"))
    run = full(client_for(fake_ptv))
    assert run.status == IngestRun.Status.FAILED and "'text/html', not JSON" in run.error


def test_duplicate_guids_are_counted_and_logged(region, fake_ptv, caplog):
    twice = some_services(fake_ptv.fake, 1) * 2
    code = region.municipality_codes()[-1]
    fake_ptv.fake.intercept(f"{AREA_LIST}{code}", page(twice, size=2, count=1))
    run = full(client_for(fake_ptv))
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.details["unusual"]["duplicate_guids"] == 1
    assert run.details["unusual"]["duplicate_sample"] == [twice[0]["id"]]
    assert "twice" in caplog.text


def test_linked_events_walk_short_of_its_count_fails(region):
    fake = FakeLinkedEvents(page_size=3, realistic_file=None)
    answer = fake.answer

    def overcounting(target):
        status, body = answer(target)
        body["meta"]["count"] += 2
        return status, body

    fake.answer = overcounting
    with FakeServer(fake, prefix=LE_PREFIX) as server:
        run = linkedevents_sync(full=True, client=LinkedEventsClient(server.url, max_retries=0, timeout=5))
    assert run.status == IngestRun.Status.FAILED and "8 events listed, the first page said 10" in run.error
    assert not Event.objects.exists()


@pytest.fixture
def fake_le_url():
    with FakeServer(FakeLinkedEvents(page_size=50, realistic_file=None), prefix=LE_PREFIX) as server:
        yield server.url


def test_one_run_per_source_at_a_time(region, fake_le_url, settings, caplog):
    settings.LINKED_EVENTS_API_URL = fake_le_url
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [_lock_key("linkedevents")])
        with pytest.raises(SourceBusy):
            ingest_run(source="linkedevents", base_url=fake_le_url)
        with pytest.raises(CommandError, match="another linkedevents sync is running"):
            call_command("ingest", "linkedevents", "--base-url", fake_le_url)
        assert run_ingest.run(source="linkedevents") is None
        assert "sync not started: another linkedevents sync is running" in caplog.text
        assert not IngestRun.objects.exists()
        other.execute("SELECT pg_advisory_unlock(%s)", [_lock_key("linkedevents")])
    run = ingest_run(source="linkedevents", base_url=fake_le_url)  # the lock is free again
    assert run.status == IngestRun.Status.SUCCEEDED


def test_a_stale_running_run_is_closed_as_failed(region, fake_le_url):
    killed = IngestRun.objects.create(source="linkedevents", kind=IngestRun.Kind.FULL)
    other_source = IngestRun.objects.create(source="lahella", kind=IngestRun.Kind.FULL)
    run = ingest_run(source="linkedevents", base_url=fake_le_url)
    assert run.status == IngestRun.Status.SUCCEEDED
    killed.refresh_from_db()
    assert killed.status == IngestRun.Status.FAILED and killed.finished and "interrupted" in killed.error
    other_source.refresh_from_db()
    assert other_source.status == IngestRun.Status.RUNNING  # not this source's lock: left alone


def test_celery_time_limits_sit_above_the_run_deadline(region, fake_le_url):
    assert run_ingest.soft_time_limit == settings.INGEST_TASK_SOFT_TIME_LIMIT > settings.INGEST_RUN_DEADLINE_SECONDS
    assert run_ingest.time_limit == settings.INGEST_TASK_TIME_LIMIT > run_ingest.soft_time_limit

    class SoftLimitedClient(LinkedEventsClient):
        def events(self, **kwargs):
            raise SoftTimeLimitExceeded()
            yield  # a generator, like the real one

    with pytest.raises(SoftTimeLimitExceeded):
        linkedevents_sync(full=True, client=SoftLimitedClient(fake_le_url))
    run = IngestRun.objects.get()
    assert run.status == IngestRun.Status.FAILED and run.finished  # recorded, never left running
