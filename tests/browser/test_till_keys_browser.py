"""The till by keyboard and scanner in real Chromium: a scanner at full speed, a scan while the
cash box is open, F3 on the highlighted line, messages, weighing, and earlier receipts."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from pos.db import get_db
from pos.hardware import Hardware
from pos.hardware.scale import SerialScale
from pos.hardware.scale_sim import ScaleSimulator
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.money import format_rupiah
from pos.sales.models import CartLine, Sale
from pos.tills.models import Till
from tests.browser.test_till_browser import log_in, packaged_goods

pytestmark = [pytest.mark.browser, pytest.mark.serial]  # scanner bursts are told apart by keystroke timing


def burst(page, codes: list[str]) -> None:
    """A USB scanner at full speed: every character at 0 ms, each code ended by Enter."""
    for code in codes:
        page.keyboard.type(code, delay=0)
        page.keyboard.press("Enter")


def cart_lines(app) -> list[tuple[int, int]]:
    with get_db(app).reading() as s:
        return s.execute(select(CartLine.product_id, CartLine.qty).order_by(CartLine.id)).all()


def test_thirty_scans_at_full_speed_all_arrive_in_order(live, page):
    base, app = live
    goods = packaged_goods(app, 10)
    log_in(page, base)
    burst(page, [code for _ in range(3) for _, code, _, _ in goods])
    expect(page.locator("#cart tr.line")).to_have_count(10)
    expect(page.locator("#cart-total")).to_have_text(format_rupiah(3 * sum(g[3] for g in goods)))
    assert cart_lines(app) == [(pid, 3) for pid, *_ in goods]
    expect(page.get_by_role("alert")).to_have_count(0)


def cash_box_open(live, page):
    """A cashier with one line in the cart and the pay panel open, the cash box focused:
    (app, two piece goods, the cash box)."""
    base, app = live
    goods = packaged_goods(app, 2)
    log_in(page, base)
    burst(page, [goods[0][1]])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F9")
    cash = page.get_by_label("Uang diterima")
    expect(cash).to_be_focused()
    return app, goods, cash


def test_a_scan_while_the_cash_box_is_open_adds_the_item_not_money(live, page):
    app, goods, cash = cash_box_open(live, page)
    page.keyboard.type("50", delay=120)          # the cashier starts typing the cash ...
    page.wait_for_timeout(500)
    burst(page, [goods[1][1]])                   # ... and the next customer's item is scanned
    expect(page.locator("#cart tr.line")).to_have_count(2)
    expect(page.locator("#pay-panel")).to_be_hidden()
    assert cash.input_value() in ("", "50")
    with get_db(app).reading() as s:
        assert s.scalar(select(Sale.id)) is None     # nothing was paid with a barcode as money
    expect(page.get_by_label("Kode barang")).to_be_focused()
    # the panel went because the total changed, and the till says so (it said nothing)
    expect(page.locator("#messages .msg-info")).to_have_text(
        "Barang ditambahkan; pembayaran ditutup karena total berubah. Tekan F9 untuk membayar.")


def test_a_scan_with_late_keys_is_still_a_scan_and_a_held_key_is_a_person(live, page):
    """A busy machine delays a scanner's key now and then: a 70 ms gap after 2 of 13 digits and
    another after 9 used to split the code, and Enter took the rest in the cash box as money."""
    app, goods, cash = cash_box_open(live, page)
    page.keyboard.type("5")                      # the cashier's own key, then the scanner
    page.wait_for_timeout(500)
    code = goods[1][1]
    page.keyboard.type(code[:2], delay=0)
    page.wait_for_timeout(70)                    # a late key ...
    page.keyboard.type(code[2:9], delay=0)
    page.wait_for_timeout(70)                    # ... and another; the scanner's Enter follows its last key
    page.keyboard.type(code[9:], delay=0)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(2)
    assert cart_lines(app) == [(goods[0][0], 1), (goods[1][0], 1)]  # the code, without the "5"
    with get_db(app).reading() as s:
        assert s.scalar(select(Sale.id)) is None     # nothing was paid with the code as money
    expect(page.get_by_label("Kode barang")).to_be_focused()

    # a held key repeats as fast as a scanner types, but it is a person's: Enter is theirs
    page.keyboard.press("F9")
    expect(cash).to_be_focused()
    page.keyboard.type("9")
    page.evaluate("""() => { const cash = document.activeElement;
        for (let i = 0; i < 8; i++) cash.dispatchEvent(new KeyboardEvent("keydown",
            { key: "0", repeat: true, bubbles: true })); }""")
    enter_reached_the_form = page.evaluate("""() => new Promise(done => {
        const form = document.activeElement.form;
        form.addEventListener("keydown", (e) => done(e.key === "Enter"), { once: true });
        document.activeElement.dispatchEvent(new KeyboardEvent("keydown",
            { key: "Enter", bubbles: true, cancelable: true }));
        setTimeout(() => done(false), 500); })""")
    assert enter_reached_the_form                # not taken as a scan
    assert len(cart_lines(app)) == 2


def test_f3_changes_the_highlighted_line_and_a_refused_quantity_stays_as_it_was(live, page):
    base, app = live
    goods = packaged_goods(app, 3)
    log_in(page, base)
    burst(page, [goods[0][1], goods[1][1], goods[2][1], goods[0][1]])  # the first is scanned again
    expect(page.locator("#cart tr.line")).to_have_count(3)
    first = page.locator("#cart tr.line").first
    expect(first).to_have_class("line hl")
    page.keyboard.press("F3")
    expect(first.locator(".qty")).to_be_focused()
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect(page.locator("#cart-total")).to_have_text(
        format_rupiah(5 * goods[0][3] + goods[1][3] + goods[2][3]))
    expect(page.locator("#cart tr.line").first.locator(".qty")).to_have_value("5")
    expect(page.get_by_label("Kode barang")).to_be_focused()   # back to scanning
    assert cart_lines(app) == [(goods[0][0], 5), (goods[1][0], 1), (goods[2][0], 1)]

    page.keyboard.press("F3")                       # still the highlighted first line
    page.keyboard.type("abc")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("angka bulat")
    expect(page.locator("#cart tr.line").first.locator(".qty")).to_have_value("5")
    assert cart_lines(app)[0] == (goods[0][0], 5)


def test_a_wrong_quantity_is_named_and_the_message_never_covers_the_scan_field(live, page):
    base, app = live
    goods = packaged_goods(app, 1)
    log_in(page, base)
    burst(page, [f"-1*{goods[0][1]}"])
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Jumlah sebelum *")
    assert "tidak ditemukan" not in alert.inner_text()
    messages = page.locator("#messages")
    expect(messages).to_have_attribute("aria-live", "assertive")
    scan_box, message_box = page.locator("#scan").bounding_box(), alert.bounding_box()
    assert message_box["y"] + message_box["height"] <= scan_box["y"] or \
        scan_box["y"] + scan_box["height"] <= message_box["y"]
    page.wait_for_timeout(3_000)                     # it stays until the next action ...
    expect(alert).to_be_visible()
    burst(page, [goods[0][1]])                       # ... which replaces it
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_validation_speaks_indonesian_in_an_english_browser(live, browser):
    base, _app = live
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{base}/masuk")
        page.get_by_role("button", name="Masuk").click()
        required = page.locator("input:invalid").first
        expect(required).to_be_visible()
        text = required.evaluate("el => el.validationMessage")
        assert text == "Kolom ini wajib diisi.", text
    finally:
        context.close()


def weighed_good(app) -> tuple[int, str, int]:
    """(id, own barcode, price per kg) of the demo's loose rice."""
    with get_db(app).reading() as s:
        row = s.execute(select(Product.id, ProductBarcode.code, Product.price)
                        .join(ProductBarcode, ProductBarcode.product_id == Product.id)
                        .where(Product.name == "Beras Medium Curah")).first()
    return row


def test_a_weighed_goods_own_code_asks_for_a_weight_and_never_adds_a_kilogram(live, page):
    base, app = live
    rice_id, code, price = weighed_good(app)
    log_in(page, base)
    burst(page, [code])                              # no scale, typed weights not allowed
    expect(page.get_by_role("alert")).to_contain_text("Timbangan belum terpasang")
    assert cart_lines(app) == []

    with get_db(app).transaction() as s:             # the manager allows typed weights here
        s.execute(update(Till).where(Till.code == "KASIR-1").values(manual_weight=True))
    burst(page, [code])
    weight = page.get_by_label("Berat Beras Medium Curah", exact=False)
    expect(weight).to_be_focused()
    page.keyboard.type("1,25")
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#cart tr.line .qty")).to_have_value("1,25")
    expect(page.locator("#cart tr.line")).to_contain_text("berat manual")
    assert cart_lines(app) == [(rice_id, 1_250)]
    expect(page.get_by_label("Kode barang")).to_be_focused()


def test_a_weighed_goods_own_code_reads_the_scale(live, page, printer):
    base, app = live
    rice_id, code, _price = weighed_good(app)
    with ScaleSimulator("toledo8217") as scale:
        app.extensions["pos_hardware"] = Hardware(
            printer=printer, scale=SerialScale.from_url(f"serial://{scale.port}?protocol=toledo8217"))
        scale.set(2_345)
        log_in(page, base)
        burst(page, [code])
        expect(page.locator("#cart tr.line .qty")).to_have_value("2,345")
        app.extensions["pos_hardware"].scale.close()
    assert cart_lines(app) == [(rice_id, 2_345)]


def test_earlier_receipts_are_found_opened_and_reprinted_by_keyboard(live, page, printer):
    base, app = live
    goods = packaged_goods(app, 2)
    log_in(page, base)
    for number, (_, code, _, _) in enumerate(goods, start=1):
        burst(page, [code])
        expect(page.locator("#cart tr.line")).to_have_count(1)
        page.keyboard.press("F9")
        page.keyboard.press("F5")
        page.keyboard.press("Enter")
        expect(page.locator(".sale-done")).to_have_attribute("data-receipt-no", f"TST01-000000{number}")
    page.keyboard.press("F8")
    page.wait_for_url(f"{base}/kasir/riwayat")
    rows = page.locator(".history-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("TST01-0000002")
    page.keyboard.type("GERAIPOS:TST01-0000001:3500:ABCD-EFGH", delay=0)  # the receipt's QR
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/kasir/struk/*")
    receipt = page.get_by_label("Struk")
    expect(receipt).to_contain_text("TST01-0000001")
    expect(receipt).to_contain_text("Kode verifikasi")     # the whole receipt, to its end
    printed = len(printer.receipts)
    page.keyboard.press("F9")
    expect(page.locator("#messages")).to_contain_text("Salinan struk dicetak")
    assert len(printer.receipts) == printed + 1 and printer.receipts[-1].copy
    assert not printer.receipts[-1].open_drawer
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/kasir/riwayat")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/kasir/struk/*")
    expect(page.get_by_label("Struk")).to_contain_text("TST01-0000002")


def test_esc_leaves_riwayat_after_a_search_that_found_nothing(live, page):
    """A receipt number not found stays in the field; Esc did nothing while it held text, so the
    cashier could not get back to the till by keyboard. The first Esc clears it, the next leaves."""
    base, _ = live
    log_in(page, base)
    page.keyboard.press("F8")
    page.wait_for_url(f"{base}/kasir/riwayat")
    field = page.get_by_label("Nomor struk")
    expect(field).to_be_focused()
    page.keyboard.type("GERAI01-9999999", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Tidak ada struk hari ini")
    expect(field).to_be_focused()
    page.keyboard.press("Escape")
    expect(field).to_have_value("")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/kasir")
    expect(page.get_by_label("Kode barang")).to_be_focused()


def test_alt_q_signs_out_from_the_till_and_a_back_office_page_but_not_while_paying(live, page):
    """Keluar was 25 Tabs from the scan field and had no key. Alt+Q signs out, except with the
    payment panel open (the cart waits for the cashier's next sign-in at this till)."""
    base, app = live
    [(_, code, _, _)] = packaged_goods(app, 1)
    log_in(page, base)
    expect(page.locator("#logout-button")).to_contain_text("Alt+Q")
    burst(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F9")
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    page.keyboard.press("Alt+q")
    page.wait_for_timeout(300)
    assert page.url == f"{base}/kasir"
    expect(page.locator("#pay-panel")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    with page.expect_navigation(url=f"{base}/masuk"):
        page.keyboard.press("Alt+q")
    assert len(cart_lines(app)) == 1                       # the cart is kept for the next sign-in
    log_in(page, base)
    page.goto(f"{base}/kasir/riwayat")
    with page.expect_navigation(url=f"{base}/masuk"):
        page.keyboard.press("Alt+q")
