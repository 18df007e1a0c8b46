"""A scanner in the wrong field at the till, in real Chromium (a USB scanner: 13 digits 5 ms
apart, then Enter): its Enter a little late still ends the scan, never money or a weight; a
scan with a dialog open is refused and the cursor stays in the dialog; a member card that
closes the payment panel is named as the member attached; a product in the buyer dialog is
named as a product."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from pos.db import get_db
from pos.inventory.catalog.models import ProductBarcode
from pos.members.models import Member
from pos.sales.models import Cart, CartLine, Sale
from pos.tills.models import Till
from tests.browser.keys import scanner_keys
from tests.browser.test_till_browser import log_in, packaged_goods
from tests.browser.test_till_keys_browser import cart_lines, cash_box_open, weighed_good

pytestmark = [pytest.mark.browser, pytest.mark.serial]  # scanner bursts are told apart by keystroke timing
REFUSED = "Tutup dialog dulu, lalu pindai lagi"


def scan(page, code: str, *, enter_after_ms: int = 0) -> None:
    """A USB scanner: the code at 5 ms a key, its Enter ``enter_after_ms`` later (a busy mini-PC)."""
    scanner_keys(page, code, gap_ms=5, enter_after_ms=enter_after_ms)


def refused(page, app, field, value: str, lines: list) -> None:
    """The scan refused: the message, the cursor still in the dialog's ``field`` holding
    ``value``, the cart's ``lines`` as they were."""
    expect(page.locator("#messages")).to_contain_text(REFUSED)
    expect(field).to_be_focused()
    expect(field).to_have_value(value)
    assert cart_lines(app) == lines


def ean8(seven: str) -> str:
    """``seven`` digits with their EAN-8 check digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(seven))
    return seven + str((10 - total % 10) % 10)


def sales(app) -> int:
    with get_db(app).reading() as s:
        return s.scalar(select(func.count()).select_from(Sale))


def test_a_scans_late_enter_in_the_cash_box_is_a_scan_not_money(live, page):
    """An Enter 140 ms after the last digit put 8.996.025.000.373 in Uang diterima and pressed
    Selesai; an EAN-8 (below the amount cap) would have paid the sale with its code."""
    app, goods, cash = cash_box_open(live, page)
    scan(page, goods[1][1], enter_after_ms=120)
    expect(page.locator("#cart tr.line")).to_have_count(2)
    expect(page.locator("#pay-panel")).to_be_hidden()
    assert cash.input_value() == ""
    assert sales(app) == 0
    expect(page.get_by_label("Kode barang")).to_be_focused()

    short = ean8("9638507")
    with get_db(app).transaction() as s:
        s.add(ProductBarcode(code=short, product_id=goods[1][0], qty=1))
    page.keyboard.press("F9")
    expect(cash).to_be_focused()
    scan(page, short, enter_after_ms=150)
    expect(page.locator("#cart tr.line")).to_have_count(2)
    expect(page.locator("#pay-panel")).to_be_hidden()
    assert cart_lines(app) == [(goods[0][0], 1), (goods[1][0], 2)]
    assert sales(app) == 0

    # a person's amount, however soon their Enter comes, is money
    page.keyboard.press("F9")
    expect(cash).to_be_focused()
    page.keyboard.type(str(goods[0][3] + 2 * goods[1][3]), delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    assert sales(app) == 1


def test_a_scan_into_the_weight_prompt_is_refused_and_the_weight_stays_to_type(live, page):
    """A late Enter sent the code as the weight ("Berat: Jumlah harus dalam kg"), and the
    cashier's 1,5 went after it (89947080003821,5); an Enter on time added it behind."""
    base, app = live
    rice_id, rice, _ = weighed_good(app)
    [(_, code, _, _)] = packaged_goods(app, 1)
    with get_db(app).transaction() as s:
        s.execute(update(Till).where(Till.code == "KASIR-1").values(manual_weight=True))
    log_in(page, base)
    scan(page, rice)
    weight = page.locator("#weigh-weight")
    expect(weight).to_be_focused()
    for late in (120, 0):
        scan(page, code, enter_after_ms=late)
        refused(page, app, weight, "", [])
    page.keyboard.type("1,5")
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(1)
    assert cart_lines(app) == [(rice_id, 1_500)]


def test_a_scan_with_a_dialog_open_is_refused_and_the_cursor_stays_in_it(live, page):
    """A scan behind F5, the manager's dialog or Kas masuk added the item and put the cursor in
    the hidden scan field: "10%" or the manager's name went there as a code."""
    base, app = live
    goods = packaged_goods(app, 2)
    log_in(page, base)
    scan(page, goods[0][1])
    expect(page.locator("#cart tr.line")).to_have_count(1)

    page.keyboard.press("F5")
    discount = page.locator("#adjust-discount")
    expect(discount).to_be_focused()
    page.keyboard.type("10%", delay=60)
    page.wait_for_timeout(400)                            # (a key just before a scan is part of it)
    scan(page, goods[1][1])
    refused(page, app, discount, "10%", [(goods[0][0], 1)])
    expect(page.locator("#scan")).to_have_value("")

    page.locator("#adjust-discount").fill("90%")          # beyond the cashier's right
    page.locator("#adjust-reason").fill("rusak")
    page.locator("#adjust-discount").press("Enter")
    user = page.get_by_label("Nama pengguna manajer")
    expect(user).to_be_focused()
    scan(page, goods[1][1], enter_after_ms=120)
    expect(page.locator("#messages")).to_contain_text(REFUSED)
    expect(user).to_be_focused()
    expect(user).to_have_value("")
    page.keyboard.type("manajer1", delay=60)              # ... goes to the dialog, not the scan field
    expect(user).to_have_value("manajer1")
    expect(page.locator("#scan")).to_have_value("")
    assert cart_lines(app) == [(goods[0][0], 1)]
    page.keyboard.press("Escape")

    page.keyboard.press("Alt+M")                          # Kas masuk
    amount = page.locator("#cash-amount")
    expect(amount).to_be_focused()
    scan(page, goods[1][1])
    refused(page, app, amount, "", [(goods[0][0], 1)])


def test_a_scan_into_the_hold_note_never_parks_the_sale(live, page):
    """The barcode became the note and the scanner's Enter parked the cart
    ("8998086000378 · 28 baris"); a quick typist's note is still a note."""
    base, app = live
    goods = packaged_goods(app, 2)
    log_in(page, base)
    scan(page, goods[0][1])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F6")
    note = page.locator("#hold-note")
    expect(note).to_be_focused()
    scan(page, goods[1][1])
    refused(page, app, note, "", [(goods[0][0], 1)])
    with get_db(app).reading() as s:
        assert s.scalar(select(func.count()).select_from(Cart).where(Cart.parked_at.is_not(None))) == 0

    page.keyboard.type("Bu Sari warung", delay=0)        # as fast as a scanner, but words
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    with get_db(app).reading() as s:
        assert s.scalar(select(Cart.parked_note).where(Cart.parked_at.is_not(None))) == "Bu Sari warung"
        assert s.scalar(select(func.count()).select_from(CartLine)) == 1


def test_a_member_card_that_closes_the_pay_panel_says_the_member_was_attached(live, page):
    app, goods, cash = cash_box_open(live, page)
    with get_db(app).reading() as s:
        number, name, card = s.execute(select(Member.number, Member.name, Member.card_barcode)
                                       .where(Member.number == "AGT-0002")).one()
    scan(page, card)
    expect(page.locator("#cart-member")).to_contain_text(number)
    expect(page.locator("#pay-panel")).to_be_hidden()
    info = page.locator("#messages .msg-info")
    expect(info).to_contain_text(f"Anggota {number} {name} dipasang")
    expect(info).not_to_contain_text("Barang ditambahkan")
    expect(page.locator("#cart tr.line")).to_have_count(1)


def test_a_product_scanned_into_the_buyer_dialog_is_named_as_a_product(live, page):
    base, app = live
    [(_, code, name, _)] = packaged_goods(app, 1)
    log_in(page, base)
    page.keyboard.press("Alt+B")
    field = page.locator("#buyer-input")
    expect(field).to_be_focused()
    scan(page, code)
    expect(page.locator("#buyer-dialog")).to_contain_text(f"Kode {code} adalah kode barang ({name})")
    expect(page.locator("#buyer-dialog")).not_to_contain_text("bukan NIK (16 angka)")
