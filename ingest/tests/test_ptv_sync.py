"""The PTV sync end to end: the real client over HTTP against the local fake PTV server."""

import copy
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Service, ServiceChannel, ServiceCuration, Source
from ingest.models import IngestRun
from ingest.ptv.sync import ptv_sync

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything a resident could see, to compare catalogs before and after."""
    return sorted(
        Service.objects.filter(source=Source.PTV).values_list("source_id", "name_fi", "is_public", "source_hash")
    )


def full(client, **kwargs):
    return ptv_sync(full=True, client=client, index=False, **kwargs)


def kept_service_ids(fake):
    """GUIDs of demo services the scope filter keeps (public after a full sync)."""
    return set(Service.objects.filter(is_public=True).values_list("source_id", flat=True))


def test_full_sync_stores_the_region_in_scope(region, fake_ptv, ptv_client):
    run = full(ptv_client)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.fetched == len(fake_ptv.fake.services)
    assert run.created == Service.objects.count() > Service.objects.filter(is_public=True).count() > 10
    assert run.created + run.skipped + run.failed == run.fetched
    # Out of scope by class or heavy care: stored for the scope page, never public.
    out = run.details["out_of_scope"]
    assert out["class"] + out["heavy_care"] == Service.objects.filter(is_public=False).count() > 0
    assert not Service.objects.filter(is_public=True).exclude(scope_status="in").exists()
    for service in Service.objects.filter(is_public=True):
        assert service.themes.exists(), service
        assert service.concepts.filter(kind="target_group", code__startswith="KR1").exists()
    assert ServiceChannel.objects.filter(latitude__isnull=False).exists()
    # paging: with 10 items a page the client asked for later pages too
    assert any("page=2" in r for r in fake_ptv.fake.requests)


def test_second_identical_sync_changes_nothing(region, fake_ptv, ptv_client):
    first = full(ptv_client)
    before = snapshot()
    second = full(ptv_client)
    assert second.status == IngestRun.Status.SUCCEEDED
    assert (second.created, second.updated, second.removed) == (0, 0, 0)
    assert second.unchanged == first.created
    assert snapshot() == before


def test_small_and_large_pages_give_the_same_catalog(region, fake_ptv, ptv_client):
    full(ptv_client)
    small_pages = snapshot()
    fake_ptv.fake.list_page_size = 100
    Service.objects.all().delete()
    full(ptv_client)
    assert snapshot() == small_pages


def test_incremental_sync_updates_changed_and_hides_archived(region, fake_ptv, ptv_client):
    full(ptv_client)
    last_run = IngestRun.objects.get()
    IngestRun.objects.filter(pk=last_run.pk).update(started=datetime.now(UTC) - timedelta(minutes=1))
    changed_id, archived_id = sorted(kept_service_ids(fake_ptv.fake))[:2]
    service = fake_ptv.fake.services[changed_id]
    names = [n for n in service["serviceNames"] if n["language"] != "fi"]
    fake_ptv.fake.update_service(
        changed_id, serviceNames=[{"language": "fi", "value": "Uusi nimi", "type": "Name"}, *names]
    )
    fake_ptv.fake.archive_service(archived_id)

    run = ptv_sync(client=ptv_client, index=False)
    assert run.kind == IngestRun.Kind.INCREMENTAL and run.status == IngestRun.Status.SUCCEEDED
    assert run.fetched == 1 and run.updated == 1 and run.removed == 1
    assert Service.objects.get(source_id=changed_id).name_fi == "Uusi nimi"
    archived = Service.objects.get(source_id=archived_id)
    assert archived.is_public is False and archived.publishing_status == "Archived"
    assert any("Service?date=" in r or "Service?" in r and "date=" in r for r in fake_ptv.fake.requests)


def test_transient_errors_are_retried(region, fake_ptv, ptv_client):
    fake_ptv.fake.fail("Service/list/area", status=429, times=1)
    fake_ptv.fake.fail("ServiceChannel/list/area", status=503, times=2)
    run = full(ptv_client)
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.created > 0


def test_a_500_in_the_middle_fails_the_run_and_keeps_the_catalog(region, fake_ptv, ptv_client):
    full(ptv_client)
    before = snapshot()
    fake_ptv.fake.update_service(
        sorted(kept_service_ids(fake_ptv.fake))[0],
        serviceNames=[{"language": "fi", "value": "Ei saa näkyä", "type": "Name"}],
    )
    fake_ptv.fake.fail("page=2", status=500, times=10)  # beyond the retries
    run = full(ptv_client)
    assert run.status == IngestRun.Status.FAILED
    assert "HTTP 500" in run.error
    assert snapshot() == before
    assert (run.created, run.updated, run.removed) == (0, 0, 0)


def test_malformed_records_are_counted_and_skipped(region, fake_ptv, ptv_client):
    template = next(iter(fake_ptv.fake.services.values()))
    broken_name = copy.deepcopy(template)
    broken_name["id"] = str(uuid.uuid4())
    broken_name["serviceNames"] = []
    broken_id = copy.deepcopy(template)
    broken_id["id"] = "not-a-guid"
    fake_ptv.fake.add_service(broken_name)
    fake_ptv.fake.add_service(broken_id)
    run = full(ptv_client)
    assert run.status == IngestRun.Status.SUCCEEDED
    assert run.failed == 2
    assert broken_name["id"] in run.details["failed_ids"] and "not-a-guid" in run.details["failed_ids"]
    assert run.created > 0


def test_delete_valve_refuses_big_removals_unless_forced(region, fake_ptv, ptv_client):
    full(ptv_client)
    before = snapshot()
    kept = sorted(kept_service_ids(fake_ptv.fake))
    for guid in kept[: len(kept) // 2]:
        del fake_ptv.fake.services[guid]
    refused = full(ptv_client)
    assert refused.status == IngestRun.Status.REFUSED
    assert "--force" in refused.error
    assert snapshot() == before
    forced = full(ptv_client, force=True)
    assert forced.status == IngestRun.Status.SUCCEEDED
    assert forced.removed == len(kept) // 2
    assert Service.objects.filter(is_public=True).count() == len(kept) - len(kept) // 2


def test_small_removals_pass_the_valve(region, fake_ptv, ptv_client):
    full(ptv_client)
    gone = sorted(kept_service_ids(fake_ptv.fake))[0]
    del fake_ptv.fake.services[gone]
    run = full(ptv_client)
    assert run.status == IngestRun.Status.SUCCEEDED and run.removed == 1
    assert Service.objects.get(source_id=gone).is_public is False


def test_scope_filter_drops_non_citizen_and_non_wellbeing_services(region, fake_ptv, ptv_client):
    base = next(s for s in fake_ptv.fake.services.values() if s["areaType"] == "LimitedType")
    health_centre = copy.deepcopy(base)
    health_centre["id"] = str(uuid.uuid4())
    health_centre["serviceClasses"] = [
        {
            "code": "P5.1",
            "uri": "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P5.1",
            "name": [{"language": "fi", "value": "Perusterveydenhuolto"}],
        }
    ]
    for_companies = copy.deepcopy(base)
    for_companies["id"] = str(uuid.uuid4())
    for_companies["targetGroups"] = [
        {
            "code": "KR2.7",
            "uri": "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/KR2.7",
            "name": [{"language": "fi", "value": "Yhdistykset"}],
        }
    ]
    elsewhere = copy.deepcopy(base)
    elsewhere["id"] = str(uuid.uuid4())
    elsewhere["areas"] = [
        {
            "type": "Municipality",
            "code": None,
            "name": None,
            "municipalities": [{"code": "091", "name": [{"language": "fi", "value": "Helsinki"}]}],
        }
    ]
    for extra in (health_centre, for_companies):
        fake_ptv.fake.add_service(extra)
    run = full(ptv_client)
    assert not Service.objects.filter(source_id__in=[health_centre["id"], for_companies["id"]]).exists()
    assert run.skipped >= 2
    # outside the region: not even fetched from the region's municipality lists
    fake_ptv.fake.add_service(elsewhere)
    full(ptv_client)
    assert not Service.objects.filter(source_id=elsewhere["id"]).exists()


def test_local_curation_survives_sync(region, fake_ptv, ptv_client):
    full(ptv_client)
    guid = sorted(kept_service_ids(fake_ptv.fake))[0]
    service = Service.objects.get(source_id=guid)
    ServiceCuration.objects.create(service=service, hidden=True, note="Tarkista aukioloajat")
    fake_ptv.fake.update_service(guid, serviceNames=[{"language": "fi", "value": "Päivitetty", "type": "Name"}])
    full(ptv_client)
    service.refresh_from_db()
    assert service.name_fi == "Päivitetty"
    assert service.curation.hidden is True and service.curation.note == "Tarkista aukioloajat"


def test_dry_run_writes_nothing(region, fake_ptv, ptv_client):
    run = full(ptv_client, dry_run=True)
    assert run.status == IngestRun.Status.DRY_RUN
    assert run.created > 0
    assert Service.objects.count() == 0


def test_command_runs_sync_and_exits_non_zero_on_failure(region, fake_ptv, capsys, settings):
    settings.PTV_MAX_RETRIES = 0
    call_command("ingest", "ptv", "--full", "--base-url", fake_ptv.url, "--no-index")
    assert "Onnistui" in capsys.readouterr().out
    fake_ptv.fake.fail("Service/list/area", status=500, times=20)
    with pytest.raises(CommandError, match="HTTP 500"):
        call_command("ingest", "ptv", "--full", "--base-url", fake_ptv.url, "--no-index")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--municipalities", "kuopio"], "--municipalities"), (["--since", "last tuesday"], "--since")],
)
def test_command_rejects_bad_arguments(region, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("ingest", "ptv", *args)


def test_municipality_override_limits_the_run(region, fake_ptv, ptv_client):
    run = full(ptv_client, municipalities=["263"], include_nationwide=False)
    assert run.status == IngestRun.Status.SUCCEEDED
    assert run.parameters["municipalities"] == ["263"]
    assert not any("code/297" in r for r in fake_ptv.fake.requests)


def test_celery_task_runs_the_same_sync(region, fake_ptv, settings):
    from ingest.tasks import run_ingest

    settings.PTV_API_URL = fake_ptv.url
    run_id = run_ingest.delay(source="ptv", full=True).get()
    assert IngestRun.objects.get(pk=run_id).status == IngestRun.Status.SUCCEEDED


def test_an_unexpected_error_is_stored_as_a_failed_run_and_writes_nothing(region, fake_ptv, ptv_client, monkeypatch):
    import ingest.ptv.sync as sync

    def broken(*args, **kwargs):
        Service.objects.all().delete()  # half-done work that the rollback must undo
        raise RuntimeError("bug in the writer")

    ptv_sync(full=True, client=ptv_client)
    before = Service.objects.count()
    monkeypatch.setattr(sync, "_apply", broken)
    with pytest.raises(RuntimeError):
        ptv_sync(full=True, client=ptv_client)
    run = IngestRun.objects.latest("started")
    assert run.status == IngestRun.Status.FAILED and run.finished is not None
    assert run.error == "RuntimeError: bug in the writer"
    assert Service.objects.count() == before


def test_new_services_in_the_same_run_do_not_dilute_the_delete_valve(region, fake_ptv, ptv_client):
    """The valve's base is the services public before the run, whatever the run adds."""
    full(ptv_client)
    kept = sorted(kept_service_ids(fake_ptv.fake))
    gone = kept[: len(kept) // 4]  # 25 %: over the 20 % limit
    for guid in gone:
        template = fake_ptv.fake.services.pop(guid)
        for copy_no in range(4):
            fake_ptv.fake.add_service(
                {**copy.deepcopy(template), "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{guid}:{copy_no}"))}
            )
    refused = full(ptv_client)
    assert refused.status == IngestRun.Status.REFUSED
    assert f"refusing to remove {len(gone)} of {len(kept)} " in refused.error
    assert Service.objects.filter(is_public=True).count() == len(kept)


def test_the_region_row_decides_what_is_synced(region, fake_ptv, ptv_client):
    from catalog.services import region_setup

    # Settings seeded eight municipalities; the region's editors narrowed it to Kuopio, no nationwide.
    region_setup(municipality_codes=["297"], include_nationwide=False)
    run = full(ptv_client)
    assert run.status == "succeeded" and run.parameters["municipalities"] == ["297"]
    assert run.parameters["include_nationwide"] is False
    public = Service.objects.filter(is_public=True)
    assert public.exists()
    assert not public.exclude(municipalities__code="297").exists()


def test_a_sync_without_region_municipalities_refuses_with_a_reason(region, ptv_client):
    from django.core.management import CommandError, call_command

    from catalog.models import Municipality

    Municipality.objects.update(region=None)
    with pytest.raises(CommandError, match="setup_region"):
        call_command("ingest", "ptv", "--full", "--base-url", ptv_client.base_url)
