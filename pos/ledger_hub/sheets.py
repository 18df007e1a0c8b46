"""One shape for the books on screen and in XLSX: a ``Sheet`` of titled columns and rows, each
row a style (plain, heading, subtotal, total) and its cells.  The template draws the same
rows the writer puts in the file, so the export always equals the screen.

(``pos.reports.shape`` does this for the outlet, but imports the outlet's catalog; the hub
imports no outlet domain, so this is its own small writer.)
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from pos.money import format_rupiah
from pos.text import neutral

RUPIAH_FORMAT = '"Rp"#,##0;-"Rp"#,##0'


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"    # text | rupiah | date


@dataclass(frozen=True)
class Row:
    cells: tuple
    style: str = ""       # "" | heading | subtotal | total


@dataclass
class Sheet:
    name: str             # the file's name part, e.g. "phu"
    title: str
    subtitle: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    verdict: str = ""     # e.g. "Neraca seimbang." or "Neraca TIDAK seimbang."
    notes: list[str] = field(default_factory=list)  # what the reader must know, said under the verdict
    ok: bool = True
    tab: str = ""         # the worksheet's name in the XLSX (default: the title)

    def add(self, *cells, style: str = "") -> None:
        self.rows.append(Row(tuple(cells), style))

    def text(self, row: Row, index: int) -> str:
        """A cell as the screen shows it: Rupiah as Rp12.500, dates dd-mm-yyyy."""
        value = row.cells[index] if index < len(row.cells) else None
        if value is None:
            return ""
        kind = self.columns[index].kind
        if kind == "rupiah" and isinstance(value, int):
            return format_rupiah(value)
        if isinstance(value, date):
            return value.strftime("%d-%m-%Y")
        return str(value)

    def values(self) -> list[list]:
        """Every row's cells as the XLSX holds them (Rupiah as integers, dates as dates)."""
        return [[cell for cell in row.cells] + [None] * (len(self.columns) - len(row.cells))
                for row in self.rows]


def to_xlsx(*sheets: Sheet) -> bytes:
    """Each sheet a worksheet, the first the one the file opens on: the title, the period, a
    blank line, the column labels (row 4), every row, the verdict and the notes."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        _write(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(book, sheet: Sheet) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    out_sheet = book.create_sheet(re.sub(r"[][:*?/\\]", "-", sheet.tab or sheet.title)[:31])
    bold = Font(bold=True)

    def text_cell(value: str, strong: bool = False):
        cell = WriteOnlyCell(out_sheet, value=neutral(value) if value else None)
        if cell.value is not None:
            cell.data_type = "s"   # never a formula
        if strong:
            cell.font = bold
        return cell
    out_sheet.append([text_cell(sheet.title, True)])
    out_sheet.append([text_cell(sheet.subtitle)])
    out_sheet.append([])
    out_sheet.append([text_cell(c.label, True) for c in sheet.columns])
    for row, values in zip(sheet.rows, sheet.values(), strict=True):
        cells = []
        for column, value in zip(sheet.columns, values, strict=True):
            if isinstance(value, int) and column.kind == "rupiah":
                cell = WriteOnlyCell(out_sheet, value=value)
                cell.number_format = RUPIAH_FORMAT
            elif isinstance(value, date):
                cell = WriteOnlyCell(out_sheet, value=value)
                cell.number_format = "dd-mm-yyyy"
            else:
                cell = text_cell("" if value is None else str(value))
            if row.style in ("heading", "subtotal", "total"):
                cell.font = bold
            cells.append(cell)
        out_sheet.append(cells)
    if sheet.verdict:
        out_sheet.append([])
        out_sheet.append([text_cell(sheet.verdict, True)])
    for note in sheet.notes:
        out_sheet.append([text_cell(note)])


def read_xlsx(content: bytes) -> list[list]:
    """The rows under the column labels of a file ``to_xlsx`` wrote (for checks and tests)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = [[v.date() if isinstance(v, datetime) else v for v in r]
            for r in book.worksheets[0].iter_rows(min_row=5, values_only=True)]
    book.close()
    return rows
