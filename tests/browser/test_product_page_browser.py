"""The catalog product page in real Chromium: a barcode or a pack added or removed goes through
htmx and is logged, and Riwayat perubahan shows its line at once, the page not reloaded (it
showed the change only after a reload)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_counts_browser import piece_goods
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser
CODE = "4006381333931"  # a valid EAN-13 no demo product holds


def test_the_history_shows_a_barcode_or_pack_change_without_a_reload(live, page):
    base, app = live
    product_id, *_ = piece_goods(app)
    errors = watch_errors(page)
    page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm on Hapus
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/katalog/{product_id}")
    page.evaluate("window.notReloaded = true")
    newest = page.locator("#price-history tbody tr").first

    page.locator("#new-code").fill(CODE)
    page.locator("#barcodes form.add-form").get_by_role("button", name="Tambah").click()
    expect(page.locator("#barcodes .plain-list")).to_contain_text(CODE)
    expect(newest).to_contain_text("Barcode")
    expect(newest.locator("td").nth(3)).to_contain_text(CODE)

    page.locator("#new-pack").fill("karton")
    page.locator("#new-pack-qty").fill("40")
    page.locator("#packs form.add-form").get_by_role("button", name="Tambah").click()
    expect(newest).to_contain_text("Kemasan")
    expect(newest.locator("td").nth(3)).to_contain_text("karton = 40 pcs")

    page.locator("#barcodes li", has_text=CODE).get_by_role("button", name="Hapus").click()
    expect(page.locator("#barcodes .plain-list")).not_to_contain_text(CODE)
    expect(newest).to_contain_text("Barcode")
    expect(newest.locator("td").nth(2)).to_contain_text(CODE)
    expect(newest.locator("td").nth(3)).to_have_text("-")

    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#product-history").count() == 1 and page.locator("#price-history").count() == 1
    assert errors == []
