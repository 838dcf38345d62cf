"""axe-core finds no serious or critical violations on any page type, language or the mobile width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]

LANGS = ["", "/sv", "/en"]


def page_paths(service_id: int) -> dict[str, str]:
    from survey.services import Answers

    result_token = Answers(
        municipality="297", values={"elintavat_1": 0, "osallisuus_1": 1}, support=["luonto"]
    ).to_token()
    return {
        "events": "/tapahtumat/?when=dates&start=2000-01-01&end=2000-01-02",
        "events-upcoming": "/tapahtumat/",
        "event": f"/tapahtumat/{event_id()}/",
        "survey": "/kartoitus/",
        "survey-result": f"/kartoitus/tulos/{result_token}/",
        "home": "/",
        "search": "/haku/?q=kirjasto",
        "search-town": "/haku/?q=kuntosali+kuopio",
        "search-filtered": "/haku/?q=liikunta&theme=liikunta&free=on",
        "no-results": "/haku/?q=qwzx+vbnm",
        "theme": "/teema/luonto/",
        "detail": f"/palvelu/{service_id}/",
        "not-found": "/ei-ole-olemassa/",
        "accessibility-statement": "/saavutettavuus/",
        "privacy-notice": "/tietosuoja/",
        "contact": "/yhteystiedot/",
        "login": "/accounts/login/",
        "password-reset": "/accounts/password_reset/",
    }


def event_id() -> int:
    from events.models import Event

    return Event.objects.filter(is_public=True, source="lahella").order_by("id").first().id


def serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.fixture(scope="module")
def detail_id(live_url):
    from catalog.models import Service

    return Service.objects.filter(is_public=True, channels__kind="ServiceLocation").distinct().first().id


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile-375": {"width": 375, "height": 740}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_violations(browser, live_url, detail_id, lang, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fi-FI", is_mobile=viewport != "desktop")
    page = context.new_page()
    axe = Axe()
    problems = {}
    for name, path in page_paths(detail_id).items():
        page.goto(live_url + lang + path)
        found = serious(axe.run(page))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[viewport]["width"]:
            found.append(f"horizontal scroll: page is {width}px wide")
        if found:
            problems[name] = found
    context.close()
    assert problems == {}
