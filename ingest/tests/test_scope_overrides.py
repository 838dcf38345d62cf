"""Out-of-scope PTV services are stored but never public; an editor's scope override survives
every sync, changed source records and full and incremental runs alike (issue #18)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from catalog.models import ScopeStatus, Service, Source, Theme
from catalog.search.engine import search
from catalog.search.indexing import services_index_lexical
from catalog.services import scope_theme_update, service_curation_update
from ingest.models import IngestRun
from ingest.ptv.sync import ptv_sync

pytestmark = pytest.mark.django_db


def _rename(fake, guid: str, name: str) -> None:
    names = [n for n in fake.services[guid]["serviceNames"] if n["language"] != "fi"]
    fake.update_service(guid, serviceNames=[{"language": "fi", "value": name, "type": "Name"}, *names])


def _public_ids() -> set[str]:
    return set(Service.objects.filter(is_public=True).values_list("source_id", flat=True))


def test_out_of_scope_services_are_stored_not_public_and_a_second_run_writes_nothing(region, fake_ptv, ptv_client):
    first = ptv_sync(full=True, client=ptv_client, index=False)
    out = Service.objects.filter(source=Source.PTV, publishing_status="Published").exclude(scope_status="in")
    assert out.exists() and not out.filter(is_public=True).exists()
    second = ptv_sync(full=True, client=ptv_client, index=False)
    assert (second.created, second.updated, second.removed) == (0, 0, 0)
    assert second.unchanged == first.created


def test_scope_overrides_survive_full_and_incremental_syncs(
    region, fake_ptv, ptv_client, django_capture_on_commit_callbacks
):
    ptv_sync(full=True, client=ptv_client, index=False)
    services_index_lexical(service_ids=list(Service.objects.values_list("id", flat=True)))
    theme = Theme.objects.get(slug="kulttuuri")
    included = Service.objects.filter(scope_status=ScopeStatus.CLASS, publishing_status="Published").order_by("id")[0]
    excluded = Service.objects.filter(is_public=True, source=Source.PTV).order_by("source_id")[0]
    with django_capture_on_commit_callbacks(execute=False):
        service_curation_update(service=included, scope_override="include", extra_themes=[theme], scope_reason="x")
        service_curation_update(service=excluded, scope_override="exclude", scope_reason="y")

    def in_force() -> None:
        included.refresh_from_db()
        excluded.refresh_from_db()
        assert included.is_public and theme.id in included.index_theme_ids
        assert not excluded.is_public
        assert included.id in [h.service_id for h in search(included.name_fi).hits]

    in_force()
    public = _public_ids()
    # A full run with nothing changed, then one where both records changed at the source.
    ptv_sync(full=True, client=ptv_client, index=False)
    in_force()
    assert _public_ids() == public
    _rename(fake_ptv.fake, included.source_id, "Muuttunut nimi A")
    _rename(fake_ptv.fake, excluded.source_id, "Muuttunut nimi B")
    run = ptv_sync(full=True, client=ptv_client, index=False)
    services_index_lexical(service_ids=list(Service.objects.values_list("id", flat=True)))
    assert run.status == IngestRun.Status.SUCCEEDED and run.updated == 2
    in_force()
    assert included.name_fi == "Muuttunut nimi A" and excluded.name_fi == "Muuttunut nimi B"
    # An incremental run with both changed again.
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    _rename(fake_ptv.fake, included.source_id, "Taas muuttunut A")
    _rename(fake_ptv.fake, excluded.source_id, "Taas muuttunut B")
    run = ptv_sync(client=ptv_client, index=False)
    services_index_lexical(service_ids=list(Service.objects.values_list("id", flat=True)))
    assert run.kind == IngestRun.Kind.INCREMENTAL and run.updated == 2
    in_force()


def test_a_class_change_survives_the_next_sync(region, fake_ptv, ptv_client, django_capture_on_commit_callbacks):
    """Applied at once from stored rows, then the sync (whose hash includes the mapping) agrees."""
    ptv_sync(full=True, client=ptv_client, index=False)
    theme = Theme.objects.get(slug="kulttuuri")
    service = Service.objects.filter(scope_status=ScopeStatus.CLASS, publishing_status="Published").order_by("id")[0]
    code = service.concepts.filter(kind="service_class").values_list("code", flat=True)[0]
    with django_capture_on_commit_callbacks(execute=False):
        counts = scope_theme_update(theme=theme, codes=[*theme.service_class_codes, code])
    assert counts["public_added"] >= 1
    applied = sorted(Service.objects.values_list("source_id", "is_public", "scope_status"))
    themes = sorted(Service.themes.through.objects.values_list("service_id", "theme_id"))
    run = ptv_sync(full=True, client=ptv_client, index=False)
    assert run.status == IngestRun.Status.SUCCEEDED and run.removed == 0
    assert sorted(Service.objects.values_list("source_id", "is_public", "scope_status")) == applied
    assert sorted(Service.themes.through.objects.values_list("service_id", "theme_id")) == themes


def test_an_archived_out_of_scope_service_is_no_longer_counted(region, fake_ptv, ptv_client):
    ptv_sync(full=True, client=ptv_client, index=False)
    service = Service.objects.filter(scope_status=ScopeStatus.CLASS, publishing_status="Published").order_by("id")[0]
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    fake_ptv.fake.archive_service(service.source_id)
    ptv_sync(client=ptv_client, index=False)
    service.refresh_from_db()
    assert service.publishing_status == "Archived" and not service.is_public


def test_an_excluded_service_archived_and_published_again_is_stored_as_published(region, fake_ptv, ptv_client):
    ptv_sync(full=True, client=ptv_client, index=False)
    service = Service.objects.filter(is_public=True, source=Source.PTV).order_by("source_id")[0]
    service_curation_update(service=service, scope_override="exclude")
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    payload = dict(fake_ptv.fake.services[service.source_id])
    fake_ptv.fake.archive_service(service.source_id)
    ptv_sync(client=ptv_client, index=False)
    service.refresh_from_db()
    assert service.publishing_status == "Archived"
    # Published again with the very payload it had: stored as published, still excluded.
    fake_ptv.fake.inactive.pop(service.source_id)
    fake_ptv.fake.add_service(payload)
    ptv_sync(full=True, client=ptv_client, index=False)
    service.refresh_from_db()
    assert service.publishing_status == "Published" and not service.is_public
