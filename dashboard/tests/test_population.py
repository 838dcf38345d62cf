"""Populations for "per 10,000 residents": the shipped file, the refresh command, the supply panel, CSV and API."""

from __future__ import annotations

import csv
import importlib
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.tokens import api_token_issue
from dashboard.models import Population
from dashboard.population import DATA_FILE, STATFIN_URL, population_csv_parse, population_store
from dashboard.stats import StatsFilter, supply_stats

FIXTURE = Path(__file__).parent / "fixtures" / "statfin_11ra_2021.json"
PERIOD = StatsFilter(start=date.today() - timedelta(days=30), end=date.today())


def _load_shipped() -> None:
    population_store(rows=population_csv_parse(DATA_FILE.read_text(encoding="utf-8")))


def test_the_shipped_file_holds_the_official_2021_figures_with_date_and_source():
    text = DATA_FILE.read_text(encoding="utf-8")
    assert "11ra" in text.split("municipality_code")[0] and "CC BY 4.0" in text  # the header says where from
    rows = {r.code: r for r in population_csv_parse(text)}
    assert {c: rows[c].residents for c in ("297", "749", "140", "915")} == {
        "297": 121543, "749": 21293, "140": 20958, "915": 19973}  # fmt: skip
    assert {r.reference_date for r in rows.values()} == {date(2021, 12, 31)}
    assert all("Statistics Finland" in r.source for r in rows.values())
    # Every demo municipality is listed; one without a verified figure stays empty, never guessed.
    assert set(rows) == {"297", "749", "140", "915", "778", "420", "402", "263"}
    assert all(r.residents is None or r.residents > 1000 for r in rows.values())


@pytest.mark.django_db
def test_the_migration_loads_the_shipped_file():
    Population.objects.all().delete()
    migration = importlib.import_module("dashboard.migrations.0001_population_rollups")
    migration.load_population(apps, None)
    assert Population.objects.get(municipality_code="297").residents == 121543
    assert Population.objects.get(municipality_code="778").residents is None


class _Answer:
    def __init__(self, status: int, body: bytes) -> None:
        self.status_code, self.body = status, body

    def iter_content(self, size: int):
        yield self.body


@pytest.fixture
def statfin(monkeypatch):
    """Fake Statistics Finland's PxWeb API: record the POSTed query, answer with the recorded fixture."""
    import requests

    calls: list[dict] = []
    answer = {"status": 200, "body": FIXTURE.read_bytes()}

    def post(url, json=None, **kwargs):
        calls.append({"url": url, "json": json})
        return _Answer(answer["status"], answer["body"])

    monkeypatch.setattr(requests, "post", post)
    return {"calls": calls, "answer": answer}


@pytest.mark.django_db
def test_refresh_from_the_api_stores_the_municipalities_and_the_date(statfin, demo_catalog):
    Population.objects.all().delete()
    out = io.StringIO()
    call_command("refresh_population", stdout=out)
    query = statfin["calls"][0]["json"]
    assert statfin["calls"][0]["url"] == STATFIN_URL
    assert query["response"] == {"format": "json-stat2"}
    areas = next(q for q in query["query"] if q["code"] == "Alue")["selection"]["values"]
    assert "KU297" in areas and all(a.startswith("KU") for a in areas)
    stored = {p.municipality_code: p for p in Population.objects.all()}
    assert set(stored) == {"297", "749", "140", "915"}  # the region and the country are not municipalities
    assert stored["749"].residents == 21293 and stored["749"].name == "Siilinjärvi"
    assert stored["749"].reference_date == date(2021, 12, 31) and "11ra" in stored["749"].source
    assert "2021-12-31" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, body",
    [
        (500, b"{}"),
        (200, b"<html>proxy error</html>"),
        (200, json.dumps({"class": "dataset"}).encode()),  # not a dataset
        (200, FIXTURE.read_bytes().replace(b"121543", b"-5")),  # a negative population
        (200, FIXTURE.read_bytes().replace(b'"size": [6, 1, 1]', b'"size": [6, 1, 2]')),  # sizes do not match
    ],
)
def test_a_bad_answer_changes_nothing_and_fails(statfin, demo_catalog, status, body):
    _load_shipped()
    before = list(Population.objects.values_list("municipality_code", "residents", "reference_date"))
    statfin["answer"].update(status=status, body=body)
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("refresh_population")
    assert list(Population.objects.values_list("municipality_code", "residents", "reference_date")) == before


@pytest.mark.django_db
def test_refresh_from_a_local_file(tmp_path):
    Population.objects.all().delete()
    good = tmp_path / "vaesto.csv"
    good.write_text(
        "# Statistics Finland, 11ra, 31.12.2021\nmunicipality_code,name,population,reference_date,source\n"
        "297,Kuopio,121 543,2021-12-31,Tilastokeskus 11ra\n778,Suonenjoki,,2021-12-31,Tilastokeskus 11ra\n",
        encoding="utf-8",
    )
    call_command("refresh_population", "--file", str(good), stdout=io.StringIO())
    assert Population.objects.get(municipality_code="297").residents == 121543
    assert Population.objects.get(municipality_code="778").residents is None
    call_command("refresh_population", "--file", str(FIXTURE), stdout=io.StringIO())  # JSON-stat 2.0 too
    assert Population.objects.get(municipality_code="915").residents == 19973
    for bad in (
        "municipality_code,name,population,reference_date,source\n297,Kuopio,lots,2021-12-31,x\n",
        "municipality_code,name,population,reference_date,source\n297,Kuopio,5,31.12.2021,x\n",
        "municipality_code,name,population\n297,Kuopio,5\n",
        "municipality_code,name,population,reference_date,source\n297,Kuopio,5,2021-12-31,x\n297,K,6,2021-12-31,x\n",
    ):
        good.write_text(bad, encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("refresh_population", "--file", str(good))
        assert Population.objects.get(municipality_code="297").residents == 121543
    with pytest.raises(CommandError):
        call_command("refresh_population", "--file", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_supply_per_10000_residents_and_unknown_populations(demo_catalog):
    from catalog.models import Region

    _load_shipped()
    region = Region.objects.get()
    supply = supply_stats(region, PERIOD)
    assert supply["population_date"] == "2021-12-31" and "Statistics Finland" in supply["population_source"]
    kuopio = [r for r in supply["rows"] if r["municipality"] == "297"]
    assert kuopio and all(r["population"] == 121543 for r in kuopio)
    for row in kuopio:
        assert row["services_per_10000"] == round(row["services"] * 10_000 / 121543, 1)
        assert row["events_per_10000"] == round(row["events"] * 10_000 / 121543, 1)
    assert any(r["services"] for r in kuopio)
    suonenjoki = [r for r in supply["rows"] if r["municipality"] == "778"]
    assert suonenjoki and all(
        r["population"] is None and r["services_per_10000"] is None and r["events_per_10000"] is None
        for r in suonenjoki
    )


@pytest.mark.django_db
def test_page_csv_and_api_show_per_10000(client, manager, demo_catalog):
    _load_shipped()
    client.force_login(manager)
    html = client.get("/ammattilainen/johto/").content.decode()
    assert "Palvelut / 10 000 asukasta" in html and "Väkiluku puuttuu" in html and "Suonenjoki" in html
    assert "2021-12-31" in html
    rows = list(csv.DictReader(io.StringIO(
        client.get("/ammattilainen/johto/supply.csv").content.decode("utf-8-sig")), delimiter=";"))  # fmt: skip
    kuopio = next(r for r in rows if r["municipality"] == "297")
    assert kuopio["population"] == "121543" and kuopio["services_per_10000"] != ""
    assert next(r for r in rows if r["municipality"] == "778")["services_per_10000"] == ""
    token = api_token_issue(user=manager)
    body = client.get("/api/v1/pro/stats/supply", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["population_date"] == "2021-12-31"
    assert {"population", "services_per_10000", "events_per_10000"} <= set(body["rows"][0])
    spec = client.get("/api/v1/openapi.json").json()
    schema = spec["components"]["schemas"]["SupplyRow"]["properties"]
    assert {"services_per_10000", "events_per_10000", "population"} <= set(schema)
