"""One shape for every manager's report: a title, typed columns, rows, a totals row.

A report module returns a ``Report``; one template shows it (with pages), and one writer
exports it to CSV or XLSX, so every report gets screen, CSV, XLSX and pagination alike.
Cells hold plain values: Rupiah and quantities as integers, percentages in basis points,
dates as ``date``, moments as outlet-local ``datetime``; ``cell_text`` is what the screen
and the CSV show for the text-like kinds, and Rupiah stay integers in files.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pos.inventory.catalog.spreadsheets import plain
from pos.money import format_difference, format_rate, format_rupiah
from pos.text import clean, neutral
from pos.units import BaseUnit

PER_PAGE = 50
RUPIAH, SIGNED = '"Rp"#,##0;-"Rp"#,##0', '+"Rp"#,##0;-"Rp"#,##0;"Rp"0'   # XLSX number formats
# code: a number, unbroken; unit: a base unit in words (gram, ml, pcs), only in files
KINDS = ("text", "code", "rupiah", "qty", "int", "percent", "date", "time", "unit")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"   # one of KINDS; "qty" reads the row's ``base_unit`` (pieces by default)
    total: bool = False  # summed in the totals row
    file_label: str | None = None  # the CSV/XLSX header when the file says more (a unit)
    signed: bool = False  # Rupiah as a difference: over with its + (``+Rp14.800``), as everywhere

    @property
    def header(self) -> str:
        return self.file_label or self.label


NUMERIC = ("rupiah", "qty", "int", "percent")
# The files hold quantities as integers of each row's base unit (a 50 kg sack is 50000): beside
# them, the unit of the row (gram, ml, pcs) in words.
UNIT = Column("base_unit", "Satuan", "unit")


@dataclass(frozen=True)
class Stack:
    """One column of the screen holding several of the report's columns, one line each (a
    report with more columns than a 1024 px screen has room for): ``lines`` name the columns of
    each line (those of one line side by side, "07:58–15:02"), ``heads`` the header's short
    words per line and ``title`` its words in full (the header's tooltip).  Only the screen
    stacks: CSV, XLSX and JSON keep every column."""
    heads: tuple[str, ...]
    title: str
    lines: tuple[tuple[str, ...], ...]

    def kind(self, report: Report) -> str:
        """The kind of its first column: a stack of figures is right-aligned as one."""
        return report.column(self.lines[0][0]).kind

    def cells(self, row: dict, report: Report) -> list[tuple[str, list[str]]]:
        """(kind, texts) per line, each column's text as ``cell_text`` shows it, none empty."""
        out = []
        for keys in self.lines:
            columns = [report.column(key) for key in keys]
            out.append((columns[0].kind, [t for t in (cell_text(row, c) for c in columns) if t]))
        return out


@dataclass
class Report:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None          # over every row of every page
    row_count: int = 0                  # every page
    page: int = 1
    per_page: int = PER_PAGE
    note: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, endpoint) elsewhere
    screen: list[Stack] | None = None   # the screen's columns when not one per column
    about: dict = field(default_factory=dict)   # the JSON's plain values of the whole report

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def pages(self) -> int:
        return max(1, -(-self.row_count // self.per_page))

    def as_json(self, start: date, end: date, zone: str | None = None) -> dict:
        """``{"report", "from", "to", "columns", "rows", "totals"}`` with plain values, and the
        report's ``about`` (the stock card's product and balances); a time (the outlet's local
        time, as the rows hold it) with the offset of ``zone`` said."""
        def value(row: dict, column: Column):
            cell = row.get(column.key)
            if isinstance(cell, datetime) and cell.tzinfo is None and zone is not None:
                cell = cell.replace(tzinfo=ZoneInfo(zone))
            return cell.isoformat() if isinstance(cell, date | datetime) else plain(cell)
        columns, rows = file_columns(self), _file_rows(self)[:len(self.rows)]
        return {"report": self.name, "from": start.isoformat(), "to": end.isoformat(), **self.about,
                "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in columns],
                "rows": [{c.key: value(r, c) for c in columns} for r in rows],
                "totals": {c.key: value(self.totals, c) for c in columns} if self.totals else None}


def file_columns(report: Report) -> list[Column]:
    """The columns of the CSV, XLSX and JSON: the report's, and after its last quantity column
    ``UNIT`` (Satuan) when any quantity column's header does not name its unit (rows of goods
    in grams, ml and pieces alike: the integers of the files differ a thousandfold)."""
    columns = list(report.columns)
    bare = [i for i, c in enumerate(columns) if c.kind == "qty" and c.file_label is None]
    if bare:
        columns.insert(bare[-1] + 1, UNIT)
    return columns


def page_bounds(page: int, per_page: int = PER_PAGE) -> tuple[int, int]:
    """(limit, offset) of a 1-based page."""
    return per_page, (max(page, 1) - 1) * per_page


def totals_of(columns: list[Column], rows: list[dict], label: str = "Total") -> dict:
    """The totals row of rows held in Python: the sum of each summed column."""
    out: dict = {columns[0].key: label}
    for column in columns:
        if column.total:
            out[column.key] = sum(int(row.get(column.key) or 0) for row in rows)
    return out


def cell_text(row: dict, column: Column, *, screen: bool = True) -> str:
    """A cell as the screen shows it (``screen``) or as the CSV holds it (Rupiah, quantities
    and counts as bare integers there)."""
    value = row.get(column.key)
    if value is None or value == "":
        return ""
    if isinstance(value, str) and column.kind in ("date", "time", "percent"):
        return clean(value)  # the totals row's label
    if column.kind == "rupiah":
        if not screen:
            return str(int(value))
        return (format_difference if column.signed else format_rupiah)(int(value))
    if column.kind == "qty":
        unit = row.get("base_unit") or BaseUnit.PCS
        return BaseUnit(plain(unit)).format(int(value)) if screen else str(int(value))
    if column.kind == "int":
        return str(int(value))
    if column.kind == "unit":
        return BaseUnit(plain(value)).value
    if column.kind == "percent":
        return format_rate(int(value), fixed=True) + "%"   # a column: 18,00% above 12,69%
    if column.kind == "date":
        return value.strftime("%d-%m-%Y")
    if column.kind == "time":   # on screen, a time on the row's own date shows the time alone
        same_day = screen and getattr(row.get("date"), "isoformat", None) and value.date() == row["date"]
        return value.strftime("%H:%M" if same_day else "%d-%m-%Y %H:%M")
    return clean(str(plain(value)))


def _file_rows(report: Report) -> list[dict]:
    """Every row then the totals row; a row of goods without a base unit holds pieces (the
    totals row has no unit: it sums no quantity of goods of mixed units)."""
    rows = [row if row.get("base_unit") else {**row, "base_unit": BaseUnit.PCS} for row in report.rows]
    return rows + ([report.totals] if report.totals else [])


def to_csv(report: Report) -> str:
    """Header, every row, the totals row; Rupiah and quantities as integers, dates dd-mm-yyyy."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = file_columns(report)
    writer.writerow([c.header for c in columns])
    for row in _file_rows(report):
        writer.writerow([neutral(cell_text(row, c, screen=False)) if c.kind in ("text", "code")
                         else cell_text(row, c, screen=False) for c in columns])
    return out.getvalue()


def to_xlsx(report: Report) -> bytes:
    """One sheet: Rupiah as numbers with a Rupiah format, percentages as their basis points with
    a format that shows them as the screen does (1388 reads 13,88%), dates as dates, text always
    text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[][:*?/\\]", "-", report.title)[:31])  # Excel's rule
    columns = file_columns(report)
    sheet.append([c.header for c in columns])
    formats = {"rupiah": RUPIAH, "date": "dd-mm-yyyy", "time": "dd-mm-yyyy hh:mm",
               "qty": "#,##0", "int": "#,##0", "percent": '#0","00"%"'}
    for row in _file_rows(report):
        cells = []
        for column in columns:
            value = row.get(column.key)
            if column.kind in formats and value not in (None, "") and not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=int(value) if column.kind in ("rupiah", "qty", "int",
                                                                                "percent") else value)
                cell.number_format = SIGNED if column.signed else formats[column.kind]
            else:
                cell = WriteOnlyCell(sheet, value=cell_text(row, column, screen=False) or None)
                if cell.value is not None:
                    cell.data_type = "s"  # never a formula
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
