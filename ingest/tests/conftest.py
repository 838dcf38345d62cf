import pytest

from ingest.ptv.client import PtvClientV11
from ingest.ptv.fake_server import FakePtv, FakePtvServer


@pytest.fixture
def fake_ptv():
    """The recorded demo region behind a local HTTP server, with small pages so paging is exercised."""
    fake = FakePtv(list_page_size=10, guid_page_size=15)
    with FakePtvServer(fake) as server:
        yield server


@pytest.fixture
def ptv_client(fake_ptv):
    return PtvClientV11(fake_ptv.url, max_retries=2, backoff=0.01, timeout=5)


@pytest.fixture
def region(db):
    from catalog.services import codelists_load, region_setup

    codelists_load()
    return region_setup()
