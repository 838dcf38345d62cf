"""Population indicators (THL Sotkanet) on the leadership dashboard: panel, mapping, filters, CSV and API."""

from __future__ import annotations

import csv
import io

import pytest

from accounts.tokens import api_token_issue
from catalog.models import Theme
from catalog.services import codelists_load, region_setup
from catalog.themes import THEMES
from ingest.fakes import FakeServer, FakeSotkanet
from ingest.fakes.sotkanet import PREFIX
from ingest.models import Indicator, IndicatorValue, IngestRun
from ingest.sotkanet.client import SotkanetClient
from ingest.sotkanet.defaults import demo_indicators_seed
from ingest.sotkanet.sync import sotkanet_sync

pytestmark = pytest.mark.django_db
PAGE = "/ammattilainen/johto/"
API = "/api/v1/pro/stats/indicators"


def _themes() -> None:
    """The themes come from a data migration; a test that flushed the database took them away."""
    for order, data in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(slug=data["slug"], defaults={**data, "order": order})


@pytest.fixture
def synced(db):
    codelists_load()
    _themes()
    region = region_setup()
    Indicator.objects.all().delete()
    demo_indicators_seed()
    with FakeServer(FakeSotkanet(), prefix=PREFIX) as server:
        run = sotkanet_sync(client=SotkanetClient(server.url, max_retries=0, timeout=5))
    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    return region


def _value(municipality: str, sotkanet_id: int = 5527) -> str:
    value = IndicatorValue.objects.get(indicator__sotkanet_id=sotkanet_id, municipality=municipality, year=2024,
                                       gender="total").value  # fmt: skip
    return f"{value:.1f}".replace(".", ",")


def test_panel_shows_each_theme_its_indicators_with_year_level_and_source(client, manager, synced):
    client.force_login(manager)
    html = client.get(PAGE).content.decode()
    assert "Väestön hyvinvointi-indikaattorit" in html
    assert 'id="indicator-yhteisollisyys-5527-title"' in html  # loneliness beside its theme, as an SVG chart
    assert 'id="indicator-mieli-5553-title"' in html and 'id="indicator-mieli-5566-title"' in html
    assert "Yksinäiseksi itsensä tuntevien osuus (%), 20 vuotta täyttäneet (Prosenttia)" in html
    # The table: Kuopio's latest value with its year and level, the county and the country beside it.
    assert f"<td>Kuopio</td><td>Kunta</td><td>2024</td><td>{_value('297')}</td>" in html
    assert "<td>Pohjois-Savon hyvinvointialue</td><td>Hyvinvointialue</td><td>2024</td>" in html
    assert "<td>Koko maa</td><td>Koko maa</td><td>2024</td>" in html
    assert "THL, Sotkanet (CC BY 4.0)" in html
    assert "/ammattilainen/johto/indicators.csv?" in html


def test_an_indicator_without_a_total_shows_its_genders(client, manager, synced):
    IndicatorValue.objects.filter(indicator__sotkanet_id=5553, gender="total").delete()
    client.force_login(manager)
    html = client.get(PAGE).content.decode()
    assert "Psyykkisesti merkittävästi kuormittuneiden osuus (%), 20 vuotta täyttäneet (miehet)" in html
    assert "Kuopio, naiset" in html  # the chart's bar label


def test_editing_the_mapping_in_the_admin_moves_the_indicator_to_another_theme(client, admin_user, manager, synced):
    loneliness = Indicator.objects.get(sotkanet_id=5527)
    liikunta = Theme.objects.get(slug="liikunta")
    client.force_login(admin_user)
    change = f"/admin/ingest/indicator/{loneliness.id}/change/"
    assert client.get(change).status_code == 200
    answer = client.post(change, {"sotkanet_id": 5527, "is_active": "on", "themes": [liikunta.id],
                                  "title_fi": loneliness.title_fi, "title_sv": loneliness.title_sv,
                                  "title_en": loneliness.title_en})  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:2000]
    client.force_login(manager)
    html = client.get(PAGE).content.decode()
    assert 'id="indicator-liikunta-5527-title"' in html
    assert 'id="indicator-yhteisollisyys-5527-title"' not in html
    Indicator.objects.filter(pk=loneliness.pk).update(is_active=False)
    assert "indicator-liikunta-5527" not in client.get(PAGE).content.decode()


def test_municipality_and_theme_filters(client, manager, synced):
    token = api_token_issue(user=manager)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    rows = client.get(API + "?municipality=749", **auth).json()["rows"]
    assert {r["municipality"] for r in rows} == {"749", ""}
    assert {r["area_level"] for r in rows} == {"municipality", "county", "country"}
    # The survey card's "osallisuus" stands for the catalog theme yhteisollisyys.
    rows = client.get(API + "?theme=osallisuus", **auth).json()["rows"]
    assert {(r["theme"], r["indicator"]) for r in rows} == {("yhteisollisyys", 5527)}
    rows = client.get(API + "?theme=elintavat", **auth).json()["rows"]
    assert {r["indicator"] for r in rows} == {5553, 5566}
    assert client.get(API + "?municipality=091", **auth).status_code == 400  # not the region's
    for odd in ("?theme=%00", "?municipality=" + "9" * 40, "?theme=ei-teemaa", "?start=1e309"):
        assert client.get(API + odd, **auth).status_code == 400, odd
    assert client.get("/ammattilainen/johto/indicators.csv?theme=%00").status_code == 302  # not signed in


def test_api_roles_and_row_shape(client, manager, professional, admin_user, synced):
    assert client.get(API).status_code == 401
    for user, status in ((professional, 403), (manager, 200), (admin_user, 200)):
        token = api_token_issue(user=user)
        assert client.get(API, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == status
    body = client.get(API, HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=manager)}").json()
    assert body["source"] == "THL, Sotkanet" and body["licence"] == "CC BY 4.0"
    kuopio = next(r for r in body["rows"] if r["indicator"] == 5527 and r["municipality"] == "297")
    assert {"indicator", "title", "theme", "municipality", "area_level", "year", "value", "gender"} <= set(kuopio)
    assert (kuopio["theme"], kuopio["area_level"], kuopio["year"], kuopio["gender"]) == (
        "yhteisollisyys", "municipality", 2024, "total"
    )  # fmt: skip
    # Every municipality's latest year only: one row per indicator, theme and area.
    keys = [(r["indicator"], r["theme"], r["area_name"], r["gender"]) for r in body["rows"]]
    assert len(keys) == len(set(keys))
    schema = client.get("/api/v1/openapi.json").content.decode()
    assert "/api/v1/pro/stats/indicators" in schema and "statsIndicators" in schema


def test_csv_has_the_same_rows_and_is_audited(client, manager, synced):
    client.force_login(manager)
    download = client.get("/ammattilainen/johto/indicators.csv?theme=liikunta")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows and {r["indicator"] for r in rows} == {"5537"}
    assert set(rows[0]) == {"theme", "indicator", "title", "municipality", "area_level", "area_name", "year",
                            "gender", "value", "unit"}  # fmt: skip
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", target="dashboard:indicators", actor=manager).exists()


def test_swedish_page_uses_the_swedish_titles(client, manager, synced):
    client.force_login(manager)
    html = client.get("/sv" + PAGE).content.decode()
    assert "Andel som känner sig ensamma (%), 20 år fyllda" in html


def test_no_indicators_yet_is_a_clear_message_not_an_error(client, manager, db):
    codelists_load()
    region_setup()
    Indicator.objects.all().delete()
    client.force_login(manager)
    page = client.get(PAGE)
    assert page.status_code == 200 and "Ei väestöindikaattoreita" in page.content.decode()
    token = api_token_issue(user=manager)
    assert client.get(API, HTTP_AUTHORIZATION=f"Bearer {token}").json()["rows"] == []


def test_admins_edit_the_mapping_in_the_workspace(client, admin_user, manager, professional, synced):
    url = "/ammattilainen/johto/indikaattorit/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for user in (professional, manager):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"form": "i5527", "i5527-themes": ["liikunta"]}).status_code == 403
    assert "indikaattorit/" not in client.get(PAGE).content.decode()  # no edit link for a manager
    client.force_login(admin_user)
    assert "/ammattilainen/johto/indikaattorit/" in client.get(PAGE).content.decode()
    form = client.get(url).content.decode()
    assert 'name="i5527-themes" value="yhteisollisyys"' in form and "Lisää indikaattori" in form
    moved = client.post(url, {"form": "i5527", "i5527-themes": ["liikunta", "mieli"], "i5527-is_active": "on"})
    assert moved.status_code == 302
    assert set(Indicator.objects.get(sotkanet_id=5527).themes.values_list("slug", flat=True)) == {"liikunta", "mieli"}
    html = client.get(PAGE).content.decode()
    assert 'id="indicator-liikunta-5527-title"' in html and 'id="indicator-mieli-5527-title"' in html
    assert 'id="indicator-yhteisollisyys-5527-title"' not in html
    # A new indicator waits for the next sync for its name; a number already listed is refused.
    added = client.post(url, {"form": "new", "new-sotkanet_id": "289", "new-themes": ["luonto"], "new-is_active": "on"})
    assert added.status_code == 302 and Indicator.objects.get(sotkanet_id=289).themes.get().slug == "luonto"
    for bad in (
        {"form": "new", "new-sotkanet_id": "5527"},  # already listed
        {"form": "new", "new-sotkanet_id": "viisi"},
        {"form": "i5527", "i5527-themes": ["ei-teema"]},
        {"form": "i99"},  # no such indicator
        {"form": "new", "new-sotkanet_id": "9" * 30},
        {"form": "new", "new-sotkanet_id": "1e309", "new-themes": ["\x00"]},
        {"form": "\x00" * 50},
        {},
    ):
        answer = client.post(url, bad)
        assert answer.status_code == 400, bad
    assert (
        "Indikaattori on jo listalla." in client.post(url, {"form": "new", "new-sotkanet_id": "5527"}).content.decode()
    )
    stopped = client.post(url, {"form": "i5527", "i5527-themes": ["liikunta"]})  # is_active left unticked
    assert stopped.status_code == 302 and not Indicator.objects.get(sotkanet_id=5527).is_active
    assert "indicator-liikunta-5527" not in client.get(PAGE).content.decode()
