"""Sales over a range of business dates, grouped one way: by hour, day, month, business
unit, category, product, cashier, till, tender, member or not, and discounts by reason.

Only completed sales count. Every figure is grouped and summed in SQL (one indexed range on
``sale.business_date``); the totals row is the sum of the grouped rows, summed in SQL over
the grouped subquery, so it equals the rows of every page; a page is LIMIT/OFFSET of the
same subquery. Cost is the moving-average cost stored on the line at sale time, per line
rounded half up to whole Rupiah in SQL; margin is amount less the PPN inside it
(none when it was added on top of the lines, ``sales.net``) less cost.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.days.service import closed_days
from pos.inventory.catalog.models import BusinessUnit, Category, Product
from pos.money import format_rupiah, round_half_up
from pos.reports import day_totals
from pos.reports.models import SalesDayProduct
from pos.reports.shape import Column, Report, page_bounds
from pos.sales.models import Payment, PaymentMethod, Sale, SaleLine, SaleStatus
from pos.sales.net import TAX_INSIDE
from pos.tills.models import Till

BY = ("hour", "day", "month", "unit", "category", "product", "cashier", "till", "tender", "member")
TITLES = {"hour": "Penjualan per jam", "day": "Penjualan per hari", "month": "Penjualan per bulan",
          "unit": "Penjualan & laba per unit usaha", "category": "Penjualan & laba per kategori",
          "product": "Penjualan & laba per barang", "cashier": "Penjualan per kasir",
          "till": "Penjualan per kasir (mesin)", "tender": "Penjualan per cara bayar",
          "member": "Anggota dan bukan anggota", "discounts": "Diskon per alasan"}
UNIT_LABELS = {"sembako": "Sembako", "pupuk": "Pupuk", "apotek": "Apotek", "umkm": "UMKM",
               "lainnya": "Lainnya"}
_LABEL = {"hour": "Jam", "day": "Tanggal", "month": "Bulan", "unit": "Unit usaha",
          "category": "Kategori", "product": "Barang", "cashier": "Kasir", "till": "Mesin kasir",
          "member": "Pembeli"}
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember")


def sum_of(column):
    """``SUM(column)`` as a whole number on both databases: PostgreSQL's SUM of a bigint is a
    numeric, which comes back as a ``Decimal`` (JSON has no such thing)."""
    return cast(func.sum(column), BigInteger)


def done(start: date, end: date) -> tuple:
    """Completed sales of the business dates ``start`` to ``end`` (both included)."""
    return (Sale.business_date >= start, Sale.business_date <= end,
            Sale.status == SaleStatus.COMPLETED)


def offset_minutes(zone: str, day: date) -> int:
    """The zone's offset from UTC on ``day`` in whole minutes (Indonesia keeps no summer time)."""
    moment = datetime.combine(day, time(12)).replace(tzinfo=ZoneInfo(zone))
    return moment.utcoffset() // timedelta(minutes=1)


def local_hour(session: Session, column, minutes: int):
    """The outlet-local hour (0-23) of a naive-UTC timestamp column, in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        shifted = column + literal_column(f"interval '{int(minutes)} minutes'")
        return cast(func.extract("hour", shifted), Integer)
    return cast(func.strftime("%H", column, f"{int(minutes):+d} minutes"), Integer)


def _month(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(Sale.business_date, "YYYY-MM", type_=String)
    return func.substr(Sale.business_date, 1, 7, type_=String)


def sales_report(session: Session, by: str, start: date, end: date, *, zone: str,
                 page: int | None = None, per_page: int = 50) -> Report:
    """One grouped report; ``page`` None: every row (exports, the CLI)."""
    if by == "tender":
        return _tender(session, start, end, page, per_page)
    if by == "discounts":
        return _discounts(session, start, end, page, per_page)
    if by in ("unit", "category", "product"):
        return _lines(session, by, start, end, page, per_page)
    return _sales(session, by, start, end, zone, page, per_page)


def _sales(session, by, start, end, zone, page, per_page) -> Report:
    key = {"hour": lambda: local_hour(session, Sale.created_at, offset_minutes(zone, start)),
           "day": lambda: Sale.business_date, "month": lambda: _month(session),
           "cashier": lambda: User.full_name, "till": lambda: Till.name,
           "member": lambda: Sale.member_sale}[by]().label("key")
    query = (select(key, func.count(Sale.id).label("sales"), sum_of(Sale.total).label("total"),
                    sum_of(Sale.discount).label("discount"))
             .where(*done(start, end)).group_by(key))
    if by == "cashier":
        query = query.join(User, User.id == Sale.cashier_id)
    if by == "till":
        query = query.join(Till, Till.id == Sale.till_id)
    columns = [Column("key", _LABEL[by], "date" if by == "day" else "text"),
               Column("sales", "Transaksi", "int", True), Column("total", "Penjualan", "rupiah", True),
               Column("discount", "Diskon", "rupiah", True)]
    desc = by in ("cashier", "till", "member")
    return run(session, by, TITLES[by], columns, query, page, per_page, order="total" if desc else "key",
               desc=desc, label=_labeller(by))


def _lines(session, by, start, end, page, per_page) -> Report:
    column = {"unit": "business_unit", "category": "category_id", "product": "product_id"}[by]
    lines = _line_rows(session, start, end, column)
    keys = {"unit": lambda: [lines.c.business_unit.label("key")],
            "category": lambda: [func.coalesce(Category.name, "Tanpa kategori").label("key")],
            "product": lambda: [lines.c.product_id.label("product_id"),
                                sum_of(lines.c.qty).label("qty")]}[by]()
    amount, tax, costs = sum_of(lines.c.amount), sum_of(lines.c.tax), sum_of(lines.c.cost)
    inside = sum_of(lines.c.tax_inside)   # the PPN inside the amounts (not the PPN added to them)
    query = (select(*keys, sum_of(lines.c.lines).label("lines"), amount.label("amount"),
                    sum_of(lines.c.discount).label("discount"), tax.label("tax"),
                    costs.label("cost"), (amount - inside - costs).label("margin"))
             .group_by(keys[0]))
    if by == "category":
        query = query.outerjoin(Category, Category.id == lines.c.category_id)
    if by == "product":  # summed by id first, then named: the product's SKU, name and unit now
        query = _named(query, page, per_page)
    columns = ([Column("sku", "SKU")] if by == "product" else []) + [
        Column("key", _LABEL[by]), Column("lines", "Baris", "int", True)] + (
        [Column("qty", "Jumlah", "qty")] if by == "product" else []) + [
        Column("amount", "Penjualan", "rupiah", True), Column("discount", "Diskon", "rupiah", True),
        Column("tax", "PPN", "rupiah", True), Column("cost", "Harga pokok", "rupiah", True),
        Column("margin", "Laba kotor", "rupiah", True), Column("margin_pct", "Margin", "percent")]
    return run(session, by, TITLES[by], columns, query, page, per_page, order="amount", desc=True,
               label=_labeller(by), note=_rounding_note(session, start, end))


def _named(summed_query, page: int | None, per_page: int):
    """The products summed by id, with the catalogue's SKU, name (``key``) and unit: every row
    named when every row is asked for (``page`` None); for one page, only the rows that can be
    on it, those whose amount is at least that of the page's last row (its ties included).
    The page is ordered by amount, then name, so it is the same page; the rows after it (most
    of a month's products) are not looked up in the catalogue and go unnamed (None) to the
    sort that leaves them out."""
    if page is None:
        summed = summed_query.subquery()
        return (select(summed, Product.sku, Product.name.label("key"), Product.base_unit)
                .join(Product, Product.id == summed.c.product_id))
    summed = summed_query.cte("summed")
    limit, offset = page_bounds(page, per_page)
    last = (select(summed.c.amount).order_by(summed.c.amount.desc())    # the page's last row's
            .limit(1).offset(offset + limit - 1).cte("last"))             # (none: fewer rows)
    shown = summed.c.amount >= func.coalesce(select(last.c.amount).scalar_subquery(), summed.c.amount)

    def named(column):
        return case((shown, select(column).where(Product.id == summed.c.product_id)
                     .scalar_subquery()))

    return select(summed, named(Product.sku).label("sku"), named(Product.name).label("key"),
                  named(Product.base_unit).label("base_unit"))


def _rounding_note(session: Session, start: date, end: date) -> str:
    """Lines carry no cash rounding: where the period has some, the report says so (Penjualan
    per hari, which sums the sales' totals, differs from it by exactly that)."""
    rounding = session.scalar(select(func.coalesce(func.sum(Sale.rounding), 0)).where(*done(start, end)))
    if not rounding:
        return ""
    return (f"Penjualan di sini tanpa pembulatan tunai ({format_rupiah(int(rounding))} pada periode ini); "
            "Penjualan per hari dan per jam memuatnya.")


def _line_rows(session, start, end, key: str):
    """The sale lines of ``start`` to ``end``: a closed day's from its summary rows
    (``pos.reports.models``), an open day's from its completed sales, as one subquery of
    ``key`` (the column the report groups by: product_id, business_unit or category_id; only
    it, as every column more is carried through the grouping's sort), lines, qty, amount,
    discount, tax, the PPN inside the amount, cost (numbers only: the report by product names
    its rows from the catalogue once they are summed).

    Each part is limited to the days read as closed (or open) here, so a day that closes
    while the report runs is counted once: the closing does not touch its lines."""
    closed = closed_days(session, start, end) if start <= end else set()
    every = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    open_runs, closed_runs = _runs([d for d in every if d not in closed]), _runs(sorted(closed))
    live = (select(getattr(SaleLine, key), literal(1).label("lines"), SaleLine.qty, SaleLine.amount,
                   SaleLine.discount, SaleLine.tax, TAX_INSIDE.label("tax_inside"),
                   day_totals.line_cost().label("cost"))
            .join(Sale, Sale.id == SaleLine.sale_id).where(*done(start, end)))
    if not closed_runs:
        return live.subquery()
    live = live.where(_within(Sale.business_date, open_runs))
    kept = SalesDayProduct
    summed = select(getattr(kept, key), kept.lines, kept.qty, kept.amount, kept.discount, kept.tax,
                    kept.tax_inside, kept.cost).where(_within(kept.business_date, closed_runs))
    return (union_all(summed, live) if open_runs else summed).subquery()


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Sorted ``days`` as runs of consecutive dates, first and last of each."""
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs and runs[-1][1] == d - timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _within(column, runs: list[tuple[date, date]]):
    return or_(false(), *(column.between(a, b) for a, b in runs))


def _tender(session, start, end, page, per_page) -> Report:
    query = (select(Payment.method.label("key"), func.count(Payment.id).label("payments"),
                    sum_of(Payment.amount).label("amount"))
             .join(Sale, Sale.id == Payment.sale_id).where(*done(start, end)).group_by(Payment.method))
    columns = [Column("key", "Cara bayar"), Column("payments", "Pembayaran", "int", True),
               Column("amount", "Jumlah", "rupiah", True)]
    return run(session, "tender", TITLES["tender"], columns, query, page, per_page, order="amount",
               desc=True, label=lambda v: PaymentMethod(getattr(v, "value", v)).label)


def _discounts(session, start, end, page, per_page) -> Report:
    reason = func.coalesce(SaleLine.discount_reason, "Tanpa alasan").label("key")
    query = (select(reason, func.count(SaleLine.id).label("lines"),
                    sum_of(SaleLine.discount).label("discount"),
                    sum_of(SaleLine.member_saving).label("member_saving"))
             .join(Sale, Sale.id == SaleLine.sale_id)
             .where(*done(start, end), SaleLine.discount > 0).group_by(reason))
    columns = [Column("key", "Alasan"), Column("lines", "Baris", "int", True),
               Column("discount", "Diskon", "rupiah", True),
               Column("member_saving", "Hemat anggota", "rupiah", True)]
    return run(session, "discounts", TITLES["discounts"], columns, query, page, per_page,
               order="discount", desc=True, note="Harga yang diubah manajer ada di Log audit.")


def run(session: Session, name: str, title: str, columns: list[Column], query, page: int | None,
        per_page: int, *, order: str, desc: bool = False, label=None, note: str = "") -> Report:
    """Count, totals and one page (or every row) of a grouped query, all in one statement: the
    grouped rows once (a CTE read twice), the count and totals as one row of sums over them
    beside each of the page's rows (a page past the last row asks for them alone).  Sums over
    the grouped rows, not window sums: a window over every row keeps all of them aside first,
    which cost the month's report by product 12 ms of its 80."""
    sub = query.cte("grouped")
    summed = [c.key for c in columns if c.total]
    head = select(func.count().label("_n"), *(func.sum(sub.c[k]).label(f"_t{i}")
                                              for i, k in enumerate(summed))).subquery("head")
    rows_query = (select(sub, *head.c).select_from(sub.join(head, true()))
                  .order_by(sub.c[order].desc() if desc else sub.c[order], sub.c.key))
    if page is not None:
        limit, offset = page_bounds(page, per_page)
        rows_query = rows_query.limit(limit).offset(offset)
    found = [dict(row._mapping) for row in session.execute(rows_query)]
    if found:
        head = [found[0]["_n"], *(found[0][f"_t{i}"] or 0 for i in range(len(summed)))]
    else:
        head = session.execute(select(func.count(), *[func.coalesce(func.sum(sub.c[k]), 0)
                                                      for k in summed]).select_from(sub)).one()
    rows = [{k: v for k, v in row.items() if not k.startswith("_")} for row in found]
    totals = {columns[0].key: "Total", **{k: int(v) for k, v in zip(summed, head[1:], strict=True)}}
    for row in rows + [totals]:
        for k in summed:
            row[k] = int(row.get(k) or 0)
        if "margin_pct" in {c.key for c in columns}:
            net = row["margin"] + row["cost"]   # the goods net of PPN (``sales.net``)
            row["margin_pct"] = round_half_up(row["margin"] * 10_000, net) if net > 0 else None
    if label is not None:
        for row in rows:
            row["key"] = label(row["key"])
    if columns[0].key != "key":
        totals.setdefault("key", "")
    return Report(name, title, columns, rows, totals, int(head[0]), page or 1, per_page, note)


def _labeller(by: str):
    if by == "hour":
        return lambda h: f"{int(h):02d}.00-{(int(h) + 1) % 24:02d}.00"
    if by == "month":
        return lambda m: f"{_MONTHS[int(m[5:7]) - 1]} {m[:4]}"
    if by == "day":
        return lambda d: d if isinstance(d, date) else date.fromisoformat(str(d))
    if by == "unit":
        return lambda u: UNIT_LABELS.get(BusinessUnit(getattr(u, "value", u)).value, str(u))
    if by == "member":
        return lambda m: "Anggota" if m else "Bukan anggota"
    return None
