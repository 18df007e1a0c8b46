"""A cashier's shift in real Chromium: Buka shift by denomination, Kas keluar with a reason,
Laporan X, Tutup shift with a counted difference and its reason, the manager approving inline,
and the Z report with the difference; the screens laid out at 1024x768.  Then a whole day:
a sale, a refund and the day closed by the manager."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.days.models import BusinessDay
from pos.db import get_db
from pos.ledger.models import LedgerOutbox
from pos.money import format_rupiah
from pos.sales.models import Sale
from pos.shifts.models import CashMovement, Shift
from pos.tills.models import Till
from tests.browser.signin import sign_in_by_client
from tests.browser.test_till_browser import log_in, packaged_goods, scan_all
from tests.browser.test_till_layout_browser import assert_no_overlaps
from tests.factories import open_shift

pytestmark = pytest.mark.browser


def no_sideways_scroll(page) -> None:
    width, view = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width <= view + 1, f"the page scrolls sideways: {width} > {view}"


def test_a_shift_from_the_float_to_the_z_report(live, page, printer):
    base, app = live
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("kasir1")
    page.get_by_label("PIN").fill("1111")
    page.get_by_label("Kasir (mesin)").select_option(index=1)   # the first till
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/kasir")              # no shift: Buka shift, not the scan field
    expect(page.get_by_role("heading", name="Buka shift")).to_be_visible()

    # a count typed wrong is said by its box, never read as none (-5 looked like Rp0)
    page.locator("#pecahan-k100000").fill("-5")
    expect(page.locator(".denom-problem")).to_have_text(
        "Jumlah lembar/keping Uang kertas Rp100.000 harus bilangan bulat tanpa tanda, misalnya 5.")
    expect(page.locator("#pecahan-k100000")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#pecahan-k100000 ~ .denom-sub")).to_have_text("salah")
    expect(page.locator(".denom-total")).to_have_text("—")
    expect(page.get_by_label("Kas awal", exact=True)).to_have_value("")
    expect(page.locator("#float-difference")).to_be_hidden()

    # Kas awal counted by denomination: 2 x 100.000 + 3 x 5.000 = 215.000, totalled live
    page.locator("#pecahan-k100000").fill("2")
    expect(page.locator(".denom-problem")).to_be_hidden()
    expect(page.locator("#pecahan-k100000")).not_to_have_attribute("aria-invalid", "true")
    page.locator("#pecahan-k5000").fill("3")
    expect(page.locator(".denom-total")).to_have_text("Rp215.000")
    expect(page.get_by_label("Kas awal", exact=True)).to_have_value("215.000")
    assert_no_overlaps(page, [".denoms", ".shift-side"])
    no_sideways_scroll(page)
    with page.expect_navigation(url=f"{base}/kasir"):       # the scan screen, loaded anew
        page.get_by_role("button", name="Buka shift").click()
    expect(page.get_by_label("Kode barang")).to_be_focused()

    # Kas keluar 20.000 with a reason (Alt+K), below the manager's limit: the drawer opens
    page.keyboard.press("Alt+k")
    expect(page.get_by_role("heading", name="Kas keluar")).to_be_visible()
    expect(page.locator("#cash-amount")).to_be_focused()
    page.keyboard.type("20.000")
    page.locator("#cash-reason").fill("beli kantong plastik")
    page.locator("#cash-reason").press("Enter")
    expect(page.locator("#messages")).to_contain_text("Kas keluar Rp20.000 tercatat")
    expect(page.locator("#cash-form")).to_have_count(0)
    assert printer.drawer_opens >= 1

    # Laporan X (Alt+X): the figures, nothing closed
    page.keyboard.press("Alt+x")
    page.wait_for_url(re.compile(r"/shift/\d+$"))
    expect(page.locator("#report-title")).to_contain_text("belum ditutup")
    expect(page.locator("#cash-formula")).to_contain_text("Rp195.000")
    expect(page.locator("#movements")).to_contain_text("beli kantong plastik")
    no_sideways_scroll(page)

    # Tutup shift: 190.000 counted against 195.000 expected
    page.locator("#close-link").click()
    page.wait_for_url(re.compile(r"/shift/\d+/tutup$"))
    page.locator("#pecahan-k100000").fill("1")
    page.locator("#pecahan-k50000").fill("1")
    page.locator("#pecahan-k20000").fill("2")
    expect(page.locator("#total-diff")).to_have_text("-Rp5.000")
    qris = page.locator("#dihitung-qris")
    qris.fill("-3.000")                      # a tender counted below zero keeps its sign
    expect(page.locator('tr[data-tender="qris"] .diff')).to_have_text("-Rp3.000")
    expect(page.locator("#total-diff")).to_have_text("-Rp8.000")
    qris.fill("0")
    expect(page.locator("#total-diff")).to_have_text("-Rp5.000")
    # the marked difference stays a table cell, as large as the figures beside it
    marked = page.locator('tr[data-tender="cash"] .diff.warn').evaluate(
        "td => [getComputedStyle(td).display, getComputedStyle(td).fontSize,"
        " getComputedStyle(td.previousElementSibling).fontSize]")
    assert marked[0] == "table-cell" and marked[1] == marked[2], marked
    assert_no_overlaps(page, [".denoms", "#tender-check"])
    no_sideways_scroll(page)
    page.get_by_role("button", name="Tutup shift").click()
    expect(page.locator("#messages")).to_contain_text("Tulis alasannya")   # a difference needs a reason
    expect(page.get_by_label("Alasan selisih")).to_be_focused()             # ... typed right there
    page.keyboard.type("uang receh kurang")
    page.get_by_role("button", name="Tutup shift").click()

    # the manager approves inline
    expect(page.locator("#approval-form")).to_be_visible()
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    page.get_by_label("Nama pengguna manajer").fill("manajer1")
    page.get_by_label("PIN manajer").fill("9999")
    page.locator("#approval-reason").fill("dihitung ulang bersama")
    page.get_by_role("button", name="Setujui").click()

    page.wait_for_url(re.compile(r"/shift/\d+$"))
    expect(page.locator("#report-title")).to_contain_text("Laporan Z shift")
    expect(page.locator("#difference")).to_have_text("-Rp5.000")
    expect(page.locator("#close-reason")).to_have_text("uang receh kurang")
    expect(page.locator("#approved-by")).to_have_text("Andi Baso Mappiasse")
    no_sideways_scroll(page)
    assert printer.receipts[-1].receipt_no.startswith("Z-")

    with get_db(app).reading() as s:
        shift = s.scalars(select(Shift).order_by(Shift.id.desc())).first()
        assert (shift.opening_float, shift.counted_cash, shift.difference) == (215_000, 190_000, -5_000)
        assert shift.opening_counts == {"k100000": 2, "k5000": 3}
        assert s.scalar(select(CashMovement.amount).where(CashMovement.shift_id == shift.id)) == 20_000
    page.goto(f"{base}/kasir")                        # closed: the till asks for a new shift
    expect(page.get_by_role("heading", name="Buka shift")).to_be_visible()
    expect(page.locator("#previous-counted")).to_contain_text("Rp190.000")


def test_a_day_at_the_till_from_the_float_to_the_closed_day(live, page, printer):
    """The issue's whole day: open a shift, sell, take cash out, refund a line, close with a
    counted difference, the Z report shows it, and the manager closes the day."""
    base, app = live
    (product_id, code, name, price), = packaged_goods(app, 1)
    log_in(page, base, typed=True)                        # Buka shift: Kas awal typed, 200000
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F9")
    expect(page.locator("#tendered")).to_be_focused()   # the panel open: keys are its
    page.keyboard.type(str(price))
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#cart tr.line")).to_have_count(0)

    page.keyboard.press("Alt+k")                          # Kas keluar 20.000
    expect(page.locator("#cash-amount")).to_be_focused()
    page.keyboard.type("20.000")
    page.locator("#cash-reason").fill("bayar ongkos angkut")
    page.locator("#cash-reason").press("Enter")
    expect(page.locator("#messages")).to_contain_text("Kas keluar Rp20.000 tercatat")

    page.keyboard.press("F8")                             # Riwayat -> Retur, refunded in cash
    page.wait_for_url(f"{base}/kasir/riwayat")
    page.locator(".return-link").first.click()
    page.wait_for_url(f"{base}/retur/struk/*")
    page.get_by_label(f"Jumlah retur {name}").fill("1")
    page.get_by_label("Alasan retur").fill("Kemasan bocor")
    page.get_by_role("button", name="Retur").click()
    page.get_by_label("Nama pengguna manajer").fill("manajer1")
    page.get_by_label("PIN manajer").fill("9999")
    page.get_by_label("PIN manajer").press("Enter")
    expect(page.locator("#return-done")).to_contain_text(format_rupiah(price))

    # expected: 200.000 + price (sold) - 20.000 (out) - price (refunded) = 180.000; 179.000 counted
    page.goto(f"{base}/kasir")
    page.keyboard.press("Alt+t")
    page.wait_for_url(re.compile(r"/shift/tutup$|/shift/\d+/tutup$"))
    for key, pieces in (("k100000", 1), ("k50000", 1), ("k20000", 1), ("k5000", 1), ("k2000", 2)):
        page.locator(f"#pecahan-{key}").fill(str(pieces))
    expect(page.locator("#total-diff")).to_have_text("-Rp1.000")
    page.get_by_label("Alasan selisih").fill("kembalian salah hitung")
    page.get_by_role("button", name="Tutup shift").click()
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    page.get_by_label("Nama pengguna manajer").fill("manajer1")
    page.get_by_label("PIN manajer").fill("9999")
    page.locator("#approval-reason").fill("dihitung bersama")
    page.get_by_role("button", name="Setujui").click()
    page.wait_for_url(re.compile(r"/shift/\d+$"))
    expect(page.locator("#report-title")).to_contain_text("Laporan Z shift")
    expect(page.locator("#difference")).to_have_text("-Rp1.000")
    expect(page.locator("#cash-formula")).to_contain_text("Rp180.000")

    page.get_by_role("button", name="Keluar").click()     # the manager closes the day
    page.wait_for_url(re.compile(r"/masuk"))
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_label("Kasir (mesin)").select_option("")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Tutup hari").click()
    page.locator("#closing-start").click()
    page.locator("#closing-confirm").press("Enter")
    expect(page.locator("#closing-done")).to_contain_text("ditutup")
    with get_db(app).reading() as s:
        shift = s.scalars(select(Shift).order_by(Shift.id.desc())).first()
        day = s.get(BusinessDay, shift.business_date)
        assert (shift.expected_cash, shift.counted_cash, shift.difference) == (180_000, 179_000, -1_000)
        assert day is not None and json.loads(day.summary)["cash_difference"] == -1_000
        assert s.scalar(select(LedgerOutbox.document_id)).endswith(f"{shift.business_date}-day")


def test_a_float_unlike_the_last_count_opens_with_a_note_and_a_managers_pin(live, page):
    """Rp521.200 counted at the till's last close, Rp500.000 the next morning: Buka shift asks
    for the note, then a manager's PIN in the dialog, and only then the till opens; the
    difference is kept on the shift with who approved it."""
    base, app = live
    with get_db(app).transaction() as s:
        till_id = s.scalar(select(Till.id).order_by(Till.id))
        cashier = s.scalar(select(User.id).where(User.username == "kasir1"))
        yesterday = business_date(utcnow(), "Asia/Makassar") - timedelta(days=1)
        old = open_shift(s, till_id, cashier, day=yesterday)
        old.closed_at, old.counted_cash = old.opened_at, 521_200
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("kasir1")
    page.get_by_label("PIN").fill("1111")
    page.get_by_label("Kasir (mesin)").select_option(index=1)   # the first till
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/kasir")
    page.get_by_label("Kas awal", exact=True).fill("500000")
    page.get_by_role("button", name="Buka shift").click()     # no note: refused, nothing opened
    expect(page.locator("#messages")).to_contain_text("Kas awal Rp500.000 berbeda -Rp21.200")
    expect(page.get_by_label("Catatan selisih", exact=False)).to_be_focused()   # typed right there
    page.keyboard.type("uang receh dipakai bendahara")
    page.get_by_role("button", name="Buka shift").click()
    dialog = page.locator("#approval-form")
    expect(dialog).to_contain_text("selisih kas awal -Rp21.200")
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    page.keyboard.type("manajer1", delay=40)
    page.get_by_label("PIN manajer").fill("9999")
    with page.expect_navigation(url=f"{base}/kasir"):
        page.keyboard.press("Enter")
    expect(page.get_by_label("Kode barang")).to_be_visible()
    with get_db(app).reading() as s:
        opened = s.scalars(select(Shift).where(Shift.closed_at.is_(None))).one()
        manager = s.scalar(select(User.id).where(User.username == "manajer1"))
    assert (opened.opening_difference, opened.opening_note, opened.opening_approved_by) == (
        -21_200, "uang receh dipakai bendahara", manager)


def scanned(page, code: str) -> None:
    """A USB scanner: the code at 5 ms a key, then Enter."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


@pytest.mark.serial          # a scanner's burst is told by its keys' timing
def test_a_code_scanned_into_the_drawer_count_is_refused_and_the_count_stays(live, page):
    """A code scanned into a denomination's box filled it (899295 pieces of Rp100.000: Kas
    dihitung Rp89.929.500.000) and the cursor moved on; into the total it became the total.
    Refused, Buka shift's and Tutup shift's counts as they were, nothing sent."""
    base, app = live
    [(_, code, _, _)] = packaged_goods(app, 1)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    assert sign_in_by_client(page, base, "kasir1", "1111")
    page.goto(f"{base}/kasir")
    expect(page.get_by_role("heading", name="Buka shift")).to_be_visible()
    hundreds, total = page.locator("#pecahan-k100000"), page.get_by_label("Kas awal", exact=True)
    expect(hundreds).to_be_focused()
    page.keyboard.type("2", delay=60)
    page.wait_for_timeout(400)                            # (a key just before a scan is part of it)
    scanned(page, code)
    expect(page.locator("#messages")).to_contain_text(f"Kode {code} dipindai di kolom hitungan uang")
    expect(hundreds).to_have_value("2")
    expect(hundreds).to_be_focused()
    expect(total).to_have_value("200.000")
    expect(page.locator(".denom-total")).to_have_text("Rp200.000")
    total.focus()
    scanned(page, code)                                   # into the total: the pieces stay too
    expect(total).to_have_value("200.000")
    expect(hundreds).to_have_value("2")
    expect(page.locator(".denom-total")).to_have_text("Rp200.000")
    page.wait_for_timeout(300)
    assert posts == []

    page.get_by_role("button", name="Buka shift").click()
    expect(page.get_by_label("Kode barang")).to_be_focused()
    page.wait_for_load_state()
    page.keyboard.press("Alt+t")
    page.wait_for_url(re.compile(r"/shift/tutup$|/shift/\d+/tutup$"))
    hundreds, counted = page.locator("#pecahan-k100000"), page.get_by_label("Uang tunai dihitung")
    expect(hundreds).to_be_focused()
    posts.clear()
    scanned(page, code)
    expect(page.locator("#messages")).to_contain_text(f"Kode {code} dipindai di kolom hitungan uang")
    expect(hundreds).to_have_value("")
    expect(hundreds).to_be_focused()
    expect(counted).to_have_value("")
    expect(page.locator("#tender-check .counted-shown")).to_have_text("—")
    page.wait_for_timeout(300)
    assert posts == []


def test_paying_after_the_shift_was_closed_elsewhere_reloads_to_buka_shift(live, page, browser):
    """A cashier had the pay panel open with cash typed when a manager closed the till's shift
    at /shift/<id>/tutup: Enter was refused ("Belum ada shift terbuka …") and nothing saved,
    but the panel stayed open on /kasir and Selesai could be pressed again and again. The till
    now reloads to Buka shift and says why, as a scan does."""
    base, app = live
    (_, code, _, price), = packaged_goods(app, 1)
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#cart tr.line")).to_have_count(1)
    page.keyboard.press("F9")
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    page.keyboard.type("50000", delay=20)
    with get_db(app).reading() as s:
        shift_id = s.scalar(select(Shift.id).join(User, User.id == Shift.cashier_id)
                            .where(User.username == "kasir1", Shift.closed_at.is_(None)))
        sold = s.scalar(select(func.count()).select_from(Sale))

    office = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    try:
        manager = office.new_page()
        manager.set_default_timeout(10_000)
        manager.goto(f"{base}/masuk")
        manager.get_by_label("Nama pengguna").fill("manajer1")
        manager.get_by_label("PIN").fill("9999")
        manager.get_by_label("Kasir (mesin)").select_option("")
        manager.get_by_role("button", name="Masuk").click()
        manager.wait_for_url(f"{base}/")
        manager.goto(f"{base}/shift/{shift_id}/tutup")
        manager.locator("#pecahan-k100000").fill("2")          # the Rp200.000 float, no sale
        manager.get_by_role("button", name="Tutup shift").click()
        manager.wait_for_url(re.compile(rf"/shift/{shift_id}$"))
    finally:
        office.close()

    expect(page.locator("#pay-panel")).to_be_visible()
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#open-shift")).to_be_visible()          # the till reloaded to Buka shift
    expect(page.locator("#messages")).to_contain_text("Belum ada shift terbuka di kasir ini.")
    expect(page.locator("#pay-panel")).to_have_count(0)
    assert page.url == f"{base}/kasir"
    with get_db(app).reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == sold


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1366, 768), (800, 1280)])
def test_the_float_notes_label_stays_clear_of_its_focused_field(live, browser, size):
    """Buka shift's "Catatan selisih (…)" label wraps to three lines in the side column, and its
    last line sat under the focus ring (3 px outline, 1 px off) of the field it names."""
    base, _ = live
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="id-ID")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        assert sign_in_by_client(page, base, "kasir1", "1111")
        page.goto(f"{base}/kasir")
        page.locator("#catatan").focus()
        label = page.locator("label[for=catatan]").bounding_box()
        field = page.locator("#catatan").bounding_box()
        assert label["y"] + label["height"] + 4 <= field["y"], (label, field)
    finally:
        context.close()


def close_elsewhere(app) -> None:
    """A manager closes kasir1's open shift (the Rp200.000 float counted, nothing else) from
    another screen, as ``test_paying_after_the_shift_was_closed_elsewhere…``'s office does."""
    from pos.approvals.service import Actor
    from pos.auth.service import RIGHTS
    from pos.shifts import service

    with get_db(app).transaction() as s:
        shift = s.scalar(select(Shift).join(User, User.id == Shift.cashier_id)
                         .where(User.username == "kasir1", Shift.closed_at.is_(None)))
        manager = s.scalar(select(User).where(User.username == "manajer1"))
        service.close_shift(s, Actor(manager.id, None, RIGHTS[manager.role]), shift_id=shift.id,
                            cash=service.Cash(shift.opening_float), counted_other={}, reason=None,
                            now=utcnow())


def test_kas_keluar_after_the_shift_was_closed_elsewhere_reloads_to_buka_shift(live, page):
    """Kas keluar typed at the till while a manager closed the till's shift elsewhere: Enter was
    refused ("Belum ada shift terbuka …") and the form stayed open on a till with no shift, to
    be sent again and again. The till now reloads to Buka shift and says why, as a payment does."""
    base, app = live
    log_in(page, base)
    page.keyboard.press("Alt+k")
    expect(page.locator("#cash-amount")).to_be_focused()
    page.keyboard.type("20.000")
    page.locator("#cash-reason").fill("beli kantong plastik")
    close_elsewhere(app)
    page.locator("#cash-reason").press("Enter")
    expect(page.locator("#open-shift")).to_be_visible()          # the till reloaded to Buka shift
    expect(page.locator("#messages")).to_contain_text("Belum ada shift terbuka di kasir ini.")
    expect(page.locator("#cash-form")).to_have_count(0)
    assert page.url == f"{base}/kasir"
    with get_db(app).reading() as s:
        assert s.scalar(select(func.count()).select_from(CashMovement)
                        .where(CashMovement.reason == "beli kantong plastik")) == 0


def test_a_members_payment_after_the_shift_was_closed_elsewhere_reloads_to_buka_shift(live, page):
    """A member's wajib typed at the till's Simpanan & angsuran page while a manager closed the
    till's shift elsewhere: Simpan was refused and the page stayed, its form ready to send again
    with no drawer to take the money. It now goes to the till's Buka shift and says why."""
    from pos.members.accounts.models import MemberDocument

    base, app = live
    log_in(page, base)
    page.keyboard.press("Alt+s")                       # the till's key for Simpanan/Angsuran
    page.wait_for_url(f"{base}/kasir/simpanan")
    expect(page.locator("#account-q")).to_be_focused()   # typed before the page had it: lost
    page.keyboard.type("AGT-0004")
    page.keyboard.press("Enter")
    expect(page.locator("#account-panel")).to_contain_text("Dwi Lestari")
    expect(page.locator("#account-panel input[name=wajib]").first).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_label("Uang diterima (kosong: uang pas)").fill("20000")
    with get_db(app).reading() as s:
        taken = s.scalar(select(func.count()).select_from(MemberDocument))
    close_elsewhere(app)
    page.keyboard.press("Enter")
    expect(page.locator("#open-shift")).to_be_visible()          # at the till's Buka shift
    expect(page.locator("#messages")).to_contain_text("Belum ada shift terbuka di kasir ini.")
    expect(page.locator("#messages .msg")).to_have_count(1)      # said once
    assert page.url == f"{base}/kasir"
    with get_db(app).reading() as s:
        assert s.scalar(select(func.count()).select_from(MemberDocument)) == taken
