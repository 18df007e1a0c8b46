"""Charts drawn on the server as inline SVG: offline, printable, and allowed by the page's
Content-Security-Policy (no ``<style>``, no ``style=``, no script: presentation attributes
and the classes of ``static/css/reports.css`` only). Pure: plain values in, markup out.

Integer geometry throughout (a value's bar is ``value * height // largest``). Each chart has
a ``<title>`` and ``<desc>`` for screen readers; the page shows the same numbers as a table.
pygal was considered and left out: it writes ``<style>`` elements and scripts into its SVG,
which the policy refuses, and a chart here is a few rectangles.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from pos.money import format_rupiah

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 84, 40, 36
COLOURS = ("#1f5f8b", "#e08a00", "#3c8d40", "#9b2f6f", "#5b5b5b", "#2a9d9d")  # readable in print


def _short(amount: int) -> str:
    """An axis label: Rp1,2jt / Rp850rb / Rp900."""
    if amount >= 1_000_000:
        whole, part = divmod(amount, 1_000_000)
        return f"Rp{whole},{part // 100_000}jt" if part // 100_000 else f"Rp{whole}jt"
    if amount >= 1_000:
        return f"Rp{amount // 1_000}rb"
    return f"Rp{amount}"


def _frame(chart_id: str, title: str, desc: str, body: list[str], height: int = HEIGHT) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _axis(top: int) -> list[str]:
    base = HEIGHT - BOTTOM
    out = [f'<line class="chart-axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - 8}" y2="{base}" stroke="#333"/>']
    for step in (1, 2):  # half and full height guides
        y = base - (base - TOP) * step // 2
        out.append(f'<line class="chart-grid" x1="{LEFT}" y1="{y}" x2="{WIDTH - 8}" y2="{y}" '
                   f'stroke="#bbb" stroke-dasharray="3 3"/>')
        out.append(f'<text class="chart-tick" x="{LEFT - 6}" y="{y + 4}" text-anchor="end" '
                   f'font-size="15" fill="#333">{escape(_short(top * step // 2))}</text>')
    return out


def bars(chart_id: str, title: str, desc: str, points: list[tuple[str, int]],
         compare: list[int] | None = None, compare_label: str = "") -> Markup:
    """Vertical bars (one per point) and, with ``compare``, a dashed line of other values."""
    top = max([1, *(v for _, v in points), *(compare or [])])
    base, span = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 8) // max(len(points), 1)
    body = _axis(top)
    every = max(1, -(-len(points) // 8))  # at most 8 labels on the axis
    for i, (label, value) in enumerate(points):
        h, x = value * span // top, LEFT + i * slot
        body.append(f'<rect class="chart-bar" x="{x + 2}" y="{base - h}" width="{max(slot - 4, 1)}" '
                    f'height="{h}" fill="{COLOURS[0]}"><title>{escape(label)}: '
                    f'{escape(format_rupiah(value))}</title></rect>')
        if i % every == 0:
            body.append(f'<text class="chart-label" x="{x + slot // 2}" y="{base + 22}" '
                        f'text-anchor="middle" font-size="15" fill="#333">{escape(label)}</text>')
    if compare:
        path = " ".join(f"{LEFT + i * slot + slot // 2},{base - v * span // top}"
                        for i, v in enumerate(compare))
        body.append(f'<polyline class="chart-compare" points="{path}" fill="none" stroke="{COLOURS[1]}" '
                    f'stroke-width="3" stroke-dasharray="6 4"/>')
        body.append(_legend([("Hari ini", COLOURS[0]), (compare_label, COLOURS[1])], y=16)[0])
    return _frame(chart_id, title, desc, body)


def line(chart_id: str, title: str, desc: str, points: list[tuple[str, int]]) -> Markup:
    """One line through the points, with a dot on each."""
    top = max([1, *(v for _, v in points)])
    base, span = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 8) // max(len(points), 1)
    body = _axis(top)
    coords = [(LEFT + i * slot + slot // 2, base - v * span // top) for i, (_, v) in enumerate(points)]
    if coords:
        body.append(f'<polyline class="chart-line" points="{" ".join(f"{x},{y}" for x, y in coords)}" '
                    f'fill="none" stroke="{COLOURS[0]}" stroke-width="2"/>')
    every = max(1, -(-len(points) // 6))
    for i, ((label, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        body.append(f'<circle class="chart-dot" cx="{x}" cy="{y}" r="3" fill="{COLOURS[0]}">'
                    f'<title>{escape(label)}: {escape(format_rupiah(value))}</title></circle>')
        if i % every == 0:
            body.append(f'<text class="chart-label" x="{x}" y="{base + 22}" text-anchor="middle" '
                        f'font-size="15" fill="#333">{escape(label)}</text>')
    return _frame(chart_id, title, desc, body)


def ranking(chart_id: str, title: str, desc: str, points: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, largest first: the name above each bar, the amount after it."""
    row, left = 46, 8
    height = 8 + row * max(len(points), 1)
    top = max([1, *(v for _, v in points)])
    span = WIDTH - left - 130
    body = []
    for i, (label, value) in enumerate(points):
        y, w = 8 + i * row, max(value * span // top, 1)
        body.append(f'<text class="chart-label" x="{left}" y="{y + 14}" font-size="16" '
                    f'fill="#222">{escape(label[:60])}</text>')
        body.append(f'<rect class="chart-bar" x="{left}" y="{y + 20}" width="{w}" height="18" '
                    f'fill="{COLOURS[0]}"/>')
        body.append(f'<text class="chart-label" x="{left + w + 6}" y="{y + 35}" font-size="15" '
                    f'fill="#222">{escape(format_rupiah(value))}</text>')
    return _frame(chart_id, title, desc, body, height)


def shares(chart_id: str, title: str, desc: str, points: list[tuple[str, int]]) -> Markup:
    """One stacked bar of parts of a whole (tender mix, member share), with a legend."""
    whole, left, span = sum(v for _, v in points), 8, WIDTH - 16
    body, x = [], left
    for i, (label, value) in enumerate(points):
        w = value * span // whole if whole else 0
        colour = COLOURS[i % len(COLOURS)]
        body.append(f'<rect class="chart-part chart-part-{i % len(COLOURS)}" x="{x}" y="{TOP}" '
                    f'width="{w}" height="40" fill="{colour}" stroke="#fff"><title>{escape(label)}: '
                    f'{escape(format_rupiah(value))}</title></rect>')
        x += w
    legend, last = _legend([(f"{label} {_percent(value, whole)}", COLOURS[i % len(COLOURS)])
                            for i, (label, value) in enumerate(points)], y=TOP + 70, x=left)
    body.append(legend)
    return _frame(chart_id, title, desc, body, last + 14)


def _percent(value: int, whole: int) -> str:
    if not whole:
        return "0%"
    tenths = (value * 2000 + whole) // (2 * whole)  # per mille, rounded half up
    return f"{tenths // 10},{tenths % 10}%"


LEGEND_ROW = 24  # the height of one row of the legend


def _legend(items: list[tuple[str, str]], y: int = 16, x: int = LEFT) -> tuple[str, int]:
    """Keys and labels side by side from ``x``, going on to another row where a label would
    pass the chart's right edge (a label is reckoned at 9 units a character, font-size 16);
    the markup and the baseline of the last row."""
    out, start = [], x
    for label, colour in items:
        width = 20 + 9 * len(label)
        if x > start and x + width > WIDTH - 8:
            x, y = start, y + LEGEND_ROW
        out.append(f'<rect class="chart-key" x="{x}" y="{y - 12}" width="14" height="14" fill="{colour}"/>'
                   f'<text class="chart-label" x="{x + 20}" y="{y}" font-size="16" fill="#222">'
                   f'{escape(label)}</text>')
        x += width + 16
    return "".join(out), y
