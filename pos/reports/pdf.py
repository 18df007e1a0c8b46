"""A plain A4 PDF of a report: a title, a subtitle, then sections of rows (fpdf2, pure Python).

``document(title, subtitle, sections)`` -> the PDF's bytes.  A section is
``(heading, rows)``; each row is a list of cells (str or int: an int is Rupiah, shown
``Rp12.500`` and set to the right; a ``Figure`` is another number, a count, set to the right
under its header).  A row of one cell is a line of text; the first row of a section whose cells
are all ``Header`` is printed bold as the table's header.  A heading is never left alone at the
foot of a page: it starts the next page with its rows.  The core Helvetica font has Latin-1
only, so other characters become their nearest Latin-1 or ``?``.
"""
from __future__ import annotations

from pos.money import format_rupiah
from pos.text import clean, nearest

_REPLACE = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...",
            "→": "->", "×": "x", "≥": ">=", "≤": "<=", "•": "-"}


class Header(str):
    """A header cell: a section whose first row is all Header cells prints it bold."""


class Figure(str):
    """A number that is not Rupiah (a count), set to the right as money is."""


KEEP_WITH_HEADING = 7 + 2 * 6   # mm: a heading, and room for the two rows after it


def latin1(text: str) -> str:
    """``text`` in the core font's Latin-1: control characters removed, other characters as
    their nearest Latin-1 (``ﬁ`` -> ``fi``, ``ę`` -> ``e``) or ``?`` (Chinese, Arabic, emoji:
    a name never vanishes silently); joiners and combining marks dropped."""
    text = clean(str(text))
    if all(ord(ch) < 256 for ch in text):
        return text
    return nearest(text, _in_latin1, _REPLACE)


def _in_latin1(ch: str) -> bool:
    return ord(ch) < 256


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "ya" if cell else "tidak"
    if isinstance(cell, int):
        return format_rupiah(cell)
    return latin1(cell)


def document(title: str, subtitle: str, sections: list[tuple[str, list[list]]]) -> bytes:
    """The PDF of a title, a subtitle and ``sections`` of rows (see the module's text)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(latin1(title))
    pdf.set_creator("Gerai POS")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(width, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, latin1(subtitle), new_x="LMARGIN", new_y="NEXT")
    for heading, rows in sections:
        pdf.ln(3)
        if heading:
            if rows and pdf.will_page_break(KEEP_WITH_HEADING):   # not alone at a page's foot
                pdf.add_page()
            pdf.set_font("Helvetica", "B", 11)
            pdf.cell(width, 7, latin1(heading), new_x="LMARGIN", new_y="NEXT")
        for index, row in enumerate(rows):
            cells = list(row) or [""]
            bold = index == 0 and all(isinstance(c, Header) for c in cells)
            pdf.set_font("Helvetica", "B" if bold else "", 9)
            if len(cells) == 1:
                pdf.multi_cell(width, 5, cell_text(cells[0]), new_x="LMARGIN", new_y="NEXT")
                continue
            _row(pdf, cells, width, bold)
    return bytes(pdf.output())


def _row(pdf, cells: list, width: float, bold: bool) -> None:
    """One table row: the first column takes the room left over, the others share a fixed
    width; a text wider than its column wraps onto more lines (never cut: a reason for a cash
    difference is read whole), and the row is as tall as its tallest cell."""
    other = min(32, width // len(cells))
    widths = [width - other * (len(cells) - 1)] + [other] * (len(cells) - 1)
    texts = [cell_text(cell) for cell in cells]
    lines = max(len(pdf.multi_cell(w, 5, t, dry_run=True, output="LINES")) or 1
                for w, t in zip(widths, texts, strict=True))
    height = 5 * lines + 1
    if pdf.will_page_break(height):
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    for n, (cell, w, text) in enumerate(zip(cells, widths, texts, strict=True)):
        right = (isinstance(cell, int) and not isinstance(cell, bool)) or isinstance(cell, Figure) \
            or (n and bold)
        pdf.set_xy(x, y)
        pdf.multi_cell(w, 5, text, align="R" if right else "L", new_x="RIGHT", new_y="TOP")
        x += w
    if bold:
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + width, y + height)
    pdf.set_xy(pdf.l_margin, y + height)
