"""Shelf and product labels as pictures: EAN-13 drawn by python-barcode as SVG, PNG or A4 sheets.

Plain data in (``Label``), documents out; nothing here knows about products
(the ESC/POS form of a label is in ``escpos_render``).  python-barcode silently "fixes" a wrong 13th digit, so
every code is checked here first and then drawn with ``no_checksum=True``:
what is printed is exactly what was asked for, or an error.
"""
from __future__ import annotations

import io
import re
import textwrap
from xml.sax.saxutils import escape

from pos.hardware.ports import Label

A4_MM = (210, 297)
# Module size and quiet zones (11 and 7 modules at 0.33 mm rounded up) for a
# nominal-size EAN-13 that every scanner and zbar read.
_SVG_OPTIONS = {"module_width": 0.33, "module_height": 11.0, "quiet_zone": 3.7,
                "font_size": 8, "text_distance": 3.5, "margin_top": 0.5, "margin_bottom": 0.5}
_PX_TO_MM = 25.4 / 96  # SVG absolute units (mm, pt) resolve to CSS pixels
_NAME_CHARS = 30       # per line at 3.4 mm type in a 70 mm cell


class LabelCodeError(ValueError):
    """A code that is not a 13-digit EAN-13 with its correct check digit."""


def check_ean13(code: str) -> str:
    """``code`` unchanged when it is a valid EAN-13, else ``LabelCodeError``."""
    if len(code) != 13 or not code.isascii() or not code.isdigit():
        raise LabelCodeError(f"Kode {code!r} bukan EAN-13 (13 angka).")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    if (10 - total % 10) % 10 != int(code[12]):
        raise LabelCodeError(f"Kode {code} tidak valid (angka periksa salah).")
    return code


def _ean13(code: str, writer=None):
    from barcode import EAN13

    return EAN13(check_ean13(code), writer=writer, no_checksum=True)


def barcode_svg(code: str, **options) -> str:
    """A standalone SVG document of the EAN-13 ``code`` (sizes in mm)."""
    out = io.BytesIO()
    _ean13(code).write(out, options={**_SVG_OPTIONS, **options})
    return out.getvalue().decode("utf-8")


def barcode_png(code: str, dpi: int = 300) -> bytes:
    """The EAN-13 ``code`` as a PNG image at ``dpi``."""
    from barcode.writer import ImageWriter

    out = io.BytesIO()
    _ean13(code, writer=ImageWriter()).write(out, options={
        "module_width": 0.33, "module_height": 15.0, "quiet_zone": 3.7, "font_size": 10,
        "text_distance": 5.0, "dpi": dpi})
    return out.getvalue()


def _mm(head: str, name: str) -> float:
    """An attribute like ``width="38.750mm"`` of an element's start tag, in mm."""
    whole, _, part = head.split(f'{name}="')[1].split("mm")[0].partition(".")
    return int(whole) + (int(part) / 10 ** len(part) if part else 0)


_STYLE = re.compile(r'style="([^"]*)"')


def _presentation(match: re.Match) -> str:
    """``style="fill:black;font-size:8pt"`` as SVG attributes: ``fill="black" font-size="8pt"``."""
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def _svg_element(code: str) -> tuple[str, float, float]:
    """The barcode's ``<svg>`` element without prolog, and its width and height in mm.

    python-barcode colours and sizes with ``style="..."`` attributes, which a page's
    Content-Security-Policy (no inline styles) ignores; SVG presentation attributes
    (``fill="..."``, ``font-size="..."``) mean the same and are not styles.
    """
    text = barcode_svg(code)
    element = text[text.index("<svg"):].replace(' id="barcode_group"', "")
    element = _STYLE.sub(_presentation, element)
    head = element[:element.index(">")]
    return element, _mm(head, "width"), _mm(head, "height")


_SIZE = re.compile(r"(?<=\d) (?=[^\W\d]{1,6}\b)")  # "85 g", "1 liter", "10 tablet": kept together


def _name_lines(name: str, chars: int = _NAME_CHARS) -> list[str]:
    """The name in at most two lines, a number never parted from its unit (``85 g``). A longer
    name keeps its start and its end, where a size or variant is (``… Istimewa 500 g``), the
    middle left out: cut at the end, two sizes of one good printed the same label."""
    text = _SIZE.sub("\u00a0", " ".join(name.split()))   # no break (textwrap breaks at spaces only)
    lines = textwrap.wrap(text, chars, break_long_words=True) or [""]
    if len(lines) > 2:
        tail, words = "", [w for w in text[len(lines[0]):].split(" ") if w]  # "500\u00a0g" one word
        while words and len(tail) + len(words[-1]) + 2 <= chars:   # "…" and a space before
            tail = f"{words.pop()} {tail}".rstrip()
        lines = [lines[0], f"… {tail}" if tail else lines[1][:chars - 1].rstrip() + "…"]
    return [line.replace("\u00a0", " ") for line in lines]


_NARROW, _WIDE = set("iljtfrI.,:;'!|() -"), set("mwMW@%")


def _ems(line: str) -> float:
    """About how wide ``line`` is in DejaVu Sans, in ems (a little wider than it is, never less)."""
    return sum(0.36 if ch in _NARROW else 1.0 if ch in _WIDE else 0.76 if ch.isupper()
               else 0.66 if ch.isdigit() else 0.62 for ch in line)


def _fitted(line: str, size: float, room: float) -> str:
    """The attributes that squeeze a line wider than ``room`` mm into it (a name in capitals,
    ``MUHAMMAD …``, or a long word ran into the next label); none for a line that fits."""
    if _ems(line) * size <= room:
        return ""
    return f' textLength="{room:.2f}" lengthAdjust="spacingAndGlyphs"'


def _cell(label: Label, x: float, y: float, width: float, height: float) -> str:
    """One label's group: name, price and the barcode at the bottom, centred."""
    element, bar_w, bar_h = _svg_element(label.code)
    bar_x, bar_y = x + (width - bar_w) / 2, y + height - bar_h - 1
    parts = [f'<g class="label" data-code="{label.code}">']
    for row, line in enumerate(_name_lines(label.name)):
        parts.append(f'<text x="{x + 4:.2f}" y="{y + 6 + row * 4:.2f}" font-size="3.4"'
                     f'{_fitted(line, 3.4, width - 7)}>{escape(line)}</text>')
    unit = f'<tspan font-size="3" font-weight="normal">{escape(label.unit_text)}</tspan>' \
        if label.unit_text else ""
    parts.append(f'<text x="{x + 4:.2f}" y="{y + 15:.2f}" font-size="5.2" font-weight="bold">'
                 f'{escape(label.price_text)}{unit}</text>')
    parts.append(f'<g transform="translate({bar_x:.3f} {bar_y:.3f}) scale({_PX_TO_MM:.7f})">'
                 f'{element}</g></g>')
    return "".join(parts)


def a4_sheet_svg(labels: list[Label], columns: int = 3, rows: int = 8) -> list[str]:
    """One SVG document per A4 page, ``columns`` x ``rows`` labels per page (70 x 37 mm by default)."""
    if columns < 1 or rows < 1:
        raise ValueError("columns and rows must be positive")
    width, height = A4_MM[0] / columns, A4_MM[1] / rows
    per_page = columns * rows
    pages = []
    for start in range(0, len(labels), per_page):
        cells = [_cell(label, (i % columns) * width, (i // columns) * height, width, height)
                 for i, label in enumerate(labels[start:start + per_page])]
        pages.append(
            '<svg xmlns="http://www.w3.org/2000/svg" class="label-sheet" width="210mm" height="297mm" '
            'viewBox="0 0 210 297" font-family="DejaVu Sans, Arial, sans-serif">'
            '<rect width="210" height="297" fill="white"/>' + "".join(cells) + "</svg>")
    return pages
