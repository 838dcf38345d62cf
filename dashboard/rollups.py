"""Weekly roll-ups of the search log and the survey, so the dashboard reads thousands of rows, not 200,000.

Why weekly: a year of a 250,000-resident region is ~200,000 search log lines and ~20,000
survey answers (160,000 theme scores). Per day x municipality x language x theme list the
search log barely shrinks (~74,000 rows in `make bench`); per week it is ~26,000.

What is kept (dashboard.models):
- SearchWeek: per complete week (Monday, in the database session's time zone like the
  direct query), the municipality filter, language and theme list (an array's elements
  sorted: the same members for the `?` filter and the same theme key), searches and clicks;
- UnmetWeek: zero-result searches per week, the same filter keys and lower-cased query;
- SurveyWeek: per answer week, municipality, age band and card theme the answer count,
  the sum of scores and how many were below FLAG_BELOW.

Every complete week up to `RollupState.through` is in a roll-up; what is newer (this week,
so today too) is read live from the source tables, and so are the partial weeks at the
edges of a period that does not start on a Monday or end on a Sunday. The statistics are
therefore exactly those of the direct queries on the source rows (a test compares them).

`rollups_refresh()` rebuilds both in one transaction from scratch (a few seconds nightly):
idempotent, and deletions in the source (the search log's retention purge) disappear from
the roll-ups too. Celery beat runs it daily after that purge; `manage.py refresh_rollups`
does the same by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from survey.card import FLAG_BELOW
from survey.services import week_start

SEARCHES, SURVEY = "searches", "survey"

# An array of themes with its elements sorted; anything else as it was stored.
_THEMES = (
    "(case when jsonb_typeof(t.themes) = 'array' then (select coalesce(jsonb_agg(e order by e), '[]'::jsonb) "
    "from jsonb_array_elements(t.themes) e) else t.themes end)"
)
_SEARCH_BUILD = f"""
insert into dashboard_searchweek (week, municipality, language, themes, searches, clicks)
select date_trunc('week', l.hour)::date, coalesce(l.filters->>'municipality', ''), l.language, {_THEMES},
       count(*), count(l.clicked_service_id)
from catalog_searchlog l, lateral (select coalesce(l.filters->'themes', '[]'::jsonb) as themes) t
where l.hour < %s
group by 1, 2, 3, 4
"""  # noqa: S608 (fixed SQL, values as parameters)
_UNMET_BUILD = f"""
insert into dashboard_unmetweek (week, municipality, language, themes, query, searches)
select date_trunc('week', l.hour)::date, coalesce(l.filters->>'municipality', ''), l.language, {_THEMES},
       lower(l.query), count(*)
from catalog_searchlog l, lateral (select coalesce(l.filters->'themes', '[]'::jsonb) as themes) t
where l.result_count = 0 and l.query <> '' and l.hour < %s
group by 1, 2, 3, 4, 5
"""  # noqa: S608
_SURVEY_BUILD = """
insert into dashboard_surveyweek (week, municipality, age_band, theme, responses, total, low)
select r.week, r.municipality, r.age_band, s.key, count(*), sum(s.value::numeric),
       sum(case when s.value::numeric < %s then 1 else 0 end)
from survey_surveyresponse r, jsonb_each_text(r.scores) s
where s.value is not null and r.week < %s
group by 1, 2, 3, 4
"""


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def rollups_refresh(*, today: dt.date | None = None) -> dict:
    """Rebuild the weekly roll-ups of every complete week before `today`'s; returns row counts."""
    from dashboard.models import RollupState, SearchWeek, SurveyWeek, UnmetWeek

    # The search log's days are those of the session time zone (UTC), the survey's weeks local Mondays.
    search_cutoff = _monday(today or timezone.now().astimezone(dt.UTC).date())
    survey_cutoff = week_start(today)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        # Serialise concurrent runs (beat and a hand-run command) on the state table.
        cursor.execute("lock table dashboard_rollupstate in exclusive mode")
        cursor.execute("delete from dashboard_searchweek")
        cursor.execute("delete from dashboard_unmetweek")
        cursor.execute("delete from dashboard_surveyweek")
        cursor.execute(_SEARCH_BUILD, [search_cutoff])
        cursor.execute(_UNMET_BUILD, [search_cutoff])
        cursor.execute(_SURVEY_BUILD, [FLAG_BELOW, survey_cutoff])
        for name, cutoff in ((SEARCHES, search_cutoff), (SURVEY, survey_cutoff)):
            RollupState.objects.update_or_create(
                name=name, defaults={"through": cutoff - dt.timedelta(days=1), "refreshed": now}
            )
    return {
        "search_weeks": SearchWeek.objects.count(),
        "unmet_weeks": UnmetWeek.objects.count(),
        "survey_weeks": SurveyWeek.objects.count(),
        "through": (search_cutoff - dt.timedelta(days=1)).isoformat(),
    }


def rollup_through(name: str) -> dt.date | None:
    """The last day a roll-up holds (a Sunday), or None before its first run."""
    from dashboard.models import RollupState

    return RollupState.objects.filter(name=name).values_list("through", flat=True).first()


@dataclass(frozen=True)
class WeekSpan:
    """The complete weeks [first, last] (Mondays) of a period read from a roll-up; None: none."""

    first: dt.date
    last: dt.date

    @property
    def after(self) -> dt.date:
        return self.last + dt.timedelta(days=7)


def week_span(start: dt.date, end: dt.date, through: dt.date | None) -> WeekSpan | None:
    """The weeks wholly inside [start, end] and already rolled up (ending on or before `through`)."""
    if through is None:
        return None
    first = _monday(start + dt.timedelta(days=6))  # the first Monday on or after start
    upto = min(end, through)
    last = _monday(upto + dt.timedelta(days=1)) - dt.timedelta(days=7)  # the last week ending by upto
    return WeekSpan(first, last) if last >= first else None


# --- reading: the rolled-up part of a period, cached until the next run ---------------------
_SEARCH_READ = """
select grouping(w.week), grouping(theme), grouping(w.municipality), grouping(w.language), w.week::text, theme,
       w.municipality, w.language, coalesce(sum(w.searches), 0), coalesce(sum(w.clicks), 0)
from dashboard_searchweek w, lateral (select coalesce(w.themes #>> '{{}}', '[]') as theme) t
where w.week between %s and %s {extra}
group by grouping sets ((), (w.week), (theme), (w.municipality), (w.language))
"""  # noqa: S608 (fixed SQL fragments, values as parameters)
_UNMET_READ = (
    "select w.query, sum(w.searches) from dashboard_unmetweek w where w.week between %s and %s {extra} group by 1"
)
_SURVEY_READ = """
select grouping(w.municipality), grouping(w.age_band), coalesce(nullif(w.municipality, ''), %s),
       coalesce(nullif(w.age_band, ''), %s), w.theme, sum(w.responses), sum(w.total), sum(w.low)
from dashboard_surveyweek w
where w.week between %s and %s and w.week <= %s {extra}
group by grouping sets ((w.municipality, w.age_band, w.theme), (w.municipality, w.theme), (w.age_band, w.theme),
                        (w.theme))
"""  # noqa: S608
CACHE_SECONDS = 36 * 3600  # a run replaces the key anyway (it names the run)


def rollup_state(name: str) -> tuple[dt.date, dt.datetime] | None:
    """(through, refreshed) of a roll-up, or None before its first run."""
    from dashboard.models import RollupState

    return RollupState.objects.filter(name=name).values_list("through", "refreshed").first()


def _cached(name: str, refreshed: dt.datetime, sql: str, params: list) -> list[tuple]:
    """The rows of a query on a roll-up table, cached per run: the tables change only when a run does."""
    import hashlib

    from django.core.cache import cache

    key = "dashboard:rollup:" + hashlib.sha256(repr((name, refreshed.isoformat(), sql, params)).encode()).hexdigest()
    rows = cache.get(key)
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def search_rollup_rows(span: WeekSpan, refreshed: dt.datetime, extra_w: str, values: list) -> list[tuple]:
    """Grouping-set rows (as the direct search query gives them) of the rolled-up weeks."""
    return _cached(SEARCHES, refreshed, _SEARCH_READ.format(extra=extra_w), [span.first, span.last, *values])


def unmet_rollup_counts(span: WeekSpan, refreshed: dt.datetime, extra_w: str, values: list) -> list[tuple]:
    """(lower-cased query, zero-result searches) of the rolled-up weeks."""
    return _cached(SEARCHES, refreshed, _UNMET_READ.format(extra=extra_w), [span.first, span.last, *values])


def survey_rollup_rows(
    start: dt.date, end: dt.date, through: dt.date, refreshed: dt.datetime, unknown: str, extra_w: str, values: list
) -> list[tuple]:
    """Grouping-set rows (count, sum of scores, low count) of the rolled-up answer weeks."""
    params = [unknown, unknown, start, end, through, *values]
    return _cached(SURVEY, refreshed, _SURVEY_READ.format(extra=extra_w), params)
