"""An editor's flow in Chromium: sign in, curate a service, and see the effect as a resident; axe on the pages."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import on_own_connection
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]
PASSWORD = "Kevät-Kuopio-Liikunta-42"


@pytest.fixture
def editor_account(live_url):
    def create():
        from accounts.services import user_upsert

        return user_upsert(username="toimittaja-selain", role="editor", region=None, password=PASSWORD)[0].id

    user_id = on_own_connection(create)
    yield "toimittaja-selain"

    def remove():
        from django.contrib.auth.models import User

        from catalog.models import ErrorReport, ServiceCuration
        from catalog.search.indexing import services_index_lexical

        ids = list(ServiceCuration.objects.values_list("service_id", flat=True))
        ServiceCuration.objects.all().delete()
        ErrorReport.objects.filter(message="Puhelinnumero on vaihtunut.").delete()
        services_index_lexical(service_ids=ids)
        User.objects.filter(pk=user_id).delete()

    on_own_connection(remove)


def _last_service_of_theme(slug: str):
    from catalog.search.engine import search
    from catalog.search.types import SearchFilters

    listing = search("", filters=SearchFilters(themes=(slug,)), page_size=1000)
    return listing.services[-1] if listing.page_count == 1 else None


@pytest.mark.parametrize("lang", ["", "/sv"])
def test_editor_features_a_service_and_residents_see_it_first(browser, live_url, editor_account, lang):
    service = on_own_connection(lambda: _last_service_of_theme("liikunta"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = context.new_page()
    axe = Axe()

    page.goto(f"{live_url}{lang}/ammattilainen/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert serious(axe.run(page)) == []
    page.locator("#id_username").fill(editor_account)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ammattilainen/$"))
    assert serious(axe.run(page)) == []

    page.locator("a[href$='/ammattilainen/palvelut/']").first.click()
    page.locator("#id_q").fill(service.name_fi)
    page.locator("form[role=search] button").click()
    assert serious(axe.run(page)) == []
    page.get_by_role("link", name=service.name_fi).click()
    page.wait_for_url(re.compile(rf"/ammattilainen/palvelut/{service.id}/$"))
    assert serious(axe.run(page)) == []
    page.locator("#id_featured").check()
    page.locator("#id_summary_fi").fill("Alueen valitsema: matalan kynnyksen liikuntaa kaikenikäisille.")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/ammattilainen/palvelut/{service.id}/$"))
    assert page.locator("p.notice[role=status]").is_visible()

    # The error report queue and one report: readable and axe clean too.
    def report() -> int:
        from catalog.models import ErrorReport

        return ErrorReport.objects.create(service_id=service.id, message="Puhelinnumero on vaihtunut.").id

    report_id = on_own_connection(report)
    page.goto(f"{live_url}{lang}/ammattilainen/virheilmoitukset/")
    assert serious(axe.run(page)) == []
    page.goto(f"{live_url}{lang}/ammattilainen/virheilmoitukset/{report_id}/")
    assert page.get_by_text("Puhelinnumero on vaihtunut.").is_visible()
    assert serious(axe.run(page)) == []

    # As a resident: the theme page lists the service first, marked and with the region's summary.
    resident = browser.new_context(viewport={"width": 375, "height": 740}, locale="fi-FI", is_mobile=True)
    view = resident.new_page()
    view.goto(f"{live_url}/teema/liikunta/")
    first = view.locator(".result-list .card").first
    assert service.name_fi in first.inner_text()
    assert "Alueen valitsema" in first.inner_text()
    assert first.locator(".badge").is_visible()
    resident.close()
    context.close()
