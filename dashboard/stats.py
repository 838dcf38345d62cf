"""The dashboard's statistics: need (survey), demand (searches), supply and outcomes (referrals).

Every function returns rows already passed through small-cell suppression
(dashboard.privacy); the page, the CSV files and the API all read these same rows, so a
number hidden in one is hidden in all. No row-level answer, log line or referral contact
ever leaves this module.

Searches and survey answers are counted from the weekly roll-ups (dashboard.rollups) plus
the rows newer than the last run; `rollups=False` counts the source rows alone, the same
numbers (tests compare the two), for tests and the bench.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection

from catalog.models import Municipality, Region, Service, Theme
from dashboard.models import Population
from dashboard.privacy import Cell, min_cell, suppress
from dashboard.rollups import (
    SEARCHES,
    SURVEY,
    rollup_state,
    search_rollup_rows,
    survey_rollup_rows,
    unmet_rollup_counts,
    week_span,
)
from guidance.models import Shortlist
from survey.card import CARD, FLAG_BELOW

UNKNOWN = "?"


@dataclass(frozen=True)
class StatsFilter:
    start: date
    end: date  # inclusive
    municipality: str = ""  # a code of the region, or "" for all
    theme: str = ""  # a survey card theme key / catalog theme slug, or ""
    language: str = ""  # searches only


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- need: the wellbeing survey ---------------------------------------------------------
_SURVEY_SQL = """
select grouping(r.municipality) as all_m, grouping(r.age_band) as all_a,
       coalesce(nullif(r.municipality, ''), %s), coalesce(nullif(r.age_band, ''), %s), s.key,
       count(*), sum(s.value::numeric), sum(case when s.value::numeric < %s then 1 else 0 end)
from survey_surveyresponse r, jsonb_each_text(r.scores) s
where s.value is not null and r.week between %s and %s {extra}
group by grouping sets ((r.municipality, r.age_band, s.key), (r.municipality, s.key), (r.age_band, s.key), (s.key))
"""


def _survey_rows(f: StatsFilter, rollups: bool) -> list[tuple]:
    """(all municipalities?, all age bands?, municipality, age band, theme, count, sum of scores, low count)
    per group: the rolled-up weeks (cached per run) and the newer answers, or the answers alone. The
    same group may come twice (once from each part); the caller adds them up."""
    extra = extra_w = ""
    values = []
    for value, on_answers, on_rollup in ((f.theme, " and s.key = %s", " and w.theme = %s"),
                                         (f.municipality, " and r.municipality = %s", " and w.municipality = %s")):  # fmt: skip
        if value:
            extra, extra_w = extra + on_answers, extra_w + on_rollup
            values.append(value)
    state = rollup_state(SURVEY) if rollups else None
    if state is None:
        return _fetch(_SURVEY_SQL.format(extra=extra), [UNKNOWN, UNKNOWN, FLAG_BELOW, f.start, f.end, *values])
    through, refreshed = state
    rolled = survey_rollup_rows(f.start, f.end, through, refreshed, UNKNOWN, extra_w, values)
    live = _fetch(_SURVEY_SQL.format(extra=" and r.week > %s" + extra),
                  [UNKNOWN, UNKNOWN, FLAG_BELOW, f.start, f.end, through, *values])  # fmt: skip
    return [*rolled, *live]


def survey_stats(f: StatsFilter, *, rollups: bool = True) -> dict:
    """Per card theme the mean score (0-100) and the share below the flag limit, by municipality and
    age band, with the response count. Totals have "" as municipality and/or age band."""
    cells: dict[tuple, Cell] = {}
    sums: dict[tuple, tuple[Decimal, int]] = {}
    for all_m, all_a, municipality, age_band, theme, count, total, low in _survey_rows(f, rollups):
        key = ("" if all_m else municipality, "" if all_a else age_band, theme)
        cells.setdefault(key, Cell(key, 0)).count += count
        before = sums.get(key, (Decimal(0), 0))
        sums[key] = (before[0] + total, before[1] + int(low))
    municipalities = sorted({k[0] for k in cells if k[0]})
    bands = sorted({k[1] for k in cells if k[1]})
    themes = sorted({k[2] for k in cells})
    groups = []
    for t in themes:
        groups.append((("", "", t), [(m, "", t) for m in municipalities]))
        groups.append((("", "", t), [("", a, t) for a in bands]))
        groups += [((m, "", t), [(m, a, t) for a in bands]) for m in municipalities]
        groups += [(("", a, t), [(m, a, t) for m in municipalities]) for a in bands]
    suppress(cells, groups, always_hidden=[k for k in cells if UNKNOWN in k[:2]])
    order = {t.key: i for i, t in enumerate(CARD)}
    rows = []
    for key, cell in sorted(cells.items(), key=lambda kv: (order.get(kv[0][2], 99), kv[0][2], kv[0][0], kv[0][1])):
        if UNKNOWN in key[:2]:
            continue
        total, low = sums[key]
        mean = float(total / cell.count) if cell.count else 0.0
        rows.append(
            {
                "municipality": key[0],
                "age_band": key[1],
                "theme": key[2],
                "responses": None if cell.suppressed else cell.count,
                "mean": None if cell.suppressed else round(mean, 1),
                "low_share": None if cell.suppressed else round(low / cell.count, 3),
                "suppressed": cell.suppressed,
            }
        )
    return {"k": min_cell(), "rows": rows}


# --- demand: searches -------------------------------------------------------------------
DIMENSIONS = ("week", "theme", "municipality", "language")
_SEARCH_SQL = """
with logs as (
  select date_trunc('week', l.hour)::date::text as week, coalesce(l.filters->>'municipality', '') as municipality,
         l.language, l.clicked_service_id, coalesce(l.filters->>'themes', '[]') as theme
  from catalog_searchlog l
  where {period} {extra}
)
select grouping(week), grouping(theme), grouping(municipality), grouping(language), week, theme, municipality,
       language, count(*), count(clicked_service_id)
from logs group by grouping sets ((), (week), (theme), (municipality), (language))
"""


def _theme_key(text: str | None) -> str | None:
    """The themes a search was limited to, as stored (a JSON list), -> "liikunta,mieli" ("" for none)."""
    if text is None:
        return None
    try:
        themes = json.loads(text)
    except ValueError:
        return ""
    return ",".join(sorted(t for t in themes if isinstance(t, str))) if isinstance(themes, list) else ""


_UNMET_SQL = """
select lower(l.query), count(*) from catalog_searchlog l
where l.result_count = 0 and l.query <> '' and {period} {extra} group by 1
"""
# The final order in the database's collation, as a direct `order by count desc, query` would give it.
_UNMET_ORDER = "select q, n from unnest(%s::text[], %s::bigint[]) as unmet(q, n) order by 2 desc, 1 limit 50"


def _unmet_top(counts: dict[str, int], k: int) -> list[tuple]:
    """The 50 most asked queries asked at least k times, ties in the database's order."""
    asked = sorted((n for n in counts.values() if n >= k), reverse=True)
    if not asked:
        return []
    floor = asked[min(len(asked), 50) - 1]  # every query tied with the 50th may still make the list
    top = [(q, n) for q, n in counts.items() if n >= max(floor, k)]
    return _fetch(_UNMET_ORDER, [[q for q, _ in top], [n for _, n in top]])


def _search_filters(f: StatsFilter) -> tuple[str, str, list]:
    """The filter as SQL on the log (l) and on the roll-ups (w), and its values (fixed fragments only)."""
    extra = extra_w = ""
    values = []
    for value, on_log, on_rollup in (
        (f.language, " and l.language = %s", " and w.language = %s"),
        (f.municipality, " and l.filters->>'municipality' = %s", " and w.municipality = %s"),
        (f.theme, " and l.filters->'themes' ? %s", " and w.themes ? %s"),
    ):
        if value:
            extra, extra_w = extra + on_log, extra_w + on_rollup
            values.append(value)
    return extra, extra_w, values


def _search_rows(f: StatsFilter, k: int, rollups: bool) -> tuple[list[tuple], list[tuple]]:
    """The grouping-set rows of the period's searches (a group may come once from each part: the caller
    adds them up) and its (query, count) unmet needs: the complete weeks from the roll-ups (cached per
    run), the rest (the edges of the period, this week) from the log; or everything from the log."""
    extra, extra_w, values = _search_filters(f)
    state = rollup_state(SEARCHES) if rollups else None
    span = week_span(f.start, f.end, state[0]) if state else None
    period, period_params = "l.hour >= %s and l.hour < %s::date + 1", [f.start, f.end]
    rolled_rows: list[tuple] = []
    rolled_unmet: list[tuple] = []
    if span is not None:
        # The log outside the rolled-up weeks: [start, first Monday) and [the Monday after, end].
        period = "((l.hour >= %s and l.hour < %s) or (l.hour >= %s and l.hour < %s::date + 1))"
        period_params = [f.start, span.first, span.after, f.end]
        rolled_rows = search_rollup_rows(span, state[1], extra_w, values)
        rolled_unmet = unmet_rollup_counts(span, state[1], extra_w, values)
    rows = _fetch(_SEARCH_SQL.format(period=period, extra=extra), [*period_params, *values])
    counts: dict[str, int] = {}
    for query, n in [*rolled_unmet, *_fetch(_UNMET_SQL.format(period=period, extra=extra), [*period_params, *values])]:
        counts[query] = counts.get(query, 0) + int(n)
    return [*rolled_rows, *rows], _unmet_top(counts, k)


def search_stats(f: StatsFilter, *, rollups: bool = True) -> dict:
    """Searches in the period in all and by week, theme, municipality and language (each count below
    k hidden, with complementary suppression against the total), the click-through share, and the
    unmet-need list: queries with no result, shown only when asked at least k times."""
    k = min_cell()
    grouped_rows, unmet_rows = _search_rows(f, k, rollups)
    cells: dict[tuple, Cell] = {}
    clicks: dict[tuple, int] = {}
    for *flags, week, theme, municipality, language, count, clicked in grouped_rows:
        values = dict(zip(DIMENSIONS, (week, _theme_key(theme), municipality, language), strict=True))
        grouped = [d for d, flag in zip(DIMENSIONS, flags, strict=True) if not flag]
        key = (grouped[0], values[grouped[0]]) if grouped else ("total", "")
        # The same themes stored in another order are one group.
        cells.setdefault(key, Cell(key, 0)).count += count
        clicks[key] = clicks.get(key, 0) + clicked
    suppress(cells, [(("total", ""), [c for c in cells if c[0] == d]) for d in DIMENSIONS])
    rows = [
        {"dimension": key[0], "value": key[1], "searches": None if cell.suppressed else cell.count,
         "suppressed": cell.suppressed}
        for key, cell in sorted(cells.items()) if key[0] != "total"
    ]  # fmt: skip
    total = cells.get(("total", ""))
    shown = total is not None and not total.suppressed
    unmet = [{"query": q, "count": int(n)} for q, n in unmet_rows]
    return {
        "k": k,
        "total": total.count if shown else (0 if total is None else None),
        "click_share": round(clicks[("total", "")] / total.count, 3) if shown and total.count else None,
        "rows": rows,
        "unmet": unmet,
    }


# --- outcomes: referrals and shortlists -------------------------------------------------
_REFERRAL_SQL = """
with referrals as (
  select r.kind, coalesce(m.code, '') as municipality,
         to_char(date_trunc('month', r.created at time zone %(tz)s), 'YYYY-MM') as month,
         coalesce(bool_or(e.status = 'received'), false) as received,
         coalesce(bool_or(e.status = 'contacted'), false) as contacted,
         coalesce(bool_or(e.status in ('started', 'completed')), false) as started,
         coalesce(bool_or(e.status = 'completed'), false) as completed,
         coalesce(bool_or(e.actor in ('receiver', 'client')), false) as answered
  from guidance_referral r
  left join catalog_municipality m on m.id = r.municipality_id
  left join guidance_referralevent e on e.referral_id = r.id
  where {region} and r.created >= %(since)s and r.created < %(until)s {extra}
  group by r.id, m.code
)
select grouping(kind), grouping(municipality), grouping(month), kind, municipality, month, count(*),
       count(*) filter (where received), count(*) filter (where contacted), count(*) filter (where started),
       count(*) filter (where completed), count(*) filter (where answered)
from referrals group by grouping sets ((), (kind), (municipality), (month))
"""


def referral_stats(f: StatsFilter, region: Region | None) -> dict:
    """Referrals in all and by kind, municipality and month (counts below k hidden, complementary
    suppression against the total); per cell the shares received, contacted, started and completed,
    the closed-loop rate (a receiver or the client answered) and the got-there rate (started).

    One statement with grouping sets: a year of a large region is thousands of referrals, and
    tallying them row by row in Python cost a third of the page."""
    from django.utils import timezone

    k = min_cell()
    # The local days start..end as a range of times: the same rows as created's local date between
    # them, and one the planner can estimate (a date of an expression made it loop per referral).
    since = timezone.make_aware(datetime.combine(f.start, time.min))
    until = timezone.make_aware(datetime.combine(f.end + timedelta(days=1), time.min))
    params = {"region": region.pk if region else None, "tz": timezone.get_current_timezone_name(),
              "since": since, "until": until, "municipality": f.municipality}  # fmt: skip
    extra = " and m.code = %(municipality)s" if f.municipality else ""
    region_sql = "r.region_id = %(region)s" if region else "r.region_id is null"
    measures = ("received", "contacted", "started", "completed", "answered")
    tally: dict[tuple, list[int]] = {}
    for all_kind, all_municipality, all_month, kind, municipality, month, *counts in _fetch(
        _REFERRAL_SQL.format(region=region_sql, extra=extra), params
    ):
        if not counts[0]:
            continue  # the empty total of a period without referrals
        dimension = [d for d, flag in (("kind", all_kind), ("municipality", all_municipality),
                                       ("month", all_month)) if not flag]  # fmt: skip
        value = {"kind": kind, "municipality": municipality, "month": month}
        tally[(dimension[0], value[dimension[0]]) if dimension else ("total", "")] = list(counts)
    cells = {key: Cell(key, counts[0]) for key, counts in tally.items()}
    suppress(cells, [(("total", ""), [c for c in cells if c[0] == d]) for d in ("kind", "municipality", "month")])
    rows = []
    for key, cell in sorted(cells.items()):
        counts = tally[key]
        hidden = cell.suppressed
        row = {"dimension": key[0], "value": key[1], "referrals": None if hidden else cell.count, "suppressed": hidden}
        for i, name in enumerate(measures, start=1):
            row[f"{name}_share"] = None if hidden or not cell.count else round(counts[i] / cell.count, 3)
        row["closed_loop_rate"] = row.pop("answered_share")
        row["got_there_rate"] = row["started_share"]
        rows.append(row)
    shortlists = Shortlist.objects.filter(region=region, created__date__range=(f.start, f.end)).count()
    return {"k": k, "rows": rows, "shortlists": shortlists if shortlists == 0 or shortlists >= k else None}


# --- supply ----------------------------------------------------------------------------
def supply_stats(region: Region | None, f: StatsFilter) -> dict:
    """Public services and upcoming events per theme x municipality; gaps are themes without a
    service of the municipality's own. Counts of services are public facts: no suppression needed.
    Next to each count the same per 10,000 residents (dashboard.models.Population), None where the
    municipality's population is unknown."""
    municipalities = list(Municipality.objects.filter(region=region).order_by("name_fi"))
    if f.municipality:
        municipalities = [m for m in municipalities if m.code == f.municipality]
    themes = list(Theme.objects.order_by("order"))
    if f.theme:
        themes = [t for t in themes if t.slug == f.theme]
    nationwide = [Service.AreaType.NATIONWIDE, Service.AreaType.NATIONWIDE_EXCEPT_ALAND]
    public = "s.is_public and not s.index_hidden"
    local = dict(((t, m), n) for t, m, n in _fetch(
        f"select t, m, count(*) from catalog_service s, unnest(s.index_theme_ids) t, unnest(s.index_municipality_ids) m "  # noqa: S608
        f"where {public} and not (s.area_type = any(%s)) group by t, m", [nationwide]))  # fmt: skip
    wide = dict(_fetch(
        f"select t, count(*) from catalog_service s, unnest(s.index_theme_ids) t where {public} "  # noqa: S608
        "and s.area_type = any(%s) group by t", [nationwide]))  # fmt: skip
    events = dict(((t, m), n) for t, m, n in _fetch(
        "select et.theme_id, e.municipality_id, count(*) from events_event e join events_event_themes et "
        "on et.event_id = e.id where e.is_public and e.start_time >= %s group by 1, 2", [f.start]))  # fmt: skip
    populations = {p.municipality_code: p for p in Population.objects.filter(
        municipality_code__in=[m.code for m in municipalities])}  # fmt: skip
    rows = []
    for theme in themes:
        for municipality in municipalities:
            services = local.get((theme.id, municipality.id), 0)
            count = events.get((theme.id, municipality.id), 0)
            population = populations.get(municipality.code)
            residents = population.residents if population else None
            rows.append({"theme": theme.slug, "municipality": municipality.code, "services": services,
                         "nationwide_services": wide.get(theme.id, 0), "events": count, "gap": services == 0,
                         "population": residents, "services_per_10000": per_10000(services, residents),
                         "events_per_10000": per_10000(count, residents)})  # fmt: skip
    dates = sorted({p.reference_date for p in populations.values() if p.residents})
    sources = sorted({p.source for p in populations.values() if p.residents})
    return {
        "population_date": dates[-1].isoformat() if dates else None,
        "population_source": "; ".join(sources) or None,
        "rows": rows,
    }


def per_10000(count: int, residents: int | None) -> float | None:
    """A count per 10,000 residents, one decimal; None when the population is unknown."""
    return round(count * 10_000 / residents, 1) if residents else None


def stats_warm() -> int:
    """Fill the roll-up cache for the page's default views (the last year, the whole region and each
    municipality) right after a run, so the first manager of the day does not wait for it."""
    from django.utils import timezone

    end = timezone.localdate()
    codes = ["", *Municipality.objects.exclude(region=None).order_by("code").values_list("code", flat=True)]
    for code in codes:
        f = StatsFilter(start=end - timedelta(days=364), end=end, municipality=code)
        survey_stats(f)
        search_stats(f)
    return len(codes)
