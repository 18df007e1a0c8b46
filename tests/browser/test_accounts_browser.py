"""A cashier takes a member's simpanan wajib in cash at the till's savings page (headless Chromium)."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.approvals.service import Actor
from pos.auth.models import Role, User
from pos.auth.service import RIGHTS
from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.members.accounts import credit, documents, savings, withdrawals
from pos.members.accounts.models import DocTender, DocumentLine, MemberDocument, SavingKind
from pos.members.models import Member
from tests.browser.test_till_browser import log_in, packaged_goods

pytestmark = pytest.mark.browser


def test_cashier_takes_simpanan_wajib_in_cash_and_sees_the_receipt(live, page, printer):
    base, app = live
    log_in(page, base)
    page.keyboard.press("Alt+s")                       # the till's key for Simpanan/Angsuran
    page.wait_for_url(f"{base}/kasir/simpanan")
    expect(page.locator("#account-q")).to_be_focused()   # typed before the page had it: lost
    expect(page.get_by_label("Anggota")).to_be_focused()
    page.keyboard.type("AGT-0004")
    page.keyboard.press("Enter")
    panel = page.locator("#account-panel")
    expect(panel).to_contain_text("Dwi Lestari")
    first_month = panel.locator("input[name=wajib]").first
    expect(first_month).to_be_focused()                # keyboard first: the oldest unpaid month
    page.keyboard.press("Space")
    expect(page.locator("#account-total")).to_have_text("Rp10.000")
    page.get_by_label("Uang diterima (kosong: uang pas)").fill("20000")
    page.keyboard.press("Enter")

    expect(page.locator("#doc-no")).to_have_text("TST01-S-000001")
    expect(page.locator("#account-change")).to_have_text("Rp10.000")
    receipt = page.get_by_label("Bukti setoran")
    expect(receipt).to_contain_text("BUKTI SETORAN ANGGOTA")
    expect(receipt).to_contain_text("Simpanan wajib")
    expect(page.locator("#doc-print-status")).to_contain_text("Bukti tercetak")
    assert printer.receipts[-1].receipt_no == "TST01-S-000001"

    with get_db(app).reading() as s:
        doc = s.scalar(select(MemberDocument).where(MemberDocument.doc_no == "TST01-S-000001"))
        member = s.scalar(select(Member).where(Member.number == "AGT-0004"))
        line = s.scalar(select(DocumentLine).where(DocumentLine.document_id == doc.id))
    assert (doc.member_id, doc.total, doc.tendered, doc.change) == (member.id, 10_000, 20_000, 10_000)
    assert line.saving == SavingKind.WAJIB and line.period.day == 1

    page.keyboard.press("Escape")                      # back to the till
    page.wait_for_url(f"{base}/kasir")


def owes(app, amount: int) -> int:
    """AGT-0004 owes ``amount`` of kasbon from the paper books (a manager's correction): its id."""
    with get_db(app).transaction() as s:
        member = s.scalar(select(Member.id).where(Member.number == "AGT-0004"))
        manager = s.scalar(select(User.id).where(User.username == "manajer1"))
        credit.set_limit(s, member, 5_000_000, manager, today=today())
        credit.adjust(s, member_id=member, amount=amount, user_id=manager, note="buku lama",
                      business_date=today(), now=utcnow())
    return member


def open_dwi(page, base: str) -> None:
    """The savings counter with AGT-0004 (Dwi Lestari) on it."""
    page.goto(f"{base}/kasir/simpanan")
    page.get_by_label("Anggota").fill("AGT-0004")
    page.keyboard.press("Enter")
    expect(page.locator("#account-panel")).to_contain_text("Dwi Lestari")


def test_the_total_says_what_cash_is_taken_in_whole_coins(live, page, printer):
    base, app = live
    app.config["CASH_ROUNDING"] = 100                  # POS_CASH_ROUNDING=100, as make run sets it
    owes(app, 12_560)                                  # owed, not chosen: rounded in cash
    log_in(page, base)
    open_dwi(page, base)
    page.locator("#angsuran").fill("12560")
    expect(page.locator("#account-total")).to_have_text("Rp12.560")
    note = page.locator("#account-rounding")
    expect(note).to_have_text("Dibayar tunai Rp12.600 (pembulatan +Rp40)")
    page.get_by_label("Transfer/Debit").check()         # a bank moves every Rupiah
    expect(note).to_be_hidden()
    page.get_by_label("Tunai").check()
    expect(note).to_be_visible()
    page.get_by_label("Uang diterima (kosong: uang pas)").fill("20000")
    page.get_by_role("button", name="Simpan & cetak").click()
    expect(page.locator("#account-change")).to_have_text("Rp7.400")
    expect(page.get_by_label("Bukti setoran")).to_contain_text("Pembulatan")


def test_part_of_a_kasbon_in_cash_that_no_coin_makes_is_refused_as_typed(live, page, printer):
    """Rp10.050 of a Rp26.600 kasbon in cash was saved as "Rp10.050 (tunai Rp10.100, pembulatan
    Rp50)": the form says what the server says; paid off, the kasbon is still rounded."""
    base, app = live
    app.config["CASH_ROUNDING"] = 100
    owes(app, 26_650)
    log_in(page, base)
    open_dwi(page, base)
    page.locator("#angsuran").fill("10050")
    refused = ("Angsuran kasbon Rp10.050 tidak bisa dibayar dengan uang tunai: pecahan terkecil di laci "
               "Rp100. Tulis Rp10.000 atau Rp10.100.")
    note = page.locator("#account-rounding")
    expect(note).to_have_text(refused)
    page.get_by_role("button", name="Simpan & cetak").click()
    expect(page.locator("#messages")).to_contain_text(refused)
    page.locator("#angsuran").fill("26650")
    expect(note).to_have_text("Dibayar tunai Rp26.700 (pembulatan +Rp50)")


def saved_at_the_desk(app, amount: int) -> tuple[int, int]:
    """AGT-0004 saved ``amount`` of sukarela at the treasurer's desk today (no till): (the
    member's id, manajer1's id)."""
    with get_db(app).transaction() as s:
        member = s.scalar(select(Member.id).where(Member.number == "AGT-0004"))
        manager = s.scalar(select(User.id).where(User.username == "manajer1"))
        documents.take(s, member_id=member, paid=documents.Payment(sukarela=amount),
                       tender=documents.Tendered(DocTender.CASH), idempotency_key=str(uuid.uuid4()),
                       outlet_code="TST01", till_id=None, cashier_id=manager,
                       rates=savings.Rates(100_000, 10_000), business_date=today(), now=utcnow())
    return member, manager


def manager_approves(page) -> None:
    """manajer1 types name, Enter, PIN, Enter in the approval dialog (a person's keys)."""
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    page.keyboard.type("manajer1", delay=60)
    page.keyboard.press("Enter")
    page.keyboard.type("9999", delay=60)
    page.keyboard.press("Enter")


def today():
    """The outlet's business date, as the tests' servers read it."""
    return business_date(utcnow(), "Asia/Makassar")


def test_a_withdrawal_of_sukarela_is_approved_by_a_manager_in_the_dialog_by_keyboard(live, page, printer):
    """Alt+T, the amount, Enter: the manager's dialog (Esc closes it and the amount keeps the
    focus); the manager's name and PIN pay it out of the drawer and print the slip to sign."""
    base, app = live
    member, _ = saved_at_the_desk(app, 250_000)
    log_in(page, base)
    page.keyboard.press("Alt+s")
    page.wait_for_url(f"{base}/kasir/simpanan")
    expect(page.locator("#account-q")).to_be_focused()   # typed before the page had it: lost
    expect(page.get_by_label("Anggota")).to_be_focused()   # the first key must land in the field
    page.keyboard.type("AGT-0004", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("#account-withdraw")).to_contain_text("paling banyak Rp250.000")
    page.keyboard.press("Alt+t")
    amount = page.locator("#tarik")
    expect(amount).to_be_focused()
    page.keyboard.type("150000", delay=60)
    page.keyboard.press("Enter")
    dialog = page.locator("#approval-form")
    expect(dialog).to_be_visible()
    after = "ditarik Rp150.000, sisa Rp100.000; di laci Rp50.000"
    expect(page.locator("#approval-after")).to_have_text(after)
    expect(page.get_by_label("Nama pengguna manajer")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(amount).to_be_focused()
    page.keyboard.press("Enter")
    manager_approves(page)

    expect(dialog).to_have_count(0)
    expect(page.locator("#account-paid-out")).to_have_text("Rp150.000")
    slip = page.get_by_label("Bukti penarikan")
    expect(slip).to_contain_text("BUKTI PENARIKAN SIMPANAN")
    expect(slip).to_contain_text("Rp100.000")        # sukarela left
    assert printer.receipts[-1].receipt_no == "TST01-S-000002" and printer.receipts[-1].open_drawer
    with get_db(app).reading() as s:
        assert savings.summary(s, member, today()).sukarela == 100_000


def test_a_deposit_taken_by_mistake_is_cancelled_from_its_page(live, page, printer):
    """The cashier ticked the wrong month: the document's page cancels it (a reason, Enter, the
    manager's PIN); the month is unpaid again and the page names the cancellation."""
    base, app = live
    log_in(page, base)
    page.goto(f"{base}/kasir/simpanan")
    expect(page.get_by_label("Anggota")).to_be_focused()   # the first key must land in the field
    page.keyboard.type("AGT-0004", delay=60)
    page.keyboard.press("Enter")
    first_month = page.locator("#account-panel input[name=wajib]").first
    expect(first_month).to_be_focused()
    month = first_month.get_attribute("value")
    page.keyboard.press("Space")
    page.locator("#account-pay button[type=submit]").click()
    expect(page.locator("#doc-no")).to_have_text("TST01-S-000001")
    page.get_by_role("link", name="Buka bukti").click()
    page.get_by_text("Batalkan bukti ini (salah catat)").click()
    page.get_by_label("Alasan").fill("Salah bulan")
    page.keyboard.press("Enter")
    expect(page.locator("#approval-form")).to_be_visible()
    manager_approves(page)
    expect(page.locator("#approval-form")).to_have_count(0)
    expect(page.get_by_label("Bukti pembatalan")).to_contain_text("Membatalkan: TST01-S-000001")
    assert printer.receipts[-1].receipt_no == "TST01-S-000002"
    page.goto(f"{base}/kasir/simpanan")
    expect(page.get_by_label("Anggota")).to_be_focused()   # the first key must land in the field
    page.keyboard.type("AGT-0004", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator(f"#account-panel input[name=wajib][value='{month}']")).to_have_count(1)


def test_a_withdrawal_another_till_paid_first_closes_the_dialog_and_says_why(live, page, printer):
    """The manager's dialog is open when the sukarela goes elsewhere (another tab, another
    till): the approval is refused for the money, the dialog closes and the message shows."""
    base, app = live
    member, manager = saved_at_the_desk(app, 80_000)
    log_in(page, base)
    page.goto(f"{base}/kasir/simpanan")
    expect(page.get_by_label("Anggota")).to_be_focused()   # the first key must land in the field
    page.keyboard.type("AGT-0004", delay=60)
    page.keyboard.press("Enter")
    page.locator("#account-withdraw").wait_for()
    page.keyboard.press("Alt+t")
    page.keyboard.type("80000", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("#approval-form")).to_be_visible()
    with get_db(app).transaction() as s:     # the member takes it at the back office meanwhile
        withdrawals.withdraw(s, member_id=member, amount=80_000,
                             tender=documents.Tendered(DocTender.TRANSFER, reference="BRI-1"),
                             idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                             actor=Actor(manager, None, RIGHTS[Role.MANAGER], reason="Diminta anggota"),
                             business_date=today(), now=utcnow())
    page.keyboard.type("manajer1", delay=60)
    page.keyboard.press("Enter")
    page.keyboard.type("9999", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("#approval-form")).to_have_count(0)
    expect(page.locator("#messages")).to_contain_text("kurang dari penarikan Rp80.000")


def test_a_withdrawal_taken_by_mistake_is_cancelled_the_member_bringing_the_cash_back(live, page, printer):
    """A withdrawal paid to the wrong member: its page cancels it (the money comes back into the
    drawer), the manager approves, and the member holds the sukarela again."""
    base, app = live
    member, manager = saved_at_the_desk(app, 90_000)
    with get_db(app).transaction() as s:
        office = Actor(manager, None, RIGHTS[Role.MANAGER], reason="Diminta anggota")
        first = withdrawals.withdraw(s, member_id=member, amount=60_000,
                                     tender=documents.Tendered(DocTender.TRANSFER, reference="BRI-2"),
                                     idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                                     actor=office, business_date=today(), now=utcnow()).document
    log_in(page, base)
    page.goto(f"{base}/kasir/simpanan/{first.id}")
    page.get_by_text("Batalkan bukti ini (salah catat)").click()
    expect(page.locator("#account-cancel")).to_contain_text("Anggota mengembalikan Rp60.000")
    page.get_by_label("Alasan").fill("Salah anggota")
    expect(page.get_by_label("Tunai ke laci")).to_be_checked()
    page.keyboard.press("Enter")
    manager_approves(page)
    expect(page.locator("#account-taken-back")).to_have_text("Rp60.000")
    expect(page.get_by_label("Bukti pembatalan")).to_contain_text("BUKTI PEMBATALAN PENARIKAN")
    assert printer.receipts[-1].open_drawer
    with get_db(app).reading() as s:
        assert savings.summary(s, member, today()).sukarela == 90_000


def test_a_sukarela_in_cash_that_no_coin_makes_is_refused_and_a_transfer_takes_it(live, page, printer):
    """Rp50 of sukarela in cash was saved as "Rp50 (tunai Rp100, pembulatan Rp50)": the form
    says what the server says, the server refuses it, and a transfer moves every Rupiah."""
    base, app = live
    app.config["CASH_ROUNDING"] = 100
    log_in(page, base)
    open_dwi(page, base)
    page.locator("#sukarela").fill("50")
    refused = ("Simpanan sukarela Rp50 tidak bisa dibayar dengan uang tunai: pecahan terkecil di laci "
               "Rp100. Tulis Rp100.")
    expect(page.locator("#account-rounding")).to_have_text(refused)
    page.get_by_role("button", name="Simpan & cetak").click()
    expect(page.locator("#messages")).to_contain_text(refused)
    page.get_by_label("Transfer/Debit").check()
    expect(page.locator("#account-rounding")).to_be_hidden()
    page.get_by_label("Referensi bank / QRIS").fill("BRI 50")
    page.get_by_role("button", name="Simpan & cetak").click()
    expect(page.locator("#doc-no")).to_have_text("TST01-S-000001")
    with get_db(app).reading() as s:
        doc = s.scalar(select(MemberDocument).where(MemberDocument.doc_no == "TST01-S-000001"))
    assert (doc.tender, doc.total, doc.rounding, doc.tendered) == (DocTender.TRANSFER, 50, 0, 50)


def test_alt_u_and_alt_a_reach_sukarela_and_angsuran_past_every_month_of_wajib(live, page, printer):
    """The panel opens on the oldest unpaid month; the sukarela and the repayment took one Tab
    per month listed (20 for 18 months). Alt+U and Alt+A go straight there, named on the form."""
    base, app = live
    owes(app, 40_000)
    saved_at_the_desk(app, 30_000)                      # a withdrawal form too (Alt+T)
    log_in(page, base)
    page.goto(f"{base}/kasir/simpanan")
    page.keyboard.type("AGT-0004", delay=60)
    page.keyboard.press("Enter")
    panel = page.locator("#account-panel")
    expect(panel.locator("input[name=wajib]").first).to_be_focused()
    expect(panel.locator("label[for=sukarela] kbd")).to_have_text("Alt+U")
    expect(panel.locator("#account-pay legend kbd")).to_have_text(["Alt+A"])
    page.keyboard.press("Alt+u")
    expect(page.locator("#sukarela")).to_be_focused()
    page.keyboard.type("5000", delay=60)
    page.keyboard.press("Alt+a")
    expect(page.locator("#angsuran")).to_be_focused()
    page.keyboard.type("40000", delay=60)
    expect(page.locator("#account-total")).to_have_text("Rp45.000")
    page.keyboard.press("Alt+t")
    expect(page.locator("#tarik")).to_be_focused()
    page.keyboard.press("Alt+u")
    expect(page.locator("#sukarela")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#doc-no")).to_have_text("TST01-S-000002")
    with get_db(app).reading() as s:
        doc = s.scalar(select(MemberDocument).where(MemberDocument.doc_no == "TST01-S-000002"))
    assert (doc.tender, doc.total) == (DocTender.CASH, 45_000)


def test_only_the_field_the_tender_uses_is_shown_and_sent(live, page, printer):
    """Both Uang diterima and the reference showed whatever the tender, and 50.000 typed as Uang
    diterima with Transfer was dropped (saved as a Rp40.000 transfer): cash shows Uang diterima,
    QRIS and transfer the reference, and a hidden field is not sent."""
    base, app = live
    log_in(page, base)
    page.goto(f"{base}/kasir/simpanan")
    page.keyboard.type("AGT-0004", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("#account-panel")).to_contain_text("Dwi Lestari")
    handed = page.get_by_label("Uang diterima (kosong: uang pas)")
    reference = page.get_by_label("Referensi bank / QRIS")
    expect(handed).to_be_visible()
    expect(reference).to_be_hidden()
    page.locator("#sukarela").fill("40000")
    handed.fill("50000")                                # typed, then the member pays by transfer
    page.get_by_label("Transfer/Debit").check()
    expect(handed).to_be_hidden()
    expect(reference).to_be_visible()
    page.get_by_label("Tunai").check()
    expect(handed).to_be_visible()
    expect(handed).to_have_value(re.compile(r"^50\.?000$"))     # kept, shown again
    expect(reference).to_be_hidden()
    page.get_by_label("Transfer/Debit").check()
    reference.fill("BRI 77")
    page.keyboard.press("Enter")
    expect(page.locator("#doc-no")).to_have_text("TST01-S-000001")
    with get_db(app).reading() as s:
        doc = s.scalar(select(MemberDocument).where(MemberDocument.doc_no == "TST01-S-000001"))
    assert (doc.tender, doc.total, doc.tendered, doc.change, doc.reference) == (
        DocTender.TRANSFER, 40_000, 40_000, 0, "BRI 77")


def documents_saved(app) -> int:
    with get_db(app).reading() as s:
        return len(s.scalars(select(MemberDocument.id)).all())


def scanned(page, code: str) -> None:
    """A USB scanner: the code at 5 ms a key, then Enter."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


@pytest.mark.serial          # a scanner's burst is told by its keys' timing
def test_a_product_scanned_on_the_savings_panel_saves_nothing_and_a_card_opens_its_member(
        live, page, printer):
    """A code scanned into a ticked month saved Rp10.000 of wajib; into Simpanan sukarela,
    89900100 was saved as Rp89.900.100 in cash. Neither is money: refused, the field as it was;
    a member card scanned there opens that member."""
    base, app = live
    [(_, code, _, _)] = packaged_goods(app, 1)
    before = documents_saved(app)
    log_in(page, base)
    page.keyboard.press("Alt+s")
    page.wait_for_url(f"{base}/kasir/simpanan")
    expect(page.locator("#account-q")).to_be_focused()   # typed before the page had it: lost
    expect(page.get_by_label("Anggota")).to_be_focused()
    scanned(page, "2900000000018")                     # AGT-0001's card, into the search: their panel
    panel = page.locator("#account-panel")
    expect(panel).to_contain_text("AGT-0001")
    first_month = panel.locator("input[name=wajib]").first
    expect(first_month).to_be_focused()
    page.keyboard.press("Space")
    expect(first_month).to_be_checked()
    scanned(page, code)                                # (A) a product into the ticked month
    expect(page.locator("#messages")).to_contain_text(f"Kode {code} dipindai")
    expect(page.locator("#messages")).to_contain_text("tidak dipakai di sini")
    expect(first_month).to_be_focused()
    expect(first_month).to_be_checked()
    expect(page.locator("#doc-no")).to_have_count(0)
    page.wait_for_timeout(300)
    assert documents_saved(app) == before

    page.keyboard.press("Alt+u")                       # (B) 8 digits into Simpanan sukarela
    sukarela = page.locator("#sukarela")
    expect(sukarela).to_be_focused()
    scanned(page, "89900100")
    expect(page.locator("#messages")).to_contain_text("Kode 89900100 dipindai di kolom uang")
    expect(sukarela).to_have_value("")
    expect(sukarela).to_be_focused()
    expect(page.locator("#account-total")).to_have_text("Rp10.000")
    page.keyboard.type("5000", delay=60)               # what a person types stays theirs
    expect(sukarela).to_have_value("5.000")
    page.wait_for_timeout(400)                         # (a key just before a scan is part of it)
    scanned(page, code)
    expect(sukarela).to_have_value("5.000")
    page.wait_for_timeout(300)
    assert documents_saved(app) == before

    scanned(page, "2900000000025")                     # another member's card: their panel
    expect(panel).to_contain_text("AGT-0002")
    expect(page.locator("#account-q")).to_have_value("2900000000025")
    assert documents_saved(app) == before


def test_enter_on_a_month_not_ticked_sends_nothing(live, page, printer):
    base, app = live
    before = documents_saved(app)
    log_in(page, base)
    page.goto(f"{base}/kasir/simpanan")
    page.get_by_label("Anggota").fill("AGT-0004")
    page.keyboard.press("Enter")
    first_month = page.locator("#account-panel input[name=wajib]").first
    expect(first_month).to_be_focused()
    page.keyboard.press("Enter")                       # not ticked: nothing to pay
    page.wait_for_timeout(400)
    expect(page.locator("#doc-no")).to_have_count(0)
    assert documents_saved(app) == before
    page.keyboard.press("Space")
    page.keyboard.press("Enter")                       # ticked: sent
    expect(page.locator("#doc-no")).to_be_visible()
    assert documents_saved(app) == before + 1


def test_esc_on_a_month_box_goes_back_to_the_till(live, page, printer):
    base, _ = live
    log_in(page, base)
    page.keyboard.press("Alt+s")
    page.wait_for_url(f"{base}/kasir/simpanan")
    expect(page.locator("#account-q")).to_be_focused()   # typed before the page had it: lost
    page.keyboard.type("AGT-0005")
    page.keyboard.press("Enter")
    expect(page.locator("#account-panel input[name=wajib]").first).to_be_focused()
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/kasir")
    page.goto(f"{base}/kasir/simpanan")
    page.get_by_label("Anggota").fill("AGT-0005")
    page.keyboard.press("Enter")
    page.get_by_label("Tunai").focus()                 # a radio too
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/kasir")
    page.goto(f"{base}/kasir/simpanan")
    page.get_by_label("Anggota").fill("AGT-0005")     # typing in a text field is kept: the first
    page.keyboard.press("Escape")                      # Esc clears the search (searchbar)
    expect(page.get_by_label("Anggota")).to_have_value("")
    assert page.url == f"{base}/kasir/simpanan"
