"""The cart's lines by keyboard in real Chromium: Esc drops a quantity being typed, F9 opens
the payment panel on the total with a quantity just typed, the arrows walk the highlight, F3
and F4 act on the line whose box has the focus, F7 starts afresh after Esc, Shift+F7 lets the
member go, and F9 prints the X report."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.money import format_rupiah
from pos.sales.models import Cart
from tests.browser.test_till_browser import log_in, packaged_goods, scan_all
from tests.browser.test_till_keys_browser import cart_lines

pytestmark = pytest.mark.browser


def two_lines(live, page):
    """kasir1 at the till with two goods scanned, the second highlighted: (app, goods)."""
    base, app = live
    goods = packaged_goods(app, 2)
    log_in(page, base)
    scan_all(page, [goods[0][1], goods[1][1]])
    expect(page.locator("#cart tr.line")).to_have_count(2)
    expect(page.locator("#cart-total")).to_have_text(format_rupiah(goods[0][3] + goods[1][3]))
    return app, goods


def test_esc_drops_a_quantity_being_typed(live, page):
    """Esc sent the 7 typed with F3 (leaving the box sent it) where the key bar says it goes
    back to the scan field."""
    app, goods = two_lines(live, page)
    page.keyboard.press("F3")
    second = page.locator("#cart tr.line").nth(1).locator(".qty")
    expect(second).to_be_focused()
    page.keyboard.type("7", delay=80)
    page.keyboard.press("Escape")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    expect(second).to_have_value("1")
    page.wait_for_timeout(400)                      # a request sent on leaving would be in by now
    assert cart_lines(app) == [(goods[0][0], 1), (goods[1][0], 1)]
    expect(page.locator("#cart-total")).to_have_text(format_rupiah(goods[0][3] + goods[1][3]))


def test_f9_right_after_a_typed_quantity_pays_the_new_total(live, page):
    """F3, 3, F9 opened the panel on the old total; Selesai was then refused as a changed cart."""
    app, goods = two_lines(live, page)
    page.keyboard.press("F3")
    page.keyboard.type("3", delay=80)
    page.keyboard.press("F9")
    total = goods[0][3] + 3 * goods[1][3]
    expect(page.locator("#pay-total")).to_have_text(format_rupiah(total))
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    assert cart_lines(app) == [(goods[0][0], 1), (goods[1][0], 3)]
    page.keyboard.press("F5")                       # exact cash
    page.keyboard.press("Enter")
    expect(page.locator("#change-due")).to_have_text("Rp0")


def test_the_arrows_walk_the_highlight_and_f3_f4_follow_the_focused_line(live, page):
    app, goods = two_lines(live, page)
    first, second = page.locator("#cart tr.line").nth(0), page.locator("#cart tr.line").nth(1)
    page.keyboard.press("ArrowUp")
    expect(first).to_have_class("line hl")
    expect(second).not_to_have_class("line hl")
    page.keyboard.press("F3")
    expect(first.locator(".qty")).to_be_focused()
    page.keyboard.type("2", delay=80)
    page.keyboard.press("Enter")
    expect(page.locator("#cart-total")).to_have_text(format_rupiah(2 * goods[0][3] + goods[1][3]))
    expect(page.get_by_label("Kode barang")).to_be_focused()

    page.keyboard.press("ArrowDown")                # the last line: further down stays there
    page.keyboard.press("ArrowDown")
    expect(page.locator("#cart tr.line").nth(1)).to_have_class("line hl")
    page.locator("#cart tr.line").first.locator(".qty").focus()   # reached with Tab
    page.keyboard.press("F4")
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.press("1")                        # Salah pindai
    expect(page.locator("#cart tr.line")).to_have_count(1)
    assert cart_lines(app) == [(goods[1][0], 1)]


def test_f7_after_esc_starts_afresh(live, page):
    """Esc left "Dayang" in the member field and the next F7 typed on after it."""
    base, _app = live
    log_in(page, base)
    page.keyboard.press("F7")
    member = page.get_by_label("Anggota F7")
    expect(member).to_be_focused()
    page.keyboard.type("Dayang", delay=80)
    page.keyboard.press("Escape")
    expect(member).to_have_value("")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    member.fill("AGT-9999")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("tidak ditemukan")
    page.keyboard.press("F7")                       # the refused number is selected: typing replaces it
    page.keyboard.type("AGT-0001", delay=80)
    expect(member).to_have_value("AGT-0001")


def test_shift_f7_lets_the_member_go_and_f9_prints_the_x_report(live, page, printer):
    base, app = live
    log_in(page, base)
    page.keyboard.press("F7")
    page.get_by_label("Anggota F7").fill("AGT-0001")
    page.keyboard.press("Enter")
    expect(page.locator("#cart-member")).to_be_visible()
    page.keyboard.press("Shift+F7")
    expect(page.locator("#cart-member")).to_have_count(0)
    with get_db(app).reading() as s:
        assert s.scalar(select(Cart.member_id).where(Cart.till_id.is_not(None))) is None
    page.keyboard.press("Alt+x")                    # Laporan X of the open shift
    expect(page.locator("#print-report")).to_be_visible()
    page.wait_for_load_state("load")                # its keys are the page's deferred script
    page.keyboard.press("F9")
    expect(page.locator("#messages")).not_to_be_empty()
    assert printer.receipts[-1].receipt_no.startswith("X-")


def test_the_highlight_stays_on_its_line_when_a_member_comes_and_goes(live, page):
    """After F7 (or Shift+F7) no line was highlighted and F4 asked to remove the last line,
    not the one just scanned."""
    app, goods = two_lines(live, page)
    first = page.locator("#cart tr.line").nth(0)
    scan_all(page, [goods[0][1]])                   # the first again: it is the highlighted line
    expect(first).to_have_class("line hl")
    page.keyboard.press("F7")
    page.get_by_label("Anggota F7").fill("AGT-0001")
    page.keyboard.press("Enter")
    expect(page.locator("#cart-member")).to_contain_text("AGT-0001")
    expect(first).to_have_class("line hl")
    page.keyboard.press("Shift+F7")
    expect(page.locator("#cart-member")).to_have_count(0)
    expect(first).to_have_class("line hl")
    page.locator("#scan").focus()
    page.keyboard.press("F4")
    expect(page.locator("#void-form")).to_contain_text(goods[0][2])


def test_esc_leaves_tutup_shift_and_the_x_report_and_a_receipt_take_the_focus(live, page):
    """Esc did nothing on Tutup shift (its Batal had no key and led to the report, not the till);
    the X report and a receipt opened from Riwayat left the focus on the page itself."""
    app, goods = two_lines(live, page)
    page.keyboard.press("Alt+t")                    # Tutup shift
    expect(page.locator("#close-cancel")).to_contain_text("Esc")
    page.wait_for_load_state("load")
    page.locator("body").click(position={"x": 5, "y": 5})   # out of the counting fields
    page.keyboard.press("Escape")
    expect(page.get_by_label("Kode barang")).to_be_focused()   # back at the till, the shift open
    page.keyboard.press("Alt+x")
    expect(page.locator("#report-to-till")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    page.keyboard.press("F9")
    page.keyboard.press("F5")
    page.keyboard.press("Enter")
    expect(page.locator("#change-due")).to_have_text("Rp0")
    page.goto(page.url.split("/kasir")[0] + "/kasir/struk/1")
    expect(page.locator("#receipt-to-till")).to_be_focused()
