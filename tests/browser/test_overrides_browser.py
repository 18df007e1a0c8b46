"""A manager's approval at the till in real Chromium: the cashier asks for a price override
(Shift+F3), a manager types user name and PIN in the dialog, the price changes, the cashier is
still logged in and scanning; the managers' list shows it.  And Tahan: F6 parks, Shift+F6
resumes by keyboard."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.approvals.models import Override
from pos.db import get_db
from pos.money import format_rupiah
from pos.sales.models import Cart, CartLine
from tests.browser.test_till_browser import log_in, packaged_goods, scan_all

pytestmark = pytest.mark.browser


def test_a_manager_approves_a_price_override_without_the_cashier_logging_out(live, page, browser):
    base, app = live
    goods = packaged_goods(app, 2)
    (product_id, code, name, price), second = goods
    new_price = price - 100
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)

    page.keyboard.press("Shift+F3")
    expect(page.get_by_label("Harga baru")).to_be_focused()
    page.keyboard.type(str(new_price))
    page.get_by_label("Alasan").fill("harga lama di rak")
    page.keyboard.press("Enter")

    dialog = page.locator("#approval-form")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(name)
    expect(page.locator("#approval-after")).to_contain_text(format_rupiah(new_price))
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    page.keyboard.type("manajer1", delay=60)       # a person types (a scanner's burst is a scan)
    page.keyboard.press("Enter")
    expect(page.get_by_label("PIN manajer")).to_be_focused()
    page.keyboard.type("1234")                     # a wrong PIN first: said, nothing changes
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("PIN manajer salah")
    expect(page.get_by_label("PIN manajer")).to_be_focused()
    expect(page.get_by_label("PIN manajer")).to_have_value("")
    page.keyboard.type("9999")
    page.keyboard.press("Enter")

    expect(dialog).to_have_count(0)
    expect(page.locator("#cart tr.line .amount")).to_have_text(format_rupiah(new_price))
    with get_db(app).reading() as s:
        assert s.scalar(select(CartLine.price_override)) == new_price
    expect(page.locator(".who")).to_contain_text("Siti Rahmawati")   # still the cashier
    expect(page.get_by_label("Kode barang")).to_be_focused()
    scan_all(page, [second[1]])                                      # and the till still scans
    expect(page.locator("#cart tr.line")).to_have_count(2)

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    manager = context.new_page()
    manager.goto(f"{base}/masuk")
    manager.get_by_label("Nama pengguna").fill("manajer1")
    manager.get_by_label("PIN").fill("9999")
    manager.get_by_label("Kasir (mesin)").select_option("")      # the back office, no till
    manager.get_by_role("button", name="Masuk").click()
    manager.wait_for_url(f"{base}/")
    manager.get_by_role("link", name="Persetujuan", exact=True).click()
    manager.wait_for_url(f"{base}/persetujuan")
    row = manager.locator("#overrides tr.override")
    expect(row).to_have_count(1)
    for text in (name, "Siti Rahmawati", "Andi Baso Mappiasse", "harga lama di rak",
                 format_rupiah(price), format_rupiah(new_price)):
        expect(row).to_contain_text(text)
    context.close()
    with get_db(app).reading() as s:
        assert s.scalar(select(Override.kind).order_by(Override.id.desc()).limit(1)) == "price_override"


def test_f6_parks_the_sale_and_shift_f6_resumes_it_by_keyboard(live, page):
    base, app = live
    goods = packaged_goods(app, 3)
    log_in(page, base)
    scan_all(page, [goods[0][1], goods[1][1]])
    expect(page.locator("#cart tr.line")).to_have_count(2)

    page.keyboard.press("F6")
    expect(page.get_by_label("Catatan", exact=False)).to_be_focused()
    page.keyboard.type("Bu Sri ambil dompet", delay=40)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()

    scan_all(page, [goods[2][1]])                 # the next customer, paid elsewhere: cleared
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("Shift+F6")
    expect(page.locator(".hold-pick").first).to_be_focused()
    expect(page.locator("#holds")).to_contain_text("Bu Sri ambil dompet")
    page.keyboard.press("Enter")                   # refused: this till's cart is not empty
    expect(page.get_by_role("alert")).to_contain_text("masih berisi")
    # The list still offers it (it said "Tidak ada transaksi yang ditahan." though it was there).
    expect(page.locator("#holds")).to_contain_text("Bu Sri ambil dompet")
    expect(page.locator(".hold-pick")).to_have_count(1)
    expect(page.locator("#holds-empty")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page.locator("#holds")).to_have_count(0)
    page.keyboard.press("F10")                     # empty the cart (F10, a reason: Enter), then resume
    expect(page.locator("#void-form")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(0)

    page.keyboard.press("Shift+F6")
    expect(page.locator(".hold-pick")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(page.locator(".hold-pick").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(2)
    expect(page.locator("#holds")).to_have_count(0)
    with get_db(app).reading() as s:
        assert s.scalar(select(Cart.id).where(Cart.till_id.is_(None))) is None


def test_a_discount_refused_for_its_reason_puts_the_cursor_in_the_reason(live, page):
    """"Tulis alasan diskon." left the cursor in the amount: the reason typed next went on into
    it ("3%pelanggan tetap")."""
    base, app = live
    (_, code, _, _), = packaged_goods(app, 1)
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F5")
    expect(page.get_by_label("Diskon", exact=False)).to_be_focused()
    page.keyboard.type("3%", delay=60)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Tulis alasan diskon")
    expect(page.get_by_label("Alasan")).to_be_focused()
    page.keyboard.type("pelanggan tetap", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("#adjust-form")).to_have_count(0)
    with get_db(app).reading() as s:
        assert s.scalar(select(CartLine.discount_bp)) == 300


def test_enter_in_the_discount_form_saves_a_new_discount_and_never_removes_the_old_one(live, page):
    """With a discount on the line the form has *Hapus diskon* too; Enter took that button (the
    form's first) and silently removed the discount instead of saving the one typed."""
    base, app = live
    (_, code, _, _), = packaged_goods(app, 1)
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    for typed, percent in (("5%", 5), ("3%", 3)):
        page.keyboard.press("F5")
        expect(page.get_by_label("Diskon", exact=False)).to_be_focused()
        page.keyboard.type(typed, delay=60)
        page.get_by_label("Alasan").fill("kemasan penyok")
        page.get_by_label("Alasan").press("Enter")
        expect(page.locator("#adjust-form")).to_have_count(0)
        with get_db(app).reading() as s:
            assert s.scalar(select(CartLine.discount_bp)) == percent * 100
    page.keyboard.press("F5")
    buttons = page.locator("#adjust-form .actions button")
    expect(buttons).to_have_text(["Simpan Enter", "Batal Esc", "Hapus diskon"])
    boxes = [buttons.nth(i).bounding_box()["x"] for i in range(3)]
    assert boxes[1] < boxes[2] < boxes[0]            # on screen: Batal, Hapus diskon, Simpan


def test_a_parked_sale_another_till_took_leaves_this_tills_list(live, page):
    """KASIR-2 resumed it first: KASIR-1's list still offered it, with the focus on it, after
    the refusal."""
    from pos.sales import parking
    from pos.tills.models import Till

    base, app = live
    goods = packaged_goods(app, 2)
    log_in(page, base)
    for code, note in ((goods[0][1], "satu"), (goods[1][1], "dua")):   # two parked, a line each
        scan_all(page, [code])
        expect(page.locator("#cart tr.line")).to_have_count(1)
        page.keyboard.press("F6")
        expect(page.get_by_label("Catatan", exact=False)).to_be_focused()
        page.keyboard.type(f"titip {note}", delay=40)
        page.keyboard.press("Enter")
        expect(page.locator("#cart tr.line")).to_have_count(0)
    page.keyboard.press("Shift+F6")
    picks = page.locator(".hold-pick")
    expect(picks).to_have_count(2)
    with get_db(app).transaction() as s:             # the other till takes the first meanwhile
        other = s.scalar(select(Till.id).where(Till.code == "KASIR-2"))
        first = s.scalar(select(Cart.id).where(Cart.till_id.is_(None)).order_by(Cart.parked_at, Cart.id))
        parking.resume(s, other, None, first)
    expect(picks.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("sudah dilanjutkan di kasir lain")
    expect(picks).to_have_count(1)                   # the one left, focused for Enter
    expect(picks.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(1)


@pytest.mark.serial   # a scanner's speed: timing-sensitive on a loaded machine
def test_a_reason_typed_as_fast_as_a_scanner_stays_the_reason(live, page):
    """"harga promo" typed quickly into Shift+F3's Alasan was scanned as a barcode."""
    base, app = live
    (_, code, _, _), = packaged_goods(app, 1)
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("Shift+F3")
    expect(page.get_by_label("Harga baru")).to_be_focused()
    page.keyboard.type("1000", delay=80)
    page.keyboard.press("Tab")
    page.keyboard.type("harga promo", delay=8)
    page.keyboard.press("Enter")
    expect(page.locator("#approval-form")).to_be_visible()       # a manager's PIN is asked
    expect(page.locator("#messages")).not_to_contain_text("tidak ditemukan")


def test_a_hold_note_typed_as_fast_as_a_scanner_stays_the_note(live, page):
    """"Bu Ani ambil dompet" typed quickly into F6's Catatan was scanned as a code ("tidak dikenali
    formatnya"), the dialog stayed open with the keys behind it, and the next scan went into the
    cart that was to be parked."""
    base, app = live
    (_, code, _, _), = packaged_goods(app, 1)
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F6")
    expect(page.get_by_label("Catatan", exact=False)).to_be_focused()
    page.keyboard.type("Bu Ani ambil dompet", delay=8)
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(0)       # parked, under its note
    expect(page.locator("#messages")).not_to_contain_text("tidak dikenali")
    with get_db(app).reading() as s:
        assert s.scalar(select(Cart.parked_note).where(Cart.till_id.is_(None))) == "Bu Ani ambil dompet"
