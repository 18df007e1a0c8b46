"""The label screen and the day report in real headless Chromium under the app's
Content-Security-Policy: scripts from files only, a scanned barcode finds its product, and a
date typed day first in an en-US browser."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_counts_browser import piece_goods
from tests.browser.test_receiving_browser import sign_in, watch_errors
from tests.browser.test_till_browser import log_in

pytestmark = pytest.mark.browser


def test_a_scanned_barcode_adds_its_label_row(live, page):
    base, app = live
    _, code, name, _ = piece_goods(app)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/barang/label")
    expect(page.locator("nav.crumbs")).to_contain_text("Menu")
    search = page.get_by_label("Cari nama, SKU atau barcode barang")
    expect(search).to_be_focused()                        # a scan on arrival lands in it, no click
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")                          # a scanner ends with Enter
    row = page.locator("#label-rows tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(name)
    expect(row.get_by_label("Jumlah label")).to_be_focused()
    expect(search).to_have_value("")
    expect(page.locator("#label-empty")).to_be_hidden()
    row.get_by_role("button", name="Hapus").click()
    expect(page.locator("#label-rows tr")).to_have_count(0)
    expect(page.locator("#label-empty")).to_be_visible()
    assert errors == []


def test_scans_one_after_another_each_add_their_row(live, page):
    """After a scan the cursor is in the row's label count; the scanner's next code typed there
    was a count of 8991234567890 labels (refused) and its product never came. The count is
    selected, so a number typed replaces it (1 then 3 made 31 labels)."""
    base, app = live
    _, code, name, _ = piece_goods(app)
    _, other, other_name, _ = piece_goods(app, skip=1)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/barang/label")
    page.get_by_label("Cari nama, SKU atau barcode barang").click()
    rows = page.locator("#label-rows tr")
    for n, scanned in enumerate((code, other, code), start=1):
        page.keyboard.type(scanned, delay=5)
        page.keyboard.press("Enter")
        expect(rows).to_have_count(min(n, 2))
        expect(page.locator("#label-rows input.copies:focus")).to_have_count(1)
    expect(rows.nth(0)).to_contain_text(name)
    expect(rows.nth(1)).to_contain_text(other_name)
    copies = rows.get_by_label("Jumlah label")
    expect(copies.nth(0)).to_have_value("2")                   # the same code again: one more
    expect(copies.nth(1)).to_have_value("1")
    page.keyboard.type("5", delay=120)               # a person's count types over the one shown
    expect(copies.nth(0)).to_have_value("5")
    copies.nth(1).click()                            # a click or a tap selects it too
    page.keyboard.type("7", delay=120)
    expect(copies.nth(1)).to_have_value("7")
    assert errors == []


@pytest.mark.parametrize(("user", "path", "field"), [
    ("gudang1", "/barang/label", "label-q"),
    ("gudang1", "/penerimaan", "supplier_id"),
    ("kasir1", "/kasir/simpanan", "account-q"),
])
def test_the_cursor_is_in_the_pages_field_once_its_scripts_have_run(live, page, user, path, field):
    """The browser puts the cursor in an autofocus field only when it next draws the page; on a
    busy machine a code scanned on arrival lost its first digit to the page in between
    ("Tidak ada barang yang cocok dengan 992951000210"). The page's scripts put it there."""
    base, _ = live
    if user == "kasir1":
        log_in(page, base)                    # at the till, its shift open
    else:
        sign_in(page, base, user, "2222")
    page.add_init_script("""document.addEventListener("DOMContentLoaded", () => {
        window.focusedWhenReady = document.activeElement && document.activeElement.id;
    });""")                                   # runs after the page's own (deferred) scripts
    page.goto(f"{base}{path}")
    assert page.evaluate("window.focusedWhenReady") == field


@pytest.mark.serial          # a scanner's burst is told by its keys' timing
def test_a_count_after_a_code_taken_back_out_of_it_is_selected(live, page):
    """A code scanned into a row's label count that finds nothing is taken back out and the "1"
    put back; the count was not selected, so the "3" typed next made 13 labels."""
    base, app = live
    _, code, _, _ = piece_goods(app)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/barang/label")
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")
    copies = page.locator("#label-rows").get_by_label("Jumlah label")
    expect(copies).to_be_focused()
    page.keyboard.type("2999999999990", delay=5)        # a code with no product: nothing added
    page.keyboard.press("Enter")
    expect(copies).to_have_value("1")
    page.wait_for_timeout(400)
    expect(copies).to_be_focused()
    page.keyboard.type("3", delay=120)
    expect(copies).to_have_value("3")
    assert errors == []


def test_a_code_scanned_on_arriving_at_daftar_stok_opens_its_kartu_stok(live, page):
    """Daftar stok opened with no cursor in *Kartu stok barang*: a code scanned was lost."""
    base, app = live
    _, code, name, _ = piece_goods(app)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/katalog/stok")
    expect(page.get_by_label("Kartu stok barang")).to_be_focused()
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")
    page.wait_for_url("**/kartu-stok**")
    expect(page.locator("main")).to_contain_text(name)
    assert errors == []


def test_the_day_report_date_reads_day_first_in_an_english_browser(live, browser):
    """Today (a day before the outlet's first activity is refused, so the day typed is today)."""
    from pos.clock import business_date, utcnow
    from pos.dates import MONTHS
    base, _ = live
    day = business_date(utcnow(), "Asia/Makassar")
    words = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/laporan/harian")
    field = page.get_by_label("Tanggal usaha")
    field.fill("")
    field.type(f"{day:%d%m%Y}")
    expect(page.locator("#tanggal-words")).to_have_text(words)
    field.fill("31/02/2026")
    expect(page.locator("#tanggal-words")).to_have_text("31-02-2026 tidak ada: Februari 2026 hanya 28 hari.")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill(day.isoformat())
    expect(page.locator("#tanggal-words")).to_have_text(words)
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("heading", name=f"Penjualan {day:%d-%m-%Y}")).to_be_visible()
    expect(page.get_by_label("Tanggal usaha")).to_have_value(f"{day:%d-%m-%Y}")
    assert errors == []
    context.close()
