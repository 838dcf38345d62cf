"""Redis cut mid-run (issue #15): pages keep working without the cache, and recover when it returns.

The machine's Redis is never stopped: the cache is pointed at a small TCP relay in front of
it, and the relay is cut and restored (or at a port where something accepts connections
and never answers: a hanging Redis).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

pytestmark = pytest.mark.django_db


class Relay:
    """Forwards TCP connections from a local port to Redis; cut() closes them all and refuses new ones."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            if not self.running:
                conn.close()
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [conn, upstream]
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.running = False
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets.clear()

    def restore(self) -> None:
        self.running = True

    def close(self) -> None:
        self.cut()
        self.server.close()


def _cache_settings(url: str, retry: float = 0) -> dict:
    return {
        "default": {
            "BACKEND": "tarmoa.lib.resilient_cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": django_settings.CACHE_KEY_PREFIX + "-relay",
            "OPTIONS": {"RETRY_SECONDS": retry},
        }
    }


@pytest.fixture
def relay():
    parsed = urlparse(django_settings.TEST_CACHE_URL)
    relay = Relay((parsed.hostname or "127.0.0.1", parsed.port or 6379))
    yield relay
    relay.close()


def _health(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


def test_pages_work_without_redis_and_recover_when_it_returns(client, settings, relay):
    settings.REDIS_REQUIRED = False
    settings.CACHES = _cache_settings(f"redis://127.0.0.1:{relay.port}/15")
    assert client.get("/").status_code == 200
    assert cache.get("tarmoa:region") is not None  # the context processor's value, in Redis
    assert _health(client)[1]["checks"]["cache"] == {"ok": True, "mode": "redis"}

    relay.cut()
    # Before, every HTML page was a 500: the context processor called the cache unguarded.
    for path in ("/", "/haku/?q=uinti", "/tapahtumat/", "/kartoitus/", "/accounts/login/"):
        assert client.get(path).status_code == 200, path
    status, body = _health(client)
    assert status == 200 and body["status"] == "degraded" and "cache" in body["degraded"]
    assert body["checks"]["cache"]["ok"] is False

    relay.restore()
    assert client.get("/").status_code == 200  # retry interval 0: the next call tries Redis again
    cache.set("back", 1)
    assert cache._call("get", "back") == 1 and not cache.degraded
    assert _health(client)[1]["checks"]["cache"] == {"ok": True, "mode": "redis"}


def test_with_redis_required_a_cut_makes_healthz_503(client, settings, relay):
    settings.REDIS_REQUIRED = True
    settings.CACHES = _cache_settings(f"redis://127.0.0.1:{relay.port}/15", retry=30)
    assert client.get("/").status_code == 200
    relay.cut()
    assert client.get("/").status_code == 200  # pages still work
    status, body = _health(client)
    assert status == 503 and body["status"] == "unavailable" and "cache" in body["degraded"]


def test_a_hanging_redis_does_not_hang_the_pages(client, settings):
    """Something accepts connections and never answers: each cache call gives up after the
    socket timeout, and the breaker then keeps the pages off Redis for its retry interval."""
    silent = socket.create_server(("127.0.0.1", 0))
    held = []
    threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
    try:
        settings.CACHES = _cache_settings(f"redis://127.0.0.1:{silent.getsockname()[1]}/15", retry=30)
        assert client.get("/").status_code == 200
        assert cache.degraded
        assert client.get("/haku/", {"q": "uinti"}).status_code == 200
    finally:
        silent.close()


def test_rate_limits_and_one_time_values_still_hold_per_process_without_redis(settings):
    from tarmoa.lib.ratelimit import hit

    settings.CACHES = _cache_settings("redis://127.0.0.1:1/15", retry=30)  # nothing listens on port 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": (2, 3600)}
    assert [hit(None, "report", key="x") > 0 for _ in range(3)] == [False, False, True]
    assert cache.add("once", 1) and not cache.add("once", 1)


def test_a_curation_change_is_saved_when_the_broker_is_down(monkeypatch, django_capture_on_commit_callbacks):
    """The embedding job cannot be queued: it runs in the request instead of failing it."""
    from catalog.models import Service
    from catalog.services import service_curation_update
    from catalog.tasks import embed_services

    def broker_down(**kwargs):
        raise OSError("Connection refused")  # what kombu raises when Redis is away

    service = Service.objects.create(source="ptv", source_id="x-1", name_fi="Uimahalli", is_public=True)
    monkeypatch.setattr(embed_services, "delay", broker_down)
    ran = []
    monkeypatch.setattr(embed_services, "apply", lambda kwargs: ran.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        service_curation_update(service=service, summaries={"fi": "Uusi tiivistelmä"})
    assert ran == [{"service_ids": [service.id]}]


def _start(env: dict) -> subprocess.CompletedProcess:
    code = "import tarmoa.wsgi"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tarmoa.settings", "REDIS_URL": "redis://127.0.0.1:1/0", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_redis_production_refuses_to_start_unless_told_to_run_degraded():
    refused = _start({"REDIS_REQUIRED": "1"})
    assert refused.returncode != 0 and "REDIS_REQUIRED" in refused.stderr
    degraded = _start({"REDIS_REQUIRED": "0"})
    assert degraded.returncode == 0, degraded.stderr
    assert "degraded" in degraded.stderr


def test_healthz_says_a_missing_broker_is_degraded(client, settings):
    settings.REDIS_AVAILABLE = False  # as if Redis was missing at start
    settings.REDIS_REQUIRED = False
    status, body = _health(client)
    assert status == 200 and body["status"] == "degraded" and body["degraded"] == ["redis"]
    assert body["checks"]["redis"]["mode"] == "disabled"
    settings.REDIS_REQUIRED = True
    assert _health(client)[0] == 503


def test_healthz_embeds_only_once_per_process(client, monkeypatch):
    from catalog import health
    from catalog.search import embeddings

    calls = []
    backend = embeddings.get_backend()
    original = backend.embed_queries
    monkeypatch.setattr(backend, "embed_queries", lambda texts: calls.append(texts) or original(texts))
    monkeypatch.setattr(health, "_embeddings_checked", {})
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert len(calls) == 1
