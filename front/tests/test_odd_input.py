"""Input that once gave 500 (issue #15, "Crashes on input"): each now gets a clear answer."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from catalog.models import SearchLog, Service
from catalog.search.query import fit_query

pytestmark = pytest.mark.django_db
GROWS = "\ufb2c" * 70  # 70 characters typed, 210 after Unicode normalisation (NFC)


def test_a_query_that_grows_under_normalisation_is_a_clear_400(client, demo_catalog):
    page = client.get("/haku/", {"q": GROWS})
    assert page.status_code == 400 and "liian pitkä" in page.content.decode()
    api = client.get("/api/v1/search", {"q": GROWS})
    assert api.status_code == 400 and "q" in json.loads(api.content)["fields"]
    assert not SearchLog.objects.exists()


def test_a_superscript_digit_as_the_search_log_reference_is_ignored(client, demo_catalog):
    service = Service.objects.filter(is_public=True).first()
    response = client.get(f"/palvelu/{service.id}/", {"hakuloki": "²"}, follow=True)
    assert response.status_code == 200 and service.name_fi in response.content.decode()
    assert response.redirect_chain == [(f"/palvelu/{service.id}/", 302)]


def test_a_remembered_municipality_outside_the_region_is_ignored(client, demo_catalog):
    client.cookies["tarmoa_kunta"] = "091"  # Helsinki: not in this region
    response = client.get("/haku/", {"q": "kirjasto"})
    assert response.status_code == 200
    assert response.context["result"].count > 0
    assert response.context["result"].filters.municipality == ""
    client.cookies["tarmoa_kunta"] = "263"  # a region municipality still applies
    assert client.get("/haku/", {"q": "kirjasto"}).context["result"].filters.municipality == "263"


def test_fit_query_cuts_at_a_word_within_the_limit():
    assert fit_query("  uni  ja   lepo ") == "uni ja lepo"
    long = "sana " * 60
    fitted = fit_query(long)
    assert len(fitted) <= 200 and fitted.endswith("sana") and " " not in fitted[-4:]
    assert len(fit_query(GROWS)) <= 200


@pytest.mark.parametrize("length", [146, 200])
def test_a_long_survey_wish_still_gets_recommendations(client, demo_catalog, length):
    from survey.tests.test_views import ANSWERS

    wish = ("liikunta " * 30)[:length]
    response = client.post(reverse("survey:survey"), {**ANSWERS, "wish": wish})
    assert response.status_code == 302
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert all(3 <= len(r.services) <= 5 for r in result.context["recommendations"])


def test_a_long_wish_on_the_professionals_card_still_gets_recommendations(client, professional, demo_catalog):
    client.force_login(professional)
    response = client.post(
        reverse("survey:professional"), {"support": ["liikunta"], "municipality": "297", "wish": "ulkoilu " * 25}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"municipality": "297", "next": "\ufb00" * 40},  # found by tests/test_fuzz.py: read as a view name
        {"municipality": "29\x007", "next": "/"},  # found by tests/test_fuzz.py: NUL reached PostgreSQL
        {"municipality": "297", "next": "https://evil.example/"},
        {"municipality": "297", "next": "//evil.example/"},
    ],
)
def test_choosing_a_municipality_with_odd_input_redirects_home_safely(client, demo_catalog, data):
    response = client.post("/kunta/", data)
    assert response.status_code == 302
    assert response["Location"] == "/"
