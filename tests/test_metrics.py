"""/metrics (django-prometheus) answers only configured addresses or a bearer token."""

from __future__ import annotations

import pytest

from tarmoa.lib.netlist import parse_networks
from tarmoa.lib.sentry import scrub_event

pytestmark = pytest.mark.django_db
TOKEN = "a-long-metrics-token-0123456789"


def test_metrics_answer_an_allowed_address(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = parse_networks("METRICS_ALLOWED_IPS", ["10.1.0.0/16"])
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.content.decode()
    assert "django_http_requests_total_by_method_total" in body
    assert response["Content-Type"].startswith("text/plain")


def test_metrics_are_hidden_from_other_addresses(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_forwarded_for_header_does_not_open_metrics(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 404


def test_metrics_answer_the_bearer_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert b"django_http_requests" in response.content


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", f"Basic {TOKEN}", "Bearer ", "Bearer ääkkönen"])
def test_a_wrong_token_gets_nothing(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=header)
    assert response.status_code == 404


def test_no_token_configured_means_no_token_access(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


def test_plain_http_scrapes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR="172.30.80.10", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert client.get("/", REMOTE_ADDR="172.30.80.10").status_code == 301


def test_metrics_refuse_posts(client):
    assert client.post("/metrics").status_code == 405


def test_malformed_allowed_addresses_stop_start_up():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tarmoa.settings", "METRICS_ALLOWED_IPS": "127.0.0.1,intranet"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "METRICS_ALLOWED_IPS" in result.stderr and "'intranet'" in result.stderr


def test_sentry_events_lose_query_strings_cookies_and_bodies():
    event = {
        "request": {
            "url": "https://tarmoa.example.fi/kysely/tulos/?t=secret",
            "query_string": "t=secret",
            "cookies": {"sessionid": "x"},
            "data": {"toive": "yksinäisyys"},
            "headers": {"Authorization": "Bearer x"},
            "method": "GET",
        }
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"] == {"url": "https://tarmoa.example.fi/kysely/tulos/", "method": "GET"}


def test_sentry_dsn_without_the_package_starts_and_says_so(caplog):
    from tarmoa.lib.sentry import sentry_init

    assert sentry_init(dsn="https://key@sentry.example/1", environment="test", traces_sample_rate=0.0) is False
    assert "sentry-sdk is not installed" in caplog.text
    assert sentry_init(dsn="", environment="test", traces_sample_rate=0.0) is False
