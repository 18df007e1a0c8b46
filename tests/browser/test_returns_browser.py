"""A return in real Chromium: the cashier sells, voids a line first (F4 and a reason), pays,
then opens Riwayat (F8) → the receipt → Retur (F4), returns one unit, a manager types user name
and PIN in the dialog, the return slip shows and prints, and the stock is back."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.inventory import stock
from pos.money import format_rupiah
from pos.returns.models import CartVoid, SaleReturn
from pos.sales.models import Sale
from tests.browser.test_till_browser import log_in, packaged_goods, scan_all

pytestmark = pytest.mark.browser


def test_riwayat_retur_a_line_with_the_managers_pin_prints_the_slip(live, page, printer):
    base, app = live
    (product_id, code, name, price), (_, other_code, other_name, other_price) = packaged_goods(app, 2)
    with get_db(app).reading() as s:
        before = stock.on_hand(s, product_id)
    log_in(page, base)
    scan_all(page, [code, code, other_code])
    expect(page.locator("#cart tr.line")).to_have_count(2)
    page.keyboard.press("F4")                          # the last line goes: a wrong scan
    expect(page.locator("#void-form")).to_be_visible()
    expect(page.locator("#void-title")).to_contain_text(other_name[:10])
    expect(page.locator("#void-title")).to_contain_text(f"(1 pcs, {format_rupiah(other_price)})")
    page.keyboard.press("2")                           # 2 = Pembeli batal
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    with get_db(app).reading() as s:
        assert s.scalar(select(CartVoid.reason)) == "Pembeli batal"

    page.keyboard.press("F9")

    expect(page.locator("#tendered")).to_be_focused()   # the panel open: keys are its
    page.keyboard.type(str(2 * price))
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#cart tr.line")).to_have_count(0)

    page.keyboard.press("F8")                          # Riwayat
    page.wait_for_url(f"{base}/kasir/riwayat")
    page.locator(".return-link").first.click()
    page.wait_for_url(f"{base}/retur/struk/*")
    qty = page.get_by_label(f"Jumlah retur {name}")
    expect(qty).to_be_focused()
    qty.fill("1")
    page.get_by_label("Alasan retur").fill("Kemasan penyok")
    page.get_by_role("button", name="Retur").click()

    dialog = page.locator("#approval-form")
    expect(dialog).to_be_visible()
    expect(page.locator("#approval-after")).to_contain_text(format_rupiah(price))
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    page.keyboard.type("manajer1", delay=40)
    page.keyboard.press("Enter")
    expect(page.get_by_label("PIN manajer")).to_be_focused()
    page.keyboard.type("9999")
    page.keyboard.press("Enter")

    expect(dialog).to_have_count(0)
    slip = page.get_by_label("Nota retur")
    expect(slip).to_contain_text("NOTA RETUR")
    expect(slip).to_contain_text("R-")
    expect(page.locator("#return-done")).to_contain_text(format_rupiah(price))
    with get_db(app).reading() as s:
        ret = s.execute(select(SaleReturn)).scalar_one()
        assert ret.refund_total == price
        assert stock.on_hand(s, product_id) == before - 2 + 1
    assert printer.receipts[-1].receipt_no == ret.return_no
    # by keyboard from the slip: F9 prints it again, Enter (the focus) or F10 goes to the till
    expect(page.locator("#return-back")).to_be_focused()
    page.keyboard.press("F9")
    expect(page.locator("#messages")).not_to_be_empty()
    assert len([r for r in printer.receipts if r.receipt_no == ret.return_no]) == 2
    page.keyboard.press("F10")
    page.wait_for_url(f"{base}/kasir")


def sold(page, base: str, app, goods: list[tuple[str, int]]) -> int:
    """kasir1 logs in, scans ``goods`` (code, price), pays in cash: the sale's id."""
    log_in(page, base)
    scan_all(page, [code for code, _ in goods])
    expect(page.locator("#cart tr.line")).to_have_count(len({code for code, _ in goods}))
    page.keyboard.press("F9")
    expect(page.locator("#tendered")).to_be_focused()   # the panel open: keys are its
    page.keyboard.type(str(sum(price for _, price in goods)))
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#cart tr.line")).to_have_count(0)
    with get_db(app).reading() as s:
        return s.scalar(select(Sale.id).order_by(Sale.id.desc()).limit(1))


def test_leaving_a_quantity_box_sends_nothing_until_retur(live, page):
    """Tab from one line's quantity to the next (the reason typed first, as a cashier may) never
    sends the form: one request, with every line, when Retur is pressed."""
    base, app = live
    (_, code, name, price), (_, other_code, other_name, other_price) = packaged_goods(app, 2)
    sale_id = sold(page, base, app, [(code, price), (other_code, other_price)])

    posts = []
    page.on("request", lambda r: posts.append(r.post_data) if r.method == "POST" else None)
    page.goto(f"{base}/retur/struk/{sale_id}")
    page.get_by_label("Alasan retur").fill("Salah beli")
    page.get_by_label(f"Jumlah retur {name}").fill("1")
    page.get_by_label(f"Jumlah retur {name}").press("Tab")   # on to the next line: nothing sent
    page.get_by_label(f"Jumlah retur {other_name}").fill("1")
    page.get_by_label("Alasan retur").press("Enter")

    expect(page.locator("#approval-form")).to_be_visible()
    expect(page.locator("#approval-after")).to_contain_text(format_rupiah(price + other_price))
    expect(page.locator("#messages .msg-error")).to_have_count(0)
    assert len(posts) == 1, posts


def test_a_refusal_goes_once_the_return_is_booked(live, page):
    """Retur without a reason is refused; with it, the return is booked and the refusal no
    longer stands beside the slip (it stayed on screen, as if the return had failed)."""
    base, app = live
    (_, code, name, price), = packaged_goods(app, 1)
    sale_id = sold(page, base, app, [(code, price)])
    page.goto(f"{base}/retur/struk/{sale_id}")
    page.get_by_label(f"Jumlah retur {name}").fill("1")
    page.get_by_role("button", name="Retur").click()
    expect(page.locator("#messages")).to_contain_text("Tulis alasan retur")
    page.get_by_label("Alasan retur").fill("Salah beli")
    page.get_by_role("button", name="Retur").click()
    expect(page.locator("#approval-form")).to_be_visible()   # the refusal went with the new try
    expect(page.locator("#messages .msg-error")).to_have_count(0)
    page.get_by_label("Nama pengguna manajer").fill("manajer1")
    page.get_by_label("PIN manajer").fill("9999")
    page.get_by_role("button", name="Setujui").click()
    expect(page.locator("#return-done")).to_contain_text(format_rupiah(price))
    expect(page.locator("#messages")).to_have_text("")


def test_esc_on_the_damaged_box_or_a_refund_choice_goes_back_to_the_receipt(live, page):
    """Esc on a box or a radio (whose value nobody typed) did nothing; in a field with typing it
    keeps the typing, as before."""
    base, app = live
    (_, code, name, price), = packaged_goods(app, 1)
    sale_id = sold(page, base, app, [(code, price)])
    for box in ("#rusak-", "#refund-tunai"):
        page.goto(f"{base}/retur/struk/{sale_id}")
        field = page.locator(f"[id^='{box[1:]}']").first
        field.focus()
        page.keyboard.press("Escape")
        page.wait_for_url(f"{base}/kasir/struk/{sale_id}")
    page.goto(f"{base}/retur/struk/{sale_id}")
    page.get_by_label("Alasan retur").fill("Salah beli")
    page.keyboard.press("Escape")                       # typing is kept: no page change
    page.wait_for_timeout(300)
    assert page.url == f"{base}/retur/struk/{sale_id}"


def scanned(page, code: str) -> None:
    """A USB scanner: the code at 5 ms a key, then Enter."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


@pytest.mark.serial          # a scanner's burst is told by its keys' timing
def test_a_product_scanned_on_the_return_form_adds_one_to_its_line_and_sends_nothing(live, page):
    """The item scanned into Jumlah retur sent the form with 8992951000210 as the quantity
    ("… terlalu besar"). A product on the receipt adds one to its own line; any other code is
    refused; the box scanned into keeps its value and nothing is sent."""
    base, app = live
    (_, code, name, price), (_, other_code, other_name, other_price), (_, stranger, _, _) = \
        packaged_goods(app, 3)
    sale_id = sold(page, base, app, [(code, price), (code, price), (other_code, other_price)])
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(f"{base}/retur/struk/{sale_id}")
    qty = page.get_by_label(f"Jumlah retur {name}")
    other_qty = page.get_by_label(f"Jumlah retur {other_name}")
    expect(qty).to_be_focused()
    scanned(page, code)                                 # into its own box: 1
    expect(qty).to_have_value("1")
    expect(qty).to_be_focused()
    other_qty.focus()
    scanned(page, code)                                 # into the other line's box: its own line, 2
    expect(qty).to_have_value("2")
    expect(other_qty).to_have_value("")
    scanned(page, code)                                 # 2 sold: no third
    expect(page.locator("#messages")).to_contain_text("paling banyak 2")
    expect(qty).to_have_value("2")
    scanned(page, stranger)                             # not on this receipt
    expect(page.locator("#messages")).to_contain_text(f"Kode {stranger} bukan barang di struk ini")
    expect(other_qty).to_have_value("")
    page.locator("[id^='rusak-']").last.focus()          # the damaged box: the line's count, box as it was
    scanned(page, other_code)
    expect(other_qty).to_have_value("1")
    expect(page.locator("[id^='rusak-']").last).not_to_be_checked()
    page.wait_for_timeout(300)
    assert posts == []
    expect(page.locator("#messages")).not_to_contain_text("terlalu besar")


def test_tab_from_the_lines_reaches_the_reason_on_a_cash_sale(live, page):
    """Quantity, then Tab five times (Rusak, the next quantity, Rusak, the refund choice) put
    the reason typed next into Referensi bank on a cash sale, and Enter said "Tulis alasan
    retur.": a cash sale's form has no bank reference to pass through."""
    base, app = live
    (_, code, name, price), (_, other_code, _, other_price) = packaged_goods(app, 2)
    sale_id = sold(page, base, app, [(code, price), (other_code, other_price)])
    page.goto(f"{base}/retur/struk/{sale_id}")
    expect(page.get_by_label(f"Jumlah retur {name}")).to_be_focused()
    page.keyboard.type("1")
    for _ in range(5):
        page.keyboard.press("Tab")
    expect(page.get_by_label("Alasan retur")).to_be_focused()
    page.keyboard.type("Kemasan penyok", delay=10)
    page.keyboard.press("Enter")
    expect(page.locator("#approval-form")).to_be_visible()
    expect(page.locator("#messages .msg-error")).to_have_count(0)


def test_the_bank_reference_is_asked_only_while_the_refund_goes_through_the_bank(live, page):
    """A transfer sale refunded its own way asks the bank reference; Tunai chosen, the field
    goes (out of the Tab order: Tab from the choice reaches the reason), and back with it."""
    base, app = live
    (_, code, name, price), = packaged_goods(app, 1)
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F9")
    page.keyboard.press("F3")                          # Transfer/Debit, the whole total
    expect(page.locator("#transfer-amount")).to_be_focused()
    page.keyboard.press("Enter")
    page.locator("#transfer-reference").fill("BRI-778")
    page.keyboard.press("Enter")
    expect(page.locator("#pay-remaining")).to_have_text("Rp0")
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#cart tr.line")).to_have_count(0)
    with get_db(app).reading() as s:
        sale_id = s.scalar(select(Sale.id).order_by(Sale.id.desc()).limit(1))

    page.goto(f"{base}/retur/struk/{sale_id}")
    reference = page.locator("#return-ref")
    expect(reference).to_be_visible()
    expect(reference).to_be_enabled()                  # Cara bayar asal: the transfer
    page.locator("#refund-tunai").check()
    expect(reference).to_be_disabled()
    expect(reference).to_be_hidden()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Alasan retur")).to_be_focused()
    page.locator("#refund-asal").check()
    expect(reference).to_be_enabled()
    reference.fill("BRI-RET-1")
    page.get_by_label(f"Jumlah retur {name}").fill("1")
    page.get_by_label("Alasan retur").fill("Salah beli")
    page.get_by_role("button", name="Retur").click()
    expect(page.locator("#approval-form")).to_be_visible()
    expect(page.locator("#messages .msg-error")).to_have_count(0)


def returned_with_the_managers_pin(page, base: str, sale_id: int, name: str, reason: str) -> None:
    """The return form of ``sale_id``: one ``name`` back for ``reason``, manajer1 approves."""
    page.goto(f"{base}/retur/struk/{sale_id}")
    page.get_by_label(f"Jumlah retur {name}").fill("1")
    page.get_by_label("Alasan retur").fill(reason)
    page.get_by_role("button", name="Retur").click()
    page.get_by_label("Nama pengguna manajer").fill("manajer1")
    page.get_by_label("PIN manajer").fill("9999")
    page.get_by_role("button", name="Setujui").click()
    expect(page.locator("#return-done")).to_be_visible()


def test_the_receipts_returns_list_shows_the_return_just_booked(live, page):
    """"Retur struk ini" under the slip listed none after a first return and only the first
    after a second, until the page was loaded again."""
    base, app = live
    (_, code, name, price), = packaged_goods(app, 1)
    sale_id = sold(page, base, app, [(code, price), (code, price)])
    returned_with_the_managers_pin(page, base, sale_id, name, "Kemasan penyok")
    rows = page.locator("#sale-returns tr.sale-return")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kemasan penyok")
    returned_with_the_managers_pin(page, base, sale_id, name, "Salah beli")
    expect(rows).to_have_count(2)                        # newest first
    expect(rows.first).to_contain_text("Salah beli")
    expect(rows.nth(1)).to_contain_text("Kemasan penyok")
    expect(page.locator("#sale-returns")).to_have_count(1)
