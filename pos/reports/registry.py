"""Every report on the Laporan menu by its URL name: its title, whether it takes a date
range, and how to build it (``build``), so the page, the CSV/XLSX download and the CLI ask
one place. A new report (returns, voids, the Z report) is one more entry here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pos.inventory.catalog.models import Product
from pos.reports import audit, shifts, stock, stock_card
from pos.reports.sales import TITLES, sales_report
from pos.reports.shape import PER_PAGE, Report


@dataclass(frozen=True)
class Query:
    """What a report is asked: the range, the page (None: every row) and the filters."""

    start: date
    end: date
    zone: str
    today: date
    page: int | None = 1
    per_page: int = PER_PAGE
    expiry_days: int = 60
    kind: str | None = None      # the audit log's kind
    user_id: int | None = None   # the audit log's user
    product: Product | None = None  # the stock card's product
    costs: bool = True           # Stok per batch with its value at cost (right "stock")


@dataclass(frozen=True)
class Entry:
    slug: str
    title: str
    group: str
    ranged: bool  # takes a date range (stock reports show stock now)


SALES = {"penjualan-jam": "hour", "penjualan-hari": "day", "penjualan-bulan": "month",
         "penjualan-unit": "unit", "penjualan-kategori": "category", "penjualan-barang": "product",
         "penjualan-kasir": "cashier", "penjualan-mesin": "till", "penjualan-cara-bayar": "tender",
         "penjualan-anggota": "member", "diskon": "discounts"}
ENTRIES = [Entry(slug, TITLES[by], "Penjualan", True) for slug, by in SALES.items()] + [
    Entry("log-audit", "Log audit", "Pengawasan", True),
    Entry("shift", "Shift dan selisih kas", "Kas", True),
    Entry("kas-masuk-keluar", "Kas masuk/keluar", "Kas", True),
    Entry("nilai-stok", "Nilai stok per unit usaha", "Stok", False),
    Entry("nilai-stok-kategori", "Nilai stok per kategori", "Stok", False),
    Entry("stok-menipis", "Stok menipis", "Stok", False),
    Entry("hampir-kedaluwarsa", "Hampir kedaluwarsa", "Stok", False),
    Entry("stok-per-batch", "Stok per batch", "Stok", False),
    Entry("kartu-stok", "Kartu stok", "Stok", True),
]
BY_SLUG = {entry.slug: entry for entry in ENTRIES}


def build(session: Session, slug: str, q: Query) -> Report:
    """The report ``slug`` for ``q``; KeyError for a name not on the menu."""
    if slug in SALES:
        return sales_report(session, SALES[slug], q.start, q.end, zone=q.zone, page=q.page,
                            per_page=q.per_page)
    if slug == "log-audit":
        return audit.audit_log(session, q.start, q.end, zone=q.zone, kind=q.kind, user_id=q.user_id,
                               page=q.page, per_page=q.per_page)
    if slug == "kartu-stok":
        return stock_card.stock_card(session, q.product, q.start, q.end, zone=q.zone, page=q.page,
                                     per_page=q.per_page)
    if slug == "shift":
        return shifts.shift_report(session, q.start, q.end, zone=q.zone, page=q.page,
                                   per_page=q.per_page)
    if slug == "kas-masuk-keluar":
        return shifts.cash_movements(session, q.start, q.end, zone=q.zone, page=q.page,
                                     per_page=q.per_page)
    made = {"nilai-stok": lambda: stock.stock_by_unit(session),
            "nilai-stok-kategori": lambda: stock.stock_by_category(session),
            "stok-menipis": lambda: stock.low_stock(session, q.today),
            "hampir-kedaluwarsa": lambda: stock.near_expiry(session, q.today, q.expiry_days),
            "stok-per-batch": lambda: stock.batches(session, q.costs, q.today)}[slug]()
    made.name = slug
    return stock.paged(made, q.page, q.per_page)
