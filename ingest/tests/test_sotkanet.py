"""Sotkanet sync over HTTP against the local fake server: the happy path, and every failure
leaving the last good data in place with a failed (or counted) run recorded."""

import socket

import pytest
from django.core.management import CommandError, call_command

from ingest.fakes import FakeServer, FakeSotkanet, RawAnswer
from ingest.fakes.sotkanet import PREFIX
from ingest.models import Indicator, IndicatorValue, IngestRun
from ingest.sotkanet.client import SotkanetClient
from ingest.sotkanet.defaults import demo_indicators_seed
from ingest.sotkanet.sync import sotkanet_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_sotkanet():
    with FakeServer(FakeSotkanet(), prefix=PREFIX) as server:
        yield server


@pytest.fixture
def followed(region):
    Indicator.objects.all().delete()
    demo_indicators_seed()
    return region


def client_for(server, **limits):
    return SotkanetClient(server.url, backoff=0.01, **{"max_retries": 1, "timeout": 5, **limits})


def snapshot():
    return sorted(
        IndicatorValue.objects.values_list("indicator__sotkanet_id", "sotkanet_region", "year", "gender", "value")
    )


def test_sync_stores_the_regions_municipalities_county_and_country(followed, fake_sotkanet):
    run = sotkanet_sync(client=client_for(fake_sotkanet))
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    loneliness = Indicator.objects.get(sotkanet_id=5527)
    assert loneliness.title_sv.startswith("Andel som känner sig ensamma")
    assert loneliness.unit_fi == "Prosenttia" and loneliness.decimals == 1
    assert loneliness.organization == "Terveyden ja hyvinvoinnin laitos (THL)"
    levels = set(IndicatorValue.objects.values_list("area_level", "municipality", "area_name"))
    assert ("county", "", "Pohjois-Savon hyvinvointialue") in levels
    assert ("country", "", "Koko maa") in levels
    assert {m for level, m, _ in levels if level == "municipality"} == {
        "297", "749", "140", "915", "778", "420", "402", "263"
    }  # fmt: skip
    # Helsinki, Joensuu, the other county and the MAAKUNTA entry are not this region's.
    assert not IndicatorValue.objects.filter(area_name__in=["Helsinki", "Joensuu", "Pohjois-Savo"]).exists()
    point = IndicatorValue.objects.get(indicator__sotkanet_id=5579, municipality="297", year=2024, gender="total")
    assert point.abs_value is not None and point.value > 0
    # The one withheld estimate (null value) is counted, not stored.
    assert run.details["unusual"] == {"unknown_region": 0, "missing_value": 1}
    assert not IndicatorValue.objects.filter(
        indicator__sotkanet_id=5527, municipality="263", year=2024, gender="male"
    ).exists()
    assert run.created == IndicatorValue.objects.count() > 0
    assert any("years=" in r and "genders=total" in r for r in fake_sotkanet.fake.requests)
    again = sotkanet_sync(client=client_for(fake_sotkanet))
    assert (again.created, again.updated, again.unchanged) == (0, 0, run.created)


def test_a_changed_value_is_updated(followed, fake_sotkanet):
    sotkanet_sync(client=client_for(fake_sotkanet))
    for point in fake_sotkanet.fake.data:
        if (point["indicator"], point["region"], point["year"], point["gender"]) == (5527, 20, 2024, "total"):
            point["value"] = 42.0
    run = sotkanet_sync(client=client_for(fake_sotkanet))
    assert run.updated == 1
    assert (
        IndicatorValue.objects.get(indicator__sotkanet_id=5527, municipality="297", year=2024, gender="total").value
        == 42.0
    )


@pytest.mark.parametrize(
    "break_it, reason",
    [
        (lambda fake: fake.fail("json", status=503, times=5), "HTTP 503"),
        (lambda fake: fake.fail("regions", status=500, times=5), "HTTP 500"),
        (lambda fake: fake.overrides.update({"json": RawAnswer(body=b"{not json")}), "not JSON"),
        (lambda fake: fake.overrides.update({"json": RawAnswer(body=b"<html>", content_type="text/html")}), "not JSON"),
        (lambda fake: fake.overrides.update({"json": {"error": "a dict, not a list"}}), "expected a list"),
        (lambda fake: fake.overrides.update({"regions": [{"id": "x"}]}), "numeric id"),
        (lambda fake: fake.overrides.update({"indicators/5553": {"id": 1}}), "not the indicator asked for"),
        (lambda fake: fake.overrides.update({"json": RawAnswer(body=b"[" + b" " * 300_000 + b"]")}), "byte limit"),
        (lambda fake: fake.overrides.update({"regions": [r for r in fake.regions if r["category"] != "KUNTA"]}),
         "none of the region's municipalities"),
    ],
)  # fmt: skip
def test_a_source_failure_records_a_failed_run_and_keeps_the_last_good_data(followed, fake_sotkanet, break_it, reason):
    sotkanet_sync(client=client_for(fake_sotkanet))
    before = snapshot()
    titles = list(Indicator.objects.values_list("title_fi", flat=True))
    # The next answer would change every value: none of it may land.
    for point in fake_sotkanet.fake.data:
        point["value"] = 99.0
    break_it(fake_sotkanet.fake)
    run = sotkanet_sync(client=client_for(fake_sotkanet, max_bytes=200_000))
    assert run.status == IngestRun.Status.FAILED
    assert reason in run.error
    assert (run.created, run.updated) == (0, 0)
    assert snapshot() == before
    assert list(Indicator.objects.values_list("title_fi", flat=True)) == titles


def test_a_timeout_fails_the_run_and_keeps_the_data(followed, fake_sotkanet):
    sotkanet_sync(client=client_for(fake_sotkanet))
    before = snapshot()
    fake_sotkanet.fake.overrides["json"] = RawAnswer(body=b"[" + b" " * 50 + b"]", drip_seconds=0.2)
    run = sotkanet_sync(client=client_for(fake_sotkanet, max_retries=0, timeout=1, request_deadline=1))
    assert run.status == IngestRun.Status.FAILED
    assert "within" in run.error or "Timeout" in run.error
    assert snapshot() == before


def test_a_refused_connection_fails_the_run(followed):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    run = sotkanet_sync(client=SotkanetClient(f"http://127.0.0.1:{port}/rest/1.1/", max_retries=0, timeout=2))
    assert run.status == IngestRun.Status.FAILED
    assert "ConnectionError" in run.error


def test_unknown_region_ids_and_missing_values_are_counted_and_keep_the_old_value(followed, fake_sotkanet):
    sotkanet_sync(client=client_for(fake_sotkanet))
    kuopio = {"indicator": 5527, "region": 20, "year": 2024, "gender": "total"}
    old = IndicatorValue.objects.get(indicator__sotkanet_id=5527, municipality="297", year=2024, gender="total").value
    fake_sotkanet.fake.data = [p for p in fake_sotkanet.fake.data if {k: p[k] for k in kuopio} != kuopio]
    fake_sotkanet.fake.data += [
        {**kuopio, "value": None, "absValue": None},  # withheld now: the old value stays
        {"indicator": 5527, "region": 99999, "year": 2024, "gender": "total", "value": 3.0, "absValue": None},
        {"indicator": 5527, "region": "20", "year": 2024, "gender": "total", "value": 3.0, "absValue": None},
    ]
    run = sotkanet_sync(client=client_for(fake_sotkanet))
    assert run.status == IngestRun.Status.SUCCEEDED
    assert run.details["unusual"] == {"unknown_region": 2, "missing_value": 2}
    assert run.skipped == 4
    assert (
        IndicatorValue.objects.get(indicator__sotkanet_id=5527, municipality="297", year=2024, gender="total").value
        == old
    )


def test_no_followed_indicators_is_a_quiet_success(region, fake_sotkanet):
    Indicator.objects.all().delete()
    run = sotkanet_sync(client=client_for(fake_sotkanet))
    assert run.status == IngestRun.Status.SUCCEEDED and run.details == {"indicators": 0}
    assert fake_sotkanet.fake.requests == []


def test_command_is_off_until_configured_and_runs_when_it_is(followed, fake_sotkanet, settings):
    settings.SOTKANET_URL = ""
    with pytest.raises(CommandError, match="SOTKANET_URL"):
        call_command("sync_sotkanet")
    settings.SOTKANET_URL = fake_sotkanet.url
    call_command("sync_sotkanet")
    call_command("ingest", "sotkanet")
    runs = IngestRun.objects.filter(source="sotkanet").order_by("started")
    assert [r.status for r in runs] == [IngestRun.Status.SUCCEEDED] * 2
    fake_sotkanet.fake.fail("regions", status=500, times=10)
    with pytest.raises(CommandError, match="HTTP 500"):
        call_command("sync_sotkanet", "--base-url", fake_sotkanet.url)


def test_demo_load_follows_the_demo_indicators_and_syncs_them(region):
    from ingest.demo import demo_indicators_load

    Indicator.objects.all().delete()
    line = demo_indicators_load()
    assert "succeeded" in line
    assert set(Indicator.objects.values_list("sotkanet_id", flat=True)) == {5527, 5537, 5553, 5566, 5579}
    assert IndicatorValue.objects.filter(area_level="county").exists()
    assert IngestRun.objects.filter(source="sotkanet", status=IngestRun.Status.SUCCEEDED).exists()
