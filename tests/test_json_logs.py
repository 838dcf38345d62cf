"""LOG_FORMAT=json: every line one JSON object with time, level, logger, message and request id;
no log line carries a request's query string or path secrets."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tarmoa.lib.jsonlog import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = """
import logging
log = logging.getLogger("tarmoa.check")
log.info("first line")
log.warning("second line with\\na newline and ä", extra={"run_id": 7, "request": object()})
try:
    1 / 0
except ZeroDivisionError:
    log.exception("it failed")
"""


def test_json_log_format_writes_one_parseable_object_per_line():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tarmoa.settings", "LOG_FORMAT": "json", "LOG_LEVEL": "info"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    ours = [e for e in entries if e["logger"] == "tarmoa.check"]
    assert [e["message"] for e in ours] == ["first line", "second line with\na newline and ä", "it failed"]
    assert [e["level"] for e in ours] == ["INFO", "WARNING", "ERROR"]
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= entry.keys()
        assert datetime.fromisoformat(entry["time"]).utcoffset().total_seconds() == 0
    assert ours[1]["run_id"] == 7 and "request" not in ours[1]
    assert "ZeroDivisionError" in ours[2]["exception"]


def test_plain_log_format_is_the_default():
    env = {k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
    env["DJANGO_SETTINGS_MODULE"] = "tarmoa.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", 'import logging; logging.getLogger("t").warning("plain one")'],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(line for line in result.stderr.splitlines() if "plain one" in line)
    assert "WARNING t [-]: plain one" in line


def test_malformed_log_format_stops_start_up():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tarmoa.settings", "LOG_FORMAT": "xml"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "LOG_FORMAT" in result.stderr


@pytest.fixture
def json_log():
    """The root logger writes JSON into a buffer for the test's duration."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.mark.django_db
def test_request_lines_carry_the_request_id_and_never_the_query_or_path(client, json_log, settings):
    settings.LOG_REQUESTS = True
    secret_path = "/kysely/tulos/eJxLzs8rSc0rKQYAC2sDPVNpbmVkVG9rZW4xMjM0NTY3ODk/"
    response = client.get(secret_path + "?q=masennus+040-1234567&token=abc123secret")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    entries = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert entries, "the request wrote no log line"
    assert all(e["request_id"] == request_id for e in entries)
    request_line = next(e for e in entries if e["logger"] == "tarmoa.request")
    assert request_line["method"] == "GET" and request_line["status"] == 404
    not_found = next(e for e in entries if e["logger"] == "django.request")
    assert not_found["message"] == "Not Found: /kysely/tulos/…/" and not_found["status_code"] == 404
    text = json_log.getvalue()
    for secret in ("masennus", "1234567", "abc123secret", "token=", "eJxLzs8rSc0rKQYAC2sDPVNp"):
        assert secret not in text


@pytest.mark.django_db
def test_request_line_names_the_url_pattern_not_the_value(client, json_log, settings):
    settings.LOG_REQUESTS = True
    response = client.get("/healthz?hakuloki=99")
    assert response["X-Request-ID"]
    line = next(json.loads(x) for x in json_log.getvalue().splitlines() if '"tarmoa.request"' in x)
    assert line["route"] == "/healthz" and "hakuloki" not in json_log.getvalue()


def test_proxy_request_id_is_kept_when_it_looks_like_an_id_and_replaced_otherwise(client, db):
    good = "0b6f3c7e-1d2a-4c55-9a1e-2f4d5b6c7d8e"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=good)["X-Request-ID"] == good
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected\nline')["X-Request-ID"]
    assert forged != 'x" injected\nline' and len(forged) == 32
