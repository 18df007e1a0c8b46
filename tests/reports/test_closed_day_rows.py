"""A closed day's sale lines summed per product (``sales_day_product``, written by the
closing): the reports by product, category and business unit read the summary for closed
days and the lines for open ones, and show exactly what they showed before the closing, on
every page; a page past the last still has the count and totals."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from pos.closing.service import close_day
from pos.reports.models import SalesDayProduct
from pos.reports.sales import sales_report
from tests.factories import make_product, make_till, make_user
from tests.reports.helpers import insert_sale

ZONE = "Asia/Makassar"
FIRST = date(2026, 11, 2)
DAYS = [FIRST + timedelta(days=n) for n in range(5)]
BY = ("product", "category", "unit")


def _history(db) -> int:
    """Five days of sales (some voided) of six products in three units and categories (one
    product without a category); the manager's id."""
    rng = random.Random(14)
    with db.transaction() as s:
        till, cashier = make_till(s, "KASIR-1").id, make_user(s, "kasir1").id
        manager = make_user(s, "manajer1", "manager", "2222").id
        products = [make_product(s, name=f"Barang {n}", price=1_000 * (n + 1), cost=700 * (n + 1),
                                 business_unit=("sembako", "pupuk", "apotek")[n % 3],
                                 category=None if n == 5 else f"Kategori {n % 3}")
                    for n in range(6)]
        for day in DAYS:
            for hour in range(8, 20):
                lines = [(rng.randrange(6), rng.randint(1, 4), rng.randint(1, 90) * 500,
                          rng.choice([0, 0, 500])) for _ in range(rng.randint(1, 4))]
                total = sum(amount for _, _, amount, _ in lines)
                insert_sale(s, till_id=till, cashier_id=cashier, products=products,
                            when=datetime.combine(day, time(hour)) - timedelta(hours=8), day=day,
                            lines=lines, tenders=[("cash", total)],
                            status="voided" if hour == 13 else "completed", reason="Promo")
    return manager


def _reports(db, start: date, end: date, per_page: int = 2) -> dict:
    out = {}
    with db.reading() as s:
        for by in BY:
            for page in (1, 2, 99):
                r = sales_report(s, by, start, end, zone=ZONE, page=page, per_page=per_page)
                out[by, page] = (r.rows, r.totals, r.row_count)
            r = sales_report(s, by, start, end, zone=ZONE)
            out[by, None] = (r.rows, r.totals, r.row_count)
    return out


def test_reports_read_closed_days_from_the_summary_and_show_the_same(db):
    manager = _history(db)
    ranges = [(DAYS[0], DAYS[-1]), (DAYS[1], DAYS[3]), (DAYS[2], DAYS[2]), (DAYS[3], DAYS[1])]
    before = {r: _reports(db, *r) for r in ranges}
    assert before[ranges[0]]["product", 1][2] == 6            # every product sold
    assert len(before[ranges[0]]["product", 1][0]) == 2       # a page of two
    assert before[ranges[0]]["product", 99][0] == []          # past the last page: no rows,
    assert before[ranges[0]]["product", 99][1:] == before[ranges[0]]["product", 1][1:]  # same totals
    assert before[ranges[0]]["product", 1][1]["amount"] > 0
    assert before[ranges[3]]["product", None][2] == 0         # an empty range

    for closed in (DAYS[0], DAYS[2], DAYS[1]):                # 4 and 5 stay open
        with db.transaction() as s:
            close_day(s, day=closed, user_id=manager, now=datetime(2026, 11, 10, 12),
                      today=date(2026, 11, 10), zone=ZONE)
        for r in ranges:
            assert _reports(db, *r) == before[r], (closed, r)

    with db.reading() as s:
        kept = s.execute(select(SalesDayProduct.business_date, func.sum(SalesDayProduct.lines))
                         .group_by(SalesDayProduct.business_date)).all()
        nulls = s.scalar(select(func.count()).where(SalesDayProduct.category_id.is_(None)))
    assert sorted(d for d, _ in kept) == DAYS[:3]
    assert all(lines > 0 for _, lines in kept)
    assert nulls == 3                                           # the uncategorised product, per day
