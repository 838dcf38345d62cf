"""Wellbeing services county areas (issue #17, item 10): a county area PTV sends without its
municipalities is placed from the code table in ingest/ptv/data; what the sync still cannot
place is counted in the run, never silently dropped."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from catalog.models import Service
from ingest.models import IngestRun
from ingest.ptv.mapping import county_code, county_municipalities, map_service
from ingest.ptv.sync import ptv_sync
from ingest.tests.test_ptv_mapping import SERVICE

NGO_SERVICE = "a1000000-0000-4000-8000-000000000001"
NORTH_SAVO = {"140", "171", "204", "239", "263", "297", "402", "420", "595", "686", "687", "749", "762", "778",
              "844", "857", "915", "921", "925"}  # fmt: skip


def _county(code, municipalities=(), kind="WellbeingServiceCounties") -> dict:
    return {"type": kind, "code": code, "name": [{"value": "Hyvinvointialue", "language": "fi"}],
            "municipalities": list(municipalities)}  # fmt: skip


def test_the_code_table_has_every_county_and_each_mainland_municipality_once():
    table = county_municipalities()
    assert set(table) == {f"{n:02d}" for n in range(1, 22)} | {"90"}
    codes = [code for municipalities in table.values() for code in municipalities]
    assert len(codes) == len(set(codes)) == 293
    assert all(len(code) == 3 and code.isdigit() for code in codes)
    assert set(table["13"]) == NORTH_SAVO and table["13"]["297"] == "Kuopio"
    assert set(table["90"]) == {"091"} and set(table["04"]) == {"092", "245"}
    assert "478" not in codes  # Maarianhamina: Åland is no wellbeing services county


@pytest.mark.parametrize(("raw", "code"), [("13", "13"), (13, "13"), ("HV13", "13"), ("1", "01"), ("", "")])
def test_county_codes_are_read_as_the_table_keys_them(raw, code):
    assert county_code(raw) == code


@pytest.mark.parametrize("kind", ["WellbeingServiceCounties", "WellbeingServiceCounty", "wellbeingservicecounties"])
def test_a_county_area_without_municipalities_is_placed_from_the_table(kind):
    payload = {**copy.deepcopy(SERVICE), "areas": [_county("13", kind=kind)]}
    record = map_service(payload)
    assert {m.code for m in record.municipalities} == NORTH_SAVO
    assert record.county_areas == ["13"] and record.unplaced_areas == []
    assert next(m for m in record.municipalities if m.code == "749").names == {"fi": "Siilinjärvi"}


def test_municipalities_listed_by_ptv_come_first():
    listed = [{"code": "297", "name": [{"value": "Kuopio", "language": "fi"}]}]
    record = map_service({**copy.deepcopy(SERVICE), "areas": [_county("13", listed)]})
    assert [m.code for m in record.municipalities] == ["297"] and record.county_areas == []


@pytest.mark.parametrize(
    ("area", "unplaced"),
    [
        (_county("99"), "WellbeingServiceCounties 99"),  # a code the table does not know
        ({"type": "CollaborationArea", "code": "7", "municipalities": []}, "CollaborationArea 7"),
    ],
)
def test_what_the_table_cannot_place_stays_unplaced(area, unplaced):
    record = map_service({**copy.deepcopy(SERVICE), "areas": [area]})
    assert record.municipalities == [] and record.unplaced_areas == [unplaced]


def _changed_areas(fake_ptv, ptv_client, areas) -> IngestRun:
    run = ptv_sync(full=True, client=ptv_client, index=False)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    fake_ptv.fake.update_service(NGO_SERVICE, areas=areas)
    run = ptv_sync(client=ptv_client, index=False)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    return run


def test_a_service_of_the_regions_county_is_kept_on_its_municipalities(region, fake_ptv, ptv_client):
    run = _changed_areas(fake_ptv, ptv_client, [_county("13")])
    service = Service.objects.get(source_id=NGO_SERVICE)
    assert service.is_public
    assert set(service.municipalities.values_list("code", flat=True)) == NORTH_SAVO
    unusual = run.details["unusual"]
    assert unusual["county_table_areas"] == 1 and unusual["unplaceable_areas"] == 0


def test_a_service_of_another_county_is_outside_the_region_not_unplaceable(region, fake_ptv, ptv_client):
    run = _changed_areas(fake_ptv, ptv_client, [_county("11")])  # Etelä-Karjala
    assert not Service.objects.get(source_id=NGO_SERVICE).is_public
    assert run.details["unusual"]["unplaceable_areas"] == 0


def test_an_area_the_sync_cannot_place_is_counted_in_the_run(region, fake_ptv, ptv_client):
    run = _changed_areas(fake_ptv, ptv_client, [_county("99")])
    assert run.details["unusual"]["unplaceable_areas"] == 1
    assert run.details["unusual"]["unplaceable_sample"] == [f"{NGO_SERVICE}: WellbeingServiceCounties 99"]
