"""Small-cell suppression for every statistic the dashboard shows or exports.

A count below k (STATS_MIN_CELL, default 5) is shown as "< k" and its mean or share is
hidden. Complementary suppression: where the children of a shown total (the
municipalities of the region, the age bands of a municipality) have exactly one hidden
cell, the next smallest child is hidden too, so no hidden cell can be worked out from the
total and the other cells. Repeated until nothing changes, since a new hidden cell can
leave another group with one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.conf import settings


def min_cell() -> int:
    return settings.STATS_MIN_CELL


@dataclass
class Cell:
    key: tuple
    count: int
    suppressed: bool = False


def suppress(
    cells: dict[tuple, Cell],
    groups: Iterable[tuple[Hashable, list[tuple]]],
    k: int | None = None,
    always_hidden: Iterable[tuple] = (),
) -> None:
    """Mark cells below k, then hide complements within each group (parent key, child keys).

    `always_hidden` cells are part of a total but never shown (answers without a municipality).
    A group's parent must itself be shown for its children to need protection; a hidden
    parent cannot be subtracted from. Children with a zero count are never hidden as a
    complement (a zero reveals nothing) but count as known.
    """
    k = min_cell() if k is None else k
    for cell in cells.values():
        cell.suppressed = 0 < cell.count < k
    for key in always_hidden:  # e.g. answers without a municipality: in the totals, never shown alone
        if key in cells and cells[key].count:
            cells[key].suppressed = True
    groups = [(parent, [c for c in children if c in cells]) for parent, children in groups]
    changed = True
    while changed:
        changed = False
        for parent, children in groups:
            if parent in cells and cells[parent].suppressed:
                continue
            hidden = [c for c in children if cells[c].suppressed]
            if len(hidden) != 1:
                continue
            candidates = sorted(
                (cells[c] for c in children if not cells[c].suppressed and cells[c].count > 0),
                key=lambda cell: (cell.count, cell.key),
            )
            if candidates:
                candidates[0].suppressed = True
                changed = True
            elif parent in cells and not cells[parent].suppressed:
                # Nothing left to hide beside it: hide the total instead.
                cells[parent].suppressed = True
                changed = True


def shown_count(cell: Cell, k: int | None = None) -> str:
    """What a table shows for a count: the number, or "< k"."""
    k = min_cell() if k is None else k
    return f"< {k}" if cell.suppressed else str(cell.count)
