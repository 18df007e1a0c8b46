"""A refused label form in the browser: its reason goes once the list is put right, and the
format chosen stays, so Buat label pressed again prints rather than making an A4 sheet."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pos.db import get_db
from tests.browser.test_receiving_browser import sign_in
from tests.inventory.labels.test_labels import bare

pytestmark = pytest.mark.browser


def label_page(page, base: str) -> None:
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/barang/label")
    page.wait_for_load_state()          # htmx listens to the search field once its script ran


def pick(page, name: str) -> None:
    page.get_by_label("Cari nama, SKU atau barcode barang").fill(name)
    page.locator("#label-search-results .result").first.click()


def test_nothing_picked_is_said_until_a_product_is_added(live, page):
    """"Pilih minimal satu barang untuk label." stayed above the row added after it."""
    base, _ = live
    label_page(page, base)
    page.locator("#label-format").select_option("thermal")
    page.get_by_role("button", name="Buat label").click()
    problem = page.locator("#label-problem")
    expect(problem).to_have_text("Pilih minimal satu barang untuk label.")
    expect(page.locator("#label-format")).to_have_value("thermal")   # it came back as A4
    pick(page, "gula")
    expect(page.locator("#label-rows tr")).to_have_count(1)
    expect(problem).to_have_count(0)


def test_a_refused_thermal_request_prints_once_its_goods_have_codes(live, page, printer):
    """"… belum punya barcode; beri kode toko dulu." stayed after Beri kode toko gave the code,
    and the refused page came back set to A4: Buat label again made a sheet, printed nothing."""
    base, app = live
    with get_db(app).transaction() as s:
        bare(s, name="Kue lapis legit", price=25_000)
    label_page(page, base)
    pick(page, "lapis legit")
    page.locator("#label-format").select_option("thermal")
    page.get_by_role("button", name="Buat label").click()
    problem = page.locator("#label-problem")
    expect(problem).to_contain_text("Kue lapis legit belum punya barcode; beri kode toko dulu.")
    expect(page.locator("#label-format")).to_have_value("thermal")
    expect(page.locator("#label-rows tr")).to_have_count(1)
    page.get_by_label("Kue lapis legit").check()
    page.get_by_role("button", name="Beri kode toko").click()
    expect(page.locator("#no-barcode")).to_contain_text("mendapat kode toko")
    expect(problem).to_have_count(0)
    page.get_by_role("button", name="Buat label").click()
    expect(page.get_by_text("1 label dikirim ke printer.")).to_be_visible()
    assert [label.name for label in printer.labels] == ["Kue lapis legit"]
    expect(page.locator("#label-format")).to_have_value("thermal")   # the next batch too
