import pytest
from django.urls import reverse

from ingest.models import IngestRun

pytestmark = pytest.mark.django_db


def test_admin_starts_a_run_and_sees_it_listed(
    admin_client, region, fake_ptv, settings, django_capture_on_commit_callbacks
):
    settings.PTV_API_URL = fake_ptv.url
    url = reverse("admin:ingest_ingestrun_start")
    assert admin_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"source": "ptv", "full": "on"})
    assert response.status_code == 302
    run = IngestRun.objects.get()
    assert run.kind == "full" and run.status == "succeeded"
    listing = admin_client.get(reverse("admin:ingest_ingestrun_changelist")).content.decode()
    assert "Käynnistä synkronointi" in listing
    assert "Lähellä.fi" in listing and "pois käytöstä, kunnes asetettu" in listing


def test_staff_without_superuser_cannot_start_runs(client, professional, django_capture_on_commit_callbacks):
    before = IngestRun.objects.count()
    client.force_login(professional)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("admin:ingest_ingestrun_start"), {"source": "ptv"})
    assert response.status_code == 302
    assert callbacks == []
    assert IngestRun.objects.count() == before
