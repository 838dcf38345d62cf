"""Service guidance in Chromium: card -> shortlist -> print/PDF/QR; referral -> receiver -> status -> client ->
the professional sees the outcome. Axe clean throughout."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import on_own_connection
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]
PASSWORD = "Kevät-Kuopio-Liikunta-42"


@pytest.fixture
def professional_account(live_url):
    def create():
        from accounts.services import user_upsert
        from catalog.models import Region
        from guidance.models import ReferralReceiver

        ReferralReceiver.objects.get_or_create(
            region=Region.objects.get(), kind="liikunta", municipality=None,
            defaults={"name": "Kuopion liikuntaneuvonta", "email": "liikunta@example.fi"},
        )  # fmt: skip
        return user_upsert(username="ohjaaja-selain", role="professional", region=None, password=PASSWORD)[0].id

    user_id = on_own_connection(create)
    yield "ohjaaja-selain"

    def remove():
        from django.contrib.auth.models import User

        from guidance.models import Referral, ReferralReceiver, Shortlist

        Referral.objects.all().delete()
        Shortlist.objects.all().delete()
        ReferralReceiver.objects.all().delete()
        User.objects.filter(pk=user_id).delete()

    on_own_connection(remove)


def test_professional_hands_over_a_shortlist_and_a_referral_closes_the_loop(browser, live_url, professional_account):
    from django.core import mail

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = context.new_page()
    axe = Axe()
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(professional_account)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ammattilainen/$"))
    page.locator("a[href$='/ammattilainen/ohjaus/']").first.click()
    page.locator("input[name=themes][value=liikunta]").check()
    page.locator("#id_age_band").select_option("65-74")
    page.locator("#id_municipality").select_option("297")
    page.locator("form.search-box button[type=submit]").click()
    assert serious(axe.run(page)) == []
    page.locator("form.pick button").first.click()
    page.locator(".recommendation form.pick button").nth(1).click()
    assert page.locator(".shortlist-panel .pick-row").count() == 2
    page.locator(".shortlist-panel form[action$='/lista/'] button").click()
    page.wait_for_url(re.compile(r"/ammattilainen/ohjaus/lista/[^/]+/$"))
    assert serious(axe.run(page)) == []
    public_url = page.locator("#shortlist-link").input_value()
    assert page.locator(".handover img").evaluate("img => img.naturalWidth > 0")

    # The client's page on a phone, and its PDF.
    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="fi-FI", is_mobile=True)
    handout = phone.new_page()
    handout.goto(public_url)
    assert handout.locator(".handout-item").count() == 2
    assert serious(axe.run(handout)) == []
    pdf = handout.request.get(public_url + "pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # A referral with the client's consent.
    page.locator("a.button[href$='/lahete/']").click()
    assert serious(axe.run(page)) == []
    page.locator("input[name=kind][value=liikunta]").check()
    page.locator("#id_first_name").fill("Maija")
    page.locator("input[name=contact_preference][value=phone]").check()
    page.locator("#id_phone").fill("040 123 4567")
    page.locator("#id_consent").check()
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ammattilainen/lahetteet/[0-9a-f-]+/$"))
    assert serious(axe.run(page)) == []
    client_url = page.locator("#client-link").input_value()
    receiver_path = re.search(r"(/lahete/\S+/)", mail.outbox[-1].body).group(1)

    # The receiver updates the status; the client says they went.
    receiver = phone.new_page()
    receiver.goto(live_url + receiver_path)
    assert "+358401234567" in receiver.locator("main").inner_text()
    assert serious(axe.run(receiver)) == []
    receiver.locator("input[name=status][value=contacted]").check()
    receiver.locator("main form[method=post] button[type=submit]").click()
    assert receiver.locator("p.notice[role=status]").is_visible()
    own = phone.new_page()
    own.goto(client_url)
    assert serious(axe.run(own)) == []
    own.locator("button[value=started]").click()
    assert own.locator("p.notice[role=status]").is_visible()

    page.reload()
    timeline = page.locator(".timeline").inner_text()
    assert "Yhteydessä asiakkaaseen" in timeline and "Asiakas aloitti" in timeline
    phone.close()
    context.close()
