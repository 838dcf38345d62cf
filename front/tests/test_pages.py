"""Server-rendered resident pages (without a browser)."""

import re

import pytest
from django.urls import reverse

from catalog.models import ErrorReport, SearchLog, Service

pytestmark = pytest.mark.django_db


def test_search_page_lists_results_with_why(client, demo_catalog):
    html = client.get("/haku/?q=kirjasto").content.decode()
    assert 'class="result-list"' in html
    assert "<mark>kirjasto</mark>" in html


def test_too_long_query_gets_a_message_not_a_crash(client, demo_catalog):
    response = client.get("/haku/?q=" + "y" * 250)
    assert response.status_code == 400
    assert "liian pitkä" in response.content.decode()


def test_no_results_offers_themes(client, demo_catalog):
    html = client.get("/haku/?q=qwzx+vbnm%C3%B6p").content.decode()
    assert 'class="no-match"' in html
    assert "/teema/" in html


def test_theme_page_shows_only_its_theme(client, demo_catalog):
    response = client.get(reverse("front:theme", args=["liikunta"]))
    assert response.status_code == 200
    services = response.context["result"].services
    assert services
    assert all("liikunta" in {t.slug for t in s.card_themes} for s in services)
    assert "<h1" in response.content.decode() and "Liikunta" in response.content.decode()
    assert client.get("/teema/ei-ole/").status_code == 404


def test_municipality_choice_is_remembered_in_a_cookie(client, demo_catalog):
    response = client.post(reverse("front:choose_municipality"), {"municipality": "263", "next": "/"})
    assert response.status_code == 302 and response.cookies["tarmoa_kunta"].value == "263"
    html = client.get("/haku/?q=kirjasto").content.decode()
    assert '<option value="263" selected>' in html
    response = client.post(reverse("front:choose_municipality"), {"municipality": "", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_detail_shows_channels_source_and_report_form(client, demo_catalog):
    service = (
        Service.objects.filter(is_public=True, channels__kind="ServiceLocation", channels__latitude__isnull=False)
        .distinct()
        .first()
    )
    html = client.get(reverse("front:service", args=[service.id])).content.decode()
    assert service.name_fi in html
    assert "Lähde: Palvelutietovaranto" in html
    assert "openstreetmap.org" in html  # a place with coordinates gets its map link
    assert 'name="message"' in html


def test_detail_of_hidden_or_missing_service_is_404(client, demo_catalog):
    service = Service.objects.filter(is_public=True).first()
    Service.objects.filter(pk=service.pk).update(is_public=False)
    assert client.get(reverse("front:service", args=[service.id])).status_code == 404
    assert client.get("/palvelu/999999/").status_code == 404


def test_clicking_a_result_is_logged_once_without_personal_data(client, demo_catalog):
    page = client.get("/haku/?q=kirjasto")
    log = SearchLog.objects.get()
    link = re.search(r'href="(/palvelu/(\d+)/\?hakuloki=[^"]+)"', page.content.decode())
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 302 and "hakuloki" not in response["Location"]
    log.refresh_from_db()
    assert log.clicked_service_id == int(link.group(2))
    other = Service.objects.filter(is_public=True).exclude(pk=log.clicked_service_id).first()
    client.get(reverse("front:service", args=[other.id]) + "?" + link.group(1).split("?", 1)[1])
    log.refresh_from_db()
    assert log.clicked_service_id == int(link.group(2))  # a reference counts one click only


@pytest.mark.parametrize("ref", ["1", "²", "x" * 500, "1:abc:def"])
def test_a_forged_click_reference_changes_no_log_line(client, demo_catalog, ref):
    client.get("/haku/?q=kirjasto")
    log = SearchLog.objects.get()
    service = Service.objects.filter(is_public=True).first()
    response = client.get(reverse("front:service", args=[service.id]), {"hakuloki": ref.replace("1", str(log.id))})
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.clicked_service_id is None


def test_error_report_is_stored_and_rate_limited(client, demo_catalog):
    from django.core.cache import cache

    cache.clear()
    service = Service.objects.filter(is_public=True).first()
    url = reverse("front:report_error", args=[service.id])
    response = client.post(url, {"message": "Aukioloajat ovat muuttuneet."})
    assert response.status_code == 302
    assert ErrorReport.objects.get().message == "Aukioloajat ovat muuttuneet."
    for _ in range(4):
        client.post(url, {"message": "Toinen ilmoitus samasta."})
    response = client.post(url, {"message": "Kuudes ilmoitus."})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Liian monta" in response.content.decode()
    assert ErrorReport.objects.count() == 5


def test_error_report_validation_and_honeypot(client, demo_catalog):
    service = Service.objects.filter(is_public=True).first()
    url = reverse("front:report_error", args=[service.id])
    assert client.post(url, {"message": ""}).status_code == 400
    assert client.post(url, {"message": "Roskapostia", "website": "http://spam"}).status_code == 302
    assert ErrorReport.objects.count() == 0


def test_detected_municipality_is_shown_with_a_way_out(client, demo_catalog):
    html = client.get("/haku/?q=uimahalli+iisalmessa").content.decode()
    assert "Kunta haustasi:" in html
    assert '<a class="chip" href="?q=uimahalli+iisalmessa&amp;municipality=">Iisalmi' in html
    html = client.get("/haku/?q=uimahalli+iisalmessa&municipality=").content.decode()
    assert "Kunta haustasi:" not in html


def test_missing_translation_falls_back_to_finnish_with_lang_attribute(client, demo_catalog):
    service = Service.objects.filter(is_public=True, name_sv="").exclude(name_fi="").first()
    html = client.get(f"/sv/palvelu/{service.id}/").content.decode()
    assert '<html lang="sv">' in html
    assert f'<span lang="fi">{service.name_fi}</span>' in html.replace("&#x27;", "'")


def test_municipality_options_show_facet_counts(client, demo_catalog):
    html = client.get("/haku/?q=kirjasto&municipality=").content.decode()
    assert 'value="297">Kuopio (' in html


def test_404_and_500_pages_are_in_the_site_look_and_language(client, rf):
    response = client.get("/sv/ei-ole/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="skip-link"' in html and '<html lang="sv">' in html
    from django.utils import translation

    from front.views import server_error

    request = rf.get("/")
    with translation.override("fi"):
        page = server_error(request)
    assert page.status_code == 500
    assert "Palvelussa on häiriö" in page.content.decode()
    with translation.override("en"):
        assert '<html lang="en">' in server_error(request).content.decode()


def test_search_page_shows_matching_events(client, demo_catalog):
    html = client.get("/haku/?q=lautapelit+nuorille").content.decode()
    assert "Tulevia tapahtumia" in html and "Nuorten pelikerho" in html


def test_search_page_kind_filter(client, demo_catalog):
    only_events = client.get("/haku/?q=k%C3%A4vely&kind=event").content.decode()
    assert "Kävelykerho" in only_events and 'id="results-title"' not in only_events
    only_services = client.get("/haku/?q=k%C3%A4vely&kind=service").content.decode()
    assert 'id="results-title"' in only_services and "Tulevia tapahtumia" not in only_services


def test_an_events_only_search_ranks_no_services_and_logs_the_events_found(client, demo_catalog, monkeypatch):
    from catalog.models import SearchLog
    from catalog.search import engine
    from catalog.search.types import SearchFilters

    ranked = []
    real = engine.rankings
    monkeypatch.setattr(engine, "rankings", lambda *a, **k: ranked.append(a) or real(*a, **k))
    response = client.get("/haku/", {"q": "kävely", "kind": "event"})
    html = response.content.decode()
    assert response.status_code == 200 and "Tulevia tapahtumia" in html
    assert ranked == []
    entry = SearchLog.objects.latest("id")
    from catalog.search.engine import SHOW_SIMILARITY, query_language
    from events.search import search_events_fused

    assert entry.filters == {"kind": "event"}
    floor = SHOW_SIMILARITY[query_language("kävely")]
    assert entry.result_count == len(search_events_fused("kävely", SearchFilters(), floor=floor)) > 0
