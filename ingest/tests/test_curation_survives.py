"""Every curation and every local service survives every PTV sync: a changed source record,
a temporarily withdrawn one, full and incremental runs (the workspace issue's promise)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from catalog.local import LocalServiceChange, local_service_save
from catalog.models import Municipality, Service, Source, Theme
from catalog.search.engine import search
from catalog.search.indexing import services_index_lexical
from catalog.search.types import SearchFilters
from catalog.services import service_curation_update
from ingest.models import IngestRun
from ingest.ptv.sync import ptv_sync

pytestmark = pytest.mark.django_db


def _curate(service: Service, theme: Theme) -> None:
    service_curation_update(
        service=service,
        hidden=False,
        featured=True,
        extra_themes=[theme],
        note="Sopii ryhmille",
        summaries={"fi": "Alueen oma kuvaus"},
    )


def _in_force(service: Service, theme: Theme) -> None:
    service.refresh_from_db()
    curation = service.curation
    assert curation.featured and curation.note == "Sopii ryhmille" and curation.summary_fi == "Alueen oma kuvaus"
    assert list(curation.extra_themes.all()) == [theme]
    # ... and in force in the index that search, facets and theme pages read.
    assert service.index_featured is True and theme.id in service.index_theme_ids
    listing = search("", filters=SearchFilters(themes=(theme.slug,)), page_size=1000)
    assert service.id in [hit.service_id for hit in listing.hits]


def test_curations_and_local_services_survive_changed_and_withdrawn_source_records(
    region, fake_ptv, ptv_client, django_capture_on_commit_callbacks
):
    ptv_sync(full=True, client=ptv_client, index=False)
    # The lexical index only: embedding the whole region would take minutes and prove nothing here.
    services_index_lexical(service_ids=list(Service.objects.values_list("id", flat=True)))
    theme = Theme.objects.get(slug="kulttuuri")
    changed, withdrawn = (
        Service.objects.filter(source=Source.PTV, is_public=True).exclude(themes=theme).order_by("source_id")[:2]
    )
    for service in (changed, withdrawn):
        _curate(service, theme)
    local = local_service_save(
        change=LocalServiceChange(texts={"name_fi": "Kylätalon lukupiiri"}, themes=[theme]),
        region=region,
    )
    assert local.municipalities.count() == Municipality.objects.filter(region=region).count()

    # At the source: one record changes, the other is withdrawn (archived) for a while.
    fake = fake_ptv.fake
    fake.update_service(
        changed.source_id, serviceNames=[{"language": "fi", "value": "Uusi nimi lähteessä", "type": "Name"}]
    )
    withdrawn_payload = copy.deepcopy(fake.services[withdrawn.source_id])
    fake.archive_service(withdrawn.source_id)
    IngestRun.objects.update(started=datetime.now(UTC) - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        run = ptv_sync(client=ptv_client)  # incremental
    assert run.status == IngestRun.Status.SUCCEEDED
    withdrawn.refresh_from_db()
    assert withdrawn.is_public is False  # gone from residents while withdrawn ...
    assert withdrawn.curation.featured and withdrawn.curation.note == "Sopii ryhmille"  # ... its curation kept

    # The record comes back; a full sync runs as well.
    fake.inactive.pop(withdrawn.source_id)
    fake.add_service(withdrawn_payload)
    fake.touch(withdrawn_payload)
    with django_capture_on_commit_callbacks(execute=True):
        assert ptv_sync(full=True, client=ptv_client).status == IngestRun.Status.SUCCEEDED

    changed.refresh_from_db()
    assert changed.name_fi == "Uusi nimi lähteessä"
    withdrawn.refresh_from_db()
    assert withdrawn.is_public is True
    _in_force(changed, theme)
    _in_force(withdrawn, theme)
    local.refresh_from_db()
    assert local.is_public and local.name_fi == "Kylätalon lukupiiri"
    assert local.id in [hit.service_id for hit in search("lukupiiri").hits]
