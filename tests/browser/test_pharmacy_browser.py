"""An obat keras in real Chromium: the cashier scans it, the prescription dialog asks for the
doctor, date and number and the apoteker's user name and PIN; a wrong PIN changes nothing;
approved, the line shows the prescription, the sale is paid, and the receipt names the
apoteker and their SIPA.  A narcotic scanned is refused."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.demo.pharmacy import PHARMACIST
from pos.inventory.catalog.models import DrugClass, Product, ProductBarcode
from pos.money import format_rupiah
from pos.sales.models import CartLine, SaleLineRx
from tests.browser.test_till_browser import log_in, scan_all

pytestmark = pytest.mark.browser


def code_of(app, drug: DrugClass) -> tuple[str, str, int]:
    """(EAN-13, name, price) of the first demo product of a drug class."""
    with get_db(app).reading() as s:
        return s.execute(select(ProductBarcode.code, Product.name, Product.price)
                         .join(Product, Product.id == ProductBarcode.product_id)
                         .where(Product.drug_class == drug).order_by(Product.id).limit(1)).one()


def test_a_prescription_drug_is_sold_only_after_the_pharmacist_approves(live, page):
    base, app = live
    code, name, price = code_of(app, DrugClass.KERAS)
    narcotic, _, _ = code_of(app, DrugClass.NARKOTIKA)
    today = business_date(utcnow(), app.config["TIMEZONE"])
    log_in(page, base)

    scan_all(page, [narcotic])
    expect(page.get_by_role("alert")).to_contain_text("Narkotika tidak dijual di gerai ini")
    expect(page.locator("#cart tr.line")).to_have_count(0)

    scan_all(page, [code])
    dialog = page.locator("#rx-form")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(name)
    expect(page.locator("#cart tr.line")).to_have_count(0)          # nothing before approval
    expect(page.get_by_label("Nama dokter")).to_be_focused()
    page.keyboard.type("Sari Wulandari", delay=40)
    page.keyboard.press("Enter")                                    # Enter walks to the next field
    expect(page.get_by_label("Tanggal resep")).to_be_focused()
    page.keyboard.type("5122026", delay=40)                         # a digit short: no date
    page.keyboard.press("Enter")                                    # stays, and says why at once
    expect(page.get_by_label("Tanggal resep")).to_be_focused()
    expect(page.locator("#rx-date-words")).to_have_text("Tanggal tidak dikenali; tulis HH-BB-TTTT, "
                                                        "misalnya 15-11-2026.")
    page.keyboard.press("Control+a")
    page.keyboard.type(f"{today:%d-%m-%Y}", delay=40)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Nomor resep")).to_be_focused()
    page.keyboard.type("R-0112", delay=40)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Nama pengguna apoteker")).to_be_focused()
    page.keyboard.type(PHARMACIST[0], delay=60)
    page.keyboard.press("Enter")
    expect(page.get_by_label("PIN apoteker")).to_be_focused()
    page.keyboard.type("1234")                                      # a wrong PIN: nothing changes
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("PIN apoteker salah")
    expect(page.get_by_label("PIN apoteker")).to_be_focused()
    expect(page.locator("#cart tr.line")).to_have_count(0)
    page.keyboard.type(PHARMACIST[3])
    page.keyboard.press("Enter")

    expect(dialog).to_have_count(0)
    line = page.locator("#cart tr.line")
    expect(line).to_have_count(1)
    expect(line.locator(".rx-line")).to_have_text(
        f"Resep No. R-0112 · dr. Sari Wulandari · disetujui apoteker {PHARMACIST[1]}")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    with get_db(app).reading() as s:
        assert s.scalar(select(CartLine.rx_number)) == "R-0112"

    page.keyboard.press("F9")
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    page.keyboard.type("50000")
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#change-due")).to_have_text(format_rupiah(50_000 - price))
    receipt = page.get_by_label("Struk")
    expect(receipt).to_contain_text("Resep: No R-0112")
    expect(receipt).to_contain_text("Apoteker:")
    expect(receipt).to_contain_text(f"SIPA {PHARMACIST[4]}")
    with get_db(app).reading() as s:
        assert s.scalar(select(SaleLineRx.rx_number)) == "R-0112"


def open_dialog(live, page):
    """An obat keras scanned at the till: the prescription dialog open; the business day."""
    base, app = live
    code, _, _ = code_of(app, DrugClass.KERAS)
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#rx-form")).to_be_visible()
    return business_date(utcnow(), app.config["TIMEZONE"])


def fill_prescription(page, day: str, number: str) -> None:
    """The dialog filled in (doctor, ``day``, ``number``, the apoteker's name and PIN), sent."""
    page.get_by_label("Nama dokter").fill("Sari Wulandari")
    page.get_by_label("Tanggal resep").fill(day)
    page.get_by_label("Nomor resep").fill(number)
    page.get_by_label("Nama pengguna apoteker").fill(PHARMACIST[0])
    page.get_by_label("PIN apoteker").fill(PHARMACIST[3])
    page.get_by_label("PIN apoteker").press("Enter")


def test_a_long_prescription_number_wraps_and_keeps_the_lines_remove_button_in_view(live, page):
    """At 1024x768 a 40-character prescription number with no space pushed the line's ✕ out."""
    base, app = live
    code, _, _ = code_of(app, DrugClass.KERAS)
    today = business_date(utcnow(), app.config["TIMEZONE"])
    page.set_viewport_size({"width": 1024, "height": 768})
    log_in(page, base)
    scan_all(page, [code])
    expect(page.locator("#rx-form")).to_be_visible()
    fill_prescription(page, f"{today:%d-%m-%Y}", "RXPUSKESMASLOAJANAN2026XII000000001234567")
    line = page.locator("#cart tr.line")
    expect(line).to_have_count(1)
    cart = page.locator("#cart").bounding_box()
    remove = line.locator("button.remove").bounding_box()
    assert remove["x"] + remove["width"] <= cart["x"] + cart["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024


def test_enter_in_an_empty_field_says_what_is_missing_and_replaces_an_old_refusal(live, page):
    """A refused date fixed, then Enter in the empty Nomor resep did nothing and said nothing,
    and "Tanggal resep 31-02-2026 tidak ada" stayed on the screen."""
    today = open_dialog(live, page)
    fill_prescription(page, "31-02-2026", "R-1")
    expect(page.get_by_role("alert")).to_contain_text("31-02-2026 tidak ada")
    page.get_by_label("Tanggal resep").fill(f"{today:%d-%m-%Y}")
    page.get_by_label("Nomor resep").fill("")
    page.get_by_label("Nomor resep").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Isi nomor resep")
    expect(page.get_by_role("alert")).not_to_contain_text("31-02-2026")
    expect(page.locator("#cart tr.line")).to_have_count(0)


def refused_approvals(app) -> int:
    from pos.approvals.models import RefusedApproval

    with get_db(app).reading() as s:
        return len(s.scalars(select(RefusedApproval.id)).all())


def test_a_refused_date_empties_the_pin_and_puts_the_cashier_in_the_date(live, page):
    """(a) A prescription too old was refused with the focus left in PIN apoteker and the PIN
    still in it: the apoteker typing it again made "77777777", refused as a wrong PIN and
    counted toward the lock.  Now the PIN is emptied and the date, named by the server, is
    focused and selected, marked aria-invalid; the PIN typed once more approves."""
    app = live[1]
    today = open_dialog(live, page)
    fill_prescription(page, f"{today - timedelta(days=400):%d-%m-%Y}", "R-7")
    expect(page.get_by_role("alert")).to_contain_text("lebih dari")
    date = page.get_by_label("Tanggal resep")
    expect(page.get_by_label("PIN apoteker")).to_have_value("")
    expect(date).to_be_focused()
    expect(date).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.activeElement.selectionEnd - document.activeElement.selectionStart") == 10
    page.keyboard.type(f"{today:%d-%m-%Y}", delay=80)   # replaces the selected date (a person's pace:
    expect(date).to_have_value(f"{today:%d-%m-%Y}")     # faster, the till takes it for a scanner)
    expect(date).not_to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Enter")
    expect(page.get_by_label("PIN apoteker")).to_be_focused()
    page.keyboard.type(PHARMACIST[3])
    page.keyboard.press("Enter")
    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#rx-form")).to_have_count(0)
    assert refused_approvals(app) == 0


def test_a_prescription_changed_after_a_refusal_is_not_sent_with_the_pin_typed_for_it(live, page):
    """(b) After the refusal the cashier changed the date and pressed Enter: the prescription
    went with the PIN the apoteker typed for the refused one, approved without the apoteker
    seeing the new date.  Now Enter goes to the empty PIN and nothing is sent."""
    today = open_dialog(live, page)
    sent = []
    page.on("request", lambda r: sent.append(r.url) if "/kasir/resep" in r.url else None)
    fill_prescription(page, f"{today - timedelta(days=400):%d-%m-%Y}", "R-7")
    expect(page.get_by_role("alert")).to_contain_text("lebih dari")
    page.get_by_label("Tanggal resep").fill(f"{today:%d-%m-%Y}")
    page.get_by_label("Tanggal resep").press("Enter")
    expect(page.get_by_label("PIN apoteker")).to_be_focused()
    expect(page.get_by_label("PIN apoteker")).to_have_value("")
    page.get_by_role("button", name="Setujui").click()          # sent without a PIN: refused
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#cart tr.line")).to_have_count(0)
    with get_db(live[1]).reading() as s:
        assert s.scalar(select(CartLine.id)) is None
    assert len(sent) == 2, sent


def test_a_refused_number_is_focused_by_name(live, page):
    """The server names the refused field: a number too long puts the cashier in Nomor resep."""
    today = open_dialog(live, page)
    page.get_by_label("Nomor resep").evaluate("el => el.removeAttribute('maxlength')")
    fill_prescription(page, f"{today:%d-%m-%Y}", "R" * 41)
    expect(page.get_by_role("alert")).to_contain_text("Nomor resep terlalu panjang")
    expect(page.get_by_label("Nomor resep")).to_be_focused()
    expect(page.get_by_label("Nomor resep")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("PIN apoteker")).to_have_value("")


def test_a_refusal_goes_once_the_form_is_typed_in(live, page):
    """The date put right and the doctor's name emptied: Enter in the date went to the empty
    name, and "sudah lebih dari 30 hari" stayed beside the corrected date."""
    today = open_dialog(live, page)
    fill_prescription(page, f"{today - timedelta(days=400):%d-%m-%Y}", "R-8")
    expect(page.get_by_role("alert")).to_contain_text("lebih dari")
    page.get_by_label("Tanggal resep").fill(f"{today:%d-%m-%Y}")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_label("Nama dokter").fill("")
    page.get_by_label("Tanggal resep").press("Enter")
    expect(page.get_by_label("Nama dokter")).to_be_focused()
    page.get_by_label("Nama dokter").press("Enter")          # sent: the answer names what is missing
    expect(page.get_by_role("alert")).to_contain_text("nama dokter")


def test_tab_stays_inside_the_prescription_dialog(live, page):
    """Tab past Setujui went to the page behind it: the top bar's link, then Keluar."""
    open_dialog(live, page)
    setujui = page.locator("#rx-form button[type=submit]")
    setujui.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#rx-form')")
    expect(page.get_by_label("Nama dokter")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(setujui).to_be_focused()


def under_a_limit(app) -> str:
    """The first obat keras put under a per-buyer limit (3 a day): its code."""
    from pos.limits import rules

    code, _, _ = code_of(app, DrugClass.KERAS)
    with get_db(app).transaction() as s:
        product = s.scalar(select(ProductBarcode.product_id).where(ProductBarcode.code == code))
        rule = rules.save_rule(s, None, name="Antibiotik", max_qty=3, period="day", buyer="any")
        rules.attach(s, rule.id, product)
    return code


def test_the_apotekers_dialog_and_pin_go_once_the_buyer_is_asked(live, page):
    """Approved, then asked who buys: the prescription dialog stayed under the buyer's with the
    apoteker's PIN typed in it, and after Esc in the buyer's it was still there, its Setujui
    sending the PIN again without the apoteker. Once the PIN is checked the dialog goes; Esc in
    the buyer's leaves nothing and adds nothing, and the next scan asks the apoteker again."""
    app = live[1]
    code = under_a_limit(app)
    day = open_dialog(live, page)
    fill_prescription(page, f"{day:%d-%m-%Y}", "R-0114")
    expect(page.locator("#buyer-input")).to_be_focused()
    expect(page.locator("#rx-form")).to_have_count(0)                # no PIN left in the page
    expect(page.locator("#rx-pin")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page.locator("#buyer-form")).to_have_count(0)
    expect(page.locator("#approval-dialog *")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    expect(page.locator("#cart tr.line")).to_have_count(0)
    with get_db(app).reading() as s:
        assert s.scalar(select(CartLine.id)) is None
    scan_all(page, [code])                                           # asked again, from the start
    expect(page.locator("#rx-form")).to_be_visible()
    expect(page.get_by_label("PIN apoteker")).to_have_value("")


def test_an_obat_keras_under_a_buyer_limit_asks_the_buyer_once_after_the_approval(live, page):
    """On an empty cart the buyer typed after the apoteker's approval went with the approval's
    request again, which dropped it: the buyer dialog came back, again and again."""
    under_a_limit(live[1])
    asked = []
    page.on("response", lambda r: asked.append(r.url) if r.status == 428 else None)
    day = open_dialog(live, page)
    fill_prescription(page, f"{day:%d-%m-%Y}", "R-0113")
    expect(page.locator("#buyer-input")).to_be_focused()            # then who buys
    page.keyboard.type("6402101505700001", delay=5)
    page.keyboard.press("Enter")
    line = page.locator("#cart tr.line")
    expect(line).to_have_count(1)
    expect(line.locator(".rx-line")).to_contain_text("Resep No. R-0113")
    expect(page.locator("#buyer-who")).to_have_text("NIK 6402********0001")
    expect(page.locator("#buyer-form")).to_have_count(0)
    expect(page.locator("#rx-form")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    assert len(asked) == 1, asked
