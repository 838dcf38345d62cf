import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]


def test_resident_fills_the_survey_and_gets_services(page, live_url):
    page.goto(live_url + "/")
    page.get_by_role("link", name="Hyvinvointikartoitus", exact=True).click()
    page.get_by_label("Kotikuntasi").select_option("297")
    page.get_by_role("group", name="Saatko nukuttua tarpeeksi?").get_by_label("Huonosti", exact=True).check()
    page.get_by_role("group", name=re.compile("lähelläsi ihmisiä")).get_by_label("Melko huonosti", exact=True).check()
    page.get_by_role("group", name="Kuuluuko liikunta elämääsi?").get_by_label("Hyvin", exact=True).check()
    page.get_by_label(re.compile("Mitä haluaisit tehdä")).fill("haluaisin tavata ihmisiä")
    page.get_by_role("button", name=re.compile("Näytä tulokset")).click()
    page.wait_for_url(re.compile(r"/kartoitus/tulos/"))
    headings = page.locator("main h2").all_inner_texts()
    assert any("Elintavat" in h for h in headings)
    assert any("Osallisuus" in h for h in headings)
    assert page.locator(".recommendation .card").count() >= 6
    link = page.get_by_label("Tuloksen linkki").input_value()
    assert "/kartoitus/tulos/" in link


def test_survey_works_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_url + "/kartoitus/")
    page.get_by_role("button", name=re.compile("Näytä tulokset")).click()
    assert page.get_by_text("Vastaa vähintään yhteen kysymykseen").is_visible()
    context.close()
