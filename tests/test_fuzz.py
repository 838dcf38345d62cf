"""Every public endpoint is total (issue #15): no query string, form, cookie or header gives a 5xx.

Hypothesis generates the input: odd Unicode (combining marks, characters that grow under
normalisation, digits of other scripts, NUL and control characters), huge and negative
numbers, repeated and unknown parameters, hostile cookies and forwarded headers. The test
client re-raises a view's exception, so a crash fails the test with its traceback. The
number of examples is bounded so the test runs in well under a minute.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from catalog.models import Service, Theme
from events.models import Event

pytestmark = pytest.mark.django_db

ODD = st.sampled_from(
    [
        "",
        "\x00",
        "ﬀ" * 40,
        "\ufb2c" * 70,
        "²",
        "٣",
        "e\u0301" * 90,
        "-1",
        "0",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "'; drop table catalog_service; --",
        "%00",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "a" * 5000,
        "297",
        "091",
        "liikunta",
        "all",
        "event",
        "fi",
        "sv",
        "xx",
        "true",
        "2026-13-45",
        "2026-11-30",
    ]
)
TEXT = st.one_of(ODD, st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
PARAM_NAMES = st.sampled_from(
    [
        "q",
        "page",
        "theme",
        "municipality",
        "kind",
        "sort",
        "lang",
        "hakuloki",
        "start",
        "end",
        "when",
        "free",
        "audience",
        "accessible",
        "next",
        "x",
    ]
)
PARAMS = st.lists(st.tuples(PARAM_NAMES, TEXT), max_size=6)
FORM_NAMES = st.sampled_from(
    [
        "message",
        "website",
        "municipality",
        "next",
        "username",
        "password",
        "email",
        "wish",
        "consent",
        "submission",
        "age_band",
        "support",
        "elintavat_1",
        "token",
    ]
)
FORM = st.lists(st.tuples(FORM_NAMES, TEXT), max_size=8)
COOKIES = st.dictionaries(
    st.sampled_from(["tarmoa_kunta", "tarmoa_lang", "sessionid", "csrftoken"]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters=';,"\\'), max_size=80),
    max_size=3,
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": TEXT,
        "HTTP_X_FORWARDED_FOR": st.one_of(TEXT, st.just("198.51.100.1, 10.0.0.1"), st.just("::1")),
        "HTTP_X_FORWARDED_PROTO": st.sampled_from(["https", "http", "gopher", ""]),
        "HTTP_USER_AGENT": TEXT,
        "HTTP_REFERER": TEXT,
        "HTTP_ACCEPT": st.sampled_from(["application/json", "*/*", "text/html;q=x"]),
    },
)
PREFIX = st.sampled_from(["", "/sv", "/en"])
# Shrinking a failure can take minutes; the failing example is printed as found, which is enough.
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]


def _paths() -> dict[str, list[str]]:
    service = Service.objects.filter(is_public=True).first()
    theme = Theme.objects.first()
    event = Event.objects.first()
    get = [
        "/",
        "/haku/",
        f"/teema/{theme.slug if theme else 'liikunta'}/",
        "/teema/ei-ole/",
        f"/palvelu/{service.id if service else 1}/",
        "/palvelu/99999999999999999999999/",
        "/tapahtumat/",
        f"/tapahtumat/{event.id if event else 1}/",
        f"/tapahtumat/{event.id if event else 1}/kalenteri.ics",
        "/kartoitus/",
        "/kartoitus/tulos/rikki/",
        "/accounts/login/",
        "/accounts/password_reset/",
        "/ammattilainen/",
    ]
    post = [
        f"/palvelu/{service.id if service else 1}/ilmoita-virhe/",
        "/kunta/",
        "/kartoitus/",
        "/accounts/login/",
        "/accounts/password_reset/",
    ]
    return {"get": get, "post": post, "api": ["/api/v1/search", "/api/v1/openapi.json", "/healthz"]}


@pytest.fixture
def endpoints(demo_catalog, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS)  # the endpoints themselves, not the 429s
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    return _paths()


def _no_5xx(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), params=PARAMS, cookies=COOKIES, headers=HEADERS, prefix=PREFIX)
def test_pages_never_answer_5xx(endpoints, data, params, cookies, headers, prefix):
    client = Client()
    client.cookies.load(cookies)
    path = prefix + data.draw(st.sampled_from(endpoints["get"]))
    _no_5xx(client.get(path, params, **headers), f"GET {path} {params!r}")


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), form=FORM, cookies=COOKIES, headers=HEADERS)
def test_forms_never_answer_5xx(endpoints, data, form, cookies, headers):
    client = Client()
    client.cookies.load(cookies)
    path = data.draw(st.sampled_from(endpoints["post"]))
    body: dict[str, list[str]] = {}
    for name, value in form:
        body.setdefault(name, []).append(value)
    _no_5xx(client.post(path, body, **headers), f"POST {path} {form!r}")


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), params=PARAMS, headers=HEADERS)
def test_the_api_never_answers_5xx_and_always_answers_json(endpoints, data, params, headers):
    client = Client()
    path = data.draw(st.sampled_from(endpoints["api"]))
    response = client.get(path, params, **headers)
    if path == "/healthz":
        assert response.status_code in (200, 503)
        return
    _no_5xx(response, f"GET {path} {params!r}")
    assert response["Content-Type"].startswith("application/json")
