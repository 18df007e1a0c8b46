"""A sale discount a manager approved, then outgrown, in real Chromium: 10% approved on one good,
then more goods scanned; the summary beside Bayar says the discount needs approval again, F9
says why and opens no payment; approved again, F9 opens the payment panel."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_till_browser import log_in, packaged_goods, scan_all

pytestmark = pytest.mark.browser


def approve_sale_discount(page, typed: str) -> None:
    page.keyboard.press("Shift+F5")
    expect(page.get_by_label("Diskon", exact=False)).to_be_focused()
    page.keyboard.type(typed, delay=60)
    page.get_by_label("Alasan").fill("langganan")
    page.get_by_label("Alasan").press("Enter")
    expect(page.locator("#approval-form")).to_be_visible()
    page.keyboard.type("manajer1", delay=60)
    page.keyboard.press("Enter")
    expect(page.get_by_label("PIN manajer")).to_be_focused()
    page.keyboard.type("9999")
    page.keyboard.press("Enter")
    expect(page.locator("#approval-form")).to_have_count(0)


def test_an_outgrown_approved_discount_is_not_paid_until_approved_again(live, page):
    base, app = live
    goods = packaged_goods(app, 4)
    log_in(page, base)
    scan_all(page, [goods[0][1]])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    approve_sale_discount(page, "10%")
    expect(page.locator("#discount-held")).to_have_count(0)
    scan_all(page, ["5*" + goods[1][1], "5*" + goods[2][1], "5*" + goods[3][1]])
    expect(page.locator("#cart tr.line")).to_have_count(4)
    held = page.locator("#discount-held")
    expect(held).to_contain_text("Diskon transaksi 10% kini")
    expect(held).to_contain_text("disetujui manajer")
    page.keyboard.press("F9")
    expect(page.locator("#messages")).to_contain_text("Belum dapat dibayar")
    expect(page.locator("#pay-panel")).to_be_hidden()
    approve_sale_discount(page, "10%")
    expect(page.locator("#discount-held")).to_have_count(0)
    page.keyboard.press("F9")
    expect(page.locator("#pay-panel")).to_be_visible()
