"""How every source writes: bulk upsert by content hash, link tables replaced in bulk,
hiding instead of deleting, and one delete valve.

Writes are set-based because a full PTV run touches tens of thousands of rows: the
changed rows are COPYed into a temporary table and merged with one `INSERT ... ON
CONFLICT (source, source_id) DO UPDATE` (ids come back through RETURNING; `first_seen`
and the search index columns are never overwritten), and per link table the changed
rows' links go in one DELETE and one COPY. Unchanged
rows are recognised from (id, source_hash, is_public) alone, so a run where nothing
changed reads no wide rows and writes nothing.

The delete valve has one definition for every source. Its base is the rows of the
source that are public before the run and inside the window the run reads (`window`:
everything for PTV, events that have not ended for the event sources). A full run that
would hide more than INGEST_DELETE_LIMIT_PERCENT of the base - rows the source reports
as removed or out of scope plus rows it no longer lists - is refused unless forced.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connection, models, transaction
from psycopg import sql

from ingest.base import DeleteValveRefused

R = TypeVar("R")
BOOKKEEPING_FIELDS = ["source_modified", "source_hash", "last_synced"]


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pks: dict[str, int] = field(default_factory=dict)  # every record's row, changed or not
    changed: dict[str, int] = field(default_factory=dict)  # rows created or updated in this run
    not_public: set[str] = field(default_factory=set)  # rows written as not public (PTV: out of scope)

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
        public: Callable[[R], bool] = lambda record: True,
    ) -> UpsertResult:
        """Create or update a row per record; `build(record, row)` fills a new, unsaved row.

        A row whose stored hash equals the record's (and whose `is_public` is what `public`
        says: PTV stores out-of-scope services too, not public) is left alone. A public row
        written as not public counts against the delete valve like a hidden one.
        """
        result = UpsertResult()
        columns = ["source_id", "id", "source_hash", *(["is_public"] if self.has_public else [])]
        existing = {row[0]: row for row in self.rows.filter(source_id__in=list(records)).values_list(*columns)}
        changed: list[models.Model] = []
        for source_id, record in records.items():
            digest = record_hash(record)
            row = existing.get(source_id)
            shown = public(record) if self.has_public else True
            if row is not None and row[2] == digest and (not self.has_public or row[3] == shown):
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
                obj.is_public = shown
                if not shown:
                    result.not_public.add(source_id)
                    if source_id in self.base:
                        self.hidden.add(source_id)
            changed.append(obj)
        if changed:
            for source_id, pk in _copy_upsert(self.model, changed, self.fields):
                result.pks[source_id] = result.changed[source_id] = pk
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
    model: type[models.Model], owner_field: str, owner_ids: Iterable[int], columns: list[str], rows: Iterable[tuple]
) -> None:
    """Replace the link rows of the given owners: one DELETE, then one COPY of `rows` (tuples of `columns`)."""
    owner_ids = list(owner_ids)
    if not owner_ids:
        return
    rows = list(rows)  # built before the COPY: building may query (new municipalities), which a COPY in progress blocks
    table = sql.Identifier(model._meta.db_table)
    owner = sql.Identifier(model._meta.get_field(owner_field).column)
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor: COPY and composed SQL
        cursor.execute(sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(table, owner), [owner_ids])
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(table, names)) as copy:
            for row in rows:
                copy.write_row(row)


def _copy_upsert(
    model: type[models.Model], objs: list[models.Model], update_fields: list[str]
) -> list[tuple[str, int]]:
    """INSERT ... ON CONFLICT (source, source_id) DO UPDATE from a COPY-filled temporary table.

    Measured on a 5,000-service run: bulk_create spent 10 of 21 s building and binding one
    huge parametrised statement a batch; COPY streams the rows instead. New rows get every
    column (defaults included); existing rows only `update_fields`, so first_seen and the
    search index columns survive. Returns (source_id, id) per row.
    """
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    table = sql.Identifier(meta.db_table)
    temp = sql.Identifier(f"ingest_upsert_{meta.db_table}")
    columns = sql.SQL(", ").join(sql.Identifier(f.column) for f in fields)
    updates = sql.SQL(", ").join(
        sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(meta.get_field(name).column)) for name in update_fields
    )
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(temp))
        # CREATE TABLE AS copies the column types but not NOT NULL or defaults: COPY fills every column.
        cursor.execute(
            sql.SQL("CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                temp, columns, table
            )
        )
        preparers = [_preparer(f) for f in fields]
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(temp, columns)) as copy:
            for obj in objs:
                copy.write_row([prepare(obj) for prepare in preparers])
        cursor.execute(
            sql.SQL(
                "INSERT INTO {table} ({columns}) SELECT {columns} FROM {temp} "
                "ON CONFLICT (source, source_id) DO UPDATE SET {updates} RETURNING source_id, id"
            ).format(table=table, columns=columns, temp=temp, updates=updates)
        )
        rows = cursor.fetchall()
        cursor.execute(sql.SQL("DROP TABLE {}").format(temp))
    return rows


# Fields whose Python value psycopg takes as it is; get_db_prep_save on each of them for
# every row was a third of the COPY's CPU.
_AS_IS = (
    models.CharField, models.TextField, models.BooleanField, models.FloatField, models.IntegerField,
    models.DateTimeField, models.ForeignKey,
)  # fmt: skip


def _preparer(field: models.Field) -> Callable[[models.Model], Any]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    if isinstance(field, _AS_IS):
        return operator.attrgetter(field.attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, field.attname), connection)
