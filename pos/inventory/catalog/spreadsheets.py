"""Catalog files: CSV and XLSX to rows of cell text and back (no database).

Rows are numbered like a spreadsheet (row 2 is the first product).  Export
guards against spreadsheet formulas: text starting with = + - @ gets a leading
apostrophe (``pos.text.neutral``), which reading strips again; XLSX cells are always
text.  A number read from an XLSX code column (barcodes, kartu, nik, kartu_tani) is read as its
code only when no leading zero or digit can have been lost (``code_cells``), else refused.
Every cell loses its control characters (``pos.text.clean``) first: a name stored before
cleaning existed must neither break an XLSX export (openpyxl refuses them) nor
hide NUL or ESC bytes in a CSV file, nor slip a formula past the apostrophe.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from pos.errors import PosError
from pos.inventory.catalog.code_cells import CODE_COLUMNS, CodeCellError, code_text, is_number
from pos.text import clean, neutral
from pos.units import format_number
from pos.workbooks import BadWorkbook, FirstSheet

COLUMNS = ["sku", "name", "category", "business_unit", "base_unit", "price", "cost", "tax_class",
           "barcodes", "weighed", "batch_tracked", "active", "reorder_point", "shelf", "plu",
           "stock_policy", "golongan_obat", "maks_per_transaksi", "lpg", "subsidi"]
# File columns named otherwise than the product's field: the drug class, its most per sale and
# the e-RDKK type of a subsidised fertiliser.
FIELDS = {"golongan_obat": "drug_class", "maks_per_transaksi": "max_per_sale", "subsidi": "subsidy"}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
Row = dict[str, Any]  # column -> cell text, plus "_line": the spreadsheet row number
Numbers = Callable[[str, Any], tuple[int | str, str | None] | None]   # ``to_xlsx``'s number cells


class Hint(str):
    """Advice listed under a file's problems (how to confirm a warning): said, never counted as
    a problem ("2 kesalahan" for one row's problem and its hint)."""


def problem_count(errors: list[str]) -> int:
    return sum(not isinstance(error, Hint) for error in errors)


_ROW = re.compile(r"Baris ([0-9]+): ")


def in_row_order(entries: list[str]) -> list[str]:
    """Each row's problems and warnings together, rows in order (a warning of row 10 came
    after the problems of row 14); those of one row, and anything not of a row, as found."""
    def row(entry: str) -> int:
        found = _ROW.match(entry)
        return int(found.group(1)) if found else 0
    return sorted(entries, key=row)


class ImportErrors(PosError):
    """The file cannot be imported; ``errors`` lists every problem (and any ``Hint``), nothing
    was written."""

    def __init__(self, errors: list[str]):
        super().__init__(f"Impor dibatalkan, tidak ada yang disimpan: {problem_count(errors)} kesalahan. "
                         + "; ".join(errors[:3]))
        self.errors = errors
        self.problems = problem_count(errors)


def plain(value: Any) -> Any:
    """An enum's value, anything else unchanged (cells hold plain values)."""
    return value.value if hasattr(value, "value") else value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return clean(str(value))


def to_csv(rows: list[dict], columns: list[str] = COLUMNS) -> str:
    """UTF-8 CSV with a header; text that a spreadsheet would run as a formula gets a ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = [_cell_text(row.get(c)) for c in columns]
        writer.writerow([neutral(t) for t in cells])
    return out.getvalue()


def to_xlsx(rows: list[dict], columns: list[str] = COLUMNS, title: str = "Katalog",
            numbers: Numbers | None = None) -> bytes:
    """One sheet ``title`` written in streaming mode; codes stay text (leading zeros kept).

    ``numbers(column, value)``, when given, makes a cell a number of its own: ``(number,
    number_format)``, the number an int or an exact decimal's text (``"12.5"``, stored as the
    number it spells), the format None for the default; or None to write the cell as usual."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if numbers is not None and (number := numbers(column, value)) is not None:
                cell = WriteOnlyCell(sheet, value=number[0])
                cell.data_type = "n"
                if number[1]:
                    cell.number_format = number[1]
                cells.append(cell)
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=_cell_text(value) or None)
            cell.data_type = "s" if cell.value is not None else cell.data_type  # never a formula
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_file(filename: str, data: bytes, columns: list[str] = COLUMNS, key: str = "sku") -> list[Row]:
    """Rows of a ``.csv`` or ``.xlsx`` upload (by extension); ``key`` is the column every file needs."""
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return read_csv(data, columns, key)
    if name.endswith(".xlsx"):
        return read_xlsx(data, columns, key)
    raise ImportErrors(["Jenis berkas tidak didukung: gunakan .csv atau .xlsx."])


def read_csv(data: bytes, columns: list[str] = COLUMNS, key: str = "sku") -> list[Row]:
    """Rows of a CSV file (comma, semicolon or tab separated, as spreadsheets save them)."""
    _check_size(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportErrors(["Berkas bukan teks UTF-8. Simpan ulang sebagai \"CSV UTF-8\"."]) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return _rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), columns, key)


def read_xlsx(data: bytes, columns: list[str] = COLUMNS, key: str = "sku") -> list[Row]:
    """Rows of the first sheet of an XLSX workbook (read in streaming mode); a formula saved
    without its value (it would read as an empty cell) refuses the file, naming the cell
    (``pos.workbooks``), and so does a number in a code column that may have lost digits."""
    _check_size(data)
    try:
        sheet = FirstSheet(data, max_col=len(columns) + 10)
    except BadWorkbook:
        raise ImportErrors(["Berkas bukan XLSX yang sah. Simpan ulang dari aplikasi lembar kerja."]) \
            from None
    numbers: list[str] = []
    with sheet:
        rows = _rows(_texts(sheet.rows(), numbers), columns, key)
    if sheet.problems or numbers:
        raise ImportErrors(sorted(sheet.problems + numbers, key=_line_of))
    return rows


def _texts(records, numbers: list[str]):
    """Each row's cells as text; a number in a code column as its code, or its problem added to
    ``numbers`` (``code_cells``)."""
    names: list[str] = []
    for line, values in enumerate(records, start=1):
        texts = [_xlsx_text(v) for v in values]
        if line == 1:
            names = [_column_key(h) for h in values]
            yield texts
            continue
        for at, value in enumerate(values):
            kind = CODE_COLUMNS.get(names[at]) if at < len(names) else None
            if kind and is_number(value):
                try:
                    texts[at] = code_text(value, kind, line, names[at])
                except CodeCellError as error:
                    numbers.append(str(error))
        yield texts


_LINE = re.compile(r"Baris ([0-9]+)\b")


def _line_of(problem: str) -> int:
    found = _LINE.match(problem)
    return int(found.group(1)) if found else 0


def _xlsx_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):  # a date cell (a datetime too): as people type it, dd-mm-yyyy
        return f"{value:%d-%m-%Y}"
    return _cell_text(value)


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ImportErrors([f"Berkas terlalu besar (maksimal {MAX_BYTES // (1024 * 1024)} MB)."])


def _rows(records, columns: list[str] = COLUMNS, key: str = "sku") -> list[Row]:
    """Dicts keyed by the header; blank rows skipped; line numbers as in a spreadsheet."""
    records = iter(records)
    header = [_column_key(h) for h in next(records, [])]
    while header and not header[-1]:
        header.pop()
    _check_header(header, columns, key)
    rows = []
    for line, cells in enumerate(records, start=2):
        cells = [str(c or "").strip() for c in cells]
        if not any(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportErrors([f"Berkas berisi lebih dari {format_number(MAX_ROWS)} baris data; "
                                "bagi menjadi beberapa berkas."])
        row: Row = {h: _unquote(c) for h, c in zip(header, cells, strict=False)}
        row["_line"] = line
        row["_extra"] = any(cells[len(header):])
        rows.append(row)
    return rows


def _column_key(heading: Any) -> str:
    """A column's name in row 1 as the import knows it (``Kode Barang`` -> ``kode_barang``)."""
    return str(heading or "").strip().lower().replace(" ", "_")


def _unquote(text: str) -> str:
    """A cell as written before ``neutral`` guarded it (a plain ``'`` at the start stays),
    trimmed like every cell: the apostrophe may have stood before a space (``' =``)."""
    return text[1:].strip() if text.startswith("'") and neutral(text[1:]) == text else text


def _check_header(header: list[str], columns: list[str] = COLUMNS, key: str = "sku") -> None:
    if key not in header:
        raise ImportErrors([f"Baris 1: kolom '{key}' tidak ada. Kolom yang dikenal: " + ", ".join(columns)])
    unknown = [h or "(kosong)" for h in header if h not in columns]
    doubled = sorted({h for h in header if header.count(h) > 1})
    if unknown or doubled:
        raise ImportErrors([f"Baris 1: kolom tidak dikenal atau ganda: {', '.join(unknown + doubled)}. "
                            "Kolom yang dikenal: " + ", ".join(columns)])
