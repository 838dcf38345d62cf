import pytest

from ingest.fakes import FakePtv, FakeServer, ptv
from ingest.ptv.client import PtvClientV11


@pytest.fixture
def fake_ptv():
    """The recorded demo region behind a local HTTP server, with small pages so paging is exercised."""
    fake = FakePtv(list_page_size=10, guid_page_size=15)
    with FakeServer(fake, prefix=ptv.PREFIX) as server:
        yield server


@pytest.fixture
def ptv_client(fake_ptv):
    return PtvClientV11(fake_ptv.url, max_retries=2, backoff=0.01, timeout=5)


@pytest.fixture
def region(db):
    from catalog.models import Organization, Service, ServiceChannel
    from catalog.services import codelists_load, region_setup
    from events.models import Event
    from ingest.models import IngestRun

    # Start from an empty catalog (inside the test's transaction, so the shared demo data returns after).
    Service.objects.all().delete()
    ServiceChannel.objects.all().delete()
    Organization.objects.all().delete()
    IngestRun.objects.all().delete()
    Event.objects.all().delete()
    codelists_load()
    return region_setup()
