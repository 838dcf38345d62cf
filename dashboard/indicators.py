"""Population indicators (THL Sotkanet) beside the themes: the latest value of each followed
indicator per municipality of the region, with the county and the whole country to compare.

Which indicator feeds which theme is data (ingest.models.Indicator.themes, edited in the
admin). The page panel, its CSV file and GET /api/v1/pro/stats/indicators read the same
rows. The figures are public statistics: no small-cell suppression is needed.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import Region, Theme
from dashboard.charts import Bar, bar_chart
from dashboard.stats import StatsFilter
from ingest.models import Indicator, IndicatorValue
from survey.card import CARD_BY_KEY

SOURCE = "THL, Sotkanet"
LICENCE = "CC BY 4.0"
LEVEL_ORDER = {IndicatorValue.Level.MUNICIPALITY: 0, IndicatorValue.Level.COUNTY: 1, IndicatorValue.Level.COUNTRY: 2}
CSV_COLUMNS = ["theme", "indicator", "title", "municipality", "area_level", "area_name", "year", "gender", "value",
               "unit"]  # fmt: skip


def _theme_slugs(theme: str) -> set[str] | None:
    """The dashboard's theme filter (a survey card key or a catalog theme slug) as catalog slugs."""
    if not theme:
        return None
    card = CARD_BY_KEY.get(theme)
    return set(card.catalog_themes) if card else {theme}


def _latest(values: list[IndicatorValue]) -> list[IndicatorValue]:
    """Per indicator and area the latest year's total, or its male and female values when there is no total."""
    best: dict[tuple[int, int], list[IndicatorValue]] = {}
    for value in values:
        key = (value.indicator_id, value.sotkanet_region)
        best.setdefault(key, []).append(value)
    out = []
    for points in best.values():
        totals = [p for p in points if p.gender == "total"]
        pool = totals or points
        year = max(p.year for p in pool)
        out += sorted((p for p in pool if p.year == year), key=lambda p: p.gender)
    return out


def indicator_stats(region: Region | None, f: StatsFilter, language: str | None = None) -> dict:
    """{"source", "licence", "rows": [{"indicator", "title", "theme", "municipality", "area_level",
    "area_name", "year", "value", "gender", "unit", "decimals"}]}: per theme its indicators' latest values.

    The municipality filter keeps that municipality (the county and the country stay for
    comparison); the theme filter keeps the indicators of its themes. An indicator with no
    theme is listed with theme "" when no theme is chosen.
    """
    language = (language or get_language() or "fi")[:2]
    slugs = _theme_slugs(f.theme)
    codes = set(region.municipality_codes()) if region else set()
    if f.municipality:
        codes &= {f.municipality}
    indicators = list(Indicator.objects.filter(is_active=True).prefetch_related("themes"))
    values = [
        v for v in IndicatorValue.objects.filter(indicator__in=indicators)
        if v.area_level != IndicatorValue.Level.MUNICIPALITY or v.municipality in codes
    ]  # fmt: skip
    latest: dict[int, list[IndicatorValue]] = {}
    for value in _latest(values):
        latest.setdefault(value.indicator_id, []).append(value)
    theme_order = {t.slug: t.order for t in Theme.objects.all()}
    rows = []
    for indicator in indicators:
        themes = [t.slug for t in indicator.themes.all()] or [""]
        if slugs is not None:
            themes = [t for t in themes if t in slugs]
        points = sorted(latest.get(indicator.id, []), key=lambda v: (LEVEL_ORDER[v.area_level], v.area_name, v.gender))
        for theme in themes:
            for v in points:
                rows.append({"indicator": indicator.sotkanet_id, "title": indicator.title(language), "theme": theme,
                             "municipality": v.municipality, "area_level": v.area_level, "area_name": v.area_name,
                             "year": v.year, "value": v.value, "gender": v.gender, "unit": indicator.unit(language),
                             "decimals": indicator.decimals})  # fmt: skip
    rows.sort(key=lambda r: (theme_order.get(r["theme"], 99), r["indicator"]))  # stable: areas keep their order
    return {"source": SOURCE, "licence": LICENCE, "rows": rows}


def _text(value: float, decimals: int | None) -> str:
    return f"{value:.{1 if decimals is None else decimals}f}".replace(".", ",")


def _label(row: dict) -> str:
    """A bar's label: the municipality, or the level for the county and the country; the gender when not total."""
    name = row["area_name"] if row["area_level"] == IndicatorValue.Level.MUNICIPALITY else row["level_name"]
    return f"{name}, {row['gender_name']}" if row["gender_name"] else name


def indicator_panel(region: Region | None, f: StatsFilter) -> dict:
    """The page's panel: per theme its indicators, one bar chart each (areas), and the table rows."""
    stats = indicator_stats(region, f)
    themes = {t.slug: t.t("name") for t in Theme.objects.all()}
    genders = {"total": "", "male": _("miehet"), "female": _("naiset")}
    levels = dict(IndicatorValue.Level.choices)
    rows = [{**r, "text": _text(r["value"], r["decimals"]), "theme_name": themes.get(r["theme"], _("ei teemaa")),
             "level_name": levels.get(r["area_level"], r["area_level"]), "gender_name": genders.get(r["gender"], "")}
            for r in stats["rows"]]  # fmt: skip
    groups: list[dict] = []
    for row in rows:
        if not groups or groups[-1]["theme"] != row["theme"]:
            groups.append({"theme": row["theme"], "name": row["theme_name"], "indicators": []})
        charts = groups[-1]["indicators"]
        if not charts or charts[-1]["indicator"] != row["indicator"]:
            charts.append({"indicator": row["indicator"], "title": row["title"], "unit": row["unit"], "rows": []})
        charts[-1]["rows"].append(row)
    for group in groups:
        for chart in group["indicators"]:
            bars = [Bar(_label(r), r["value"], f"{r['text']} ({r['year']})") for r in chart["rows"]]
            chart["chart"] = bar_chart(bars)
            chart["id"] = f"indicator-{group['theme'] or 'none'}-{chart['indicator']}"
            chart["caption"] = f"{chart['title']} ({chart['unit']})" if chart["unit"] else chart["title"]
    return {"indicators": stats, "indicator_rows": rows, "indicator_groups": groups}
