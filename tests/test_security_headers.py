"""Headers and deployment checks (issue #15, "Headers"): CSP without inline script, Permissions-Policy,
HTTPS redirect, HSTS and secure cookies with DJANGO_HTTPS=1, and a clean `check --deploy`."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def _production_env(**extra: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tarmoa.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "tarmoa.example.fi",
        "DJANGO_HTTPS": "1",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests set it for their own process only
    return env


def test_check_deploy_reports_nothing_in_production_settings():
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_https_turns_on_redirect_hsts_and_secure_cookies():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, 'session': s.SESSION_COOKIE_SECURE, "
        "'csrf': s.CSRF_COOKIE_SECURE, 'lang': s.LANGUAGE_COOKIE_SECURE, 'cookies': s.SECURE_COOKIES, "
        "'proxy': s.SECURE_PROXY_SSL_HEADER}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=_production_env(), capture_output=True, text=True)
    values = json.loads(out.stdout.strip().splitlines()[-1])
    assert values == {
        "redirect": True,
        "hsts": 31536000,
        "session": True,
        "csrf": True,
        "lang": True,
        "cookies": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_no_template_has_inline_script_handlers_or_styles():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT, INLINE_STYLE):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern.pattern}")
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/haku/?q=uinti", "/kartoitus/", "/tapahtumat/", "/accounts/login/"])
def test_pages_carry_a_strict_csp_and_permissions_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=(self)" in response["Permissions-Policy"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html)


@pytest.mark.django_db
def test_behind_https_plain_http_is_redirected_but_health_probes_are_not(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/haku/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code in (200, 503)
    secure = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200 and "max-age=31536000" in secure["Strict-Transport-Security"]


@pytest.mark.django_db
def test_the_municipality_cookie_is_secure_under_https(client, settings):
    from catalog.models import Municipality, Region

    region = Region.objects.get_or_create(code="pohjois-savo", defaults={"name_fi": "Pohjois-Savo"})[0]
    Municipality.objects.get_or_create(code="297", defaults={"name_fi": "Kuopio", "region": region})
    settings.SECURE_COOKIES = True
    response = client.post("/kunta/", {"municipality": "297", "next": "/"})
    assert response.cookies["tarmoa_kunta"].value == "297"
    assert response.cookies["tarmoa_kunta"]["secure"] is True
