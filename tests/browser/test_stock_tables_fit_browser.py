"""The stock and pharmacy tables fit every counter screen (1024x768, 1280x800, 1366x768 and the
800x1280 tablet) with nothing cut or hidden: the apoteker's register (SIPA cut and Kasir off the
screen at 1024), the kartu stok (Oleh and Keterangan out of sight at 800), the adjustments'
Riwayat keputusan (Keputusan off the screen at 800), and the SKUs of the catalogue, the goods
receipts, the count, adjustment and return forms never broken at their hyphen ("APT-" over
"0001") at 1024. Long names, reasons and licence numbers on purpose."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.inventory import stock
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.inventory.counts import adjustments, counting
from pos.inventory.models import Batch, MovementKind
from pos.sales.models import Sale, SaleLine, SaleLineRx
from pos.tills.models import Till
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser
SIZES = [(1024, 768), (1280, 800), (1366, 768), (800, 1280)]
CLERK = "Siti Nurhaliza Binti Abdullah Rahmatullah"
MANAGER = "Muhammad Ikhsanuddin Saputra Wijayakusuma"
REASON = "Karung sobek kena air hujan di gudang belakang dekat pintu samping"
DOCTOR = "Bambang Sutrisno Wicaksono Adiningrat, Sp.PD"
SIPA = "19900412/SIPA_64.72/2025/0031-XYZ"
# Every table of the page against the box it sits in: [table width, box width, box's own scroll width]
# per table, and the page's scroll width.
FIT = """(selector) => {
  const tables = [...document.querySelectorAll(selector)];
  return [tables.map(t => { const box = t.parentElement;
    return [t.scrollWidth, box.clientWidth, box.scrollWidth]; }),
    document.documentElement.scrollWidth]; }"""


def stock_story(app) -> str:
    """A demo drug with long-named staff, an adjustment approved with a long reason, a write-off
    refused, and an obat keras sold on prescription; returns its SKU."""
    now = utcnow()
    today = business_date(now, app.config["TIMEZONE"])
    with get_db(app).transaction() as s:
        clerk = s.scalar(select(User).where(User.username == "gudang1"))
        manager = s.scalar(select(User).where(User.username == "manajer1"))
        pharmacist = s.scalar(select(User).where(User.username == "apoteker1"))
        cashier = s.scalar(select(User).where(User.username == "kasir1"))
        clerk.full_name, manager.full_name = CLERK, MANAGER
        pharmacist.full_name, pharmacist.licence_no = "apt. Rina Marlina Kusumawardhani, S.Farm.", SIPA
        cashier.full_name = "Dewi Kartika Sari Puspitaningrum"
        drug = s.scalar(select(Product).where(Product.sku == "APT-K001"))
        batch_id = s.scalar(select(Batch.id).where(Batch.product_id == drug.id))
        done = adjustments.request_adjustment(s, drug.id, -2, REASON, clerk.id, batch_id)
        adjustments.approve(s, done.id, manager.id, day=today)
        refused = adjustments.request_writeoff(s, drug.id, 1, REASON, clerk.id, batch_id)
        adjustments.reject(s, refused.id, manager.id, "Hitung ulang dulu bersama apoteker")
        till = s.scalar(select(Till).order_by(Till.id))
        sale = Sale(receipt_no=f"{till.code}-9000001", seq_no=9_000_001, idempotency_key=str(uuid.uuid4()),
                    outlet_code="DEMO", till_id=till.id, cashier_id=cashier.id, business_date=today,
                    created_at=now - timedelta(minutes=5), gross=18_000, tax=0, total=18_000,
                    tendered=20_000, change=2_000)
        s.add(sale)
        s.flush()
        line = SaleLine(sale_id=sale.id, line_no=1, product_id=drug.id, sku=drug.sku, name=drug.name,
                        qty=2, base_unit=drug.base_unit, unit_price=9_000, price_per=1, amount=18_000,
                        tax_class=drug.tax_class, tax_rate_bp=0, tax=0, unit_cost=7_650,
                        business_unit=drug.business_unit)
        s.add(line)
        s.flush()
        s.add(SaleLineRx(sale_line_id=line.id, doctor=DOCTOR, rx_date=today, rx_number="R-2026/12/000112",
                         pharmacist_id=pharmacist.id))
        return drug.sku


def fits(page, url: str, selector: str, sizes=SIZES) -> None:
    page.goto(url)
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        tables, document = page.evaluate(FIT, selector)
        assert tables, (url, selector)
        for table, box, box_scroll in tables:
            # the whole table in its box, nothing to scroll to; the page never scrolls sideways
            assert table <= box and box_scroll <= box and document <= width, (
                url, width, table, box, box_scroll, document)


def visible(page, selector: str, words) -> None:
    text = page.locator(selector).first.inner_text()
    for word in words:
        assert word in text, word


def test_the_pharmacists_register_fits_every_screen(live, page):
    base, app = live
    stock_story(app)
    errors = watch_errors(page)
    sign_in(page, base, "apoteker1", "7777")
    fits(page, f"{base}/apotek", "#dispensed")
    visible(page, "#dispensed", (DOCTOR, SIPA, "Dewi Kartika Sari Puspitaningrum", "R-2026/12/000112",
                                 "Amoxicillin 500 mg Strip 10", "Rp18.000"))
    for head in ("Dokter", "SIPA", "Kasir", "Apoteker", "No. resep"):
        assert head in page.locator("#dispensed thead").inner_text(), head
    assert errors == []


def test_the_stock_card_fits_every_screen(live, page):
    base, app = live
    sku = stock_story(app)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    fits(page, f"{base}/laporan/kartu-stok?barang={sku}", "#report-rows")
    page.set_viewport_size({"width": 800, "height": 1280})
    visible(page, "#report-rows", (f"{CLERK} (disetujui {MANAGER})", REASON, "Penyesuaian", "AMX2611"))
    heads = page.locator("#report-rows thead").inner_text()
    for head in ("Waktu", "Jenis", "Dokumen", "Batch", "Masuk", "Keluar", "Saldo", "Oleh", "Keterangan"):
        assert head in heads, head
    assert errors == []


def test_the_adjustments_history_fits_every_screen(live, page):
    base, app = live
    stock_story(app)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    fits(page, f"{base}/penyesuaian", "#decided")
    visible(page, "#decided", (REASON, "Disetujui", "Ditolak", MANAGER, CLERK, "AMX2611"))
    assert "Keputusan" in page.locator("#decided").inner_text()
    assert errors == []


def test_catalogue_skus_are_never_broken(live, page):
    base, app = live
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/katalog?q=APT")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        broken = page.evaluate("""() => [...document.querySelectorAll('#products td.code')].filter(td => {
            const range = document.createRange(); range.selectNodeContents(td);
            return range.getClientRects().length > 1; }).map(td => td.textContent)""")
        assert broken == [], (width, broken)
        tables, document = page.evaluate(FIT, "#products table")
        assert document <= width, (width, document)
    assert errors == []


def test_the_list_of_stock_counts_fits_every_screen(live, page):
    """At 1024 the list's Ditutup column was 55 px past the right edge of its box."""
    base, app = live
    stock_story(app)
    with get_db(app).transaction() as s:
        users = dict(s.execute(select(User.username, User.id)).all())
        closed = counting.open_count(s, "all", users["gudang1"])
        counting.cancel(s, closed, users["manajer1"])
        counting.open_count(s, "all", users["gudang1"])
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    fits(page, f"{base}/opname", "#count-list")
    visible(page, "#count-list", (CLERK, MANAGER, "SO-"))
    for head in ("Nomor", "Cakupan", "Status", "Baris", "Dibuka", "Ditutup"):
        assert head in page.locator("#count-list").inner_text(), head
    assert errors == []


def test_a_long_name_without_a_barcode_keeps_its_price_and_checkbox_in_the_panel(live, page):
    """Label barang, Barang tanpa barcode: a 120-character name with no space pushed the price
    off the right edge at 800 and 1024 px and shrank its checkbox."""
    base, app = live
    long_name = ("KeripikSingkongBaladoPedasManisKhasKalimantanTimur" * 3)[:120]
    with get_db(app).transaction() as s:
        product = s.scalars(select(Product).where(Product.active, Product.sku == "SBK-0001")).one()
        s.execute(delete(ProductBarcode).where(ProductBarcode.product_id == product.id))   # none
        product.name = long_name
        product_id = product.id
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/barang/label")
    row = page.locator("#no-barcode li").filter(has=page.locator(f"#nb-{product_id}"))
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        panel = page.locator("#no-barcode").bounding_box()
        price = row.locator("> span").bounding_box()
        box = row.locator("input[type=checkbox]").bounding_box()
        assert price["x"] + price["width"] <= panel["x"] + panel["width"] + 1, (width, price, panel)
        assert round(box["width"]) == 24, (width, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []


# Each SKU shown in a <small> of the page: [SKU, its white-space, how many lines it takes].
SKUS = """(skus) => [...document.querySelectorAll("small")]
  .filter(s => skus.includes(s.textContent.trim()))
  .map(s => { const range = document.createRange(); range.selectNodeContents(s);
    return [s.textContent.trim(), getComputedStyle(s).whiteSpace, range.getClientRects().length]; })"""


def whole_skus(page, skus: list[str], where: str) -> None:
    shown = page.evaluate(SKUS, skus)
    assert shown, where
    broken = [s for s in shown if s[1] != "nowrap" or s[2] != 1]
    assert broken == [], (where, broken)


def test_skus_on_receiving_counts_adjustments_and_returns_are_never_broken(live, page):
    """A posted goods receipt at 1024x768 broke its SKUs at the hyphen ("…60 ml APT-" over
    "0005"); the draft's lines, the count and adjustment forms and the return form showed the
    SKU the same bare way. Each is kept whole now, as the count and adjustment tables do."""
    base, app = live
    from pos.inventory.receiving import posting, receipts
    from tests.browser.test_receiving_browser import draft_for

    sku = stock_story(app)
    expiry = business_date(utcnow(), app.config["TIMEZONE"]) + timedelta(days=400)
    with get_db(app).transaction() as s:
        goods = s.execute(select(Product.id, Product.sku, Product.batch_tracked, Product.price)
                          .where(Product.sku.like("APT-%"), Product.active).order_by(Product.sku)).all()
        drug = s.scalar(select(Product.id).where(Product.sku == sku))
        sale_id = s.scalar(select(Sale.id).where(Sale.seq_no == 9_000_001))
        users = dict(s.execute(select(User.username, User.id)).all())
        count_id = counting.open_count(s, "all", users["gudang1"])
    posted, draft = draft_for(app, "SJ-APT-01"), draft_for(app, "SJ-APT-02")
    with get_db(app).transaction() as s:
        for n, (product_id, _sku, tracked, price) in enumerate(goods):
            batch = {"batch_no": f"APT-B{n:03}", "expiry": expiry} if tracked else {}
            for receipt_id in (posted, draft):
                receipts.add_line(s, receipt_id, product_id, None, 12, price, ordered_packs=12, **batch)
        posting.post(s, posted, users["gudang1"], business_date(utcnow(), app.config["TIMEZONE"]))
    skus = [row.sku for row in goods]
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    # a form the page loads on a scan, put in the page as it is (its styles are the page's)
    loaded = ("async url => document.querySelector('main')"
              ".insertAdjacentHTML('beforeend', await (await fetch(url)).text())")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for path in (f"/penerimaan/{posted}", f"/penerimaan/{draft}", f"/retur/struk/{sale_id}"):
            page.goto(f"{base}{path}")
            whole_skus(page, skus, (path, width))
        for path, part in ((f"/opname/{count_id}", f"/opname/{count_id}/pilih?product_id={drug}"),
                           ("/penyesuaian", f"/penyesuaian/pilih?product_id={drug}")):
            page.goto(f"{base}{path}")
            page.evaluate(loaded, f"{base}{part}")
            whole_skus(page, [sku], (part, width))
    assert errors == []


def test_semua_batch_is_reached_by_keyboard_from_daftar_stok_and_fits_every_screen(live, page):
    """Daftar stok listed only batches near expiry or expired: *Semua batch* lists every batch
    on hand, the apoteker's without its value, a manager's with it, each with its totals row."""
    base, app = live
    with get_db(app).transaction() as s:   # a drug received with an expiry years away
        drug = s.scalar(select(Product).where(Product.sku == "APT-K001"))
        far = business_date(utcnow(), app.config["TIMEZONE"]) + timedelta(days=900)
        batch = stock.ensure_batch(s, drug.id, "AMX-JAUH-2029", far)
        stock.move(s, drug, 7, MovementKind.RECEIPT, reason="uji", batch_id=batch)
    errors = watch_errors(page)
    sign_in(page, base, "apoteker1", "7777")
    page.goto(f"{base}/katalog/stok")
    page.get_by_label("Dalam berapa hari").focus()
    page.keyboard.press("Tab")                                  # Tampilkan
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Semua batch")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/laporan/stok-per-batch")
    expect(page.get_by_role("heading", name="Stok per batch")).to_be_visible()
    visible(page, "#report-rows", (drug.name, "Total ("))
    assert "Nilai pokok" not in page.locator("#report-rows").inner_text()
    page.get_by_role("link", name="Berikutnya ›").click()     # the latest expiry on the last page
    visible(page, "#report-rows", ("AMX-JAUH-2029", f"{far:%d-%m-%Y}", "Total ("))
    fits(page, f"{base}/laporan/stok-per-batch", "#report-rows")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/masuk**")
    sign_in(page, base, "manajer1", "9999")
    fits(page, f"{base}/laporan/stok-per-batch?hal=2", "#report-rows")
    visible(page, "#report-rows", ("Nilai pokok", "AMX-JAUH-2029"))
    expect(page.locator("#report-totals")).to_contain_text("Rp")
    fits(page, f"{base}/laporan/hampir-kedaluwarsa?hari=365", "#report-rows")   # its value column too
    visible(page, "#report-rows", ("Nilai pokok", "Total ("))
    assert errors == []
