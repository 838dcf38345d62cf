"""The weekly roll-ups: the same statistics as the direct queries, an idempotent job, today's rows at once."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import SearchLog, Service
from dashboard.models import RollupState, SearchWeek, SurveyWeek, UnmetWeek
from dashboard.rollups import SEARCHES, rollup_through, rollups_refresh, week_span
from dashboard.stats import StatsFilter, search_stats, survey_stats
from survey.models import SurveyResponse
from survey.services import week_start

THEME_LISTS = [["liikunta"], ["mieli", "liikunta"], ["liikunta", "mieli"], [], ["kulttuuri"], "liikunta", None]


def _data(days: int = 90, searches: int = 900, answers: int = 400) -> None:
    rng = random.Random(14)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    service = Service.objects.filter(is_public=True).first()
    logs = []
    for _ in range(searches):
        filters: dict = {}
        themes = rng.choice(THEME_LISTS)
        if themes is not None or rng.random() < 0.5:
            filters["themes"] = themes
        municipality = rng.choice(["297", "297", "749", "", None])
        if municipality is not None:
            filters["municipality"] = municipality
        found = rng.choice([0, 0, 3, 12])
        logs.append(SearchLog(
            query=rng.choice(["kuntosali", "koiran rokotus", "Koiran Rokotus", "sählyvuoro", "x"]),
            language=rng.choice(["fi", "fi", "fi", "sv", "en"]), filters=filters, result_count=found,
            clicked_service=service if found and rng.random() < 0.4 else None,
            hour=now - timedelta(hours=rng.randrange(days * 24)),
        ))  # fmt: skip
    SearchLog.objects.bulk_create(logs)
    bands = ["", "18-29", "30-44", "65-74"]
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            municipality=rng.choice(["297", "297", "749", "140", ""]),
            age_band=rng.choice(bands),
            week=week_start((now - timedelta(days=rng.randrange(days))).date()),
            scores={t: rng.choice([None, 0, 17, 33, 50, 67, 83, 100]) for t in ("liikunta", "mieli", "uni")},
        )  # fmt: skip
        for _ in range(answers)
    )


def _filters() -> list[StatsFilter]:
    today = timezone.now().date()
    wednesday = today - timedelta(days=today.weekday() + 54)  # a Wednesday eight weeks back
    return [
        StatsFilter(start=today - timedelta(days=364), end=today),
        StatsFilter(start=wednesday, end=today - timedelta(days=today.weekday() + 3)),  # both edges mid-week
        StatsFilter(start=wednesday, end=today, municipality="297"),
        StatsFilter(start=today - timedelta(days=100), end=today, theme="liikunta"),
        StatsFilter(start=today - timedelta(days=100), end=today, language="sv", municipality="749", theme="mieli"),
        StatsFilter(start=today - timedelta(days=30), end=today - timedelta(days=10), theme="uni"),
        StatsFilter(start=today - timedelta(days=3), end=today),
    ]


@pytest.mark.django_db
def test_rollups_give_exactly_the_direct_statistics(demo_catalog):
    _data()
    rollups_refresh()
    assert SearchWeek.objects.count() > 50 and UnmetWeek.objects.exists() and SurveyWeek.objects.exists()
    assert SearchWeek.objects.count() < SearchLog.objects.count()
    for f in _filters():
        assert search_stats(f) == search_stats(f, rollups=False), f
        assert survey_stats(f) == survey_stats(f, rollups=False), f
    year = _filters()[0]
    assert week_span(year.start, year.end, rollup_through(SEARCHES)) is not None  # the roll-ups were read
    stats = search_stats(year)
    assert stats["total"] == SearchLog.objects.count()
    assert {"query": "koiran rokotus", "count": SearchLog.objects.filter(
        query__iexact="koiran rokotus", result_count=0).count()} in stats["unmet"]  # fmt: skip
    # Suppression runs on the same numbers: a small group is hidden on both paths alike.
    rows = survey_stats(year)["rows"]
    assert any(r["suppressed"] for r in rows) and any(not r["suppressed"] for r in rows)


@pytest.mark.django_db
def test_the_job_is_idempotent_and_follows_deletions(demo_catalog):
    _data(days=40, searches=300, answers=120)

    def snapshot():
        return (
            sorted(SearchWeek.objects.values_list("week", "municipality", "language", "searches", "clicks")),
            sorted(UnmetWeek.objects.values_list("week", "query", "searches")),
            sorted(SurveyWeek.objects.values_list("week", "municipality", "age_band", "theme", "responses", "low")),
            sorted(RollupState.objects.values_list("name", "through")),
        )

    out = io.StringIO()
    call_command("refresh_rollups", stdout=out)
    first = snapshot()
    assert "Roll-ups through" in out.getvalue() and "default views cached" in out.getvalue()
    rollups_refresh()
    assert snapshot() == first
    from dashboard.tasks import refresh_rollups

    assert refresh_rollups()["search_weeks"] == SearchWeek.objects.count()  # the daily job, run in-process
    assert snapshot()[:3] == first[:3]
    # A purge of old log lines (the retention job) leaves the roll-ups at the next run.
    SearchLog.objects.filter(hour__lt=timezone.now() - timedelta(days=20)).delete()
    rollups_refresh()
    f = _filters()[0]
    assert search_stats(f) == search_stats(f, rollups=False)


@pytest.mark.django_db
def test_todays_rows_count_before_the_job_runs(demo_catalog):
    _data(days=30, searches=200, answers=80)
    rollups_refresh()
    f = _filters()[0]
    before_searches, before_survey = search_stats(f), survey_stats(f)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for _ in range(6):
        SearchLog.objects.create(query="avantouinti tänään", language="fi", filters={"municipality": "297"},
                                 result_count=0, hour=now)  # fmt: skip
        SurveyResponse.objects.create(municipality="297", age_band="30-44", week=week_start(), scores={"mieli": 10})
    after = search_stats(f)
    assert after["total"] == before_searches["total"] + 6
    assert {"query": "avantouinti tänään", "count": 6} in after["unmet"]
    totals = {r["theme"]: r for r in survey_stats(f)["rows"] if not r["municipality"] and not r["age_band"]}
    old = {r["theme"]: r for r in before_survey["rows"] if not r["municipality"] and not r["age_band"]}
    assert totals["mieli"]["responses"] == old["mieli"]["responses"] + 6
    assert after == search_stats(f, rollups=False)


@pytest.mark.django_db
def test_without_a_run_everything_is_read_live():
    SearchLog.objects.create(query="kuntosali", language="fi", filters={}, result_count=3, hour=timezone.now())
    f = _filters()[0]
    assert rollup_through(SEARCHES) is None
    assert search_stats(f) == search_stats(f, rollups=False)
    assert week_span(f.start, f.end, None) is None


@pytest.mark.django_db
def test_referral_tallies_match_a_count_of_the_rows():
    """The one-statement referral statistics against a plain count over the ORM rows."""
    from catalog.models import Municipality, Region
    from guidance.models import Referral, ReferralEvent

    rng = random.Random(3)
    region = Region.objects.create(code="vertailu", name_fi="Vertailu")
    municipalities = [Municipality.objects.create(code=c, name_fi=c, region=region) for c in ("901", "902")]
    chains = [[], [("sent", "professional")], [("received", "receiver"), ("contacted", "receiver")],
              [("started", "client")], [("completed", "receiver")]]  # fmt: skip
    for _ in range(60):
        referral = Referral.objects.create(
            kind=rng.choice(["liikunta", "kulttuuri", "hyvinvointi"]), region=region,
            municipality=rng.choice([*municipalities, None]), contact_preference="none", consent_at=timezone.now(),
        )  # fmt: skip
        Referral.objects.filter(pk=referral.pk).update(created=timezone.now() - timedelta(days=rng.randrange(200)))
        for status, actor in rng.choice(chains):
            ReferralEvent.objects.create(referral=referral, status=status, actor=actor)
    f = _filters()[0]
    from dashboard.stats import referral_stats

    rows = {(r["dimension"], r["value"]): r for r in referral_stats(f, region)["rows"]}
    expected: dict[tuple, list[int]] = {}
    for referral in Referral.objects.filter(region=region).prefetch_related("events").select_related("municipality"):
        statuses = {e.status for e in referral.events.all()}
        actors = {e.actor for e in referral.events.all()}
        marks = ["received" in statuses, "contacted" in statuses, bool(statuses & {"started", "completed"}),
                 "completed" in statuses, bool(actors & {"receiver", "client"})]  # fmt: skip
        month = timezone.localtime(referral.created).strftime("%Y-%m")
        code = referral.municipality.code if referral.municipality else ""
        for key in (("total", ""), ("kind", referral.kind), ("municipality", code), ("month", month)):
            tally = expected.setdefault(key, [0] * 6)
            tally[0] += 1
            for i, mark in enumerate(marks, start=1):
                tally[i] += mark
    assert set(rows) == set(expected)
    for key, (n, received, contacted, started, completed, answered) in expected.items():
        row = rows[key]
        if row["suppressed"]:
            continue
        assert row["referrals"] == n
        assert row["received_share"] == round(received / n, 3) and row["contacted_share"] == round(contacted / n, 3)
        assert row["got_there_rate"] == round(started / n, 3) and row["completed_share"] == round(completed / n, 3)
        assert row["closed_loop_rate"] == round(answered / n, 3)
    assert rows[("total", "")]["referrals"] == 60


@pytest.mark.django_db
def test_the_unmet_list_cuts_at_50_with_ties_in_the_database_order():
    rng = random.Random(50)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    SearchLog.objects.bulk_create(
        SearchLog(
            query=f"Haku {i:02d} Ä",
            language="fi",
            filters={},
            result_count=0,
            hour=now - timedelta(hours=rng.randrange(60 * 24)),
        )  # fmt: skip
        for i in range(70)
        for _ in range(rng.choice([4, 5, 5, 6, 7]))
    )
    rollups_refresh()
    f = _filters()[0]
    unmet = search_stats(f)["unmet"]
    assert len(unmet) == 50 and all(item["count"] >= 5 for item in unmet)
    assert unmet == search_stats(f, rollups=False)["unmet"]
    from django.db import connection

    with connection.cursor() as cursor:  # the list as one plain query gives it
        cursor.execute(
            "select lower(query), count(*) from catalog_searchlog where result_count = 0 and query <> '' "
            "and hour >= %s and hour < %s::date + 1 group by 1 having count(*) >= 5 order by 2 desc, 1 limit 50",
            [f.start, f.end],
        )
        assert unmet == [{"query": q, "count": n} for q, n in cursor.fetchall()]


def test_the_rollup_job_runs_daily_after_the_search_log_purge():
    from tarmoa.celery import app

    schedules = {e["task"]: e["schedule"] for e in app.conf.beat_schedule.values()}
    rollup, purge = schedules["dashboard.tasks.refresh_rollups"], schedules["catalog.tasks.purge_search_log"]
    assert len(rollup.hour) == 1 and len(rollup.day_of_week) == 7  # once a day, every day
    assert (min(rollup.hour), min(rollup.minute)) > (min(purge.hour), min(purge.minute))
