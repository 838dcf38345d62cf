"""A manager in Chromium: sign in, filter the dashboard by a municipality, read each panel, download a CSV; axe clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import on_own_connection
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]
PASSWORD = "Kevät-Kuopio-Liikunta-42"


@pytest.fixture
def manager_account(live_url):
    def create():
        from accounts.services import user_upsert
        from ingest.fakes import FakeServer, FakeSotkanet, sotkanet
        from ingest.sotkanet.client import SotkanetClient
        from ingest.sotkanet.defaults import demo_indicators_seed
        from ingest.sotkanet.sync import sotkanet_sync
        from survey.models import SurveyResponse
        from survey.services import week_start

        demo_indicators_seed()  # the population indicators panel, from the fake Sotkanet
        with FakeServer(FakeSotkanet(), prefix=sotkanet.PREFIX) as server:
            sotkanet_sync(client=SotkanetClient(server.url, max_retries=0))

        for municipality, n in (("297", 7), ("749", 2)):
            for _ in range(n):
                SurveyResponse.objects.create(municipality=municipality, age_band="65-74", week=week_start(),
                                              scores={"liikunta": 40})  # fmt: skip
        return user_upsert(username="johtaja-selain", role="manager", region=None, password=PASSWORD)[0].id

    user_id = on_own_connection(create)
    yield "johtaja-selain"

    def remove():
        from django.contrib.auth.models import User

        from ingest.models import Indicator
        from survey.models import SurveyResponse

        SurveyResponse.objects.all().delete()
        Indicator.objects.all().delete()
        User.objects.filter(pk=user_id).delete()

    on_own_connection(remove)


@pytest.mark.parametrize("lang", ["", "/sv"])
def test_manager_reads_the_dashboard_and_downloads_a_csv(browser, live_url, manager_account, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI", accept_downloads=True)
    page = context.new_page()
    axe = Axe()
    page.goto(f"{live_url}{lang}/accounts/login/")
    page.locator("#id_username").fill(manager_account)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ammattilainen/$"))
    page.locator("a[href$='/ammattilainen/johto/']").click()
    page.wait_for_url(re.compile(r"/ammattilainen/johto/"))
    # Siilinjärvi's two answers are hidden in the table, not shown as 2.
    assert page.locator("section:has(#need) td", has_text=re.compile(r"^< 5$")).count() > 0
    assert serious(axe.run(page)) == []
    page.locator("#id_municipality").select_option("297")
    page.locator("form.filter-row button[type=submit]").click()
    page.wait_for_url(re.compile(r"municipality=297"))
    for panel in ("need", "demand", "supply", "outcomes"):
        assert page.locator(f"#{panel}").is_visible()
        assert page.locator(f"section:has(#{panel}) svg").count() == 1
    assert page.locator("section:has(#indicators) svg").count() >= 4  # one chart per followed indicator
    indicators = page.locator("section:has(#indicators) table").inner_text()
    assert "Kuopio" in indicators and "Siilinjärvi" not in indicators and "THL, Sotkanet" in page.content()
    need = page.locator("section:has(#need) table").inner_text()
    assert "7" in need and "40" in need
    assert serious(axe.run(page)) == []
    with page.expect_download() as download_info:
        page.locator("a[href*='need.csv']").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("municipality;age_band;theme")
    context.close()
