"""Server-rendered SVG bar charts: no JavaScript, no third parties; the same numbers as the table below them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: float | None  # None: hidden by small-cell suppression
    text: str  # what is written at the bar's end


def bar_chart(bars: list[Bar], *, width: int = 640, row: int = 28, label_width: int = 220) -> dict:
    """Geometry for templates/dashboard/_bars.svg.html: one horizontal bar per row."""
    top = max((b.value or 0) for b in bars) if bars else 0
    # Room for the longest value text at the bar's end ("32,4 (2024)"): ~8 units a character
    # at the chart's font size, so the longest bar's text is never cut off at the edge.
    text_room = 12 + 8 * max((len(b.text) for b in bars), default=6)
    room = width - label_width - text_room
    rows = []
    for index, bar in enumerate(bars):
        length = 0 if not top or bar.value is None else max(2, round(room * bar.value / top))
        rows.append({"y": index * row, "label": bar.label, "length": length, "text": bar.text,
                     "text_x": label_width + length + 6, "hidden": bar.value is None})  # fmt: skip
    return {"width": width, "height": max(row, len(bars) * row), "label_width": label_width, "row": row, "rows": rows}
