"""Writes to the catalog. Views, tasks and commands call these."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from catalog.models import Concept, Municipality, Region
from catalog.search.indexing import services_index_lexical
from catalog.tasks import embed_services

CODELIST_DIR = Path(__file__).resolve().parent / "data" / "ptv-codelists"
CODELIST_FILES = {
    "Finto_ServiceClasses.json": Concept.Kind.SERVICE_CLASS,
    "Finto_TargetGroups.json": Concept.Kind.TARGET_GROUP,
    "Finto_LifeEvents.json": Concept.Kind.LIFE_EVENT,
}


class CodelistError(ValueError):
    pass


@dataclass
class CodelistResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0


def _parse_codelist(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CodelistError(f"{path}: file not found") from None
    except json.JSONDecodeError as exc:
        raise CodelistError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, list):
        raise CodelistError(f"{path}: expected a JSON array of concepts")
    for position, item in enumerate(data):
        if not isinstance(item, dict):
            raise CodelistError(f"{path}: item {position} is not an object")
    return data


def codelists_load(*, directory: Path = CODELIST_DIR) -> CodelistResult:
    """Load PTV's Finto code lists (service classes, target groups, life events).

    Every file is parsed and validated before anything is written, so a broken file
    changes nothing.
    """
    parsed = [(kind, _parse_codelist(directory / name)) for name, kind in CODELIST_FILES.items()]
    result = CodelistResult()
    with transaction.atomic():
        for kind, items in parsed:
            for item in items:
                label = item.get("Label")
                # Real snapshots carry broken entries (e.g. a duplicate P7.12 without an Id).
                if not item.get("Id") or not isinstance(label, dict):
                    result.skipped += 1
                    continue
                broader = item.get("BroaderUris") or []
                _, created = Concept.objects.update_or_create(
                    uri=item["Id"],
                    defaults={
                        "kind": kind,
                        "code": item.get("Notation") or "",
                        "name_fi": label.get("Fi") or "",
                        "name_sv": label.get("Sv") or "",
                        "name_en": label.get("En") or "",
                        "parent_uri": broader[0] if broader else "",
                    },
                )
                if created:
                    result.created += 1
                else:
                    result.updated += 1
    return result


def region_setup(*, name: str | None = None, municipality_codes: list[str] | None = None) -> Region:
    """Create or update the region and attach its member municipalities (names arrive with ingest)."""
    from django.core.cache import cache

    name = name or settings.TARMOA_REGION_NAME
    codes = municipality_codes if municipality_codes is not None else settings.TARMOA_REGION_MUNICIPALITIES
    names = {"name_fi": name, "name_sv": settings.TARMOA_REGION_NAME_SV, "name_en": settings.TARMOA_REGION_NAME_EN}
    cache.delete("tarmoa:region")
    with transaction.atomic():
        region, _ = Region.objects.update_or_create(code="region", defaults=names)
        for code in codes:
            municipality, _ = Municipality.objects.get_or_create(code=code, defaults={"name_fi": code})
            if municipality.region_id != region.id:
                municipality.region = region
                municipality.save(update_fields=["region"])
        Municipality.objects.filter(region=region).exclude(code__in=codes).update(region=None)
    return region


def search_log_record(*, query: str, language: str, filters: dict, result_count: int) -> int:
    """Log one search for the dashboard: no IP, no cookie id, no user; the time rounded down to the hour."""
    from django.utils import timezone

    from catalog.models import SearchLog

    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    # One INSERT without building a model instance: this runs on every search.
    with connection.cursor() as cursor:
        cursor.execute(
            f"insert into {SearchLog._meta.db_table} (query, language, filters, result_count, hour) "  # noqa: S608
            "values (%s, %s, %s, %s, %s) returning id",
            [query.lower()[:200], language[:5], json.dumps(filters), result_count, hour],
        )
        return cursor.fetchone()[0]


def search_log_click(*, log_id: int, service_id: int) -> bool:
    from catalog.models import SearchLog

    return SearchLog.objects.filter(id=log_id).update(clicked_service_id=service_id) == 1


class RateLimited(Exception):
    pass


def error_report_create(*, service, message: str, client_key: str) -> None:
    """Store a resident's error report. At most 5 an hour from one client and 200 an hour in all.

    `client_key` is only used as a short-lived cache key (hashed); it is never stored.
    """
    import hashlib

    from django.core.cache import cache

    from catalog.models import ErrorReport

    digest = hashlib.sha256(client_key.encode()).hexdigest()[:16]
    for key, limit in ((f"errrep:{digest}", 5), ("errrep:all", 200)):
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > limit:
            raise RateLimited
    ErrorReport.objects.create(service=service, message=message)


def services_index_schedule(*, service_ids: Sequence[int]) -> None:
    """After the current transaction commits: lexical index now, embeddings in a Celery job."""
    ids = list(service_ids)

    def _run() -> None:
        services_index_lexical(service_ids=ids)
        embed_services.delay(service_ids=ids)

    transaction.on_commit(_run)
