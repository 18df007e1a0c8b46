"""A pharmacy delivery received by scanning in real headless Chromium, then sold first expiry
first at the till."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.inventory import stock
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.inventory.models import Batch
from pos.sales.models import SaleLine, SaleLineBatch
from pos.units import BaseUnit
from tests.browser.test_till_browser import log_in, scan_all

pytestmark = pytest.mark.browser


def pharmacy_product(app) -> tuple[int, str, date]:
    """(id, EAN-13, opening batch expiry) of the demo apotek product that expires last."""
    with get_db(app).reading() as s:
        return s.execute(
            select(Product.id, ProductBarcode.code, Batch.expiry)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .join(Batch, Batch.product_id == Product.id)
            .where(Product.batch_tracked, Product.base_unit == BaseUnit.PCS,
                   ProductBarcode.qty == 1, Batch.on_hand > 0)
            .order_by(Batch.expiry.desc(), Product.id).limit(1)).one()


def create_draft_for_new_pbf(page, base: str) -> None:
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("gudang1")
    page.get_by_label("PIN").fill("2222")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Penerimaan barang").click()
    page.wait_for_url(f"{base}/penerimaan")
    name = page.get_by_label("Nama pemasok baru")
    expect(name).to_be_visible()                       # no supplier yet: the form is open
    name.fill("PBF Sehat Sentosa")
    page.get_by_label("Jenis pemasok").select_option("pbf")
    page.get_by_role("button", name="Tambah pemasok").click()
    expect(page.locator("#supplier_id option:checked")).to_contain_text("PBF Sehat Sentosa")
    page.get_by_label("Nomor surat jalan / DO").fill("SJ-PBF-0412")
    page.get_by_role("button", name="Buat draf penerimaan").click()
    page.wait_for_url(re.compile(r".*/penerimaan/\d+$"))


def test_clerk_receives_two_batches_and_the_till_sells_the_earlier_one(live, page):
    base, app = live
    product_id, code, opening_expiry = pharmacy_product(app)
    early, late = date.today() + timedelta(days=100), date.today() + timedelta(days=200)
    assert opening_expiry > late
    with get_db(app).reading() as s:
        before = stock.on_hand(s, product_id)

    create_draft_for_new_pbf(page, base)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    scan_all(page, [code, code])                       # the same box twice: two lines, two batches
    lines = page.locator("#gr-lines form.gr-line")
    expect(lines).to_have_count(2)
    for n, (batch_no, expiry, qty) in enumerate([("PBF-A1", early, 5), ("PBF-B2", late, 7)]):
        line = lines.nth(n)
        line.get_by_label("Kedaluwarsa").fill(expiry.isoformat())
        line.get_by_label("Nomor batch").fill(batch_no)
        line.get_by_label("Diterima").fill(str(qty))
    expect(page.locator("#gr-lines .gr-sum").first).to_contain_text("= 5 pcs")
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("F9")                          # still in the last field: saved, then posted
    expect(page.locator("h1 .gr-status")).to_have_text("Diposting")
    expect(page.locator("table.gr-table")).to_contain_text("PBF-B2")

    with get_db(app).reading() as s:
        got = {b.batch_no: (b.expiry, b.on_hand, b.id) for b in s.scalars(
            select(Batch).where(Batch.product_id == product_id))}
        assert got["PBF-A1"][:2] == (early, 5) and got["PBF-B2"][:2] == (late, 7)
        assert stock.on_hand(s, product_id) == before + 12
        assert stock.discrepancies(s) == [] and stock.batch_discrepancies(s) == []

    page.get_by_role("button", name="Keluar").click()
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F9")
    page.keyboard.press("F5")
    page.keyboard.press("Enter")
    expect(page.locator("#change-due")).to_have_text("Rp0")

    with get_db(app).reading() as s:
        taken = s.execute(select(SaleLineBatch.batch_id, SaleLineBatch.qty)
                          .join(SaleLine, SaleLine.id == SaleLineBatch.sale_line_id)
                          .where(SaleLine.product_id == product_id)).all()
        assert taken == [(got["PBF-A1"][2], 1)]
        assert s.get(Batch, got["PBF-A1"][2]).on_hand == 4
        assert s.get(Batch, got["PBF-B2"][2]).on_hand == 7
