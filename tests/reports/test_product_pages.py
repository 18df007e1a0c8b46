"""The report by product, one page at a time: its pages, one after another, are the report of
every row, named and ordered alike (amount, then name), also where products of the same amount
run across a page's end, with a closed day (read from its summary) and an open one (from its
lines). A page names only the products that can be on it; these tests hold it to the rows a
report of every row shows."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pos.closing.service import close_day
from pos.reports.sales import sales_report
from tests.factories import make_product, make_till, make_user
from tests.reports.helpers import insert_sale

ZONE = "Asia/Makassar"
CLOSED, OPEN = date(2026, 11, 2), date(2026, 11, 3)
# name: (amount on the closed day, amount on the open day); four products of Rp20.000
SOLD = {"Garam": (10_000, 20_000), "Minyak": (20_000, 0), "Beras": (5_000, 15_000),
        "Telur": (10_000, 0), "Cabai": (0, 20_000), "Air": (12_000, 8_000), "Dodol": (5_000, 0)}
ORDER = ["Garam", "Air", "Beras", "Cabai", "Minyak", "Telur", "Dodol"]


def _sales(db) -> None:
    with db.transaction() as s:
        till, cashier = make_till(s, "KASIR-1").id, make_user(s, "kasir1").id
        manager = make_user(s, "manajer1", "manager", "2222").id
        products = [make_product(s, name=name, sku=f"SKU-{name.upper()}",
                                 base_unit="gram" if name == "Garam" else "pcs") for name in SOLD]
        for day, side in ((CLOSED, 0), (OPEN, 1)):
            for n, amounts in enumerate(SOLD.values()):
                if amounts[side]:
                    insert_sale(s, till_id=till, cashier_id=cashier, products=products,
                                when=datetime.combine(day, time(9)) - timedelta(hours=8), day=day,
                                lines=[(n, 2, amounts[side], 0)], tenders=[("cash", amounts[side])])
    with db.transaction() as s:
        close_day(s, day=CLOSED, user_id=manager, now=datetime(2026, 11, 3, 12),
                  today=date(2026, 11, 3), zone=ZONE)


def test_the_pages_of_the_report_by_product_are_the_report_of_every_row(db):
    _sales(db)
    with db.reading() as s:
        every = sales_report(s, "product", CLOSED, OPEN, zone=ZONE)
        paged = {per_page: [sales_report(s, "product", CLOSED, OPEN, zone=ZONE, page=page,
                                         per_page=per_page) for page in range(1, 10)]
                 for per_page in range(1, 9)}
    assert [r["key"] for r in every.rows] == ORDER
    assert [r["amount"] for r in every.rows] == [30_000, 20_000, 20_000, 20_000, 20_000, 10_000, 5_000]
    assert every.rows[0]["sku"] == "SKU-GARAM" and str(every.rows[0]["base_unit"].value) == "gram"
    assert (every.rows[1]["qty"], every.rows[1]["margin"]) == (4, 20_000 - 4 * 8_000)  # sold on both days
    assert every.row_count == 7
    for per_page, pages in paged.items():
        rows = [row for page in pages for row in page.rows]
        assert rows == every.rows, per_page             # every figure, SKU, name and unit alike
        assert all(page.totals == every.totals and page.row_count == 7 for page in pages)
        assert all(len(page.rows) == min(per_page, max(0, 7 - (page.page - 1) * per_page))
                   for page in pages)
    assert [r["key"] for r in paged[3][0].rows] == ["Garam", "Air", "Beras"]  # ties cut at Beras
    assert [r["key"] for r in paged[3][1].rows] == ["Cabai", "Minyak", "Telur"]
