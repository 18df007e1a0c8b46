"""Grouped sales reports: totals are the sum of the rows and reconcile with the sales,
lines and payments tables, over random days (hypothesis); outlet-zone dates and hours;
pages; CSV and XLSX equal the screen; the CLI."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, func, select, update

from pos.inventory.catalog.models import Product
from pos.money import format_rate
from pos.reports import shape
from pos.reports.day import day_summary
from pos.reports.sales import BY, sales_report
from pos.sales.models import Payment, Sale, SaleLine, SaleStatus
from tests.factories import csv_rows, make_product, make_till, make_user
from tests.reports.helpers import insert_sale

ZONE = "Asia/Makassar"
DAY = date(2026, 11, 21)


def _shop(db):
    with db.transaction() as s:
        tills = [make_till(s, "KASIR-1").id, make_till(s, "KASIR-2").id]
        users = [make_user(s, "kasir1").id, make_user(s, "kasir2").id]
        products = [make_product(s, name="Beras 5 kg", category="Beras"),
                    make_product(s, name="Pupuk Urea", business_unit="pupuk", category="Pupuk"),
                    make_product(s, name="Paracetamol", business_unit="apotek")]
        for p in products:
            s.expunge(p)
    return tills, users, products


sale_st = st.fixed_dictionaries({
    "hour": st.integers(0, 23), "member": st.booleans(), "till": st.integers(0, 1),
    "cashier": st.integers(0, 1), "voided": st.booleans(), "offset": st.sampled_from([0, 0, 0, -1, 1]),
    "lines": st.lists(st.tuples(st.integers(0, 2), st.integers(1, 5), st.integers(0, 90_000),
                                st.integers(0, 5_000)), min_size=1, max_size=4),
    "split": st.sampled_from(["cash", "qris", "member_credit", "cash+transfer"])})


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.dates(date(2024, 1, 1), date(2027, 12, 31)), st.lists(sale_st, max_size=8))
def test_reports_reconcile_with_the_tables_over_random_days(db, day, sales):
    """Sales on the day and on the days either side (which must not count), some voided."""
    if not hasattr(db, "_shop"):
        db._shop = _shop(db)
    tills, users, products = db._shop
    with db.transaction() as s:
        s.execute(delete(Payment)), s.execute(delete(SaleLine)), s.execute(delete(Sale))
        for spec in sales:
            lines = [(i, q, a, min(d, a)) for i, q, a, d in spec["lines"]]
            total = sum(a for _, _, a, _ in lines)
            tenders = [("cash", total - total // 3), ("transfer", total // 3)] \
                if spec["split"] == "cash+transfer" else [(spec["split"], total)]
            # the local hour in WITA (UTC+8): 00:00 WITA is 16:00 UTC of the day before
            sold_on = day + timedelta(days=spec["offset"])
            utc = datetime.combine(sold_on, time()) + timedelta(hours=spec["hour"] - 8)
            insert_sale(s, till_id=tills[spec["till"]], cashier_id=users[spec["cashier"]],
                        products=products, when=utc, day=sold_on, lines=lines, tenders=tenders,
                        member=spec["member"], status="voided" if spec["voided"] else "completed",
                        reason="Promo")
    with db.reading() as s:
        reports = {by: sales_report(s, by, day, day, zone=ZONE) for by in (*BY, "discounts")}
        summary = day_summary(s, day)
        head = s.execute(select(func.count(Sale.id), func.coalesce(func.sum(Sale.total), 0))
                         .where(Sale.business_date == day, Sale.status == SaleStatus.COMPLETED)).one()
        lines_total = s.execute(select(func.coalesce(func.sum(SaleLine.amount), 0),
                                       func.coalesce(func.sum(SaleLine.discount), 0))
                                .join(Sale, Sale.id == SaleLine.sale_id)
                                .where(Sale.business_date == day, Sale.status == SaleStatus.COMPLETED)).one()
        paid = s.execute(select(func.coalesce(func.sum(Payment.amount), 0))
                         .join(Sale, Sale.id == Payment.sale_id)
                         .where(Sale.business_date == day, Sale.status == SaleStatus.COMPLETED)).scalar_one()
    for by, report in reports.items():  # the totals row is the sum of the rows
        for column in report.columns:
            if column.total:
                assert report.totals[column.key] == sum(r[column.key] for r in report.rows), (by, column.key)
    completed = [x for x in sales if not x["voided"] and x["offset"] == 0]
    assert head[1] == sum(a for x in completed for _, _, a, _ in x["lines"])  # what was sold
    assert summary["total"] == head[1] and summary["sale_count"] == len(completed)
    assert sum(p["amount"] for p in summary["payments"].values()) == reports["tender"].totals["amount"]
    assert sum(u["amount"] for u in summary["business_units"].values()) == reports["unit"].totals["amount"]
    assert reports["tender"].totals["amount"] == paid == head[1]
    for by in ("unit", "category", "product"):
        assert reports[by].totals["amount"] == lines_total[0]
    assert reports["discounts"].totals["discount"] == lines_total[1]
    for by in ("hour", "day", "month", "cashier", "till", "member"):
        assert (reports[by].totals["sales"], reports[by].totals["total"]) == (len(completed), head[1])
    members = {r["key"]: r["total"] for r in reports["member"].rows}
    assert members.get("Anggota", 0) + members.get("Bukan anggota", 0) == head[1]
    assert sum(1 for x in completed if x["member"]) == sum(
        r["sales"] for r in reports["member"].rows if r["key"] == "Anggota")
    hours = {r["key"]: r["sales"] for r in reports["hour"].rows}
    for h in {x["hour"] for x in completed}:
        assert hours[f"{h:02d}.00-{(h + 1) % 24:02d}.00"] == sum(1 for x in completed if x["hour"] == h)


def _one_day(db):
    tills, users, products = _shop(db)
    with db.transaction() as s:
        # 23:30 WITA on the 21st is 15:30 UTC: that date and the 23.00 hour
        insert_sale(s, till_id=tills[0], cashier_id=users[0], products=products,
                    when=datetime(2026, 11, 21, 15, 30), day=DAY, lines=[(0, 2, 25_000, 1_000)],
                    tenders=[("cash", 25_000)], reason="Rusak")
        insert_sale(s, till_id=tills[1], cashier_id=users[1], products=products, member=True,
                    when=datetime(2026, 11, 21, 1, 5), day=DAY, lines=[(1, 1, 112_500, 0), (2, 3, 9_000, 0)],
                    tenders=[("qris", 100_000), ("cash", 21_500)])
    return products


def test_outlet_zone_hour_and_margin(db):
    _one_day(db)
    with db.reading() as s:
        hours = sales_report(s, "hour", DAY, DAY, zone=ZONE)
        units = sales_report(s, "unit", DAY, DAY, zone=ZONE)
        nothing = sales_report(s, "day", date(2026, 11, 22), date(2026, 11, 22), zone=ZONE)
    assert [(r["key"], r["sales"], r["total"]) for r in hours.rows] == [
        ("09.00-10.00", 1, 121_500), ("23.00-00.00", 1, 25_000)]
    sembako = next(r for r in units.rows if r["key"] == "Sembako")
    # make_product's cost is 8.000 a piece: 2 pieces cost 16.000 against 25.000 (no tax here)
    assert (sembako["amount"], sembako["cost"], sembako["margin"], sembako["margin_pct"]) == (
        25_000, 16_000, 9_000, 3600)
    assert units.totals["amount"] == 146_500 and nothing.rows == [] and nothing.totals["total"] == 0


def test_pages_and_exports_equal_the_screen(db, client):
    products = _one_day(db)
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
    from tests.factories import login
    login(client, manager)
    page = client.get("/laporan/penjualan-barang?dari=21-11-2026&sampai=21-11-2026")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Rp146.500" in html and "Beras 5 kg" in html
    # the screen's cells, parsed back from the table
    import re
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html)]
    body = client.get("/laporan/penjualan-barang?dari=21-11-2026&sampai=21-11-2026&unduh=csv")
    assert body.headers["Content-Disposition"].endswith('.csv"')
    unknown = client.get("/laporan/penjualan-barang?unduh=pdf")   # was Werkzeug's English page
    assert unknown.status_code == 400
    assert "Format unduhan tidak dikenal" in unknown.get_data(as_text=True)
    rows = csv_rows(body)
    with db.reading() as s:
        report = sales_report(s, "product", DAY, DAY, zone=ZONE)
    files = shape.file_columns(report)   # the screen's, and the unit of Jumlah beside it
    head = cells[:len(report.columns)]
    assert rows[0] == head[:4] + ["Satuan"] + head[4:] == [c.header for c in files]
    assert rows[1:] == [[shape.cell_text(r, c, screen=False) for c in files]
                        for r in report.rows + [report.totals]]
    assert rows[-1][0] == "Total" and int(rows[-1][5]) == 146_500 and rows[-1][4] == ""
    assert {r[4] for r in rows[1:-1]} == {"pcs"}
    assert cells[len(head):] == [shape.cell_text(r, c) for r in report.rows + [report.totals]
                                 for c in report.columns]  # the screen shows the same rows
    book = load_workbook(io.BytesIO(client.get(
        "/laporan/penjualan-barang?dari=21-11-2026&sampai=21-11-2026&unduh=xlsx").data))
    sheet = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert sheet[0] == rows[0]
    # numbers stay numbers: the margin's percent is 1388 (basis points) shown 13,88%, not the text
    margin = [c.kind for c in files].index("percent")
    assert all(isinstance(r[margin], int) for r in sheet[1:] if r[margin] is not None)
    assert book.active.cell(row=2, column=margin + 1).number_format == '#0","00"%"'
    assert [[("" if v is None else format_rate(v, fixed=True) + "%" if n == margin
              else str(v)) for n, v in enumerate(r)] for r in sheet[1:]] == rows[1:]
    screen_amounts = [c for c in cells if c.startswith("Rp")]
    assert "Rp112.500" in screen_amounts and "Rp146.500" in screen_amounts
    # pages: 1 row a page gives 3 pages of the same report, every row once
    with db.reading() as s:
        pages = [sales_report(s, "product", DAY, DAY, zone=ZONE, page=n, per_page=1) for n in (1, 2, 3)]
    assert [p.rows[0]["key"] for p in pages] == [r["key"] for r in report.rows]
    assert pages[0].pages == 3 and all(p.totals == report.totals for p in pages)
    assert len(products) == 3


def test_a_renamed_product_is_one_row_under_its_name_now(db):
    """The report by product sums by product and names it as the catalogue does now, as the
    report by category names the category: lines sold under an old name are not a second row."""
    tills, users, products = _shop(db)
    at = datetime.combine(DAY, time(3))
    with db.transaction() as s:
        insert_sale(s, till_id=tills[0], cashier_id=users[0], products=products, when=at, day=DAY,
                    lines=[(0, 1, 60_000, 0)], tenders=[("cash", 60_000)])
        s.execute(update(Product).where(Product.id == products[0].id)
                  .values(name="Beras (SPHP) 5 kg", sku="00-SPHP"))
        products[0].name, products[0].sku = "Beras (SPHP) 5 kg", "00-SPHP"
        insert_sale(s, till_id=tills[0], cashier_id=users[0], products=products, when=at, day=DAY,
                    lines=[(0, 2, 120_000, 0)], tenders=[("cash", 120_000)])
    with db.reading() as s:
        report = sales_report(s, "product", DAY, DAY, zone=ZONE)
    assert [(r["key"], r["sku"], r["qty"], r["lines"], r["amount"]) for r in report.rows] == [
        ("Beras (SPHP) 5 kg", "00-SPHP", 3, 2, 180_000)]


def test_page_links_and_access(db, client):
    with db.transaction() as s:
        cashier = make_user(s, "kasir9").id
        manager = make_user(s, "manajer1", "manager", "9999").id
        till = make_till(s).id
    login_ = __import__("tests.factories", fromlist=["login"]).login
    login_(client, cashier, till)
    assert client.get("/laporan").status_code == 403
    assert client.get("/laporan/penjualan-jam").status_code == 403
    login_(client, manager)
    menu = client.get("/laporan").get_data(as_text=True)
    assert "/laporan/dasbor" in menu and "/laporan/log-audit" in menu and "/pupuk/penebusan" in menu
    assert "/kasbon/umur" in menu
    # the savings counter is linked as what it is, not as a report of savings
    assert ">Loket simpanan (kartu per anggota)</a>" in menu
    for slug in ("penjualan-jam", "penjualan-hari", "penjualan-bulan", "penjualan-kasir", "penjualan-mesin",
                 "penjualan-cara-bayar", "penjualan-anggota", "penjualan-unit", "penjualan-kategori",
                 "diskon", "log-audit", "nilai-stok", "nilai-stok-kategori", "stok-menipis",
                 "hampir-kedaluwarsa"):
        for download in ("", "&unduh=csv", "&unduh=xlsx"):
            assert client.get(f"/laporan/{slug}?dari=01-11-2026{download}").status_code == 200, slug
    assert client.get("/laporan/tidak-ada").status_code == 404
    wrong = client.get("/laporan/penjualan-hari?dari=22-11-2026&sampai=21-11-2026")
    assert wrong.status_code == 422 and "Tanggal awal" in wrong.get_data(as_text=True)
    assert client.get("/laporan/penjualan-hari?hal=0").status_code == 400
    # near-expiry's Hari typed wrong: the page again, the field as typed and marked, no table, no file
    days = client.get("/laporan/hampir-kedaluwarsa?hari=400")
    body = " ".join(days.get_data(as_text=True).split())
    assert days.status_code == 422 and "Jumlah hari harus angka bulat 1 sampai 365" in body
    assert 'name="hari" inputmode="numeric" size="4" value="400" aria-invalid="true"' in body
    assert 'id="report-rows"' not in body and 'id="download-csv"' not in body
    as_file = client.get("/laporan/hampir-kedaluwarsa?hari=abc&unduh=csv")
    assert as_file.status_code == 400 and "Jumlah hari" in as_file.get_data(as_text=True)
    assert "Laporan</a>" in client.get("/").get_data(as_text=True)


def test_cli_json_csv_and_xlsx(db, runner, tmp_path):
    _one_day(db)
    out = runner.invoke(args=["report", "sales", "--from", "2026-11-21", "--to", "2026-11-21",
                              "--by", "tender", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"report", "from", "to", "columns", "rows", "totals"}
    assert data["totals"]["amount"] == 146_500 and data["from"] == "2026-11-21"
    assert {r["key"]: r["amount"] for r in data["rows"]} == {"Tunai": 46_500, "QRIS": 100_000}
    target = tmp_path / "hari.csv"
    made = runner.invoke(args=["report", "sales", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "day",
                               "--csv", str(target), "--xlsx", str(tmp_path / "hari.xlsx")])
    assert made.exit_code == 0 and "21-11-2026,2,146500" in target.read_text()
    assert (tmp_path / "hari.xlsx").stat().st_size > 0
    bad = runner.invoke(args=["report", "sales", "--from", "2026-11-22", "--to", "2026-11-21", "--by", "day"])
    assert bad.exit_code != 0


junk = st.one_of(st.text(max_size=12), st.sampled_from(["٣", "８", "1e3", "9" * 5000, "-1", "0", "31-02-2026",
                                                       "00-00-0000", "31-12-9999", "2026-13-01"]))


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["penjualan-jam", "penjualan-barang", "log-audit", "hampir-kedaluwarsa"]),
       st.sampled_from(["dari", "sampai", "hal", "hari", "pengguna", "unduh", "jenis"]), junk)
def test_no_text_in_a_report_field_gives_a_server_error(client, slug, field, value):
    if not getattr(client, "_reports_login", False):
        from pos.db import get_db
        from tests.factories import login
        with get_db(client.application).transaction() as s:
            login(client, make_user(s, "manajer1", "manager", "9999").id)
        client._reports_login = True
    response = client.get(f"/laporan/{slug}", query_string={field: value})
    assert response.status_code in (200, 400, 422), (slug, field, value, response.status_code)


def test_the_reports_by_line_say_when_cash_rounding_makes_them_differ_from_the_days(db):
    """Penjualan per hari (the sales' totals) and per barang (their lines) differed by the cash
    rounding, Rp150 in the demo's first days, and neither said why."""
    _one_day(db)
    with db.reading() as s:
        assert sales_report(s, "product", DAY, DAY, zone=ZONE).note == ""
    with db.transaction() as s:
        s.execute(update(Sale).where(Sale.receipt_no == select(func.min(Sale.receipt_no)).scalar_subquery())
                  .values(rounding=-50, total=Sale.total - 50))
    with db.reading() as s:
        by_product = sales_report(s, "product", DAY, DAY, zone=ZONE)
        by_day = sales_report(s, "day", DAY, DAY, zone=ZONE)
    assert by_day.totals["total"] == by_product.totals["amount"] - 50
    assert by_product.note.startswith("Penjualan di sini tanpa pembulatan tunai (-Rp50 pada periode ini)")


@pytest.mark.parametrize("by", [*BY, "discounts"])
def test_cli_json_of_every_grouping_holds_whole_numbers(db, runner, by):
    """``--by product --json`` stopped with "Object of type Decimal is not JSON serializable" on
    PostgreSQL (its SUM of a bigint is a numeric): every grouping's JSON gives integers."""
    _one_day(db)
    out = runner.invoke(args=["report", "sales", "--from", "21-11-2026", "--to", "21-11-2026",
                              "--by", by, "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["rows"], by
    for row in [*data["rows"], data["totals"]]:
        for column in data["columns"]:
            if column["kind"] in ("rupiah", "qty", "int") and row.get(column["key"]) not in (None, ""):
                assert type(row[column["key"]]) is int, (by, column["key"], row)
    if by == "product":
        assert sorted(r["qty"] for r in data["rows"]) == [1, 2, 3]


def test_files_say_the_unit_of_every_quantity(db, client):
    """Penjualan per barang showed "Pupuk Urea 50 kg … 100 kg" but its CSV and XLSX gave
    Jumlah 100000 beside piece counts with no unit: a Satuan column now says each row's."""
    from pos.reports import stock as stock_reports

    with db.transaction() as s:
        till, user = make_till(s, "KASIR-1").id, make_user(s, "kasir1").id
        goods = [make_product(s, name="Pupuk Urea Subsidi 50 kg", sku="UREA-1", base_unit="gram",
                              weighed=True, business_unit="pupuk"),
                 make_product(s, name="Sabun", sku="SABUN-1")]
        for p, point in zip(goods, (200_000, 500), strict=True):
            p.reorder_point = point
        s.flush()
        for p in goods:
            s.expunge(p)
        insert_sale(s, till_id=till, cashier_id=user, products=goods, when=datetime(2026, 11, 21, 3),
                    day=DAY, lines=[(0, 100_000, 200_000, 0), (1, 3, 9_000, 0)],
                    tenders=[("cash", 209_000)])
    with db.reading() as s:
        by_product = sales_report(s, "product", DAY, DAY, zone=ZONE)
        low = stock_reports.low_stock(s, DAY)
    for report, quantities in ((by_product, ("Jumlah",)), (low, ("Stok", "Titik pesan"))):
        rows = list(csv.reader(io.StringIO(shape.to_csv(report))))
        head = rows[0]
        assert head.index("Satuan") == max(head.index(q) for q in quantities) + 1, head
        units = {row[head.index("SKU") if "SKU" in head else 0]: row[head.index("Satuan")]
                 for row in rows[1:] if row[0] != "Total"}
        assert units == {"UREA-1": "gram", "SABUN-1": "pcs"}, (report.name, rows)
        sheet = load_workbook(io.BytesIO(shape.to_xlsx(report))).active
        assert list(sheet.values)[0] == tuple(head)
    rows = list(csv.reader(io.StringIO(shape.to_csv(by_product))))
    urea = next(row for row in rows if row[0] == "UREA-1")
    assert urea[rows[0].index("Jumlah")] == "100000"   # machines still sum an integer column
