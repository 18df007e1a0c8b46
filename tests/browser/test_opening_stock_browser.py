"""Stok awal in real headless Chromium under the app's Content-Security-Policy: a clerk opens it
from the menu, uploads a filled list with Periksa saja (nothing saved), then for real; the
progress is polled by htmx and the figures above are brought up to date."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pos.db import get_db
from pos.inventory import stock
from pos.inventory.catalog.products import create_product
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser


def test_a_clerk_checks_then_uploads_the_opening_stock(live, page, tmp_path):
    base, app = live
    with get_db(app).transaction() as s:
        product = create_product(s, sku="BARU-STOK-1", name="Kopi Bubuk Baru", price=12_000, cost=0,
                                 business_unit="sembako")
        product_id = product.id
    filled = tmp_path / "stok-awal.csv"
    filled.write_text("sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\n"
                      "BARU-STOK-1,Kopi Bubuk Baru,pcs,24,9.500,,\n", encoding="utf-8")
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.get_by_role("link", name="Stok awal").click()
    expect(page.get_by_role("heading", name="Stok awal")).to_be_visible()
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(filled))
    page.get_by_label("Periksa saja, jangan simpan").check()
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#import-checked")).to_contain_text("tanpa kesalahan")
    with get_db(app).reading() as s:
        assert stock.on_hand(s, product_id) == 0
    page.get_by_label("Periksa saja, jangan simpan").uncheck()
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#import-done")).to_contain_text("1 barang baru")
    expect(page.locator("#opening-stock-today")).to_contain_text("Rp228.000")   # 24 x Rp9.500
    with get_db(app).reading() as s:
        assert stock.on_hand(s, product_id) == 24
    assert errors == []
