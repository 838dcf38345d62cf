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
        "survey": "/kartoitus/",
        "survey-result": f"/kartoitus/tulos/{result_token}/",
        "home": "/",
        "search": "/haku/?q=kirjasto",
        "search-filtered": "/haku/?q=liikunta&theme=liikunta&free=on",
        "no-results": "/haku/?q=qwzx+vbnm",
        "theme": "/teema/luonto/",
        "detail": f"/palvelu/{service_id}/",
        "not-found": "/ei-ole-olemassa/",
    }


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


@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_violations_desktop(page, live_url, detail_id, lang):
    axe = Axe()
    problems = {}
    for name, path in page_paths(detail_id).items():
        page.goto(live_url + lang + path)
        found = serious(axe.run(page))
        if found:
            problems[name] = found
    assert problems == {}


@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_violations_mobile_375(mobile_page, live_url, detail_id, lang):
    axe = Axe()
    problems = {}
    for name, path in page_paths(detail_id).items():
        mobile_page.goto(live_url + lang + path)
        found = serious(axe.run(mobile_page))
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            found.append(f"horizontal scroll: page is {width}px wide")
        if found:
            problems[name] = found
    assert problems == {}
