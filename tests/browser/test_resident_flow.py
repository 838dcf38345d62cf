"""A resident's whole flow in Chromium: search, filter, open, switch language, report an error, keyboard only."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]


def test_search_filter_open_and_switch_language(page, live_url):
    page.goto(live_url + "/")
    page.get_by_label(re.compile("Hae palveluja")).fill("kirjasto")
    page.get_by_role("button", name="Hae", exact=True).click()
    page.wait_for_url(re.compile(r"/haku/\?q=kirjasto"))
    assert page.locator(".result-list .card").count() > 0

    page.locator("summary", has_text="Rajaa hakua").click()
    page.get_by_label(re.compile("^Luovuus, taide")).check()
    page.get_by_role("button", name="Näytä tulokset").click()
    page.wait_for_url(re.compile(r"theme=kulttuuri"))
    cards = page.locator("section[aria-labelledby=results-title] .card")
    assert cards.count() > 0
    for i in range(cards.count()):
        assert "Luovuus" in cards.nth(i).inner_text()

    cards.first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/palvelu/\d+/"))
    title = page.locator("h1").inner_text()
    assert title
    assert page.get_by_text("Lähde: Palvelutietovaranto").is_visible()

    page.get_by_role("link", name="svenska").click()
    page.wait_for_url(re.compile(r"/sv/palvelu/\d+/"))
    assert page.locator("html").get_attribute("lang") == "sv"


def test_report_an_error(page, live_url):
    page.goto(live_url + "/haku/?q=kirjasto")
    page.locator(".result-list .card h3 a").first.click()
    page.get_by_label("Mikä on väärin?").fill("Puhelinnumero ei ole enää käytössä.")
    page.get_by_role("button", name="Lähetä ilmoitus").click()
    assert page.get_by_text("Kiitos! Alueen sisällöntuottajat käyvät ilmoituksen läpi").is_visible()


def test_keyboard_only_flow(page, live_url):
    page.goto(live_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Siirry pääsisältöön"
    page.keyboard.press("Enter")
    # from the main content, Tab reaches the search box; type and submit with Enter
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-q":
            break
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("luontopolku")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/haku/\?q=luontopolku"))
    # Tab to the first result link and open it with Enter
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.result-list')"):
            break
    assert page.evaluate("!!document.activeElement.closest('.result-list')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/palvelu/\d+/"))
    # the focus indicator is visible (outline drawn)
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_pages_work_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_url + "/haku/?q=kuntosali&free=on")
    assert page.locator(".result-list .card").count() > 0
    context.close()


WEIGHT_SCRIPT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  let total = nav.decodedBodySize;
  for (const r of performance.getEntriesByType('resource')) {
    if (/\\.(css|js)(\\?|$)/.test(r.name)) total += r.decodedBodySize;
  }
  const external = performance.getEntriesByType('resource').filter(r => !r.name.startsWith(location.origin)).length;
  return [total, external];
}"""


def test_pages_stay_under_150_kb_with_no_third_party_resources(page, live_url):
    from catalog.models import Service

    detail = Service.objects.filter(is_public=True).first().id
    for path in ["/", "/haku/?q=liikunta", "/teema/liikunta/", f"/palvelu/{detail}/", "/kartoitus/"]:
        page.goto(live_url + path)
        total, external = page.evaluate(WEIGHT_SCRIPT)
        assert 0 < total < 150_000, (path, total)
        assert external == 0, path


def test_events_page_filters_and_calendar_link(page, live_url):
    page.goto(live_url + "/")
    page.get_by_role("link", name="Tapahtumat", exact=True).click()
    assert page.locator(".result-list .card").count() >= 1
    page.get_by_label("Teema").select_option("liikunta")
    page.get_by_role("button", name="Näytä tapahtumat").click()
    page.wait_for_url(re.compile(r"theme=liikunta"))
    page.locator(".result-list .card h3 a").first.click()
    page.wait_for_url(re.compile(r"/tapahtumat/\d+/"))
    href = page.get_by_role("link", name=re.compile("Lisää kalenteriin")).get_attribute("href")
    assert href.endswith("kalenteri.ics")
