"""Charts drawn on the server as inline SVG: no script, no build step, printable.

Each chart has a title for screen readers; pages put the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from domain.status import StatusClass
from web.formatting import FIVE_CLASSES, STATUS_COLOURS

WIDTH = 760
LABEL_WIDTH = 310
TOTAL_WIDTH = 50
ROW_HEIGHT = 28
BAR_HEIGHT = 20
MAX_LABEL = 38


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def stacked_bars(chart_id: str, title: str, rows: Sequence[tuple[str, Mapping[str, int]]],
                 links: Sequence[str] | None = None) -> Markup:
    """One horizontal bar per row, split into the five status classes, on a common scale.
    With `links` (one address per row, already carrying a query), each label leads to its
    row's tasks and each segment to those of its class (`&status=...` added).
    Two drawings of the same numbers, one shown at a time by the style sheet: one picture
    on wide screens; on phones, where that picture would shrink to unreadable type, one row
    per item, its name in full above its bar and its counts in words beneath."""
    most = max((sum(counts.get(c.value, 0) for c in FIVE_CLASSES) for _, counts in rows),
               default=0) or 1
    return Markup(  # noqa: S704 (both drawings escape every value)
        f'<div class="chart-box">{_picture(chart_id, title, rows, links, most)}'
        f"{_rows(chart_id, title, rows, links, most)}</div>")


def _picture(chart_id: str, title: str, rows: Sequence[tuple[str, Mapping[str, int]]],
             links: Sequence[str] | None, most: int) -> str:
    scale = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / most
    height = ROW_HEIGHT * len(rows) + 8
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{escape(chart_id)}-t" '
        'xmlns="http://www.w3.org/2000/svg" font-family="inherit" font-size="12">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
    ]
    for index, (label, counts) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        href = links[index] if links else None
        parts.append(_linked(href, f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" '
                     f'text-anchor="end" fill="#1f2937"><title>{escape(label)}</title>'
                     f"{escape(_short(label))}</text>"))
        x = float(LABEL_WIDTH)
        for status in FIVE_CLASSES:
            count = counts.get(status.value, 0)
            if not count:
                continue
            width = count * scale
            parts.append(_linked(href and f"{href}&status={status.value}",
                                 _segment(label, status, count, x, y, width)))
            x += width
        total = sum(counts.get(c.value, 0) for c in FIVE_CLASSES)
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" fill="#1f2937">{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _rows(chart_id: str, title: str, rows: Sequence[tuple[str, Mapping[str, int]]],
          links: Sequence[str] | None, most: int) -> str:
    """The phone's drawing: a list, each item its name and total, a bar on the common scale
    (drawn in an SVG: the pages' style policy allows no inline widths) and its counts."""
    items = []
    for index, (label, counts) in enumerate(rows):
        href = links[index] if links else None
        total = sum(counts.get(c.value, 0) for c in FIVE_CLASSES)
        name = (f'<a href="{escape(href)}">{escape(label)}</a>' if href
                else f"<span>{escape(label)}</span>")
        x, rects, words = 0, [], []
        for status in FIVE_CLASSES:
            count = counts.get(status.value, 0)
            if not count:
                continue
            rects.append(f'<rect x="{x}" y="0" width="{count}" height="1" '
                         f'fill="{STATUS_COLOURS[status]}"/>')
            x += count
            word = (f'<span class="swatch st-{status.value}"></span>{count}'
                    f'<span class="visually-hidden"> {escape(status.label_vi)}</span>')
            words.append(_linked(href and f"{href}&status={status.value}", word))
        bar = (f'<svg class="bar" viewBox="0 0 {most} 1" preserveAspectRatio="none" '
               f'width="100%" height="14" aria-hidden="true" focusable="false" '
               f'xmlns="http://www.w3.org/2000/svg">{"".join(rects)}</svg>')
        items.append(f'<li><p class="chart-row-head">{name} <strong>{total}</strong></p>'
                     f'{bar}<p class="chart-row-counts">{" ".join(words)}</p></li>')
    return (f'<ol class="chart-rows" id="{escape(chart_id)}-rows" '
            f'aria-label="{escape(title)}">{"".join(items)}</ol>')


def _linked(href: str | None, shape: str) -> str:
    return f'<a href="{escape(href)}">{shape}</a>' if href else shape


def _segment(label: str, status: StatusClass, count: int, x: float, y: int,
             width: float) -> str:
    colour = STATUS_COLOURS[status]
    tip = escape(f"{label}: {status.label_vi} {count}")
    text = (f'<text x="{x + width / 2:.1f}" y="{y + 15}" text-anchor="middle" fill="#fff" '
            f'aria-hidden="true">{count}</text>') if width >= 18 else ""
    return (f'<g><title>{tip}</title><rect x="{x:.1f}" y="{y}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{colour}"/>{text}</g>')


def progress_bar(percent: int | None, label: str) -> Markup:
    """A small bar for a report's percent complete."""
    value = max(0, min(100, percent or 0))
    return Markup(  # noqa: S704 (the label is escaped; the numbers are ints)
        f'<svg class="progress" viewBox="0 0 100 10" width="100" height="10" role="img" '
        f'aria-label="{escape(label)}: {value} %" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="100" height="10" fill="#e5e7eb"/>'
        f'<rect width="{value}" height="10" fill="#1d4ed8"/></svg>')


def legend() -> Markup:
    items = "".join(
        f'<li><span class="swatch st-{c.value}"></span>'
        f"{escape(c.label_vi)}</li>" for c in FIVE_CLASSES)
    return Markup(f'<ul class="legend" aria-label="Chú giải màu">{items}</ul>')  # noqa: S704
