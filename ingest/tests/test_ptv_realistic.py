"""The PTV sync against the shapes the live API sends (issue #17), from
ingest/fixtures/ptv_demo/realistic/ (see its README for the upstream definitions)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from catalog.models import Concept, Service, ServiceChannel
from catalog.search.engine import search
from catalog.search.indexing import services_index_lexical
from ingest.models import IngestRun
from ingest.ptv.sync import ptv_sync

pytestmark = pytest.mark.django_db

NGO_SERVICE = "a1000000-0000-4000-8000-000000000001"
TRAIL_SERVICE = "a1000000-0000-4000-8000-000000000002"
GD_SERVICE = "a1000000-0000-4000-8000-000000000003"
HALL = "b1000000-0000-4000-8000-000000000001"
SHELTER = "b1000000-0000-4000-8000-000000000002"
E_SERVICE = "b1000000-0000-4000-8000-000000000003"
UNPUBLISHED_CHANNEL = "b1000000-0000-4000-8000-0000000000ff"


def full(client):
    run = ptv_sync(full=True, client=client, index=False)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    return run


def test_full_sync_keeps_what_the_live_api_sends(region, fake_ptv, ptv_client):
    run = full(ptv_client)
    ngo = Service.objects.get(source_id=NGO_SERVICE)
    # 1. a producer without a PTV organisation keeps the service, with the producer's own name
    assert ngo.is_public
    assert ngo.producers == [
        {
            "name": {
                "fi": "Kuopion Eläkkeensaajien Liikuntaseura ry",
                "sv": "Kuopion Eläkkeensaajien Liikuntaseura rf",
            },
            "provision_type": "PurchaseServices",
            "role": "Producer",
        }
    ]
    assert ngo.organization_roles.filter(role="Responsible").exists()
    # 2. general description texts asked for and used where the service has none of its own
    assert all("serviceWithGD=true" in r for r in fake_ptv.fake.requests if "Service/list/area" in r)
    gd = Service.objects.get(source_id=GD_SERVICE)
    assert gd.summary_fi == "Neuvontaa ikäihmisille ja heidän läheisilleen."  # its own text first
    assert gd.description_fi.startswith("Palveluneuvonnasta saat tietoa")
    assert gd.description_sv.startswith("Servicerådgivningen ger")
    assert gd.user_instruction_fi == "Ota yhteyttä puhelimitse tai verkkolomakkeella."
    assert set(gd.general_text_fields) == {
        "description_fi", "description_sv", "user_instruction_fi", "user_instruction_sv", "charge_info_fi",
    }  # fmt: skip
    assert "summary_fi" not in gd.general_text_fields
    # 3. a linked channel that PTV no longer publishes (404 on list?guids=) is gone, not a failure
    assert not ServiceChannel.objects.filter(source_id=UNPUBLISHED_CHANNEL).exists()
    unusual = run.details["unusual"]
    assert UNPUBLISHED_CHANNEL in unusual["vanished_sample"] and unusual["vanished_guids"] >= 1
    assert unusual["producers_without_organization"] == 1
    assert unusual["general_description_texts"] == 1
    # 4. otherAddress coordinates (TM35FIN, no coordinateState) and the address's additional information
    shelter = ServiceChannel.objects.get(source_id=SHELTER)
    assert shelter.latitude == pytest.approx(62.93, abs=0.05) and shelter.longitude == pytest.approx(27.66, abs=0.05)
    assert shelter.address_info_fi == "Laavun parkkipaikka Puijontien varressa"
    assert shelter.postal_code == "70300"
    # 5. the accessibility register's sentences of the entrances
    hall = ServiceChannel.objects.get(source_id=HALL)
    sentences = [item["sentence"]["fi"] for item in hall.accessibility_sentences]
    assert "Pääsisäänkäynnin yhteydessä on kaksi esteetöntä pysäköintipaikkaa." in sentences
    assert hall.accessibility_sentences[0]["group"]["sv"] == "Rutten till huvudingången"
    assert len(sentences) == 3
    # 6. one concept per code, with both URIs
    kr1 = Concept.objects.filter(kind="target_group", code="KR1")
    assert kr1.count() == 1
    assert kr1.get().uri == "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/KR1"
    assert kr1.get().legacy_uri == "http://urn.fi/URN:NBN:fi:au:ptvl:KR1"
    # the useful fields that were ignored
    assert ngo.vouchers_in_use is True
    assert ngo.vouchers[0]["name"] == "Liikuntaseteli" and ngo.vouchers[0]["url"] == "https://example.fi/liikuntaseteli"
    assert ngo.requirements_fi.startswith("Ryhmiin ilmoittaudutaan puhelimitse")
    assert ngo.funding_type == "MarketFunded"
    hall_details = ngo.channel_details[HALL]
    assert hall_details["charge_type"] == "Chargeable"
    assert hall_details["phones"][0]["number"] == "+358401234567"
    assert hall_details["service_hours"][0]["days"][0]["day_from"] == "Tuesday"
    assert hall.address_info_fi == "Sisäänkäynti sisäpihan puolelta"
    assert ServiceChannel.objects.get(source_id=E_SERVICE).requires_authentication is True


def test_second_full_sync_of_the_realistic_shapes_changes_nothing(region, fake_ptv, ptv_client):
    first = full(ptv_client)
    second = full(ptv_client)
    assert (second.created, second.updated, second.removed) == (0, 0, 0)
    assert second.unchanged == first.created
    assert Concept.objects.filter(kind="target_group", code="KR1").count() == 1
    # unchanged services are not mapped again, yet what is unusual about them is still counted
    for key in ("producers_without_organization", "general_description_texts", "vanished_guids"):
        assert second.details["unusual"][key] == first.details["unusual"][key] >= 1, key


def test_service_page_shows_the_kept_fields(region, fake_ptv, ptv_client, client):
    full(ptv_client)
    ngo = Service.objects.get(source_id=NGO_SERVICE)
    page = client.get(reverse("front:service", args=[ngo.id])).content.decode()
    assert "Kuopion Eläkkeensaajien Liikuntaseura ry" in page
    assert "Palveluseteli" in page and "https://example.fi/liikuntaseteli" in page
    assert "Edellytykset" in page and "Sopii yli 65-vuotiaille" in page
    assert "Pääsisäänkäynnin yhteydessä on kaksi esteetöntä pysäköintipaikkaa." in page
    assert "Salivuoro tiistaisin ja torstaisin" in page  # what the service says about the channel
    assert "Ilmoittautuminen arkisin 9–12" in page
    gd = Service.objects.get(source_id=GD_SERVICE)
    page = client.get(reverse("front:service", args=[gd.id])).content.decode()
    assert "Palveluneuvonnasta saat tietoa" in page
    assert "palvelun yleiskuvauksesta" in page  # general texts are marked as such
    assert "vahvan tunnistautumisen" in page
    trail = Service.objects.get(source_id=TRAIL_SERVICE)
    page = client.get(reverse("front:service", args=[trail.id])).content.decode()
    assert "Laavun parkkipaikka Puijontien varressa" in page
    assert "openstreetmap.org" in page  # a place without a street still gets its map link


def test_accessibility_sentences_are_searchable(region, fake_ptv, ptv_client):
    full(ptv_client)
    ngo = Service.objects.get(source_id=NGO_SERVICE)
    services_index_lexical(service_ids=list(Service.objects.values_list("id", flat=True)))
    result = search("esteetön pysäköintipaikka", mode="lexical")
    assert ngo.id in [hit.service_id for hit in result.hits]


def test_incremental_sync_reads_general_texts_and_survives_a_vanished_batch(region, fake_ptv, ptv_client):
    full(ptv_client)
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    fake = fake_ptv.fake
    fake.touch(fake.services[GD_SERVICE])
    run = ptv_sync(client=ptv_client, index=False)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert any("Service/serviceWithGD/list" in r for r in fake.requests)
    gd = Service.objects.get(source_id=GD_SERVICE)
    assert gd.description_fi.startswith("Palveluneuvonnasta saat tietoa")

    # A service archived between `Service?date=` and the fetch: list?guids= answers 404.
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    fake.touch(fake.services[TRAIL_SERVICE])
    fake.fail("Service/serviceWithGD/list", status=404, body='{"errorMessage": "Entities not found."}')
    run = ptv_sync(client=ptv_client, index=False)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.fetched == 0  # the whole batch vanished
    assert TRAIL_SERVICE in run.details["unusual"]["vanished_sample"]
    assert run.details["unusual"]["vanished_guids"] == len(run.details["unusual"]["vanished_sample"])
    assert Service.objects.get(source_id=TRAIL_SERVICE).is_public  # hidden only when PTV says archived


def test_a_service_of_an_area_the_sync_cannot_place_is_reported(region, fake_ptv, ptv_client):
    full(ptv_client)
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    fake = fake_ptv.fake
    service = fake.services[NGO_SERVICE]
    fake.update_service(
        NGO_SERVICE,
        # A county code the code table (ingest/ptv/data) does not know: known ones are placed.
        areas=[{"type": "WellbeingServiceCounty", "code": "77", "name": [], "municipalities": []}],
    )
    run = ptv_sync(client=ptv_client, index=False)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.details["unusual"]["unplaceable_areas"] == 1
    assert run.details["unusual"]["unplaceable_sample"] == [f"{NGO_SERVICE}: WellbeingServiceCounty 77"]
    assert service["id"] == NGO_SERVICE
