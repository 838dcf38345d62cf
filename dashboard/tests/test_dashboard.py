"""The leadership dashboard: small-cell and complementary suppression, the panels, CSV, API and access."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.tokens import api_token_issue
from catalog.models import Region, SearchLog
from dashboard.privacy import Cell, suppress
from dashboard.stats import StatsFilter, referral_stats, search_stats, survey_stats
from guidance.models import Referral, ReferralEvent
from survey.models import SurveyResponse
from survey.services import week_start


def _leaks(cells, groups) -> list:
    """Groups whose shown total minus shown children would reveal exactly one hidden cell."""
    out = []
    for parent, children in groups:
        if parent in cells and cells[parent].suppressed:
            continue
        hidden = [c for c in children if c in cells and cells[c].suppressed and cells[c].count > 0]
        if len(hidden) == 1:
            out.append((parent, hidden))
    return out


def test_small_cells_and_their_complement_are_hidden():
    counts = {("",): 20, ("297",): 12, ("749",): 6, ("140",): 2}
    cells = {key: Cell(key, n) for key, n in counts.items()}
    groups = [(("",), [("297",), ("749",), ("140",)])]
    suppress(cells, groups, k=5)
    assert cells[("140",)].suppressed  # 2 < 5
    assert cells[("749",)].suppressed  # else 20 - 12 - 6 would give it away
    assert not cells[("297",)].suppressed and not cells[("",)].suppressed
    assert _leaks(cells, groups) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8), st.data())
def test_no_hidden_cell_can_be_worked_out_from_a_total(children_counts, data):
    """Two crossing partitions (municipalities x age bands) of random counts: no group leaks."""
    bands = data.draw(st.integers(min_value=1, max_value=4))
    cells = {}
    for m, total in enumerate(children_counts):
        split = data.draw(st.lists(st.integers(0, total), min_size=bands - 1, max_size=bands - 1))
        edges = sorted(split)
        parts = [b - a for a, b in zip([0, *edges], [*edges, total], strict=True)]
        for a, n in enumerate(parts):
            cells[(m, a)] = Cell((m, a), n)
        cells[(m, None)] = Cell((m, None), total)
    for a in range(bands):
        cells[(None, a)] = Cell((None, a), sum(cells[(m, a)].count for m in range(len(children_counts))))
    cells[(None, None)] = Cell((None, None), sum(children_counts))
    groups = [((None, None), [(m, None) for m in range(len(children_counts))]),
              ((None, None), [(None, a) for a in range(bands)])]  # fmt: skip
    groups += [((m, None), [(m, a) for a in range(bands)]) for m in range(len(children_counts))]
    groups += [((None, a), [(m, a) for m in range(len(children_counts))]) for a in range(bands)]
    suppress(cells, groups, k=5)
    assert all(cell.suppressed for cell in cells.values() if 0 < cell.count < 5)
    assert _leaks(cells, groups) == []


def _answers(municipality: str, age_band: str, n: int, score: int) -> None:
    for _ in range(n):
        SurveyResponse.objects.create(
            municipality=municipality, age_band=age_band, week=week_start(), scores={"liikunta": score, "uni": None}
        )


PERIOD = StatsFilter(start=date.today() - timedelta(days=30), end=date.today())


@pytest.mark.django_db
def test_survey_stats_hide_small_groups_and_their_complements():
    _answers("297", "65-74", 8, 40)
    _answers("297", "30-44", 6, 80)
    _answers("749", "65-74", 3, 20)
    _answers("", "", 2, 90)  # no municipality given: in the totals only
    rows = {(r["municipality"], r["age_band"], r["theme"]): r for r in survey_stats(PERIOD)["rows"]}
    total = rows[("", "", "liikunta")]
    assert total["responses"] == 19 and not total["suppressed"]
    assert total["low_share"] == round(11 / 19, 3)
    assert rows[("297", "", "liikunta")]["responses"] == 14 and rows[("297", "", "liikunta")]["mean"] == 57.1
    small = rows[("749", "", "liikunta")]
    assert small["suppressed"] and small["responses"] is None and small["mean"] is None and small["low_share"] is None
    assert not any(key[0] == "?" or key[1] == "?" for key in rows)  # the unknown group is never a row
    assert ("297", "65-74", "uni") not in rows  # a skipped theme is no answer
    # The 65-74 band over the region (11) minus Kuopio's 8 would reveal Siilinjärvi's 3: hidden.
    band = [rows[("297", "65-74", "liikunta")], rows[("749", "65-74", "liikunta")]]
    assert all(r["suppressed"] for r in band) or rows[("", "65-74", "liikunta")]["suppressed"]


@pytest.mark.django_db
def test_unmet_queries_only_when_asked_k_times():
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for query, times, found in (("koiran rokotus", 5, 0), ("oma nimi 0401234567", 1, 0), ("kuntosali", 9, 12)):
        for _ in range(times):
            SearchLog.objects.create(query=query, language="fi", filters={"themes": ["liikunta"]},
                                     result_count=found, hour=hour)  # fmt: skip
    stats = search_stats(PERIOD)
    assert stats["unmet"] == [{"query": "koiran rokotus", "count": 5}]
    assert stats["total"] == 15
    by = {(r["dimension"], r["value"]): r for r in stats["rows"]}
    assert by[("theme", "liikunta")]["searches"] == 15 and by[("language", "fi")]["searches"] == 15
    for themes in (["mieli", "liikunta"], ["liikunta", "mieli"], ["mieli", "liikunta"]) * 2:
        SearchLog.objects.create(query="x", language="sv", filters={"themes": themes}, result_count=1, hour=hour)
    by = {(r["dimension"], r["value"]): r for r in search_stats(PERIOD)["rows"]}
    assert by[("theme", "liikunta,mieli")]["searches"] == 6  # one group whatever the order


@pytest.mark.django_db
def test_referral_outcomes_and_rates():
    region = Region.objects.create(code="testi", name_fi="Testi")
    for i in range(6):
        referral = Referral.objects.create(kind="liikunta", region=region, contact_preference="none",
                                           consent_at=timezone.now())  # fmt: skip
        ReferralEvent.objects.create(referral=referral, status="sent", actor="professional")
        if i < 3:
            ReferralEvent.objects.create(referral=referral, status="contacted", actor="receiver")
        if i < 2:
            ReferralEvent.objects.create(referral=referral, status="started", actor="client")
    for kind, n in (("hyvinvointi", 5), ("kulttuuri", 1)):
        for _ in range(n):
            Referral.objects.create(kind=kind, region=region, contact_preference="none", consent_at=timezone.now())
    rows = {(r["dimension"], r["value"]): r for r in referral_stats(PERIOD, region)["rows"]}
    liikunta = rows[("kind", "liikunta")]
    assert liikunta["referrals"] == 6 and liikunta["contacted_share"] == 0.5 and liikunta["got_there_rate"] == 0.333
    assert liikunta["closed_loop_rate"] == 0.5
    assert rows[("kind", "kulttuuri")]["suppressed"] and rows[("kind", "kulttuuri")]["referrals"] is None
    # 12 in all minus liikunta's 6 would leave kulttuuri's 1 beside a shown 5: that 5 is hidden too.
    assert rows[("kind", "hyvinvointi")]["suppressed"] and rows[("kind", "hyvinvointi")]["contacted_share"] is None
    assert rows[("total", "")]["referrals"] == 12


@pytest.mark.django_db
def test_dashboard_page_csv_api_and_access(client, manager, professional, demo_catalog):
    _answers("297", "65-74", 6, 40)
    _answers("749", "65-74", 2, 20)
    assert client.get("/ammattilainen/johto/")["Location"].startswith("/accounts/login/")
    client.force_login(professional)
    assert client.get("/ammattilainen/johto/").status_code == 403
    client.force_login(manager)
    page = client.get("/ammattilainen/johto/?municipality=&theme=liikunta")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "&lt; 5" in html and "Lataa CSV" in html
    assert client.get("/ammattilainen/johto/?start=2026-13-01").status_code == 400
    assert client.get("/ammattilainen/johto/?start=2026-05-01&end=2026-01-01").status_code == 400
    assert client.get("/ammattilainen/johto/?municipality=999").status_code == 400

    download = client.get("/ammattilainen/johto/need.csv?theme=liikunta")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    small = [r for r in rows if r["municipality"] == "749"]
    assert small and all(r["responses"] == "" and r["mean"] == "" and r["suppressed"] == "True" for r in small)
    assert client.get("/ammattilainen/johto/secrets.csv").status_code == 404
    from audit.models import AuditEvent

    # Filtered by this test's manager: a browser test (live server, committed data) may leave its own rows.
    export = AuditEvent.objects.get(action="export", target="dashboard:need", actor=manager)
    assert export.actor == manager and export.detail["theme"] == "liikunta"

    token = api_token_issue(user=manager)
    body = client.get("/api/v1/pro/stats/survey", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["k"] == 5 and {"municipality", "age_band", "theme", "responses", "mean", "low_share",
                               "suppressed"} == set(body["rows"][0])  # fmt: skip
    for name in ("searches", "referrals", "supply"):
        assert client.get(f"/api/v1/pro/stats/{name}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert client.get("/api/v1/pro/stats/survey").status_code == 401
    other = api_token_issue(user=professional)
    assert client.get("/api/v1/pro/stats/survey", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403
    bad = client.get("/api/v1/pro/stats/survey?start=yesterday", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bad.status_code == 400 and "start" in bad.json()["fields"]


@pytest.mark.django_db
def test_raw_statistics_rows_are_read_only_and_for_admins_only(client, manager, admin_user):
    manager.is_staff = True
    manager.save()
    SearchLog.objects.create(query="kuntosali", language="fi", filters={}, result_count=3, hour=timezone.now())
    client.force_login(manager)
    assert client.get("/admin/catalog/searchlog/").status_code == 403
    assert client.get("/admin/survey/surveyresponse/").status_code == 403
    client.force_login(admin_user)
    listing = client.get("/admin/catalog/searchlog/")
    assert listing.status_code == 200 and "kuntosali" in listing.content.decode()
    log = SearchLog.objects.get()
    assert client.post(f"/admin/catalog/searchlog/{log.id}/delete/", {"post": "yes"}).status_code == 403
    assert SearchLog.objects.filter(pk=log.pk).exists()


@pytest.mark.django_db
def test_supply_counts_match_the_catalog_and_mark_gaps(demo_catalog):
    from catalog.models import Municipality, Service, Theme
    from dashboard.stats import supply_stats

    region = Region.objects.get()
    rows = supply_stats(region, PERIOD)["rows"]
    nationwide = [Service.AreaType.NATIONWIDE, Service.AreaType.NATIONWIDE_EXCEPT_ALAND]
    for row in rows[:12]:
        theme = Theme.objects.get(slug=row["theme"])
        municipality = Municipality.objects.get(code=row["municipality"])
        expected = (
            Service.objects.filter(
                is_public=True,
                index_hidden=False,
                index_theme_ids__contains=[theme.id],
                index_municipality_ids__contains=[municipality.id],
            )  # fmt: skip
            .exclude(area_type__in=nationwide)
            .count()
        )
        assert row["services"] == expected and row["gap"] is (expected == 0)
    assert len(rows) == Theme.objects.count() * Municipality.objects.filter(region=region).count()


def test_bar_chart_leaves_room_for_the_longest_value_text():
    from dashboard.charts import Bar, bar_chart

    bars = [Bar("Kiuruvesi", 32.4, "32,4 (2024)"), Bar("Kuopio", 26.7, "26,7 (2024)"), Bar("Pieni", None, "< 5")]
    chart = bar_chart(bars)
    longest = max(chart["rows"], key=lambda r: r["length"])
    # 13 px text is at most ~8 px a character: the value written after the longest bar stays inside the SVG.
    assert longest["text_x"] + 8 * len(longest["text"]) <= chart["width"]
    assert longest["length"] > 200  # the bars still use most of the width
    assert chart["rows"][2]["hidden"] and chart["rows"][2]["length"] == 0
