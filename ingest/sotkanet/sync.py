"""Sotkanet sync: the indicators the region follows, for its municipalities, its county and the country.

Everything is read before anything is written: a source error (timeout, refused
connection, 5xx, an answer that is not JSON or is too large, an unexpected shape) fails
the run and leaves the last good data as it was. The writes go in one transaction.
Data points are only ever added or updated, never deleted: a point Sotkanet no longer
sends (a value withheld as too small, say) keeps its last known value.

Per data point: a region id Sotkanet's own `regions` does not list is skipped and
counted (`details.unusual.unknown_region`), as is a point without a numeric value
(`missing_value`); points of regions outside this region are not counted.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Region
from ingest.base import SourceNotConfigured, client_options, texts_by_lang
from ingest.http import SourceError
from ingest.models import Indicator, IndicatorValue, IngestRun
from ingest.sotkanet.client import SotkanetClient

SOURCE = "sotkanet"
GENDERS = ("total", "male", "female")
log = logging.getLogger(__name__)


def sotkanet_configured() -> bool:
    return bool(settings.SOTKANET_URL)


def default_client() -> SotkanetClient:
    if not sotkanet_configured():
        raise SourceNotConfigured("SOTKANET_URL is not set: the Sotkanet sync is off")
    return SotkanetClient(settings.SOTKANET_URL, **client_options())


@dataclass
class Area:
    level: str
    municipality: str
    name: str


@dataclass
class Fetched:
    metadata: dict[int, dict] = field(default_factory=dict)
    points: dict[tuple[int, int, int, str], tuple[float, float | None]] = field(default_factory=dict)
    unusual: dict[str, int] = field(default_factory=lambda: {"unknown_region": 0, "missing_value": 0})
    fetched: int = 0


def _areas(regions: object, region: Region) -> tuple[dict[int, Area], set[int]]:
    """Sotkanet region id -> the area it is for this region; and every id Sotkanet lists."""
    if not isinstance(regions, list):
        raise SourceError("regions: expected a list")
    codes = set(region.municipality_codes())
    county_names = {n.casefold() for n in (region.name_fi, region.name_sv, region.name_en) if n}
    areas: dict[int, Area] = {}
    known: set[int] = set()
    for entry in regions:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), int):
            raise SourceError(f"regions: an entry without a numeric id: {str(entry)[:100]}")
        known.add(entry["id"])
        titles = texts_by_lang(entry.get("title"))
        category, code = entry.get("category"), str(entry.get("code") or "")
        name = titles.get("fi") or code
        if category == "KUNTA" and code.zfill(3) in codes:
            areas[entry["id"]] = Area(IndicatorValue.Level.MUNICIPALITY, code.zfill(3), name)
        elif category == "HYVINVOINTIALUE" and county_names & {t.casefold() for t in titles.values()}:
            areas[entry["id"]] = Area(IndicatorValue.Level.COUNTY, "", name)
        elif category == "MAA":
            areas[entry["id"]] = Area(IndicatorValue.Level.COUNTRY, "", name)
    if not any(a.level == IndicatorValue.Level.MUNICIPALITY for a in areas.values()):
        raise SourceError(f"regions: none of the region's municipalities ({', '.join(sorted(codes))}) is listed")
    return areas, known


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _fetch(client: SotkanetClient, indicators: list[Indicator], areas: dict[int, Area], known: set[int]) -> Fetched:
    this_year = timezone.localdate().year
    years = list(range(this_year - settings.SOTKANET_YEARS + 1, this_year + 1))
    out = Fetched()
    for indicator in indicators:
        metadata = client.indicator(indicator.sotkanet_id)
        if not isinstance(metadata, dict) or metadata.get("id") != indicator.sotkanet_id:
            raise SourceError(f"indicators/{indicator.sotkanet_id}: not the indicator asked for")
        out.metadata[indicator.sotkanet_id] = metadata
        points = client.data(indicator.sotkanet_id, years, GENDERS)
        if not isinstance(points, list):
            raise SourceError(f"json?indicator={indicator.sotkanet_id}: expected a list of data points")
        for point in points:
            out.fetched += 1
            if not isinstance(point, dict):
                raise SourceError(f"json?indicator={indicator.sotkanet_id}: a data point is not an object")
            region_id, year, gender = point.get("region"), point.get("year"), point.get("gender")
            if not isinstance(region_id, int) or region_id not in known:
                out.unusual["unknown_region"] += 1
                continue
            if region_id not in areas:
                continue  # another part of Finland
            if not isinstance(year, int) or gender not in GENDERS:
                raise SourceError(f"json?indicator={indicator.sotkanet_id}: a data point without a year or gender")
            value = _number(point.get("value"))
            if value is None:
                out.unusual["missing_value"] += 1
                continue
            out.points[(indicator.sotkanet_id, region_id, year, gender)] = (value, _number(point.get("absValue")))
    return out


def _metadata_apply(indicator: Indicator, metadata: dict, now) -> None:
    titles = texts_by_lang(metadata.get("title"))
    organization = metadata.get("organization") if isinstance(metadata.get("organization"), dict) else {}
    value_type = metadata.get("primaryValueType") if isinstance(metadata.get("primaryValueType"), dict) else {}
    units = texts_by_lang(value_type.get("title"))
    for lang in ("fi", "sv", "en"):
        setattr(indicator, f"title_{lang}", titles.get(lang, "")[:500])
        setattr(indicator, f"unit_{lang}", units.get(lang, "")[:200])
    indicator.organization = texts_by_lang(organization.get("title")).get("fi", "")[:300]
    decimals = metadata.get("decimals")
    indicator.decimals = decimals if isinstance(decimals, int) and 0 <= decimals <= 6 else None
    indicator.last_synced = now


def _write(run: IngestRun, indicators: list[Indicator], fetched: Fetched, areas: dict[int, Area]) -> None:
    now = timezone.now()
    by_id = {i.sotkanet_id: i for i in indicators}
    existing = {
        (v.indicator.sotkanet_id, v.sotkanet_region, v.year, v.gender): v
        for v in IndicatorValue.objects.filter(indicator__in=indicators).select_related("indicator")
    }
    with transaction.atomic():
        for indicator in indicators:
            _metadata_apply(indicator, fetched.metadata[indicator.sotkanet_id], now)
            indicator.save()
        changed = []
        for key, (value, abs_value) in fetched.points.items():
            sotkanet_id, region_id, year, gender = key
            area = areas[region_id]
            old = existing.get(key)
            if old and (old.value, old.abs_value, old.area_name) == (value, abs_value, area.name):
                run.unchanged += 1
                continue
            if old:
                run.updated += 1
            else:
                run.created += 1
            changed.append(
                IndicatorValue(indicator=by_id[sotkanet_id], sotkanet_region=region_id, area_level=area.level,
                               municipality=area.municipality, area_name=area.name, year=year, gender=gender,
                               value=value, abs_value=abs_value, synced=now)
            )  # fmt: skip
        IndicatorValue.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["indicator", "sotkanet_region", "year", "gender"],
            update_fields=["area_level", "municipality", "area_name", "value", "abs_value", "synced"],
        )


def sotkanet_sync(*, client: SotkanetClient | None = None, region: Region | None = None) -> IngestRun:
    """One run: read the followed indicators (Indicator.is_active) and write their values."""
    client = client or default_client()
    client.begin_run(deadline=settings.INGEST_RUN_DEADLINE_SECONDS)
    run = IngestRun.objects.create(
        source=SOURCE, kind=IngestRun.Kind.FULL, parameters={"years": settings.SOTKANET_YEARS}
    )
    try:
        region = region or Region.objects.order_by("id").first()
        indicators = list(Indicator.objects.filter(is_active=True))
        if region is None:
            raise SourceError("no region is set up (manage.py setup_region)")
        if indicators:
            areas, known = _areas(client.regions(), region)
            fetched = _fetch(client, indicators, areas, known)
            run.fetched = fetched.fetched
            run.skipped = sum(fetched.unusual.values())
            run.details = {"indicators": len(indicators), "unusual": fetched.unusual,
                           "areas": sorted({a.level for a in areas.values()})}  # fmt: skip
            _write(run, indicators, fetched, areas)
        else:
            run.details = {"indicators": 0}
        run.status = IngestRun.Status.SUCCEEDED
    except SourceError as exc:
        log.warning("Sotkanet sync failed: %s", exc)
        run.mark_not_applied(IngestRun.Status.FAILED, str(exc))
    except Exception as exc:
        run.record_crash(exc)
        raise
    run.finished = timezone.now()
    run.save()
    return run
