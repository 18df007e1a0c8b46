"""A ceiling schedule as a file (CSV or XLSX, read by the catalog's ``spreadsheets``): every
row checked first, then all rows saved or none (the caller's transaction).

Columns: sku, zona (empty: every zone), het (Rupiah per the product's unit: per kg for goods
in grams, per litre in millilitres, per piece otherwise; ``62500``, ``62.500`` or
``Rp62.500``), berlaku_mulai (dd-mm-yyyy or YYYY-MM-DD), catatan (the source, optional).  A
row for a product, zone and date already set replaces that ceiling's price (logged).
Problems are reported as "Baris N: ...", numbered as in the spreadsheet.  Used by
``pos het import`` and by the HET page's upload (``import_jobs.start_upload(rules=this)``).
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.dates import parse_day_first
from pos.het import service
from pos.het.models import CeilingPrice
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.spreadsheets import ImportErrors, Row
from pos.money import MoneyError, parse_rupiah
from pos.text import clean

COLUMNS = ["sku", "zona", "het", "berlaku_mulai", "catatan"]
IMPORT_COLUMNS, KEY = COLUMNS, "sku"
Progress = Callable[[int, int], None] | None


def _values(row: Row, products: dict[str, int]) -> tuple[dict, list[str]]:
    """The row as ``set_ceiling``'s arguments, and its problems."""
    problems, values = [], {}
    if row.get("_extra"):
        problems.append("lebih banyak kolom daripada judul.")
    sku = (row.get("sku") or "").strip()
    if sku not in products:
        problems.append(f"SKU '{sku[:32]}' tidak ditemukan." if sku else "SKU wajib diisi.")
    else:
        values["product_id"] = products[sku]
    try:
        values["zone"] = service.clean_zone(row.get("zona"))
    except service.CeilingError as error:
        problems.append(error.message)
    try:
        values["price"] = parse_rupiah(row.get("het") or "")
        if values["price"] <= 0:
            problems.append("het harus lebih dari nol.")
    except MoneyError as error:
        problems.append(error.of_field("het"))
    day = (row.get("berlaku_mulai") or "").strip()
    if len(day) == 19 and day.endswith(" 00:00:00"):  # a date cell of a spreadsheet
        day = day[:10]
    try:
        values["effective_from"] = parse_day_first(day)
    except ValueError as error:
        problems.append(f"berlaku_mulai {error}")
    note = clean(row.get("catatan") or "").strip()
    if len(note) > service.NOTE_MAX:
        problems.append(f"catatan paling panjang {service.NOTE_MAX} huruf.")
    values["note"] = note or None
    return values, problems


def _products(session: Session, rows: list[Row]) -> dict[str, int]:
    skus = list({(r.get("sku") or "").strip() for r in rows} - {""})
    found: dict[str, int] = {}
    for start in range(0, len(skus), 500):
        found.update(session.execute(select(Product.sku, Product.id)
                                     .where(Product.sku.in_(skus[start:start + 500]))).all())
    return found


def validate(session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
    """Every problem of every row, as "Baris N: ..."; an empty list means the file is good."""
    products, errors, seen = _products(session, rows), [], {}
    for done, row in enumerate(rows, start=1):
        values, problems = _values(row, products)
        if not problems:
            key = (values["product_id"], values["zone"], values["effective_from"])
            if key in seen:
                problems.append(f"SKU, zona dan tanggal yang sama juga ada di baris {seen[key]}.")
            seen.setdefault(key, row["_line"])
        errors += [f"Baris {row['_line']}: {p}" for p in problems]
        if progress and (done % 250 == 0 or done == len(rows)):
            progress(done, len(rows))
    return errors


def import_rows(session: Session, rows: list[Row], user_id: int | None = None,
                progress: Progress = None) -> dict[str, int]:
    """Set every row's ceiling, or raise ``ImportErrors`` (the caller then rolls back)."""
    errors = validate(session, rows)
    if errors:
        raise ImportErrors(errors)
    products = _products(session, rows)
    summary = {"total": len(rows), "created": 0, "updated": 0, "unchanged": 0}
    for done, row in enumerate(rows, start=1):
        values, _ = _values(row, products)
        before = _existing(session, values)
        if before == values["price"]:
            summary["unchanged"] += 1
        else:
            service.set_ceiling(session, values.pop("product_id"), user_id=user_id, **values)
            summary["created" if before is None else "updated"] += 1
        if progress and (done % 100 == 0 or done == len(rows)):
            progress(done, len(rows))
    session.flush()
    return summary


def _existing(session: Session, values: dict) -> int | None:
    zone = values["zone"]
    return session.scalar(select(CeilingPrice.price).where(
        CeilingPrice.product_id == values["product_id"],
        CeilingPrice.effective_from == values["effective_from"],
        CeilingPrice.zone.is_(None) if zone is None else CeilingPrice.zone == zone))

