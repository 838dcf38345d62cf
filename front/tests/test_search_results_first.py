"""The search page puts results first: a collapsed filter panel with a count, a detected town as a
removable chip, a focus hook on the results heading, page titles per page type (issue #16)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _selected_municipality(html: str) -> str:
    select = re.search(r'<select name="municipality"[^>]*>(.*?)</select>', html, re.S).group(1)
    selected = re.search(r'<option value="(\d*)"[^>]*selected', select)
    return selected.group(1) if selected else ""


def test_detected_town_is_a_chip_and_the_select_says_so_with_the_panel_closed(client, demo_catalog):
    html = client.get("/haku/?q=uimahalli+kuopiossa").content.decode()
    assert re.search(r'<a class="chip" href="\?q=uimahalli\+kuopiossa&amp;municipality=">Kuopio', html)
    assert _selected_municipality(html) == "297"
    assert '<details class="filters">' in html  # never opened by itself
    assert re.search(r"Rajaa hakua <span class=\"filter-count\">1 valinta</span>", html)


def test_removing_the_chip_searches_the_whole_region(client, demo_catalog):
    html = client.get("/haku/?q=uimahalli+kuopiossa&municipality=").content.decode()
    assert 'class="chip"' not in html
    assert _selected_municipality(html) == ""
    assert 'class="filter-count"' not in html


def test_filter_count_counts_each_choice(client, demo_catalog):
    html = client.get("/haku/?q=liikunta&theme=liikunta&theme=luonto&free=on&channel=phone").content.decode()
    assert '<span class="filter-count">4 valintaa</span>' in html


def test_a_submitted_search_asks_for_focus_on_the_results_heading(client, demo_catalog):
    html = client.get("/haku/?q=kirjasto").content.decode()
    assert '<h2 id="results-title" tabindex="-1" data-focus-on-load>' in html
    assert "/static/js/results.js" in html
    assert "onload" not in html and "<script>" not in html  # no inline script (strict CSP)


def test_theme_page_opened_from_a_link_keeps_the_focus_where_it_is(client, demo_catalog):
    html = client.get("/teema/luonto/").content.decode()
    assert "data-focus-on-load" not in html


def test_nothing_focusable_between_the_results_heading_and_the_first_result(client, demo_catalog):
    for url in ("/haku/?q=uimahalli+kuopiossa", "/haku/?q=kirjasto", "/haku/?q=qwzx+kirjasto"):
        html = client.get(url).content.decode()
        between = html.split('id="results-title"', 1)[1].split('class="result-list"', 1)[0]
        assert "<a " not in between and "<button" not in between and "<input" not in between, url


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/teema/luonto/", "<title>Luonto ja lähiluonnossa liikkuminen – Teemat – Tarmoa</title>"),
        ("/sv/teema/luonto/", "<title>Natur och att röra sig i närnaturen – "),
        ("/haku/?q=kirjasto", "<title>kirjasto – Palveluhaku – Tarmoa</title>"),
        ("/saavutettavuus/", "<title>Saavutettavuusseloste – Tarmoa</title>"),
    ],
)
def test_page_titles_per_page_type(client, demo_catalog, url, title):
    assert title in client.get(url).content.decode()


def test_english_suggestions_are_english_words(client, demo_catalog):
    from catalog.models import Service

    response = client.get("/en/haku/?q=qwzx+vbnm")
    related = (response.context["result"].suggestions or {}).get("related", [])
    english = {k for s in Service.objects.exclude(keywords_en=[]) for k in s.keywords_en}
    finnish_only = {k for s in Service.objects.all() for k in s.keywords_fi} - english
    assert not set(related) & finnish_only
