"""Penarikan simpanan sukarela: the rules, the manager's approval, and every reader that counts
a member's savings or the drawer's cash (shift figures, day report, journal, SIMKOPDES, SHU)."""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos import chart as charts
from pos.approvals.models import Override
from pos.approvals.service import Actor, Approval, NeedsApproval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing import export
from pos.ledger.journal import day_journal
from pos.ledger.simkopdes import saving_rows
from pos.members.accounts import cancellations, credit, doc_receipt, documents, savings, withdrawals
from pos.members.accounts.documents import DocumentError, Payment, Tendered
from pos.members.accounts.models import DocTender, MemberDocument
from pos.members.models import Member
from pos.reports.day_full import full_summary
from pos.reports.day_money import member_payments
from pos.reports.day_parts import member_savings
from pos.shifts import zreport, zreport_text
from pos.shifts.figures import figures
from pos.shifts.models import Shift
from tests.members.accounts.conftest import make_sale

DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 3, 0)
RATES = savings.Rates(pokok=100_000, wajib=10_000, wajib_ahead=12)
CASH_OUT = Tendered(DocTender.CASH)


def deposit(db, shop, sukarela=300_000, tender=None):
    with db.transaction() as s:
        return documents.take(s, member_id=shop["member"], paid=Payment(sukarela=sukarela),
                              tender=tender or Tendered(DocTender.CASH), idempotency_key=str(uuid.uuid4()),
                              outlet_code="TST01", till_id=shop["till"], cashier_id=shop["cashier"],
                              rates=RATES, business_date=DAY, now=NOW)


def manager(shop):
    return Actor(shop["manager"], shop["till"], RIGHTS[Role.MANAGER])


def cashier(shop, approved=False):
    approval = Approval(shop["manager"], "Diminta anggota") if approved else None
    return Actor(shop["cashier"], shop["till"], RIGHTS[Role.CASHIER], approval=approval)


def withdraw(db, shop, amount, actor=None, tender=CASH_OUT, key=None, member=None):
    with db.transaction() as s:
        return withdrawals.withdraw(s, member_id=member or shop["member"], amount=amount, tender=tender,
                                    idempotency_key=key or str(uuid.uuid4()), outlet_code="TST01",
                                    actor=actor or manager(shop), business_date=DAY, now=NOW)


def held(db, shop):
    with db.reading() as s:
        return savings.summary(s, shop["member"], DAY).sukarela


def shift_cash(db, shop):
    with db.reading() as s:
        shift = s.scalar(select(Shift).where(Shift.till_id == shop["till"], Shift.closed_at.is_(None)))
        return figures(s, shift)


def test_a_withdrawal_pays_sukarela_out_of_the_drawer_and_counts_against_the_savings(db, shop):
    deposit(db, shop, 300_000)
    done = withdraw(db, shop, 120_000)
    doc = done.document
    assert (doc.doc_no, doc.withdrawal, doc.total, doc.tendered, doc.change) == (
        "TST01-S-000002", True, 120_000, 120_000, 0)
    assert held(db, shop) == 180_000
    f = shift_cash(db, shop)
    assert (f.member_cash, f.member_cash_out, f.expected["cash"]) == (300_000, 120_000, 180_000)
    with db.reading() as s:
        slip = documents.slip(s, doc.id)
    text = doc_receipt.build(slip, outlet_name="Gerai", timezone="Asia/Makassar", columns=32).text
    assert "BUKTI PENARIKAN SIMPANAN" in text and "Penarikan simpanan sukarela" in text
    assert "Sisa simpanan sukarela" in text and "Rp180.000" in text and "Diterima oleh anggota" in text
    assert "Kembali" not in text
    deposit(db, shop, 50_000)   # a copy printed later still shows what was left then
    with db.reading() as s:
        assert documents.slip(s, doc.id).sukarela_left == 180_000


def test_never_more_than_the_member_holds_nor_the_drawer_and_nothing_is_written(db, shop):
    deposit(db, shop, 100_000)
    with pytest.raises(DocumentError, match="kurang dari penarikan Rp100.001"):
        withdraw(db, shop, 100_001)
    # held 300.000, in the drawer 100.000
    deposit(db, shop, 200_000, Tendered(DocTender.TRANSFER, reference="TRF-1"))
    with pytest.raises(DocumentError, match=r"melebihi uang tunai di laci \(Rp100.000\)"):
        withdraw(db, shop, 150_000)
    with pytest.raises(DocumentError, match="bukan QRIS"):
        withdraw(db, shop, 10_000, tender=Tendered(DocTender.QRIS))
    with pytest.raises(DocumentError, match="Referensi bank wajib diisi"):
        withdraw(db, shop, 10_000, tender=Tendered(DocTender.TRANSFER))
    with pytest.raises(DocumentError, match="Referensi bank tidak sah"):   # never cut to 64
        withdraw(db, shop, 10_000, tender=Tendered(DocTender.TRANSFER, reference="B" * 65))
    with pytest.raises(DocumentError, match="lebih dari Rp0"):
        withdraw(db, shop, 0)
    with db.reading() as s:
        assert s.scalar(select(func.count()).where(MemberDocument.withdrawal.is_(True))) == 0
    # by transfer the drawer is not asked: the member holds enough
    done = withdraw(db, shop, 150_000, tender=Tendered(DocTender.TRANSFER, reference="BRI-77"))
    assert (done.document.tender, done.document.reference) == (DocTender.TRANSFER, "BRI-77")
    assert held(db, shop) == 150_000
    # paid from the cooperative's bank, not through the till: the shift's transfers stay
    assert shift_cash(db, shop).expected["transfer"] == 200_000 and done.document.shift_id is None


def test_a_withdrawal_form_sent_again_pays_once_and_a_changed_one_is_refused(db, shop):
    deposit(db, shop)
    key = str(uuid.uuid4())
    first = withdraw(db, shop, 1_000, key=key)
    assert withdraw(db, shop, 1_000, key=key).document.doc_no == first.document.doc_no
    for changed in (dict(amount=500), dict(amount=1_000, member=shop["other"])):
        with pytest.raises(DocumentError, match=f"sudah dipakai untuk bukti {first.document.doc_no}"):
            withdraw(db, shop, key=key, **changed)
    with pytest.raises(DocumentError, match="sudah dipakai"):     # its key on a cancellation
        cancel(db, shop, first.document.id, key=key)
    # sent again by another cashier, or from another till: refused, never "Tersimpan" with this one
    for actor in (cashier(shop, approved=True), Actor(shop["manager"], None, RIGHTS[Role.MANAGER])):
        with pytest.raises(DocumentError, match="di kasir lain atau oleh kasir lain") as refused:
            withdraw(db, shop, 1_000, key=key, actor=actor)
        assert refused.value.status == 409
    assert held(db, shop) == 299_000


def test_a_cashier_needs_a_manager_and_the_approval_is_logged_with_the_number(db, shop):
    deposit(db, shop, 300_000)
    with pytest.raises(NeedsApproval) as asked:
        withdraw(db, shop, 50_000, actor=cashier(shop))
    need = asked.value
    assert need.kind == "savings_withdrawal" and need.swap == "outerHTML"
    assert need.what == f"Penarikan simpanan sukarela, {shop['member_no']} Daeng Baso"   # no number yet
    assert need.before == "sukarela Rp300.000"
    assert need.after == "ditarik Rp50.000, sisa Rp250.000; di laci Rp250.000"
    assert held(db, shop) == 300_000    # nothing was written, and the number is not used up
    key = str(uuid.uuid4())
    done = withdraw(db, shop, 50_000, actor=cashier(shop, approved=True), key=key)
    assert done.document.doc_no == "TST01-S-000002" and done.document.cashier_id == shop["cashier"]
    again = withdraw(db, shop, 50_000, actor=cashier(shop, approved=True), key=key)   # a double click
    assert again.created is False and again.document.id == done.document.id
    assert held(db, shop) == 250_000
    with db.reading() as s:
        override = s.scalars(select(Override).where(Override.kind == "savings_withdrawal")).one()
    assert (override.asked_by, override.approved_by) == (shop["cashier"], shop["manager"])
    assert "TST01-S-000002" in override.description


def test_the_day_report_journal_simkopdes_and_shu_basis_count_it_as_money_out(db, shop):
    deposit(db, shop, 300_000)
    withdraw(db, shop, 120_000)
    with db.reading() as s:
        paid = member_payments(s, DAY)
        basis = member_savings(s, DAY)
        lines = day_journal(s, DAY, zone="Asia/Makassar", chart=charts.chart())
        rows = saving_rows(s, DAY, DAY, "KOP", "Asia/Makassar")
        year = savings.held_on(s, date(2026, 12, 31))
    assert paid["cash"] == {"documents": 1, "savings": 300_000, "repayments": 0, "withdrawals": 120_000,
                            "withdrawal_documents": 1, "cancelled": 0, "cancelled_documents": 0,
                            "cancelled_repayments": 0, "rounding": 0, "total": 180_000}
    assert [(r["number"], r["sukarela"]) for r in basis] == [(shop["member_no"], 180_000)]
    sums = defaultdict(lambda: [0, 0])
    for line in lines:
        sums[line.account][0] += line.debit
        sums[line.account][1] += line.credit
    assert sums["213100"] == [120_000, 300_000]   # simpanan sukarela: withdrawn, deposited
    assert sums[charts.chart()("cash")[0]] == [300_000, 120_000]
    assert sum(li.debit for li in lines) == sum(li.credit for li in lines)
    assert [(r["jumlah_simpanan"], r["status"]) for r in rows] == [(300_000, "PAID"), (-120_000, "WITHDRAWN")]
    assert year[shop["member"]]["sukarela"] == 180_000


def test_a_withdrawal_on_a_day_with_no_deposit_sends_the_hub_a_negative_sukarela(db, shop):
    deposit(db, shop, 100_000)
    with db.transaction() as s:
        s.execute(MemberDocument.__table__.update().values(business_date=date(2026, 11, 29)))
    withdraw(db, shop, 40_000)
    with db.reading() as s:
        assert [r["sukarela"] for r in member_savings(s, DAY)] == [-40_000]
        assert savings.summary(s, shop["member"], DAY).sukarela == 60_000


def test_the_shift_report_and_the_closed_days_rows_name_the_withdrawal(db, shop):
    deposit(db, shop, 300_000)
    withdraw(db, shop, 120_000)
    with db.reading() as s:
        shift = s.scalar(select(Shift.id).where(Shift.till_id == shop["till"]))
        z = zreport.build(s, shift)
        day = full_summary(s, DAY, zone="Asia/Makassar")
    assert ("−", "Simpanan keluar tunai", -120_000) in z.cash_formula()
    assert z.cash_formula()[-1] == ("=", "Kas seharusnya di laci", 180_000)
    assert z.as_json()["member_cash_out"] == 120_000
    rows = [r for r in export.lines(day) if r["section"] == "Simpanan & angsuran"]
    assert {"section": "Simpanan & angsuran", "item": "Penarikan simpanan (Tunai)", "count": 1,
            "amount": -120_000} in rows
    assert {"section": "Simpanan & angsuran", "item": "Simpanan (Tunai)", "count": 1,
            "amount": 300_000} in rows


def cancel(db, shop, document_id, actor=None, tender=CASH_OUT, reason="Salah bulan", key=None):
    with db.transaction() as s:
        return cancellations.cancel(s, document_id=document_id, tender=tender, reason=reason,
                                    idempotency_key=key or str(uuid.uuid4()), outlet_code="TST01",
                                    actor=actor or manager(shop), business_date=DAY, now=NOW)


def test_a_document_taken_by_mistake_is_cancelled_and_its_month_and_kasbon_are_due_again(db, shop):
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 500_000, shop["manager"], today=DAY)
        credit.charge(s, member_id=shop["member"], amount=40_000, sale_id=make_sale(
            s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=40_000).id,
            user_id=shop["cashier"], business_date=DAY, now=NOW)
    with db.transaction() as s:
        first = documents.take(s, member_id=shop["member"], paid=Payment(
            pokok=True, wajib_months=(date(2026, 3, 1),), sukarela=5_000, repayment=15_000),
            tender=Tendered(DocTender.CASH), idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
            till_id=shop["till"], cashier_id=shop["cashier"], rates=RATES, business_date=DAY,
            now=NOW).document
    assert first.total == 130_000
    with db.transaction() as s:   # the limit lowered since: owing the repayment again goes over it
        credit.set_limit(s, shop["member"], 30_000, shop["manager"], today=DAY)
    with pytest.raises(NeedsApproval) as asked:
        cancel(db, shop, first.id, actor=cashier(shop))
    assert asked.value.kind == "savings_cancel" and "TST01-S-000001" in asked.value.what
    assert "TST01-S-000002" not in asked.value.what
    assert asked.value.after.endswith("; kasbon Rp25.000 menjadi Rp40.000 (melebihi batas Rp30.000)")
    assert "Simpanan wajib Maret 2026 Rp10.000" in asked.value.before
    done = cancel(db, shop, first.id, actor=cashier(shop, approved=True))
    doc = done.document
    assert (doc.doc_no, doc.reverses_id, doc.withdrawal) == ("TST01-S-000002", first.id, True)
    assert doc.total == 130_000
    with db.reading() as s:
        summary = savings.summary(s, shop["member"], DAY)
        assert summary.as_dict() == {"pokok": 0, "wajib": 0, "sukarela": 0}
        assert date(2026, 3, 1) in summary.months_unpaid
        assert credit.available(s, shop["member"])[1] == 40_000           # owed again
        slip = documents.slip(s, doc.id)
        paid = member_payments(s, DAY)
        rows = saving_rows(s, DAY, DAY, "KOP", "Asia/Makassar")
        lines = day_journal(s, DAY, zone="Asia/Makassar", chart=charts.chart())
    text = doc_receipt.build(slip, outlet_name="Gerai", timezone="Asia/Makassar", columns=32).text
    assert "BUKTI PEMBATALAN SETORAN" in text and "Membatalkan: TST01-S-000001" in text
    assert "Batal: Simpanan wajib Maret 2026" in text and "Batal: Angsuran kasbon" in text
    assert paid["cash"]["cancelled"] == 130_000 and paid["cash"]["total"] == 0
    assert paid["cash"]["cancelled_repayments"] == 15_000
    assert [r["status"] for r in rows if r["jumlah_simpanan"] < 0] == ["CANCELLED"] * 3
    back = [li for li in lines if li.memo.startswith("Pembatalan")]
    chart = charts.chart()
    debits = {li.account: li.debit for li in back if li.debit}
    assert debits == {chart("savings:pokok")[0]: 100_000, chart("savings:wajib")[0]: 10_000,
                      chart("savings:sukarela")[0]: 5_000, chart("member_receivable")[0]: 15_000}
    assert {li.account for li in back if li.credit} == {chart("cash")[0]}
    assert sum(li.credit for li in back) == 130_000
    assert shift_cash(db, shop).member_cash_out == 130_000
    # the month and the pokok can be paid again; the document cannot be cancelled twice
    deposit_again = Payment(pokok=True, wajib_months=(date(2026, 3, 1),))
    with db.transaction() as s:
        documents.take(s, member_id=shop["member"], paid=deposit_again, tender=Tendered(DocTender.CASH),
                       idempotency_key=str(uuid.uuid4()), outlet_code="TST01", till_id=shop["till"],
                       cashier_id=shop["cashier"], rates=RATES, business_date=DAY, now=NOW)
    with pytest.raises(DocumentError, match="sudah dibatalkan dengan bukti TST01-S-000002"):
        cancel(db, shop, first.id)
    with pytest.raises(DocumentError, match="pembatalan tidak bisa dibatalkan"):
        cancel(db, shop, doc.id)


def test_a_cancellation_is_refused_when_the_sukarela_was_withdrawn_or_no_reason_is_given(db, shop):
    first = deposit(db, shop, 100_000).document
    with pytest.raises(DocumentError, match="alasan pembatalan"):
        cancel(db, shop, first.id, reason="  ")
    with pytest.raises(DocumentError, match=r"Alasan pembatalan terlalu panjang \(paling banyak 200"):
        cancel(db, shop, first.id, reason="x" * 201)   # refused, never cut to fit
    withdraw(db, shop, 60_000)
    with pytest.raises(DocumentError, match=r"tinggal Rp40.000 \(sudah ditarik\)"):
        cancel(db, shop, first.id)
    with db.reading() as s:
        assert s.scalar(select(func.count()).where(MemberDocument.reverses_id.is_not(None))) == 0


def test_cash_is_paid_only_at_a_till_and_the_paper_report_wraps_a_long_line(db, shop):
    deposit(db, shop, 2_000_000)
    office = Actor(shop["manager"], None, RIGHTS[Role.MANAGER])
    with pytest.raises(DocumentError, match="dari laci mesin kasir"):
        withdraw(db, shop, 10_000, actor=office)
    withdraw(db, shop, 1_500_000)
    with db.reading() as s:
        shift = s.scalar(select(Shift.id).where(Shift.till_id == shop["till"]))
        paper = zreport_text.lines(zreport.build(s, shift), outlet_name="Gerai", timezone="Asia/Makassar",
                                   columns=32)
    at = paper.index("  Simpanan keluar tunai")          # the label on its own line, never cut
    assert paper[at + 1].strip() == "-Rp1.500.000" and all(len(line) <= 32 for line in paper)


def test_a_long_line_on_a_members_slip_wraps_whole_and_the_x_paper_names_member_transfers(db, shop):
    from pos.members.accounts.doc_receipt import DocSlip
    slip = DocSlip("TST01-S-000009", NOW, "Kasir", "AGT-1", "Daeng", [("Batal: Simpanan wajib Desember 2026",
                   10_000)], 10_000, DocTender.CASH, 10_000, 0, None, None, True, None, "TST01-S-000001")
    lines = doc_receipt.build(slip, outlet_name="Gerai", timezone="Asia/Makassar", columns=32).lines
    at = lines.index("Batal: Simpanan wajib")   # wrapped at a space, never cut in a word
    assert lines[at + 1] == "Desember 2026" + "Rp10.000".rjust(32 - 13)   # "2026" never alone
    deposit(db, shop, 70_000, Tendered(DocTender.TRANSFER, reference="BRI-5"))
    with db.reading() as s:
        shift = s.scalar(select(Shift.id).where(Shift.till_id == shop["till"]))
        paper = zreport_text.lines(zreport.build(s, shift), outlet_name="Gerai", timezone="Asia/Makassar",
                                   columns=32)
    at = paper.index("Transfer/Debit")
    assert paper[at + 1].startswith("  setoran anggota") and paper[at + 1].endswith("Rp70.000")


def test_a_member_who_left_gets_every_saving_back_in_one_document(db, shop):
    paid = Payment(pokok=True, wajib_months=(date(2026, 1, 1),), sukarela=40_000)
    with db.transaction() as s:
        documents.take(s, member_id=shop["member"], paid=paid, idempotency_key=str(uuid.uuid4()),
                       tender=Tendered(DocTender.TRANSFER, reference="BRI-9"), outlet_code="TST01",
                       till_id=shop["till"], cashier_id=shop["cashier"], rates=RATES, business_date=DAY,
                       now=NOW)

    def settle(actor=None):
        with db.transaction() as s:
            return withdrawals.settle_leaver(s, member_id=shop["member"],
                                             tender=Tendered(DocTender.TRANSFER, reference="BRI-10"),
                                             idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                                             actor=actor or manager(shop), business_date=DAY, now=NOW)

    with pytest.raises(DocumentError, match="masih anggota aktif"):
        settle()
    with db.transaction() as s:
        s.get(Member, shop["member"]).active = False
    with pytest.raises(NeedsApproval) as asked:
        settle(actor=cashier(shop))
    assert asked.value.kind == "savings_leaver"
    assert asked.value.before == "pokok Rp100.000, wajib Rp10.000, sukarela Rp40.000"
    done = settle(actor=cashier(shop, approved=True))
    assert (done.document.total, done.document.withdrawal, done.document.shift_id) == (150_000, True, None)
    assert sorted((li.saving.value, li.amount) for li in done.lines) == [
        ("pokok", 100_000), ("sukarela", 40_000), ("wajib", 10_000)]
    with db.reading() as s:
        assert savings.summary(s, shop["member"], DAY).as_dict() == {"pokok": 0, "wajib": 0, "sukarela": 0}
        lines = day_journal(s, DAY, zone="Asia/Makassar", chart=charts.chart())
    out = {li.account: li.debit for li in lines if li.memo.startswith("Penarikan") and li.debit}
    chart = charts.chart()
    assert out == {chart("savings:pokok")[0]: 100_000, chart("savings:wajib")[0]: 10_000,
                   chart("savings:sukarela")[0]: 40_000}
    with pytest.raises(DocumentError, match="tidak punya simpanan"):
        settle()


def test_a_member_who_left_owing_kasbon_repays_it_before_the_savings_come_back(db, shop):
    deposit(db, shop, 50_000)
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 100_000, shop["manager"], today=DAY)
        credit.charge(s, member_id=shop["member"], amount=20_000, sale_id=make_sale(
            s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=20_000).id,
            user_id=shop["cashier"], business_date=DAY, now=NOW)
        s.get(Member, shop["member"]).active = False
    with db.transaction() as s, pytest.raises(DocumentError, match="masih berutang kasbon Rp20.000"):
        withdrawals.settle_leaver(s, member_id=shop["member"], tender=CASH_OUT,
                                  idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                                  actor=manager(shop), business_date=DAY, now=NOW)


def test_a_withdrawal_slip_keeps_whole_labels_beside_millions():
    """"Sisa simpanan sukarela" beside Rp1.250.000 was cut to "Sisa simpanan sukare" on 32
    columns (and "Transfer ke rekening" beside Rp12.500.000): the amount goes under it."""
    from pos.members.accounts.doc_receipt import DocSlip
    slip = DocSlip("TST01-S-000010", NOW, "Kasir", "AGT-1", "Daeng", [("Simpanan sukarela", 12_500_000)],
                   12_500_000, DocTender.TRANSFER, 12_500_000, 0, None, None, True, 1_250_000)
    lines = doc_receipt.build(slip, outlet_name="Gerai", timezone="Asia/Makassar", columns=32).lines
    assert all(len(line) <= 32 for line in lines)
    for label, amount in (("Sisa simpanan sukarela", "Rp1.250.000"),
                          ("Transfer ke rekening", "Rp12.500.000")):
        at = lines.index(label)
        assert lines[at + 1].strip() == amount
