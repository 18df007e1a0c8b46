"""Stock reports for the manager, in the report shape: stock value per business unit and per
category, low stock, near expiry, every batch on hand (also open to the stock lists' readers,
without its value when they may not see the stock's value). They show stock now (no date
range) and reuse the stock lists of ``pos.inventory.lists``; the per-category value is the same
sum grouped otherwise."""
from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, case, cast, func, select
from sqlalchemy.orm import Session

from pos.inventory import lists
from pos.inventory.catalog.models import Category, Product
from pos.inventory.models import StockLevel
from pos.money import round_half_up
from pos.reports.sales import UNIT_LABELS
from pos.reports.shape import Column, Report, page_bounds, totals_of
from pos.units import BaseUnit

_VALUE = [Column("products", "Barang", "int", True), Column("cost", "Nilai pokok", "rupiah", True),
          Column("retail", "Nilai jual", "rupiah", True), Column("no_cost", "Tanpa harga pokok", "int", True)]


def stock_by_unit(session: Session) -> Report:
    rows = [{**row, "key": UNIT_LABELS.get(row["business_unit"], row["business_unit"])}
            for row in lists.stock_value(session)]
    columns = [Column("key", "Unit usaha"), *_VALUE]
    return Report("stock_unit", "Nilai stok per unit usaha", columns, rows, totals_of(columns, rows),
                  len(rows), note="Stok di atas nol dikali harga pokok rata-rata bergerak saat ini.")


def stock_by_category(session: Session) -> Report:
    """As ``lists.stock_value``, per category: exact sums per (category, base unit), each
    divided by its ``price_per`` and rounded half up once."""
    name = func.coalesce(Category.name, "Tanpa kategori")
    found = session.execute(
        select(name.label("key"), Product.base_unit, func.count(Product.id).label("products"),
               cast(func.sum(StockLevel.on_hand * Product.cost), BigInteger).label("cost"),
               cast(func.sum(StockLevel.on_hand * Product.price), BigInteger).label("retail"),
               func.sum(case((Product.cost == 0, 1), else_=0)).label("no_cost"))
        .join(StockLevel, StockLevel.product_id == Product.id)
        .outerjoin(Category, Category.id == Product.category_id)
        .where(StockLevel.on_hand > 0).group_by(name, Product.base_unit))
    merged: dict[str, dict] = {}
    for row in found:  # at most three rows (base units) per category
        per = BaseUnit(row.base_unit).price_per
        into = merged.setdefault(row.key, {"key": row.key, "products": 0, "cost": 0, "retail": 0,
                                           "no_cost": 0})
        into["products"] += int(row.products)
        into["no_cost"] += int(row.no_cost or 0)
        into["cost"] += round_half_up(int(row.cost or 0), per)
        into["retail"] += round_half_up(int(row.retail or 0), per)
    rows = sorted(merged.values(), key=lambda r: (-r["cost"], r["key"]))
    columns = [Column("key", "Kategori"), *_VALUE]
    return Report("stock_category", "Nilai stok per kategori", columns, rows, totals_of(columns, rows),
                  len(rows), note="Stok di atas nol dikali harga pokok rata-rata bergerak saat ini.")


def low_stock(session: Session, today: date) -> Report:
    rows = [{**row, "key": row["sku"]} for row in lists.low_stock(session, today)]
    columns = [Column("key", "SKU"), Column("name", "Barang"), Column("shelf", "Rak"),
               Column("on_hand", "Stok", "qty"), Column("expired", "Kedaluwarsa", "qty"),
               Column("reorder_point", "Titik pesan", "qty")]
    return Report("low_stock", "Stok menipis", columns, rows, None, len(rows),
                  note=f"Stok: yang belum kedaluwarsa per {today:%d-%m-%Y}, dibanding titik pesan; "
                       f"paling banyak {lists.MAX_ROWS} barang.")


_BATCH_VALUE = Column("value", "Nilai pokok", "rupiah", True)
EXPIRED = "kedaluwarsa"


def _batch_totals(columns: list[Column], rows: list[dict]) -> dict:
    """The batches' totals row: their count in its label and their value at cost (quantities of
    goods in pieces, grams and ml are not summed)."""
    return totals_of(columns, rows, label=f"Total ({len(rows)} batch)")


def near_expiry(session: Session, today: date, days: int) -> Report:
    rows = [{**row, "key": row["sku"]} for row in lists.near_expiry(session, today, days)]
    columns = [Column("key", "SKU"), Column("name", "Barang"), Column("batch_no", "Batch"),
               Column("expiry", "Kedaluwarsa", "date"), Column("days_left", "Sisa hari", "int"),
               Column("on_hand", "Stok", "qty"), _BATCH_VALUE]
    return Report("near_expiry", f"Hampir kedaluwarsa ({days} hari)", columns, rows,
                  _batch_totals(columns, rows), len(rows),
                  note=f"Paling banyak {lists.MAX_ROWS} batch. Nilai pokok = stok x harga pokok saat ini.")


def batches(session: Session, costs: bool = True, today: date | None = None) -> Report:
    """Every batch with stock on hand, by expiry then product; ``costs``: with its value; a batch
    expired on ``today`` (the business day: it expires on its date, as the till refuses it) says
    so in a last column, after the value, where a file's reader finds the columns as before."""
    rows = [{**row, "key": row["sku"],
             "state": EXPIRED if today and row["expiry"] and row["expiry"] <= today else ""}
            for row in lists.on_hand_batches(session)]
    columns = [Column("key", "SKU"), Column("name", "Barang"), Column("batch_no", "Batch"),
               Column("expiry", "Kedaluwarsa", "date"), Column("on_hand", "Stok", "qty"),
               *([_BATCH_VALUE] if costs else []), *([Column("state", "Status")] if today else [])]
    note = "Setiap batch yang masih ada stoknya; batch tanpa tanggal kedaluwarsa di akhir."
    return Report("batches", "Stok per batch", columns, rows, _batch_totals(columns, rows), len(rows),
                  note=note + (" Nilai pokok = stok x harga pokok saat ini." if costs else ""))


def paged(report: Report, page: int | None, per_page: int = 50) -> Report:
    """One page of a report whose (bounded) rows are all in Python; None: every row."""
    report.per_page = per_page
    if page is not None:
        limit, offset = page_bounds(page, per_page)
        report.rows, report.page = report.rows[offset:offset + limit], max(page, 1)
    return report
