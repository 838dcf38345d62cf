"""The wellbeing scope in Chromium (issue #12): an admin adds a PTV service class to a theme after its
preview and a resident finds a service it brought in; an editor excludes one service and residents no
longer find it; the scope page is axe clean in fi and sv and its controls work from the keyboard.

The browser tests share one committed demo database, so every test puts the scope back as it was,
through the page itself and, should a step fail, through the same service functions in its fixture.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import on_own_connection
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]
PASSWORD = "Kevät-Kuopio-Liikunta-42"
SCOPE = "/ammattilainen/laajuus/"
THEME = "kulttuuri"


def _account(username: str, role: str):
    def create() -> int:
        from accounts.services import user_upsert

        return user_upsert(username=username, role=role, region=None, password=PASSWORD)[0].id

    return on_own_connection(create)


def _account_remove(user_id: int) -> None:
    def remove() -> None:
        from django.contrib.auth.models import User

        User.objects.filter(pk=user_id).delete()

    on_own_connection(remove)


def _sign_in(page, live_url: str, username: str, lang: str = "") -> None:
    page.goto(f"{live_url}{lang}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ammattilainen/$"))


def _class_rows(page, code: str):
    """The theme's table rows of the class `code` (its code cell, exactly)."""
    cells = page.locator(f"main section[aria-labelledby=theme-{THEME}] tbody td")
    return cells.filter(has_text=re.compile(rf"^{re.escape(code)}$"))


def _preview_counts(page) -> dict[str, int]:
    cells = page.locator("#scope-preview dd[data-count]")
    return {cells.nth(i).get_attribute("data-count"): int(cells.nth(i).inner_text()) for i in range(cells.count())}


def _resident_finds(browser, live_url: str, service_id: int, name: str, theme: str = "") -> bool:
    """Whether a resident (a new browser, not signed in) finds the service by its name in search."""
    resident = browser.new_context(viewport={"width": 375, "height": 740}, locale="fi-FI", is_mobile=True)
    view = resident.new_page()
    query = {"q": name, **({"theme": theme} if theme else {})}
    view.goto(f"{live_url}/haku/?{urlencode(query)}")
    view.locator("main").wait_for()
    found = view.locator(f"main a[href*='/palvelu/{service_id}/']").count() > 0
    resident.close()
    return found


def _detail_status(browser, live_url: str, service_id: int) -> int:
    resident = browser.new_context(locale="fi-FI")
    status = resident.new_page().goto(f"{live_url}/palvelu/{service_id}/").status
    resident.close()
    return status


@pytest.fixture
def admin_account(live_url):
    """An admin; the theme's classes are put back afterwards even when the test fails half way."""

    def codes() -> list[str]:
        from catalog.models import Theme

        return list(Theme.objects.get(slug=THEME).service_class_codes)

    before = on_own_connection(codes)
    user_id = _account("yllapitaja-rajaus", "admin")
    yield "yllapitaja-rajaus"

    def restore() -> None:
        from catalog.models import Theme
        from catalog.services import scope_theme_update

        theme = Theme.objects.get(slug=THEME)
        if list(theme.service_class_codes) != before:
            scope_theme_update(theme=theme, codes=before)

    on_own_connection(restore)
    _account_remove(user_id)


def _class_to_add() -> tuple[str, int, str]:
    """A PTV class no theme takes in, and a published service of the region kept out by it alone."""
    from collections import Counter

    from django.db.models import Q

    from catalog.models import Concept, ScopeStatus, Service, Theme
    from catalog.scope import MIXED_CLASSES

    out = Q(services__scope_status=ScopeStatus.CLASS, services__publishing_status="Published", services__source="ptv")
    counts = Counter(Concept.objects.filter(out, kind="service_class").values_list("code", flat=True))
    taken = {code for codes in Theme.objects.values_list("service_class_codes", flat=True) for code in codes}
    code = next(code for code, _ in counts.most_common() if code not in taken | MIXED_CLASSES)
    service = (
        Service.objects.filter(
            curation__isnull=True,
            scope_status=ScopeStatus.CLASS,
            publishing_status="Published",
            source="ptv",
            concepts__code=code,
        )
        .exclude(name_fi="")
        .order_by("id")
        .first()
    )
    assert service is not None and not service.is_public
    return code, service.id, service.name_fi


def test_admin_adds_a_class_to_a_theme_and_a_resident_finds_what_it_brought_in(browser, live_url, admin_account):
    code, service_id, name = on_own_connection(_class_to_add)
    assert not _resident_finds(browser, live_url, service_id, name)
    assert _detail_status(browser, live_url, service_id) == 404

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = context.new_page()
    axe = Axe()
    _sign_in(page, live_url, admin_account)
    page.locator(f"main a[href$='{SCOPE}']").first.click()
    page.wait_for_url(re.compile(rf"{SCOPE}$"))
    assert serious(axe.run(page)) == []

    # Add: the preview counts what the class brings in, and saving it stores nothing before the confirmation.
    section = page.locator(f"main section[aria-labelledby=theme-{THEME}]")
    section.get_by_label("Palveluluokan koodi").fill(code)
    section.get_by_role("button", name="Lisää luokka").click()
    page.wait_for_url(re.compile(rf"{SCOPE}{THEME}/\?"))
    assert code in page.locator("h1").inner_text()
    added = _preview_counts(page)
    assert added["theme_added"] > 0 and added["public_added"] > 0 and added["public_removed"] == 0, added
    assert serious(axe.run(page)) == []
    assert not _resident_finds(browser, live_url, service_id, name)  # a preview changes nothing
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{SCOPE}$"))
    notice = page.locator("main p.notice[role=status]")
    assert notice.is_visible() and f"näkyviin {added['public_added']}" in notice.inner_text()
    assert _class_rows(page, code).count() == 1
    assert serious(axe.run(page)) == []

    # As a resident, at once: the service is found in search within the theme, and its page opens.
    assert _resident_finds(browser, live_url, service_id, name, theme=THEME)
    assert _detail_status(browser, live_url, service_id) == 200

    # Remove it again: the preview counts the way back, and the resident no longer finds it.
    section = page.locator(f"main section[aria-labelledby=theme-{THEME}]")
    section.get_by_role("button", name=f"Poista {code}", exact=True).click()
    page.wait_for_url(re.compile(rf"{SCOPE}{THEME}/\?"))
    removed = _preview_counts(page)
    assert removed["public_removed"] == added["public_added"] and removed["theme_removed"] == added["theme_added"]
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{SCOPE}$"))
    assert _class_rows(page, code).count() == 0
    assert not _resident_finds(browser, live_url, service_id, name)
    assert _detail_status(browser, live_url, service_id) == 404
    context.close()


@pytest.mark.parametrize("lang", ["", "/sv"])
def test_scope_page_and_preview_are_axe_clean(browser, live_url, admin_account, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = context.new_page()
    axe = Axe()
    _sign_in(page, live_url, admin_account, lang)
    response = page.goto(f"{live_url}{lang}{SCOPE}")
    assert response.status == 200 and page.locator("html").get_attribute("lang") == (lang.strip("/") or "fi")
    assert serious(axe.run(page)) == []
    # The preview of taking a class out (nothing is saved), and a refused code with its error under the theme.
    first = page.locator(f"main section[aria-labelledby=theme-{THEME}] tbody td").first.inner_text()
    page.goto(f"{live_url}{lang}{SCOPE}{THEME}/?action=remove&code={first}")
    assert page.locator("#scope-preview").is_visible()
    assert serious(axe.run(page)) == []
    response = page.goto(f"{live_url}{lang}{SCOPE}{THEME}/?action=add&code=P999.9")
    assert response.status == 400
    assert page.locator(f"main section[aria-labelledby=theme-{THEME}] .field-error").is_visible()
    assert serious(axe.run(page)) == []
    # On a phone too: the tables may scroll in their place, the page itself does not.
    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="fi-FI", is_mobile=True)
    phone.add_cookies(context.cookies())
    view = phone.new_page()
    view.goto(f"{live_url}{lang}{SCOPE}")
    assert serious(axe.run(view)) == []
    phone.close()
    context.close()


def test_scope_controls_are_reachable_by_keyboard_and_named(browser, live_url, admin_account):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = context.new_page()
    _sign_in(page, live_url, admin_account)
    page.goto(f"{live_url}{SCOPE}")
    section = page.locator(f"main section[aria-labelledby=theme-{THEME}]")
    first_code = section.locator("tbody td").first.inner_text()
    # Found by their accessible names: the code field by its label, each remove button with its class code.
    field = section.get_by_role("textbox", name="Palveluluokan koodi")
    add = section.get_by_role("button", name="Lisää luokka")
    remove = section.get_by_role("button", name=f"Poista {first_code}", exact=True)

    def tab_to(target, limit: int = 400) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                return
        pytest.fail(f"not reached by Tab: {target}")

    tab_to(remove)
    tab_to(field)
    page.keyboard.type("P999.9")
    page.keyboard.press("Tab")
    assert add.evaluate("el => el === document.activeElement")  # the button right after its field
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{SCOPE}{THEME}/\?"))
    # The refused code is told under the field, which still has its name, and nothing changed.
    section = page.locator(f"main section[aria-labelledby=theme-{THEME}]")
    assert section.locator(".field-error").is_visible()
    assert section.get_by_role("textbox", name="Palveluluokan koodi").input_value() == "P999.9"

    # The remove button opens the preview from the keyboard; there "Tallenna muutos" and "Peruuta" are
    # reached by Tab too, and Peruuta leads back without saving.
    page.goto(f"{live_url}{SCOPE}")
    remove = page.locator(f"main section[aria-labelledby=theme-{THEME}]").get_by_role(
        "button", name=f"Poista {first_code}", exact=True
    )
    tab_to(remove)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{SCOPE}{THEME}/\?"))
    save = page.get_by_role("button", name="Tallenna muutos")
    cancel = page.locator("main").get_by_role("link", name="Peruuta")
    tab_to(save, limit=100)
    page.keyboard.press("Tab")
    assert cancel.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{SCOPE}$"))
    assert _class_rows(page, first_code).count() == 1
    context.close()


@pytest.fixture
def editor_account(live_url):
    """An editor; the excluded service is put back to its class mapping afterwards, also after a failure."""
    user_id = _account("toimittaja-rajaus", "editor")
    touched: list[int] = []
    yield "toimittaja-rajaus", touched

    def restore() -> None:
        from catalog.models import Service, ServiceCuration
        from catalog.search.indexing import services_index_lexical
        from catalog.services import service_curation_update

        for service in Service.objects.filter(id__in=touched):
            service_curation_update(service=service, scope_override="", scope_reason="")
        ServiceCuration.objects.filter(service_id__in=touched).delete()
        services_index_lexical(service_ids=touched)

    on_own_connection(restore)
    _account_remove(user_id)


def _public_ptv_service() -> tuple[int, str]:
    """A public PTV service of the region without any curation, with a name search finds it by."""
    from catalog.models import Service
    from catalog.search.engine import search

    for service in Service.objects.filter(is_public=True, source="ptv", curation__isnull=True).order_by("id")[:50]:
        if service.id in [h.service_id for h in search(service.name_fi).hits]:
            return service.id, service.name_fi
    raise AssertionError("no public PTV service found by its name")


def test_editor_excludes_a_service_and_residents_no_longer_find_it(browser, live_url, editor_account):
    username, touched = editor_account
    service_id, name = on_own_connection(_public_ptv_service)
    touched.append(service_id)
    assert _resident_finds(browser, live_url, service_id, name)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = context.new_page()
    axe = Axe()
    _sign_in(page, live_url, username)
    page.goto(f"{live_url}/ammattilainen/palvelut/{service_id}/")
    assert serious(axe.run(page)) == []
    page.locator("#id_scope_override").select_option("exclude")
    page.locator("#id_scope_reason").fill("Ei hyvinvointia edistävä palvelu")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/ammattilainen/palvelut/{service_id}/$"))
    assert page.locator("main p.notice[role=status]").is_visible()
    assert "ei näy asukkaille" in page.locator("main").inner_text()
    assert page.locator("#id_scope_override").input_value() == "exclude"
    assert page.locator("#id_scope_reason").input_value() == "Ei hyvinvointia edistävä palvelu"
    assert serious(axe.run(page)) == []

    # As a resident, at once: not in search and its page is not found.
    assert not _resident_finds(browser, live_url, service_id, name)
    assert _detail_status(browser, live_url, service_id) == 404

    # The service list's filter for per-service changes shows it.
    page.goto(f"{live_url}/ammattilainen/palvelut/?state=scope_override")
    assert page.locator(f"main a[href$='/ammattilainen/palvelut/{service_id}/']").count() == 1
    assert serious(axe.run(page)) == []

    # Back to the class mapping: the resident finds it again.
    page.goto(f"{live_url}/ammattilainen/palvelut/{service_id}/")
    page.locator("#id_scope_override").select_option(value="")
    page.locator("#id_scope_reason").fill("")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/ammattilainen/palvelut/{service_id}/$"))
    assert "näkyy asukkaille" in page.locator("main").inner_text()
    assert _resident_finds(browser, live_url, service_id, name)
    assert _detail_status(browser, live_url, service_id) == 200
    context.close()
