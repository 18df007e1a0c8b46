"""A scan in a long cart redraws one row, not the cart (issue 14): the rows already shown stay
the same DOM nodes, the new row arrives highlighted at the end, the total and the pay panel
follow, and the till's keys act on the row just scanned."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pos.money import format_rupiah
from tests.browser.test_till_browser import log_in, packaged_goods, scan_all

pytestmark = pytest.mark.browser
LINES = 25

FILL_JS = """async (codes) => {
  for (const code of codes) {
    await htmx.ajax('POST', '/kasir/pindai', { source: '#scan-form', values: { code },
                                              target: '#cart', swap: 'outerHTML' });
  }
}"""
# Every row shown gets a mark only a DOM node keeps: a row drawn again comes without it.
MARK_JS = "() => document.querySelectorAll('#cart tr.line').forEach((r) => { r.__kept = true; })"
KEPT_JS = "() => Array.from(document.querySelectorAll('#cart tr.line'), (r) => r.__kept === true)"


def test_a_scan_in_a_long_cart_adds_one_row_and_keeps_the_others(live, page):
    base, app = live
    goods = packaged_goods(app, LINES + 1)
    assert len(goods) == LINES + 1, "the demo gerai has too few packaged goods"
    log_in(page, base)
    page.evaluate(FILL_JS, [code for _, code, _, _ in goods[:LINES]])
    page.reload()                                  # a long cart as the till opens it
    expect(page.locator("#cart tr.line")).to_have_count(LINES)
    page.evaluate(MARK_JS)
    before = sum(price for *_, price in goods[:LINES])
    expect(page.locator("#cart-total")).to_have_text(format_rupiah(before))

    _, code, name, price = goods[LINES]
    scan_all(page, [code])                         # a product not on the cart yet
    expect(page.locator("#cart tr.line")).to_have_count(LINES + 1)
    expect(page.locator("#cart-total")).to_have_text(format_rupiah(before + price))
    assert page.evaluate(KEPT_JS) == [True] * LINES + [False]   # only the new row is new
    new_row = page.locator("#cart tr.line").last
    expect(new_row).to_contain_text(name)
    expect(new_row).to_have_class("line hl")
    expect(page.locator("#cart tr.line.hl")).to_have_count(1)
    expect(page.locator("#cart")).to_have_attribute("data-count", str(LINES + 1))
    expect(page.locator("#cart")).to_have_attribute("data-total", str(before + price))
    expect(page.locator("#cart-summary")).to_contain_text(f"{LINES + 1} baris")
    expect(page.get_by_label("Kode barang")).to_be_focused()

    first_code, first_name, first_price = goods[0][1], goods[0][2], goods[0][3]
    scan_all(page, [first_code])                   # again: the first row's quantity goes up
    first = page.locator("#cart tr.line").first
    expect(first.locator(".qty")).to_have_value("2")
    expect(page.locator("#cart-total")).to_have_text(format_rupiah(before + price + first_price))
    expect(page.locator("#cart tr.line")).to_have_count(LINES + 1)
    expect(first).to_have_class("line hl")
    expect(page.locator("#cart tr.line.hl")).to_have_count(1)
    assert page.evaluate(KEPT_JS) == [False] + [True] * (LINES - 1) + [False]
    expect(page.get_by_label("Kode barang")).to_be_focused()

    page.keyboard.press("F3")                      # F3 is the row just scanned
    expect(first.locator(".qty")).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.locator("#cart-total")).to_have_text(
        format_rupiah(before + price + 2 * first_price))
    expect(page.get_by_label("Kode barang")).to_be_focused()

    page.keyboard.press("F9")                      # the pay panel reads the cart's total
    expect(page.locator("#pay-total")).to_have_text(
        format_rupiah(before + price + 2 * first_price))
    page.keyboard.press("Escape")

    scan_all(page, [goods[LINES][1]])              # the new row, scanned again after a full redraw
    expect(page.locator("#cart tr.line").last.locator(".qty")).to_have_value("2")
    expect(page.locator("#cart tr.line")).to_have_count(LINES + 1)
    assert first_name in page.locator("#cart tr.line").first.inner_text()
    page.reload()                                  # what the till showed is what the server has
    expect(page.locator("#cart tr.line")).to_have_count(LINES + 1)
    expect(page.locator("#cart-total")).to_have_text(
        format_rupiah(before + 2 * price + 2 * first_price))


def test_a_removed_line_goes_and_the_others_stay(live, page):
    """✕ (or F4), then a reason, takes the row away and keeps every other row as drawn; the
    total follows, and the next scan still answers with its row alone (the till is in step)."""
    base, app = live
    goods = packaged_goods(app, 6)
    log_in(page, base)
    scan_all(page, [code for _, code, _, _ in goods[:5]])
    expect(page.locator("#cart tr.line")).to_have_count(5)
    page.evaluate(MARK_JS)
    total = sum(price for *_, price in goods[:5])

    page.locator("#cart tr.line").nth(2).locator(".remove").click()   # the middle line
    page.keyboard.press("Enter")                                       # Salah pindai
    expect(page.locator("#cart tr.line")).to_have_count(4)
    expect(page.locator("#cart-total")).to_have_text(format_rupiah(total - goods[2][3]))
    assert page.evaluate(KEPT_JS) == [True] * 4                        # no row drawn again
    assert goods[2][2] not in page.locator("#cart").inner_text()
    expect(page.locator("#cart")).to_have_attribute("data-count", "4")
    expect(page.get_by_label("Kode barang")).to_be_focused()

    page.keyboard.press("F4")                                          # the last line, by key
    page.keyboard.press("1")
    expect(page.locator("#cart tr.line")).to_have_count(3)
    expect(page.locator("#cart-total")).to_have_text(
        format_rupiah(total - goods[2][3] - goods[4][3]))
    assert page.evaluate(KEPT_JS) == [True] * 3

    scan_all(page, [goods[5][1]])                                      # in step: one new row
    expect(page.locator("#cart tr.line")).to_have_count(4)
    assert page.evaluate(KEPT_JS) == [True] * 3 + [False]
    page.reload()                                  # what the till showed is what the server has
    expect(page.locator("#cart tr.line")).to_have_count(4)
    expect(page.locator("#cart-total")).to_have_text(
        format_rupiah(total - goods[2][3] - goods[4][3] + goods[5][3]))
