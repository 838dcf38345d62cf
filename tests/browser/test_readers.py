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
