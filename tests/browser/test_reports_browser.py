"""The manager's reports in real headless Chromium under the Content-Security-Policy: the
Dasbor's SVG charts and a report page at 1024x768 without console errors, printable, and an
XLSX download that opens with the screen's rows."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import func, select

from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.inventory.catalog.models import Product
from pos.money import format_rupiah
from pos.sales.models import Sale, SaleStatus
from pos.shifts.models import Shift
from pos.tills.models import Till
from tests.browser.test_receiving_browser import sign_in, watch_errors
from tests.reports.helpers import insert_sale

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_template(demo_history_template):
    """The demo gerai with its fourteen closed days (``pos.demo.history``): the reports and
    the Dasbor have data, as after ``pos demo``."""
    return demo_history_template


def some_sales(app) -> None:
    now = utcnow()
    today = business_date(now, app.config["TIMEZONE"])
    with get_db(app).transaction() as s:
        till = s.execute(select(Till.id).limit(1)).scalar_one()
        cashier = s.execute(select(User.id).where(User.username == "kasir1")).scalar_one()
        products = list(s.scalars(select(Product).order_by(Product.id).limit(3)))
        for back, amount in ((0, 45_000), (0, 12_500), (7, 30_000), (1, 8_000)):
            insert_sale(s, till_id=till, cashier_id=cashier, products=products,
                        when=now - timedelta(days=back), day=today - timedelta(days=back),
                        lines=[(back % 3, 1, amount, 0)], tenders=[("cash", amount)], member=back == 1)


def demo_week(app) -> tuple[int, int]:
    """(sales, total) of the demo's own history over the last seven days and today."""
    today = business_date(utcnow(), app.config["TIMEZONE"])
    with get_db(app).reading() as s:
        count, total = s.execute(select(func.count(Sale.id), func.coalesce(func.sum(Sale.total), 0))
                                 .where(Sale.status == SaleStatus.COMPLETED,
                                        Sale.business_date >= today - timedelta(days=7))).one()
    return int(count), int(total)


def test_dashboard_and_a_report_at_1024(live, browser):
    base, app = live
    before, week = demo_week(app)
    some_sales(app)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.get_by_role("link", name="Dasbor").first.click()
    expect(page.locator("svg.chart")).to_have_count(5)
    expect(page.locator("#chart-hourly-title")).to_have_text("Penjualan hari ini per jam")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1024  # no sideways scrolling
    page.emulate_media(media="print")
    assert page.locator("svg.chart rect.chart-bar").count() > 0
    assert len(page.pdf(format="A4")) > 1000
    page.emulate_media(media="screen")

    page.goto(f"{base}/laporan")
    page.get_by_role("link", name="Penjualan per hari").click()
    today = business_date(utcnow(), app.config["TIMEZONE"])
    page.get_by_label("Dari").fill((today - timedelta(days=7)).strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#report-totals")).to_contain_text(format_rupiah(week + 95_500))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    with page.expect_download() as info:
        page.locator("#download-xlsx").click()
    with open(info.value.path(), "rb") as downloaded:
        data = downloaded.read()
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0] == ("Tanggal", "Transaksi", "Penjualan", "Diskon")
    assert rows[-1][:3] == ("Total", before + 4, week + 95_500)
    page.set_viewport_size({"width": 800, "height": 1280})  # the tablet, upright
    for path in ("/laporan/dasbor", "/laporan/penjualan-barang", "/laporan/log-audit"):
        page.goto(f"{base}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 800, path
    assert errors == []
    context.close()


def test_the_shift_report_shows_the_demo_history(live, browser):
    base, app = live
    today = business_date(utcnow(), app.config["TIMEZONE"])
    with get_db(app).reading() as s:
        shifts = s.scalar(select(func.count(Shift.id)).where(
            Shift.business_date >= today - timedelta(days=14)))
    assert shifts >= 14
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/laporan")
    page.get_by_role("link", name="Shift dan selisih kas").click()
    page.get_by_label("Dari").fill((today - timedelta(days=14)).strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#report-totals")).to_contain_text("Total")
    with page.expect_download() as info:
        page.locator("#download-xlsx").click()
    with open(info.value.path(), "rb") as downloaded:
        rows = list(load_workbook(io.BytesIO(downloaded.read())).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tanggal", "Mesin kasir", "Kasir") and len(rows) == shifts + 2
    page.goto(f"{base}/laporan/dasbor")
    assert page.locator("svg.chart rect.chart-bar").count() > 0
    assert errors == []
    context.close()
