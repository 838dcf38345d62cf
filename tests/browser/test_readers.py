"""What a resident sees first, in fi, sv and en, on a 375 px phone and on a desktop (issue #16).

Set SCREENSHOT_DIR to keep a screenshot of each case for a look by eye.
"""

from __future__ import annotations

import os
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]

LANGS = {"fi": "", "sv": "/sv", "en": "/en"}
VIEWPORTS = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}
TOWN_QUERY = "kuntosali kuopio"


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}-{page.viewport_name}.png"))


@pytest.mark.parametrize("lang", list(LANGS))
def test_first_result_above_the_fold_after_a_town_detected_search(sized_page, live_url, lang):
    page = sized_page
    page.goto(f"{live_url}{LANGS[lang]}/haku/?q={TOWN_QUERY.replace(' ', '+')}")
    chip = page.locator(".chip")
    assert "Kuopio" in chip.inner_text()
    assert page.locator("#id_municipality").input_value() == "297"
    assert page.locator("details.filters").get_attribute("open") is None
    # Measured from the top of the document: the focus script may have scrolled the page.
    bottom = page.evaluate(
        "(() => { const r = document.querySelector('.result-list .card h3 a').getBoundingClientRect();"
        " return r.bottom + window.scrollY; })()"
    )
    assert bottom <= VIEWPORTS[page.viewport_name]["height"], bottom
    _shot(page, f"search-town-{lang}")
    # The chip removes the municipality: the search runs over the whole region.
    chip.click()
    page.wait_for_url(re.compile(r"municipality=(&|$)"))
    assert page.locator(".chip").count() == 0
    assert page.locator("#id_municipality").input_value() == ""


@pytest.mark.parametrize("lang", list(LANGS))
def test_focus_on_results_heading_and_one_tab_to_first_result(sized_page, live_url, lang):
    page = sized_page
    page.goto(f"{live_url}{LANGS[lang]}/haku/")
    page.locator("#search-q").fill(TOWN_QUERY)
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"q=kuntosali"))
    assert page.evaluate("document.activeElement.id") == "results-title"
    page.keyboard.press("Tab")
    first_href = page.locator(".result-list .card h3 a").first.get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first_href


@pytest.mark.parametrize("lang", list(LANGS))
def test_footer_pages_answer_and_are_axe_clean(sized_page, live_url, lang):
    from axe_playwright_python.sync_playwright import Axe

    page = sized_page
    axe = Axe()
    page.goto(f"{live_url}{LANGS[lang]}/")
    hrefs = [a.get_attribute("href") for a in page.locator(".site-footer .footer-links a").all()]
    assert len(hrefs) == 4
    for href in hrefs[:3]:
        response = page.goto(live_url + href)
        assert response.status == 200, href
        assert page.locator("html").get_attribute("lang") == lang
        violations = [v["id"] for v in axe.run(page).response["violations"] if v["impact"] in {"serious", "critical"}]
        assert violations == [], (href, violations)
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        _shot(page, f"info{href.replace('/', '-')}")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_finnish_fallback_text_has_lang_and_a_visible_notice(sized_page, live_url, lang):
    from catalog.models import Service

    service = (
        Service.objects.filter(is_public=True, description_sv="", description_en="").exclude(description_fi="").first()
    )
    page = sized_page
    page.goto(f"{live_url}{LANGS[lang]}/palvelu/{service.id}/")
    description = page.locator("section[aria-labelledby=desc-title] .prose")
    notice = description.locator(".fallback-note")
    assert notice.is_visible()
    # The notice is in the reader's language (the page's); the text after it is marked Finnish.
    assert notice.evaluate("el => el.closest('[lang]').getAttribute('lang')") == lang
    assert description.locator("div[lang=fi]").is_visible()
    _shot(page, f"fallback-{lang}")


def test_selkokieli_switch_works_without_javascript(browser, live_url):
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.viewport_name = "phone"
    page.goto(f"{live_url}/teema/luonto/")
    page.get_by_role("button", name="Selkokieli").click()
    page.wait_for_url(re.compile(r"/teema/luonto/$"))
    assert page.locator(".selko").is_visible()
    assert page.get_by_role("button", name="Selkokieli").get_attribute("aria-pressed") == "true"
    _shot(page, "selko-theme")
    context.close()


def test_the_survey_in_selkokieli_on_a_phone(browser, live_url):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.viewport_name = "phone"
    page.goto(f"{live_url}/kartoitus/")
    page.get_by_role("button", name="Selkokieli").click()
    page.wait_for_url(re.compile(r"/kartoitus/$"))
    question = page.get_by_role("group", name="Nukutko tarpeeksi? Hyvä uni auttaa jaksamaan.")
    question.get_by_label("Aika huonosti", exact=True).check()
    assert page.locator(".selko-note").is_visible()
    violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}]
    assert violations == []
    _shot(page, "selko-survey")
    page.get_by_role("button", name="Näytä tulokset").click()
    page.wait_for_url(re.compile(r"/kartoitus/tulos/"))
    context.close()


def test_distance_without_javascript_and_refused_location(browser, live_url):
    from catalog.models import ServiceChannel

    channel = (
        ServiceChannel.objects.filter(is_public=True, latitude__isnull=False, services__is_public=True)
        .exclude(street_address_fi="")
        .exclude(postal_code="")
        .first()
    )
    service = channel.services.filter(is_public=True).first()
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_url}/palvelu/{service.id}/")
    page.get_by_label(re.compile("Laske etäisyys osoitteesta")).fill(channel.postal_code)
    page.get_by_role("button", name="Laske etäisyys").click()
    page.wait_for_url(re.compile(r"etaisyys="))
    assert re.search(r"\d+,\d km", page.locator(".channel .distance").first.inner_text())
    context.close()

    # With JavaScript and the location permission refused: the page says so and offers the form.
    context = browser.new_context(viewport=VIEWPORTS["phone"], permissions=[])
    page = context.new_page()
    page.viewport_name = "phone"
    page.goto(f"{live_url}/palvelu/{service.id}/")
    page.get_by_role("button", name="Käytä sijaintiani").click()
    status = page.locator("#distance-status")
    status.filter(has_text="estetty").wait_for()
    assert page.evaluate("document.activeElement.id") == "distance-from"
    _shot(page, "distance-refused")
    context.close()
