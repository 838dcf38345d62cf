"""`make bench` (second part): the leadership dashboard at a year of data for a 250,000-resident region.

Generates, in the bench database (`tarmoa_bench`, see scripts/bench.py), a year of
synthetic statistics rows tagged so they can be replaced: survey answers, search log
lines and referrals with their status events. Then times each statistic and the whole
dashboard page rendered for a manager (median and worst of several runs). Figures are
printed, never asserted. BENCH_DASHBOARD_SCALE (default 1.0) scales the volumes.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SCALE = float(os.environ.get("BENCH_DASHBOARD_SCALE", "1.0"))
# A 250,000-resident region over a year: ~8 % answer the survey, ~550 searches a day,
# ~3,000 referrals with 2-4 status changes each.
SURVEY_ANSWERS = int(20_000 * SCALE)
SEARCHES = int(200_000 * SCALE)
REFERRALS = int(3_000 * SCALE)
MARK = "bench-dashboard"  # the note and query marker of generated rows
RUNS = 5


def _generate() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from catalog.models import Municipality, Region, SearchLog
    from catalog.services import region_setup
    from guidance.models import Referral, ReferralEvent
    from survey.card import AGE_BANDS, CARD
    from survey.models import SurveyResponse
    from survey.services import week_start

    region = Region.objects.order_by("id").first() or region_setup()
    codes = list(Municipality.objects.filter(region=region).values_list("code", flat=True)) or ["297"]
    weights = [8 if code == "297" else 1 for code in codes]  # one big town, smaller ones around it
    rng = random.Random(42)
    now = timezone.now()
    bands = [key for key, _ in AGE_BANDS]
    themes = [t.key for t in CARD]
    with transaction.atomic():
        SurveyResponse.objects.filter(scores__has_key="bench").delete()
        SearchLog.objects.filter(query__startswith=MARK).delete()
        Referral.objects.filter(note=MARK).delete()
        SurveyResponse.objects.bulk_create(
            [
                SurveyResponse(
                    municipality=rng.choices(codes, weights)[0],
                    age_band=rng.choice(bands),
                    week=week_start((now - timedelta(days=rng.randrange(365))).date()),
                    scores={"bench": 1, **{t: rng.choice([None, 0, 17, 33, 50, 67, 83, 100]) for t in themes}},
                )
                for _ in range(SURVEY_ANSWERS)
            ],
            batch_size=5000,
        )
        slugs = ["yhteisollisyys", "luonto", "liikunta", "kulttuuri", "toimeentulo", "ohjaus", "ravitsemus", "mieli"]
        SearchLog.objects.bulk_create(
            [
                SearchLog(
                    query=f"{MARK} {rng.randrange(3000)}",
                    language=rng.choices(["fi", "sv", "en"], [90, 6, 4])[0],
                    filters={
                        "themes": rng.sample(slugs, rng.choice([0, 0, 1, 1, 2])),
                        "municipality": rng.choice(["", *codes]),
                    },  # fmt: skip
                    result_count=rng.choice([0, 3, 12, 40]),
                    hour=(now - timedelta(hours=rng.randrange(365 * 24))).replace(minute=0, second=0, microsecond=0),
                )
                for _ in range(SEARCHES)
            ],
            batch_size=5000,
        )
        municipalities = list(Municipality.objects.filter(region=region))
        referrals = Referral.objects.bulk_create(
            [
                Referral(
                    kind=rng.choice(["liikunta", "kulttuuri", "hyvinvointi"]),
                    region=region,
                    municipality=rng.choice(municipalities) if municipalities else None,
                    contact_preference="none",
                    note=MARK,
                    consent_at=now,
                )  # fmt: skip
                for _ in range(REFERRALS)
            ],
            batch_size=2000,
        )
        chains = [["sent"], ["sent", "received"], ["sent", "received", "contacted", "started"],
                  ["sent", "received", "contacted", "started", "completed"], ["sent", "could_not_contact"]]  # fmt: skip
        ReferralEvent.objects.bulk_create(
            [
                ReferralEvent(referral=r, status=s, actor="receiver" if s != "sent" else "professional")
                for r in referrals
                for s in rng.choice(chains)
            ],  # fmt: skip
            batch_size=5000,
        )
        created = now - timedelta(days=1)
        with connection.cursor() as cursor:  # spread the referrals over the year
            cursor.execute(
                "update guidance_referral set created = %s - (random() * interval '364 days') where note = %s",
                [created, MARK],
            )
        connection.cursor().execute("analyze")


def _time(label: str, work) -> None:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    print(f"  {label:<34} median {statistics.median(times):7.1f} ms   worst {max(times):7.1f} ms")


def _page(client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def _timings(label: str, year, region, client) -> None:
    from dashboard.stats import referral_stats, search_stats, supply_stats, survey_stats

    print(label)
    _time("need (survey aggregates)", lambda: survey_stats(year))
    _time("demand (searches, unmet needs)", lambda: search_stats(year))
    _time("outcomes (referrals)", lambda: referral_stats(year, region))
    _time("supply (services, events)", lambda: supply_stats(region, year))
    _time("whole page, a year, whole region", _page(client, "/ammattilainen/johto/"))
    _time("whole page, one municipality", _page(client, "/ammattilainen/johto/?municipality=297"))


def main() -> None:
    from bench import _django, ensure_database

    # The bench signs a manager in without a second factor (the page, not the login, is measured).
    os.environ.setdefault("TARMOA_REQUIRE_2FA", "0")
    ensure_database()
    _django()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from accounts.services import user_upsert
    from catalog.models import Region
    from dashboard.models import RollupState
    from dashboard.rollups import rollups_refresh
    from dashboard.stats import StatsFilter, stats_warm

    started = time.perf_counter()
    _generate()
    print(
        f"dashboard data: {SURVEY_ANSWERS:,} survey answers, {SEARCHES:,} searches, {REFERRALS:,} referrals "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    region = Region.objects.order_by("id").first()
    today = timezone.localdate()
    year = StatsFilter(start=today - timedelta(days=364), end=today)
    setup_test_environment()
    user, _ = user_upsert(username="bench-johtaja", role="manager", region=region)
    client = Client()
    client.force_login(User.objects.get(pk=user.pk))
    RollupState.objects.all().delete()  # no roll-up yet: everything read from the source rows
    _timings("without roll-ups (source rows only):", year, region, client)
    started = time.perf_counter()
    counts = rollups_refresh()
    job = time.perf_counter() - started
    stats_warm()
    print(
        f"roll-up job: {job:.1f} s, cache warm-up {time.perf_counter() - started - job:.1f} s -> "
        f"{counts['search_weeks']:,} search, "
        f"{counts['unmet_weeks']:,} unmet-need and {counts['survey_weeks']:,} survey rows"
    )
    _timings("with the weekly roll-ups (this week live):", year, region, client)
    print("  (target: the page in under 300 ms)")


if __name__ == "__main__":
    main()
