"""The demo region: loaded through the real clients and syncs from local fake servers.

`make run` (the `load_demo` command), the tests and the benchmarks call these, so the demo
data always takes the production path (HTTP, mapping, scope, mark-and-sweep).
"""

from __future__ import annotations

from catalog.models import Concept, Region
from catalog.services import codelists_load, region_setup
from ingest.fakes import (
    FakeLahella,
    FakeLinkedEvents,
    FakePtv,
    FakeServer,
    FakeSotkanet,
    lahella,
    linkedevents,
    ptv,
    sotkanet,
)
from ingest.lahella.client import LahellaClient
from ingest.lahella.sync import lahella_sync
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.sync import linkedevents_sync
from ingest.models import IngestRun
from ingest.ptv.client import PtvClientV11
from ingest.ptv.sync import ptv_sync
from ingest.sotkanet.client import SotkanetClient
from ingest.sotkanet.defaults import demo_indicators_seed
from ingest.sotkanet.sync import sotkanet_sync


class DemoLoadFailed(Exception):
    pass


def demo_services_load() -> IngestRun:
    """Code lists and the region when missing, then a full PTV sync from the fake PTV server (no indexing)."""
    if not Concept.objects.exists():
        codelists_load()
    if not Region.objects.exists():
        region_setup()
    with FakeServer(FakePtv(), prefix=ptv.PREFIX) as server:
        run = ptv_sync(full=True, client=PtvClientV11(server.url, max_retries=1), index=False)
    if run.status != IngestRun.Status.SUCCEEDED:
        raise DemoLoadFailed(f"Demo load failed: {run.error}")
    return run


def demo_events_load() -> list[str]:
    """Demo events from the recorded Linked Events and Lähellä.fi fixtures, moved to the coming weeks."""
    lines = []
    with FakeServer(FakeLinkedEvents(rebase=True), prefix=linkedevents.PREFIX) as server:
        run = linkedevents_sync(full=True, force=True, client=LinkedEventsClient(server.url, max_retries=1))
        lines.append(f"Demo events (Linked Events): {run.created} created, {run.unchanged} unchanged, {run.status}.")
    fake = FakeLahella(rebase=True)
    with FakeServer(fake, prefix=lahella.PREFIX) as server:
        run = lahella_sync(force=True, client=LahellaClient(server.url, token=fake.token, max_retries=1))
        lines.append(f"Demo activities (Lähellä.fi): {run.created} created, {run.unchanged} unchanged, {run.status}.")
    return lines


def demo_indicators_load() -> str:
    """The demo's followed Sotkanet indicators and their themes, then a sync from the fake Sotkanet."""
    demo_indicators_seed()
    with FakeServer(FakeSotkanet(), prefix=sotkanet.PREFIX) as server:
        run = sotkanet_sync(client=SotkanetClient(server.url, max_retries=1))
    return f"Demo population indicators (Sotkanet): {run.created} created, {run.unchanged} unchanged, {run.status}."
