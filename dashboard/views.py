"""The leadership dashboard (/ammattilainen/johto/): need, demand, supply and outcomes side by side.

Managers (and admins) see statistics only, each passed through small-cell suppression; the
same rows feed the charts, the tables, the CSV files and the API.
"""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import ADMIN, MANAGER, has_role, role_required, user_region
from audit.services import audit_record
from catalog.models import Municipality, Theme
from dashboard.charts import Bar, bar_chart
from dashboard.filters import DashboardFilter
from dashboard.indicators import CSV_COLUMNS as INDICATOR_COLUMNS
from dashboard.indicators import indicator_panel, indicator_stats
from dashboard.stats import referral_stats, search_stats, supply_stats, survey_stats
from survey.card import AGE_BANDS, CARD_BY_KEY

PANELS = ("need", "demand", "supply", "outcomes")


def _labels(region) -> dict:
    municipalities = {m.code: m.name_fi for m in Municipality.objects.filter(region=region)}
    themes = {t.slug: t.t("name") for t in Theme.objects.all()}
    themes.update({key: str(t.title) for key, t in CARD_BY_KEY.items()})
    return {"municipality": municipalities, "theme": themes, "age_band": {k: str(v) for k, v in AGE_BANDS if k}}


def _num(value, k: int, digits: int = 0) -> str:
    if value is None:
        return f"< {k}"
    return f"{value:.{digits}f}".replace(".", ",") if digits else str(value)


def _panels(region, f) -> dict:
    labels = _labels(region)
    survey, searches = survey_stats(f), search_stats(f)
    referrals, supply = referral_stats(f, region), supply_stats(region, f)
    k = survey["k"]
    name = {d: (lambda v, d=d: labels[d].get(v, v) or _("ei teemaa")) for d in ("municipality", "theme", "age_band")}
    totals = [r for r in survey["rows"] if not r["age_band"] and not r["municipality"]]
    need_chart = bar_chart([Bar(name["theme"](r["theme"]), r["mean"], _num(r["mean"], k, 1)) for r in totals])
    need_rows = [r for r in survey["rows"] if not (r["municipality"] and r["age_band"])]
    by_theme = [r for r in searches["rows"] if r["dimension"] == "theme"]
    demand_chart = bar_chart([Bar(name["theme"](r["value"]), r["searches"], _num(r["searches"], k)) for r in by_theme])
    supply_by_theme: dict[str, int] = {}
    for row in supply["rows"]:
        supply_by_theme[row["theme"]] = supply_by_theme.get(row["theme"], 0) + row["services"]
    supply_chart = bar_chart([Bar(name["theme"](t), n, str(n)) for t, n in supply_by_theme.items()])
    kinds = [r for r in referrals["rows"] if r["dimension"] == "kind"]
    outcome_chart = bar_chart([Bar(r["value"], r["referrals"], _num(r["referrals"], k)) for r in kinds])
    return {
        "k": k, "labels": labels, "survey": survey, "need_rows": need_rows, "need_chart": need_chart,
        "searches": searches, "demand_chart": demand_chart, "supply": supply, "supply_chart": supply_chart,
        "gaps": [r for r in supply["rows"] if r["gap"]], "referrals": referrals, "outcome_chart": outcome_chart,
        "population_missing": sorted({labels["municipality"].get(r["municipality"], r["municipality"])
                                      for r in supply["rows"] if r["population"] is None}),
    }  # fmt: skip


@role_required(MANAGER)
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    region = user_region(request.user)
    filterset = DashboardFilter(request.GET or None, region=region)
    f = filterset.stats_filter() if request.GET else DashboardFilter({}, region=region).stats_filter()
    context = {"filter": filterset, "query": request.GET.urlencode()}
    if f is None:
        return render(request, "dashboard/page.html", context, status=400)
    context.update(_panels(region, f), period=f)
    context.update(indicator_panel(region, f), can_edit_indicators=has_role(request.user, ADMIN))
    return render(request, "dashboard/page.html", context)


CSV_COLUMNS = {
    "need": ["municipality", "age_band", "theme", "responses", "mean", "low_share", "suppressed"],
    "demand": ["dimension", "value", "searches", "suppressed"],
    "supply": ["theme", "municipality", "services", "nationwide_services", "events", "gap", "population",
               "services_per_10000", "events_per_10000"],
    "outcomes": ["dimension", "value", "referrals", "received_share", "contacted_share", "started_share",
                 "completed_share", "closed_loop_rate", "got_there_rate", "suppressed"],
    "indicators": INDICATOR_COLUMNS,
}  # fmt: skip


@role_required(MANAGER)
@require_GET
def csv_export(request: HttpRequest, panel: str) -> HttpResponse:
    """One panel's rows as CSV (UTF-8 with BOM for Excel): the same suppressed rows as the page."""
    if panel not in CSV_COLUMNS:
        raise Http404
    region = user_region(request.user)
    f = DashboardFilter(request.GET or {}, region=region).stats_filter()
    if f is None:
        return HttpResponse(_("Tarkista rajaukset."), status=400, content_type="text/plain; charset=utf-8")
    rows = {
        "need": lambda: survey_stats(f)["rows"],
        "demand": lambda: search_stats(f)["rows"],
        "supply": lambda: supply_stats(region, f)["rows"],
        "outcomes": lambda: referral_stats(f, region)["rows"],
        "indicators": lambda: indicator_stats(region, f)["rows"],
    }[panel]()
    audit_record(request.user, "export", f"dashboard:{panel}", {"start": str(f.start), "end": str(f.end),
                 "municipality": f.municipality, "theme": f.theme, "language": f.language})  # fmt: skip
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tarmoa-{panel}-{f.start}-{f.end}.csv"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS[panel], extrasaction="ignore", delimiter=";")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return response
