"""Rate limits (issue #15, "Abuse"): per real client behind the trusted proxy, 429 with Retry-After."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from catalog.models import ErrorReport, Service
from tarmoa.lib.clientip import client_ip, client_key
from tarmoa.lib.env import env_rates
from tarmoa.lib.ratelimit import ApiRateThrottle, hit

PROXY = "10.0.0.5"
ALL_ON = {
    "search": (60, 60),
    "api": (60, 60),
    "survey": (20, 60),
    "survey_store": (30, 3600),
    "report": (5, 3600),
    "click": (60, 60),
    "login": (20, 60),
    "otp": (10, 60),
}


def _request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(_request(PROXY, "198.51.100.7")) == "198.51.100.7"
    # A client that is not the proxy cannot choose its address by writing the header.
    assert client_ip(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    # The client may prepend anything; the hop the proxy appended is the one that counts.
    assert client_ip(_request(PROXY, "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # Chained trusted proxies are skipped from the right.
    assert client_ip(_request(PROXY, "198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    # Garbage in the header: the connection's own address.
    assert client_ip(_request(PROXY, "not-an-address")) == PROXY
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request(PROXY, "198.51.100.7")) == PROXY


def test_an_ipv6_client_is_limited_by_its_64_network():
    one = client_key(_request("2001:db8:1:2::1"))
    other = client_key(_request("2001:db8:1:2:ffff::9"))
    assert one == other == "2001:db8:1:2::/64"
    assert client_key(_request("2001:db8:1:3::1")) != one


def test_rate_limits_are_read_from_the_environment(monkeypatch):
    defaults = {"search": (60, 60), "api": (60, 60)}
    monkeypatch.setenv("RATE_LIMITS", "search=30/m, api=1000/h")
    assert env_rates("RATE_LIMITS", defaults) == {"search": (30, 60), "api": (1000, 3600)}
    monkeypatch.setenv("RATE_LIMITS", "api=off")
    assert env_rates("RATE_LIMITS", defaults) == {"search": (60, 60), "api": None}
    monkeypatch.setenv("RATE_LIMITS", "off")
    assert env_rates("RATE_LIMITS", defaults) == {"search": None, "api": None}
    for bad in ("serach=30/m", "search=30/week", "search=-1/m", "search=²/m", "search"):
        monkeypatch.setenv("RATE_LIMITS", bad)
        with pytest.raises(ImproperlyConfigured):
            env_rates("RATE_LIMITS", defaults)


def test_settings_reject_a_malformed_trusted_proxy(tmp_path):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tarmoa.settings", "TRUSTED_PROXIES": "proxy.local"},
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0 and "TRUSTED_PROXIES" in out.stderr


@pytest.mark.django_db
def test_the_search_page_answers_429_with_retry_after_over_the_limit(client, settings):
    settings.RATE_LIMITS = {**ALL_ON, "search": (2, 60)}
    for _ in range(2):
        assert client.get("/haku/", {"q": "uinti"}).status_code == 200
    response = client.get("/haku/", {"q": "uinti"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Liian monta pyyntöä" in response.content.decode()
    # Another client (behind the same trusted proxy) has its own bucket.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/haku/", {"q": "uinti"}, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


@pytest.mark.django_db
def test_the_api_answers_429_in_json(client, settings):
    settings.RATE_LIMITS = {**ALL_ON, "api": (1, 60)}
    assert client.get("/api/v1/openapi.json").status_code == 200
    response = client.get("/api/v1/search", {"q": "uinti"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert json.loads(response.content)["error"]  # the API's error shape (DRF's Throttled through its handler)


@pytest.mark.django_db
def test_rate_limits_off_turns_them_off(client, settings):
    settings.RATE_LIMITS = dict.fromkeys(ALL_ON)
    for _ in range(5):
        assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.django_db
def test_login_posts_are_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**ALL_ON, "login": (3, 60)}
    for _ in range(3):
        assert client.post("/accounts/login/", {"username": f"x{_}", "password": "y"}).status_code == 200
    response = client.post("/accounts/login/", {"username": "z", "password": "y"})
    assert response.status_code == 429 and response["Retry-After"]
    assert client.post("/admin/login/", {"username": "z", "password": "y"}).status_code == 429
    assert client.get("/accounts/login/").status_code == 200  # reading the form is not counted


@pytest.mark.django_db
def test_error_reports_are_limited_per_client_behind_the_proxy_without_a_global_cap(client, settings, demo_catalog):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.RATE_LIMITS = {**ALL_ON, "report": (2, 3600)}
    service = Service.objects.filter(is_public=True).first()
    url = f"/palvelu/{service.id}/ilmoita-virhe/"
    before = ErrorReport.objects.count()  # other tests' committed reports may be there
    for _ in range(2):
        assert client.post(url, {"message": "Väärä osoite."}, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    assert client.post(url, {"message": "Väärä osoite."}, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # Before, every client behind the proxy shared REMOTE_ADDR's bucket, and a global cap
    # of 200 an hour could be used up by one sender; now each client has its own.
    for n in range(2, 12):
        response = client.post(url, {"message": "Väärä osoite."}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert response.status_code == 302
    assert ErrorReport.objects.count() - before == 12


@pytest.mark.django_db
def test_clicks_over_the_limit_are_not_counted(client, settings, demo_catalog):
    from catalog.models import SearchLog
    from catalog.services import search_log_click_ref, search_log_record

    settings.RATE_LIMITS = {**ALL_ON, "click": (1, 60)}
    service = Service.objects.filter(is_public=True).first()
    first, second = (
        search_log_record(query=q, language="fi", filters={}, result_count=1) for q in ("uinti", "kuntosali")
    )
    client.get(f"/palvelu/{service.id}/", {"hakuloki": search_log_click_ref(log_id=first)})
    response = client.get(f"/palvelu/{service.id}/", {"hakuloki": search_log_click_ref(log_id=second)})
    assert response.status_code == 302  # the resident still gets the page
    assert SearchLog.objects.get(id=first).clicked_service_id == service.id
    assert SearchLog.objects.get(id=second).clicked_service_id is None


def test_the_drf_throttle_uses_the_same_buckets(settings):
    from rest_framework.request import Request

    settings.RATE_LIMITS = {**ALL_ON, "api": (2, 60)}
    django_request = _request("192.0.2.44")
    throttle = ApiRateThrottle()
    assert throttle.allow_request(Request(django_request), None)
    assert hit(django_request, "api") == 0  # the decorator's counter: the second request
    assert not throttle.allow_request(Request(django_request), None)
    assert 1 <= throttle.wait() <= 60
