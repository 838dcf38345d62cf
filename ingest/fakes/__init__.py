"""Local stand-ins for the remote sources (PTV, Linked Events, Lähellä.fi, Sotkanet), serving the
recorded fixtures in ingest/fixtures/ over real HTTP.

The tests, the benchmarks, `load_demo` and `make run` (through `serve_demo_sources`) use
them, so demo data always takes the production path: client, mapping, scope, writer.
Only the standard library is imported here, so scripts can use it before Django starts.
"""

from __future__ import annotations

from ingest.fakes import lahella, linkedevents, ptv, sotkanet
from ingest.fakes.lahella import FakeLahella
from ingest.fakes.linkedevents import FakeLinkedEvents
from ingest.fakes.ptv import FakePtv
from ingest.fakes.server import FakeServer, RawAnswer
from ingest.fakes.sotkanet import FakeSotkanet

__all__ = [
    "FakeLahella", "FakeLinkedEvents", "FakePtv", "FakeServer", "FakeSotkanet", "RawAnswer", "demo_servers", "demo_settings",
]  # fmt: skip

DEMO_TOKEN = "demo-token"  # noqa: S105 - the fake Lähellä.fi's token, not a secret


def demo_servers(port_base: int = 0, *, ptv_services: int = 0) -> list[FakeServer]:
    """PTV, Linked Events, Lähellä.fi and Sotkanet on port_base, +1, +2 and +3 (free ports when 0), not yet started.

    The event fakes' dates are moved to the coming weeks, as `make run` shows them;
    `ptv_services` scales PTV up with cloned services (benchmarks).
    """

    def port(offset: int) -> int:
        return port_base + offset if port_base else 0

    fake_ptv = FakePtv()
    if ptv_services:
        fake_ptv.scale_to(ptv_services)
    return [
        FakeServer(fake_ptv, prefix=ptv.PREFIX, port=port(0)),
        FakeServer(FakeLinkedEvents(rebase=True), prefix=linkedevents.PREFIX, port=port(1)),
        FakeServer(FakeLahella(token=DEMO_TOKEN, rebase=True), prefix=lahella.PREFIX, port=port(2)),
        FakeServer(FakeSotkanet(), prefix=sotkanet.PREFIX, port=port(3)),
    ]


def demo_settings(port_base: int) -> dict[str, str]:
    """The environment that points Tarmoa's sources at `demo_servers(port_base)`."""
    host = "http://127.0.0.1"
    return {
        "PTV_API_URL": f"{host}:{port_base}{ptv.PREFIX}",
        "LINKED_EVENTS_API_URL": f"{host}:{port_base + 1}{linkedevents.PREFIX}",
        "LAHELLA_API_URL": f"{host}:{port_base + 2}{lahella.PREFIX}",
        "LAHELLA_API_TOKEN": DEMO_TOKEN,
        "SOTKANET_URL": f"{host}:{port_base + 3}{sotkanet.PREFIX}",
    }
