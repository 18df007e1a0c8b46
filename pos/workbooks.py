"""The first sheet of an uploaded XLSX workbook, as every import reads it (the outlet's files
through ``inventory.catalog.spreadsheets``, the hub's saldo awal): its values in streaming mode,
as the program that saved it last computed them (openpyxl's ``data_only``), and the formula cells
saved with no computed value, which would read as empty (a price or a quota "missing").

A formula keeps in the file the value its program last computed (``<v>``); a program that does
not compute formulas (a script with openpyxl, some generators, LibreOffice set not to) leaves it
out or empty.  openpyxl's ``data_only`` reading gives None for both, so such a cell is found by
reading the sheet a second time without ``data_only``, cell by cell beside the first: a formula
there (``data_type`` "f") whose first reading is None and not text (``data_type`` "str": a
formula whose value is the empty text, ``=IF(A2="";"";…)``, is read empty as before) has no value.
The second reading is made only when a worksheet of the file holds a formula element at all, found
by scanning its XML (a fraction of a reading's time), so a file without formulas is read once.
Row 1 names the columns, as in every import, and the message names the cell's column by it.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")   # <f>, <f t="shared" …/>, <x:f>
_CHUNK = 1 << 20
_OVERLAP = 64   # a tag cut by a chunk's end is found in the next read's first bytes


class BadWorkbook(Exception):
    """The bytes are no workbook openpyxl can read (each caller says so in its own words)."""


def has_formulas(data: bytes) -> bool:
    """Whether a worksheet part of the XLSX file ``data`` holds a formula element."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as part:
                tail = b""
                while chunk := part.read(_CHUNK):
                    if _FORMULA.search(tail + chunk[:_OVERLAP]) or _FORMULA.search(chunk):
                        return True
                    tail = chunk[-_OVERLAP:]
    return False


def uncached_message(row: int, columns: list[str]) -> str:
    """A row's formula cells without a computed value, said as every import says it."""
    named = columns[0] if len(columns) == 1 else f"{', '.join(columns[:-1])} dan {columns[-1]}"
    return (f"Baris {row}, kolom {named}: berisi rumus tanpa nilai tersimpan. Buka berkasnya di "
            "Excel/LibreOffice, simpan lagi, lalu unggah ulang.")


class FirstSheet:
    """``with FirstSheet(data, max_col) as sheet:`` then ``sheet.rows()`` (tuples of values, row 1
    first) and, once read, ``sheet.problems``: one ``uncached_message`` per row with a formula
    cell without a value, in row order.  Raises ``BadWorkbook`` for a file openpyxl cannot open."""

    def __init__(self, data: bytes, max_col: int | None = None):
        from openpyxl import load_workbook

        self.max_col, self.problems = max_col, []
        self._books = []
        try:
            self._books.append(load_workbook(io.BytesIO(data), read_only=True, data_only=True))
            if has_formulas(data):
                self._books.append(load_workbook(io.BytesIO(data), read_only=True, data_only=False))
            self._books[0].worksheets[0]   # noqa: B018 - a workbook without a sheet is refused here
        except Exception:  # noqa: BLE001 - openpyxl raises zip, XML and key errors for broken files
            self.close()
            raise BadWorkbook from None

    def __enter__(self) -> FirstSheet:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        for book in self._books:
            book.close()

    def rows(self) -> Iterator[tuple]:
        sheets = [book.worksheets[0] for book in self._books]
        if len(sheets) == 1:
            yield from sheets[0].iter_rows(max_col=self.max_col, values_only=True)
            return
        header: tuple = ()
        for line, (cells, formulas) in enumerate(zip(
                sheets[0].iter_rows(max_col=self.max_col), sheets[1].iter_rows(max_col=self.max_col),
                strict=True), start=1):
            values = tuple(cell.value for cell in cells)
            header = header or values
            uncached = [_column_name(header, column)
                        for column, (cell, formula) in enumerate(zip(cells, formulas, strict=True))
                        if cell.value is None and cell.data_type != "str" and formula.data_type == "f"]
            if uncached:
                self.problems.append(uncached_message(line, uncached))
            yield values


def _column_name(header: tuple, column: int) -> str:
    """``price (F)`` by row 1's name for it, or the letter alone."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column + 1)
    name = " ".join(str(header[column]).split()) if column < len(header) and header[column] else ""
    return f"{name} ({letter})" if name else letter
