"""The payments listed in the pay panel belong to the cart (and the member) they were added for.

A walk-through: a transfer (or a kasbon, a confirmed QRIS) added for one customer, the panel
closed with Esc and the cart emptied (F10, Pembeli batal), parked (F6) or its member changed;
the next customer's cart of the same total opened the panel with the first customer's payment
already listed, and Enter saved it (a transfer with the first customer's reference, a kasbon
charged to the second member).  Esc and F9 again on the same unchanged cart keeps them.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from pos.db import get_db
from pos.inventory.catalog.models import Product
from pos.money import format_rupiah
from tests.browser.test_payments_browser import attach_member, cart_total, sales, scan, shop  # noqa: F401
from tests.browser.test_till_browser import log_in, packaged_goods

pytestmark = pytest.mark.browser


def same_price(app, count: int) -> list[tuple[int, str, str, int]]:
    """``count`` piece goods, all at the first one's price."""
    goods = packaged_goods(app, count)
    with get_db(app).transaction() as s:
        s.execute(update(Product).where(Product.id.in_([g[0] for g in goods])).values(price=goods[0][3]))
    return [(pid, code, name, goods[0][3]) for pid, code, name, _ in goods]


def open_pay(page) -> None:
    """F9, and the pay panel open: its keys (F2-F4) reach the till's own otherwise."""
    page.keyboard.press("F9")
    expect(page.locator("#pay-panel")).to_be_visible()


def add_transfer(page, amount: int, reference: str) -> None:
    page.keyboard.press("F3")
    expect(page.get_by_label("Jumlah transfer", exact=False)).to_be_focused()
    page.get_by_label("Jumlah transfer", exact=False).fill(str(amount))
    page.keyboard.press("Enter")                              # to the reference
    page.keyboard.type(reference, delay=5)
    page.keyboard.press("Enter")


def empty_cart(page) -> None:
    page.keyboard.press("F10")
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.press("2")                                  # 2 = Pembeli batal
    expect(page.locator("#cart tr.line")).to_have_count(0)


def test_a_cancelled_customers_transfer_is_not_on_the_next_cart_of_the_same_total(live, page):
    base, app = live
    (_, first, _, price), (_, second, _, _) = same_price(app, 2)
    log_in(page, base)
    scan(page, [first])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    open_pay(page)
    add_transfer(page, price, "TRF-A-0001")
    expect(page.locator("#pay-tenders")).to_contain_text("Ref TRF-A-0001")
    expect(page.locator("#pay-remaining")).to_have_text("Rp0")
    page.keyboard.press("Escape")
    open_pay(page)                                 # the same cart, unchanged: kept
    expect(page.locator("#pay-tenders")).to_contain_text("Ref TRF-A-0001")
    page.keyboard.press("Escape")
    expect(page.locator("#pay-panel")).to_be_hidden()
    empty_cart(page)

    scan(page, [second])                                      # the next customer, the same total
    expect(page.locator("#cart tr.line")).to_have_count(1)
    assert cart_total(page) == price
    open_pay(page)
    expect(page.locator("#pay-total")).to_have_text(format_rupiah(price))
    expect(page.locator("#pay-tenders li")).to_have_count(0)
    expect(page.locator("#pay-remaining")).to_have_text(format_rupiah(price))
    page.keyboard.press("Enter")                              # nothing paid: nothing saved
    expect(page.get_by_role("alert")).to_contain_text("Tulis uang diterima")
    assert sales(app) == 0


def test_a_line_swapped_for_one_of_the_same_price_empties_the_panel(live, page):
    """An LPG refill is Rp18.000 whatever the line: after any change of the lines the panel
    opens empty, even when the total is back to what it was, and after F10 also for the very
    same goods scanned again."""
    base, app = live
    (_, first, _, price), (_, second, _, _) = same_price(app, 2)
    log_in(page, base)
    scan(page, [first])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    open_pay(page)
    add_transfer(page, price, "TRF-B-0002")
    expect(page.locator("#pay-tenders li")).to_have_count(1)
    page.keyboard.press("Escape")
    scan(page, [second])
    expect(page.locator("#cart tr.line")).to_have_count(2)
    page.keyboard.press("F4")                                 # the last line goes: a wrong scan
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.press("1")
    expect(page.locator("#cart tr.line")).to_have_count(1)
    open_pay(page)
    expect(page.locator("#pay-total")).to_have_text(format_rupiah(price))
    expect(page.locator("#pay-tenders li")).to_have_count(0)  # the lines changed since: gone
    add_transfer(page, price, "TRF-B-0003")
    expect(page.locator("#pay-tenders li")).to_have_count(1)
    page.keyboard.press("Escape")
    empty_cart(page)
    scan(page, [first])                                       # the same goods for someone else
    expect(page.locator("#cart tr.line")).to_have_count(1)
    open_pay(page)
    expect(page.locator("#pay-tenders li")).to_have_count(0)


def test_a_cancelled_members_kasbon_is_not_charged_to_the_next_member(shop, page):  # noqa: F811
    base, app = shop
    (_, code, _, _), = packaged_goods(app, 1)
    log_in(page, base)
    attach_member(page, "AGT-0001")
    scan(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    total = cart_total(page)
    open_pay(page)
    page.keyboard.press("F4")
    expect(page.get_by_label("Jumlah kasbon")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#pay-tenders")).to_contain_text("Kasbon anggota")
    page.keyboard.press("Escape")
    empty_cart(page)

    attach_member(page, "AGT-0005")
    scan(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    assert cart_total(page) == total
    open_pay(page)
    expect(page.locator("#pay-member")).to_contain_text("AGT-0005")
    expect(page.locator("#pay-tenders li")).to_have_count(0)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Tulis uang diterima")
    assert sales(app) == 0


def test_a_parked_sales_qris_is_not_on_the_next_cart(shop, page):  # noqa: F811
    base, app = shop
    (_, first, _, price), (_, second, _, _) = same_price(app, 2)
    log_in(page, base)
    scan(page, [first])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    open_pay(page)
    page.keyboard.press("F2")
    expect(page.get_by_label("Jumlah QRIS")).to_be_focused()
    page.keyboard.press("Enter")                              # the QR for what remains
    expect(page.locator(f'#qris-code figure.qris[data-amount="{price}"]')).to_be_visible()
    page.keyboard.press("F5")
    expect(page.locator("#pay-tenders")).to_contain_text("dikonfirmasi kasir")
    page.keyboard.press("Escape")
    page.keyboard.press("F6")
    expect(page.get_by_label("Catatan", exact=False)).to_be_focused()
    page.keyboard.type("Bu Sri", delay=40)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    scan(page, [second])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    open_pay(page)
    expect(page.locator("#pay-tenders li")).to_have_count(0)


def test_one_reference_twice_in_one_payment_is_refused(shop, page):  # noqa: F811
    base, app = shop
    (_, code, _, _), = packaged_goods(app, 1)
    log_in(page, base)
    scan(page, [code, code, code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    open_pay(page)
    add_transfer(page, 1_000, "BRI-123456")
    expect(page.locator("#pay-tenders li")).to_have_count(1)
    add_transfer(page, 1_000, "bri-123456")
    expect(page.get_by_role("alert")).to_contain_text("Referensi BRI-123456 sudah ada")
    expect(page.locator("#pay-tenders li")).to_have_count(1)

