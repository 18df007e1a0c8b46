"""The fertiliser reports as files: the realization (CSV and XLSX), the redemptions per
receipt and the redemption report's XLSX with its kilograms as numbers.

Rows hold plain values, one kind per column (``KINDS``): grams for kg, basis points for a
rate, integer Rupiah.  The CSV is for a spreadsheet set to Indonesian: kg and rates written
with a decimal comma (``12,5``), Rupiah as whole numbers.  The XLSX writes them as numbers a
spreadsheet can sum: kg as the exact decimal (``12.5``, from the grams, no float), a rate as
a percentage (``0.4567`` shown ``45,67%``), Rupiah with the Rupiah format; text stays text.
"""
from __future__ import annotations

import io

from pos.fertilizer.seasons import kg_number
from pos.inventory.catalog import spreadsheets
from pos.money import format_rate
from pos.text import clean

KG_WHOLE, KG_PART, PERCENT = "#,##0", "#,##0.0##", "0.00%"
RUPIAH = '"Rp"#,##0;-"Rp"#,##0'   # as ``pos.reports.shape`` writes Rupiah


def exact_kg(grams: int) -> str:
    """``12500`` -> ``12.5``, ``150000`` -> ``150``: kilograms as a number's text (a point)."""
    whole, part = divmod(abs(grams), 1000)
    text = str(whole) + (f".{part:03d}".rstrip("0") if part else "")
    return ("-" if grams < 0 else "") + text


def exact_share(rate_bp: int) -> str:
    """``4567`` -> ``0.4567``: basis points as a fraction's text (a point)."""
    whole, part = divmod(abs(rate_bp), 10_000)
    return ("-" if rate_bp < 0 else "") + f"{whole}.{part:04d}"


def csv_text(rows: list[dict], columns: list[str], kinds: dict[str, str]) -> str:
    """The rows as CSV: kg and rates with a decimal comma, Rupiah and counts as integers."""
    def cell(value, kind):
        if value is None or kind == "text":
            return value
        return {"kg": kg_number, "rate": format_rate}.get(kind, int)(value)
    return spreadsheets.to_csv([{c: cell(row.get(c), kinds.get(c, "text")) for c in columns} for row in rows],
                               columns)


def xlsx_bytes(rows: list[dict], columns: list[str], kinds: dict[str, str], title: str) -> bytes:
    """The rows as one XLSX sheet ``title``: kg, rates and Rupiah as numbers with their formats."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)   # a column not named in ``kinds``: a whole number stays one
            kind = kinds.get(column) or ("int" if isinstance(value, int) and not isinstance(value, bool)
                                         else "text")
            if value is None or kind == "text" or isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=clean(str(value)) if value not in (None, "") else None)
                if cell.value is not None:
                    cell.data_type = "s"   # never a formula
            elif kind in ("kg", "rate"):
                text = exact_kg(value) if kind == "kg" else exact_share(value)
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "n"   # the exact decimal, stored as the number it spells
                cell.number_format = PERCENT if kind == "rate" else KG_WHOLE if "." not in text else KG_PART
            else:
                cell = WriteOnlyCell(sheet, value=int(value))
                if kind == "rupiah":
                    cell.number_format = RUPIAH
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
