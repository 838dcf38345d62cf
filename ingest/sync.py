"""How every source writes: bulk upsert by content hash, link tables replaced in bulk,
hiding instead of deleting, and one delete valve.

Writes are set-based because a full PTV run touches tens of thousands of rows: one
`INSERT ... ON CONFLICT (source, source_id) DO UPDATE` per batch of changed rows (ids come
back through RETURNING, `first_seen` and the search index columns are never overwritten),
and per link table one DELETE of the changed rows' links and one bulk INSERT. Unchanged
rows are recognised from (id, source_hash, is_public) alone, so a run where nothing
changed reads no wide rows and writes nothing.

The delete valve has one definition for every source. Its base is the rows of the
source that are public before the run and inside the window the run reads (`window`:
everything for PTV, events that have not ended for the event sources). A full run that
would hide more than INGEST_DELETE_LIMIT_PERCENT of the base - rows the source reports
as removed or out of scope plus rows it no longer lists - is refused unless forced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import models

from ingest.base import DeleteValveRefused

R = TypeVar("R")
BATCH_SIZE = 1000
BOOKKEEPING_FIELDS = ["source_modified", "source_hash", "last_synced"]


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pks: dict[str, int] = field(default_factory=dict)  # every record's row, changed or not
    changed: dict[str, int] = field(default_factory=dict)  # rows created or updated in this run

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class Syncher(Generic[R]):
    """Writes one model's rows of one source. Call `begin()` before any write of the run."""

    def __init__(
        self,
        model: type[models.Model],
        source: str,
        *,
        now: datetime,
        fields: list[str],
        label: str,
        window: models.Q | None = None,
    ) -> None:
        self.model = model
        self.source = source
        self.now = now
        self.label = label
        self.window = window or models.Q()
        self.has_public = any(f.name == "is_public" for f in model._meta.concrete_fields)
        self.fields = [*fields, *BOOKKEEPING_FIELDS, *(["is_public"] if self.has_public else [])]
        self.base: set[str] = set()
        self.hidden: set[str] = set()

    @property
    def rows(self) -> models.QuerySet:
        return self.model.objects.filter(source=self.source)

    def begin(self) -> None:
        if self.has_public:
            self.base = set(self.rows.filter(self.window, is_public=True).values_list("source_id", flat=True))

    def upsert(
        self,
        records: Mapping[str, R],
        build: Callable[[R, Any], None],
        *,
        record_hash: Callable[[R], str] = lambda record: record.source_hash,  # type: ignore[attr-defined]
        modified: Callable[[R], datetime | None] = lambda record: record.modified,  # type: ignore[attr-defined]
    ) -> UpsertResult:
        """Create or update a row per record; `build(record, row)` fills a new, unsaved row.

        A row whose stored hash equals the record's (and that is public) is left alone.
        """
        result = UpsertResult()
        columns = ["source_id", "id", "source_hash", *(["is_public"] if self.has_public else [])]
        existing = {row[0]: row for row in self.rows.filter(source_id__in=list(records)).values_list(*columns)}
        changed: list[models.Model] = []
        for source_id, record in records.items():
            digest = record_hash(record)
            row = existing.get(source_id)
            if row is not None and row[2] == digest and (not self.has_public or row[3]):
                result.unchanged += 1
                result.pks[source_id] = row[1]
                continue
            if row is None:
                result.created += 1
            else:
                result.updated += 1
            obj = self.model(source=self.source, source_id=source_id)
            build(record, obj)
            obj.source_hash, obj.source_modified, obj.last_synced = digest, modified(record), self.now
            if self.has_public:
                obj.is_public = True
            changed.append(obj)
        if changed:
            self.model.objects.bulk_create(
                changed,
                batch_size=BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["source", "source_id"],
                update_fields=self.fields,
            )
            for obj in changed:
                result.pks[obj.source_id] = result.changed[obj.source_id] = obj.pk
        return result

    def hide(self, source_ids: Iterable[str], **changes: Any) -> int:
        """Hide public rows (never delete: local curation and links to them survive)."""
        ids = set(source_ids)
        if not ids:
            return 0
        hidden = self.rows.filter(source_id__in=list(ids), is_public=True)
        newly = set(hidden.values_list("source_id", flat=True))
        count = hidden.update(is_public=False, last_synced=self.now, **changes)
        self.hidden |= newly
        return count

    def sweep(self, seen: Iterable[str], *, force: bool, **changes: Any) -> int:
        """End of a full run: hide the base's rows the source did not list, behind the valve."""
        unseen = self.base - set(seen) - self.hidden
        removing = len(unseen) + len(self.hidden & self.base)
        limit = settings.INGEST_DELETE_LIMIT_PERCENT
        if removing and not force and removing > len(self.base) * limit / 100:
            raise DeleteValveRefused(
                f"refusing to remove {removing} of {len(self.base)} public {self.label} (over {limit} %); "
                "check the source and run again with --force if this is right"
            )
        return self.hide(unseen, **changes)


def links_replace(
    through: type[models.Model], owner_field: str, owner_ids: Iterable[int], rows: Iterable[models.Model]
) -> None:
    """Replace the link rows of the given owners: one DELETE, then one bulk INSERT."""
    owner_ids = list(owner_ids)
    if not owner_ids:
        return
    through.objects.filter(**{f"{owner_field}__in": owner_ids}).delete()
    through.objects.bulk_create(rows, batch_size=5000)
