"""The source registry: one entry per source, used by the command, the task and the admin."""

import pytest

from ingest.base import SourceNotConfigured
from ingest.fakes import demo_servers, demo_settings
from ingest.models import Indicator, IngestRun
from ingest.services import UnknownSource, ingest_run
from ingest.sotkanet.defaults import demo_indicators_seed
from ingest.sources import SOURCES


def test_registry_names_the_sources_and_their_state(settings):
    settings.LINKED_EVENTS_API_URL = ""
    settings.LAHELLA_API_URL, settings.LAHELLA_API_TOKEN = "https://lahella.example/api/", ""
    assert list(SOURCES) == ["ptv", "linkedevents", "lahella", "sotkanet"]
    assert SOURCES["ptv"].configured() is True
    assert SOURCES["linkedevents"].configured() is False
    assert SOURCES["lahella"].configured() is False  # the token is missing
    assert SOURCES["linkedevents"].endpoint() == "LINKED_EVENTS_API_URL"
    settings.LINKED_EVENTS_API_URL = "https://api.hel.fi/linkedevents/v1/"
    assert SOURCES["linkedevents"].configured() is True
    assert SOURCES["linkedevents"].endpoint() == "https://api.hel.fi/linkedevents/v1/"
    settings.SOTKANET_URL = ""
    assert SOURCES["sotkanet"].configured() is False
    assert SOURCES["sotkanet"].endpoint() == "SOTKANET_URL"


def test_unknown_source_is_refused():
    with pytest.raises(UnknownSource, match="ptv, linkedevents, lahella, sotkanet"):
        ingest_run(source="facebook")


@pytest.mark.django_db
def test_an_unconfigured_source_raises_instead_of_running(settings):
    settings.LAHELLA_API_URL = ""
    before = IngestRun.objects.count()
    with pytest.raises(SourceNotConfigured):
        ingest_run(source="lahella")
    assert IngestRun.objects.count() == before


def test_demo_settings_name_the_demo_servers_ports_and_prefixes():
    servers = demo_servers(8101)
    try:
        urls = [server.url for server in servers]
    finally:
        for server in servers:
            server.httpd.server_close()
    env = demo_settings(8101)
    assert [env["PTV_API_URL"], env["LINKED_EVENTS_API_URL"], env["LAHELLA_API_URL"], env["SOTKANET_URL"]] == urls
    assert env["LAHELLA_API_TOKEN"] == servers[2].fake.token


@pytest.mark.django_db
def test_configured_urls_reach_the_demo_servers(region, settings):
    """What `make run` does: the settings (not a --base-url) point every source at a fake."""
    servers = [server.start() for server in demo_servers()]
    try:
        settings.PTV_API_URL, settings.LINKED_EVENTS_API_URL, settings.LAHELLA_API_URL = (s.url for s in servers[:3])
        settings.LAHELLA_API_TOKEN = servers[2].fake.token
        settings.SOTKANET_URL = servers[3].url
        Indicator.objects.all().delete()
        demo_indicators_seed()
        runs = [ingest_run(source=name, full=True, index=False) for name in SOURCES]
    finally:
        for server in servers:
            server.stop()
    assert [run.status for run in runs] == [IngestRun.Status.SUCCEEDED] * 4
    assert all(run.created > 0 for run in runs), [(r.source, r.created, r.unchanged, r.details) for r in runs]
