"""Phase 2 of the PTV sync: which services the catalog keeps, and under which themes.

A service is kept when it is published, has a citizen target group (KR1 or a KR1.x
sub-group), a service class that one of the themes takes in (editable per theme in the
admin), and an area in the region (or nationwide, when enabled).

Some classes mix what a theme promises with heavy care: P4.2 "Vanhusten palvelut" holds senior
counselling and 24-hour housing, P5.14 "Kotisairaanhoito ja omaishoito" carers' support and
home nursing. A service whose only wellbeing classes are such mixed ones is decided by its own
words: kept unless its name, keywords or summary speak of heavy care (HEAVY_CARE_WORDS).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.models import Theme
from ingest.ptv.mapping import ServiceRecord

CITIZEN_TARGET_GROUP = "KR1"
UNPLACEABLE = "area not placeable"
MIXED_CLASSES = {"P4.2", "P5.14"}
# Word stems of heavy care in Finnish and Swedish (24-hour housing, home care, hospital care).
HEAVY_CARE_WORDS = (
    "ympärivuorokau", "palveluasum", "tehostet", "kotihoito", "kotihoidon", "kotisairaanhoi", "sairaala",
    "laitoshoi", "pitkäaikaishoi", "hoivakoti", "vuodeosasto", "saattohoi", "intervallihoi",
    "dygnet runt", "serviceboende", "hemvård", "hemsjukvård", "sjukhus", "anstaltsvård",
)  # fmt: skip


@dataclass
class Scope:
    municipalities: set[str]
    include_nationwide: bool
    class_themes: dict[str, set[int]]  # class code -> theme ids
    signature: str

    @classmethod
    def build(cls, municipalities: Iterable[str], include_nationwide: bool) -> Scope:
        class_themes: dict[str, set[int]] = {}
        for theme in Theme.objects.all():
            for code in theme.service_class_codes:
                class_themes.setdefault(code, set()).add(theme.id)
        signature = hashlib.sha256(repr(sorted((k, sorted(v)) for k, v in class_themes.items())).encode()).hexdigest()
        return cls(set(municipalities), include_nationwide, class_themes, signature)

    def service_hash(self, source_hash: str) -> str:
        """What a service row stores: the payload's hash with the theme mapping's, so a theme edit rewrites it."""
        return hashlib.sha256((source_hash + self.signature).encode()).hexdigest()

    def themes_for(self, record: ServiceRecord) -> set[int]:
        themes: set[int] = set()
        for code in record.class_codes:
            themes |= self.class_themes.get(code, set())
        return themes

    def heavy_care(self, record: ServiceRecord) -> bool:
        """Whether a service comes in through mixed classes only and speaks of heavy care."""
        if any(self.class_themes.get(code) for code in record.class_codes - MIXED_CLASSES):
            return False
        words = [record.texts.get(f"{field}_{lang}", "") for field in ("name", "summary") for lang in ("fi", "sv")]
        words += record.keywords.get("fi", []) + record.keywords.get("sv", [])
        text = " ".join(words).lower()
        return any(stem in text for stem in HEAVY_CARE_WORDS)

    def reason_to_skip(self, record: ServiceRecord) -> str | None:
        if record.publishing_status != "Published":
            return "not published"
        if not any(
            code == CITIZEN_TARGET_GROUP or code.startswith(CITIZEN_TARGET_GROUP + ".")
            for code in record.target_group_codes
        ):
            return "no citizen target group"
        if not self.themes_for(record):
            return "no wellbeing service class"
        if self.heavy_care(record):
            return "heavy care"
        in_region = bool({m.code for m in record.municipalities} & self.municipalities)
        if not in_region and not (record.is_nationwide and self.include_nationwide):
            # An area of a type the sync cannot resolve to municipalities: counted and
            # reported in the run (it may well be in the region), never silently dropped.
            if record.unplaced_areas and not record.is_nationwide:
                return UNPLACEABLE
            return "outside the region"
        return None
