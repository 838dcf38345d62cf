"""Editors' follow-up list: stale services, services without channels, broken web links (link check job)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from catalog import links
from catalog.local import LocalServiceChange, local_service_save
from catalog.models import LinkCheck, Region, Service, ServiceChannel, Source

pytestmark = pytest.mark.django_db


class _Site(BaseHTTPRequestHandler):
    """A web server with a working page, a missing one, one refusing HEAD, a closed one and a slow one."""

    def _answer(self, body: bool) -> None:
        if self.path == "/slow":
            time.sleep(3)
        status = {"/ok": 200, "/gone": 404, "/members": 403}.get(self.path, 200)
        if self.path == "/nohead" and self.command == "HEAD":
            status = 405
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):  # noqa: N802
        self._answer(body=False)

    def do_GET(self):  # noqa: N802
        self._answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_link_probe_tells_broken_from_working(site, monkeypatch):
    monkeypatch.setattr(links, "TIMEOUT", (1, 1))
    assert links.link_probe(f"{site}/ok").ok
    assert links.link_probe(f"{site}/nohead") == links.LinkResult(True, 200)  # HEAD refused, GET answers
    assert links.link_probe(f"{site}/members").ok  # there, but closed to robots
    assert links.link_probe(f"{site}/gone") == links.LinkResult(False, 404)
    assert links.link_probe(f"{site}/slow") == links.LinkResult(False, None, "timeout")
    closed = links.link_probe("http://127.0.0.1:9/")
    assert not closed.ok and closed.error


def test_follow_up_lists_broken_links_stale_and_channelless_services(client, editor, site, demo_catalog, monkeypatch):
    monkeypatch.setattr(links, "TIMEOUT", (1, 1))
    region = Region.objects.get()
    broken_service, stale_service = Service.objects.filter(
        source=Source.PTV, is_public=True, municipalities__code="297", channels__is_public=True
    ).distinct()[:2]
    channel = broken_service.channels.filter(is_public=True).first()
    ServiceChannel.objects.filter(pk=channel.pk).update(
        web_pages=[
            {"url": f"{site}/gone", "text": "", "language": "fi"},
            {"url": f"{site}/ok", "text": "", "language": "fi"},
        ]
    )
    Service.objects.filter(pk=stale_service.pk).update(source_modified=timezone.now() - timedelta(days=400))
    bare = local_service_save(change=LocalServiceChange(texts={"name_fi": "Ilman yhteystietoja"}), region=region)

    urls = [u for u in links.public_link_urls() if u.startswith(site)]
    assert sorted(urls) == [f"{site}/gone", f"{site}/ok"]
    assert links.links_check(urls=urls) == {"checked": 2, "broken": 1}
    first = LinkCheck.objects.get(url=f"{site}/gone")
    assert not first.ok and first.status_code == 404 and first.failing_since is not None
    links.links_check(urls=urls)  # still broken: the date it broke is kept
    assert LinkCheck.objects.get(url=f"{site}/gone").failing_since == first.failing_since

    client.force_login(editor)
    page = client.get("/ammattilainen/seuranta/").content.decode()
    broken_part = page[page.index('id="broken"') : page.index('id="stale"', page.index('id="broken"') + 1)]
    assert broken_service.name_fi in broken_part and f"{site}/gone" in broken_part and "HTTP 404" in broken_part
    assert f"{site}/ok</td>" not in broken_part
    stale_part = page[page.index('<h2 id="stale"') : page.index('<h2 id="no-channel"')]
    assert stale_service.name_fi in stale_part and broken_service.name_fi not in stale_part
    assert bare.name_fi in page[page.index('<h2 id="no-channel"') :]


def test_follow_up_is_for_editors(client, professional, manager, demo_catalog):
    assert client.get("/ammattilainen/seuranta/")["Location"].startswith("/accounts/login/")
    for user in (professional, manager):
        client.force_login(user)
        assert client.get("/ammattilainen/seuranta/").status_code == 403
