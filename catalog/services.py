"""Writes to the catalog. Views, tasks and commands call these."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from catalog.models import Concept, Municipality, Region

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
    name = name or settings.TARMOA_REGION_NAME
    codes = municipality_codes if municipality_codes is not None else settings.TARMOA_REGION_MUNICIPALITIES
    with transaction.atomic():
        region, _ = Region.objects.update_or_create(code="region", defaults={"name_fi": name})
        for code in codes:
            municipality, _ = Municipality.objects.get_or_create(code=code, defaults={"name_fi": code})
            if municipality.region_id != region.id:
                municipality.region = region
                municipality.save(update_fields=["region"])
        Municipality.objects.filter(region=region).exclude(code__in=codes).update(region=None)
    return region
