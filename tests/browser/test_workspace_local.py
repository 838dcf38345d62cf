"""An editor adds a local service in Chromium, residents find it on a phone; the follow-up and history pages
are axe clean in fi and sv."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import on_own_connection
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]
PASSWORD = "Kevät-Kuopio-Liikunta-42"
NAME = "Kallaveden kävelyporukka"


@pytest.fixture
def editor_account(live_url):
    def create():
        from accounts.services import user_upsert

        return user_upsert(username="toimittaja-paikallinen", role="editor", region=None, password=PASSWORD)[0].id

    user_id = on_own_connection(create)
    yield "toimittaja-paikallinen"

    def remove():
        from django.contrib.auth.models import User

        from catalog.models import Service, ServiceChannel

        Service.objects.filter(source="local").delete()
        ServiceChannel.objects.filter(source="local").delete()
        User.objects.filter(pk=user_id).delete()

    on_own_connection(remove)


def _liikunta_id() -> int:
    from catalog.models import Theme

    return Theme.objects.get(slug="liikunta").id


@pytest.mark.parametrize("lang", ["", "/sv"])
def test_editor_adds_a_local_service_and_a_resident_finds_it(browser, live_url, editor_account, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = context.new_page()
    axe = Axe()
    page.goto(f"{live_url}{lang}/accounts/login/")
    page.locator("#id_username").fill(editor_account)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ammattilainen/$"))

    page.locator("a[href$='/ammattilainen/paikalliset/uusi/']").first.click()
    page.wait_for_url(re.compile(r"/paikalliset/uusi/$"))
    assert serious(axe.run(page)) == []
    page.locator("main form[method=post] button[type=submit]").first.click()  # empty: the name is required
    assert page.locator(".field-error").first.is_visible()
    page.locator("#id_name_fi").fill(NAME)
    page.locator("#id_summary_fi").fill("Kaikille avoin kävelyryhmä tiistaisin rantareitillä.")
    theme_id = on_own_connection(_liikunta_id)
    page.locator(f"input[name=themes][value='{theme_id}']").check()
    page.locator("#id_street_address").fill("Satamakatu 1")
    page.locator("#id_post_office").fill("Kuopio")
    page.locator("#id_phone").fill("044 123 4567")
    page.locator("#id_hours").fill("tiistaisin klo 10–11")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/paikalliset/\d+/$"))
    assert page.locator("p.notice[role=status]").is_visible()
    assert serious(axe.run(page)) == []
    service_id = re.search(r"/paikalliset/(\d+)/$", page.url).group(1)

    for url in (f"/ammattilainen/palvelut/{service_id}/historia/", "/ammattilainen/seuranta/"):
        page.goto(f"{live_url}{lang}{url}")
        assert page.locator("h1").is_visible()
        assert serious(axe.run(page)) == []

    # As a resident on a phone: the search finds it and its page shows the place and the hours.
    resident = browser.new_context(viewport={"width": 375, "height": 740}, locale="fi-FI", is_mobile=True)
    view = resident.new_page()
    view.goto(f"{live_url}/haku/?q=k%C3%A4velyporukka")
    view.get_by_role("link", name=NAME).first.click()
    view.wait_for_url(re.compile(rf"/palvelu/{service_id}/"))
    body = view.locator("main").inner_text()
    assert "Satamakatu 1" in body and "tiistaisin klo 10–11" in body and "Paikallinen" in body
    assert serious(axe.run(view)) == []
    resident.close()
    context.close()
