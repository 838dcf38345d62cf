"""Phase 2 of the PTV sync: which services the catalog keeps, and under which themes.

A service is stored when it is published, has a citizen target group (KR1 or a KR1.x
sub-group) and an area in the region (or nationwide, when enabled). It is in scope (public)
when a theme takes in one of its service classes (catalog.scope: editable per theme on the
workspace's scope page) and it is not heavy care; an editor's override
(ServiceCuration.scope_override) includes or excludes it whatever its classes. A service out
of scope only because of its class or heavy care is stored all the same, not public, so the
scope page can count it and an editor can include it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.models import ScopeStatus
from catalog.scope import (
    class_themes_map,
    heavy_care,
    mapping_signature,
    scope_status,
    themes_of,
)
from ingest.ptv.mapping import ServiceRecord

CITIZEN_TARGET_GROUP = "KR1"
UNPLACEABLE = "area not placeable"
OUT_OF_SCOPE_REASONS = {ScopeStatus.CLASS: "no wellbeing service class", ScopeStatus.HEAVY_CARE: "heavy care"}


def _words(record: ServiceRecord) -> list[str]:
    words = [record.texts.get(f"{field}_{lang}", "") for field in ("name", "summary") for lang in ("fi", "sv")]
    return words + record.keywords.get("fi", []) + record.keywords.get("sv", [])


@dataclass
class Scope:
    municipalities: set[str]
    include_nationwide: bool
    class_themes: dict[str, set[int]]  # class code -> theme ids
    signature: str

    @classmethod
    def build(cls, municipalities: Iterable[str], include_nationwide: bool) -> Scope:
        class_themes = class_themes_map()
        return cls(set(municipalities), include_nationwide, class_themes, mapping_signature(class_themes))

    def service_hash(self, source_hash: str) -> str:
        """What a service row stores: the payload's hash with the theme mapping's, so a theme edit rewrites it."""
        return hashlib.sha256((source_hash + self.signature).encode()).hexdigest()

    def themes_for(self, record: ServiceRecord) -> set[int]:
        return themes_of(record.class_codes, self.class_themes)

    def heavy_care(self, record: ServiceRecord) -> bool:
        """Whether a service comes in through mixed classes only and speaks of heavy care."""
        return heavy_care(record.class_codes, self.class_themes, _words(record))

    def status(self, record: ServiceRecord) -> str:
        """In scope, or out of it because of its class or heavy care (ScopeStatus)."""
        return scope_status(record.class_codes, self.class_themes, _words(record))

    def reason_not_stored(self, record: ServiceRecord) -> str | None:
        """Why a service is not stored at all (None: it is stored, public or not by its status)."""
        if record.publishing_status != "Published":
            return "not published"
        if not any(
            code == CITIZEN_TARGET_GROUP or code.startswith(CITIZEN_TARGET_GROUP + ".")
            for code in record.target_group_codes
        ):
            return "no citizen target group"
        in_region = bool({m.code for m in record.municipalities} & self.municipalities)
        if not in_region and not (record.is_nationwide and self.include_nationwide):
            status = self.status(record)
            if status != ScopeStatus.IN:  # as before: out of scope first, then where
                return OUT_OF_SCOPE_REASONS[status]
            # An area of a type the sync cannot resolve to municipalities: counted and
            # reported in the run (it may well be in the region), never silently dropped.
            if record.unplaced_areas and not record.is_nationwide:
                return UNPLACEABLE
            return "outside the region"
        return None

    def reason_to_skip(self, record: ServiceRecord) -> str | None:
        """Why a service is not public by its source data alone (None: in scope)."""
        reason = self.reason_not_stored(record)
        if reason is None:
            status = self.status(record)
            reason = OUT_OF_SCOPE_REASONS.get(status)
        return reason
