"""The fertiliser reports as files: the realization (CSV and XLSX), the redemptions per
receipt and the redemption report's XLSX with its kilograms as numbers.

Rows hold plain values, one kind per column (``KINDS``): grams for kg, basis points for a
rate, integer Rupiah.  The CSV is for a spreadsheet set to Indonesian: kg and rates written
with a decimal comma (``12,5``), Rupiah as whole numbers.  The XLSX writes them as numbers a
spreadsheet can sum: kg as the exact decimal (``12.5``, from the grams, no float), a rate as
a percentage (``0.4567`` shown ``45,67%``), Rupiah with the Rupiah format; text stays text.
"""
from __future__ import annotations

from pos.fertilizer.seasons import kg_number
from pos.inventory.catalog import spreadsheets
from pos.money import format_rate

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
    def number(column: str, value) -> tuple[int | str, str | None] | None:
        kind = kinds.get(column, "int")   # a column not named in ``kinds``: a whole number stays one
        if value is None or kind == "text" or isinstance(value, (str, bool)):
            return None   # text (a number in a text column too, written as its text), or empty
        if kind in ("kg", "rate"):
            text = exact_kg(value) if kind == "kg" else exact_share(value)
            return text, PERCENT if kind == "rate" else KG_WHOLE if "." not in text else KG_PART
        return int(value), RUPIAH if kind == "rupiah" else None

    texts = [c for c in columns if kinds.get(c) == "text"]   # a number there is written as its text
    if texts:
        rows = [{**row, **{c: str(row[c]) for c in texts if type(row.get(c)) is int}} for row in rows]
    return spreadsheets.to_xlsx(rows, columns, title, numbers=number)
