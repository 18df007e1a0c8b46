"""A withdrawal taken by mistake is cancelled: the member brings the money back, and every reader
(savings, the drawer, the day's money, the journal, SIMKOPDES, the slip) counts it as received."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from pos import chart as charts
from pos.approvals.models import Override
from pos.approvals.service import NeedsApproval
from pos.ledger.journal import day_journal
from pos.ledger.simkopdes import saving_rows
from pos.members.accounts import doc_receipt, documents, savings, withdrawals
from pos.members.accounts.documents import DocumentError, Payment, Tendered
from pos.members.accounts.models import DocTender
from pos.members.models import Member
from pos.reports.day_money import member_payments
from tests.members.accounts.test_withdrawals import (
    CASH_OUT,
    DAY,
    NOW,
    RATES,
    cancel,
    cashier,
    deposit,
    held,
    manager,
    shift_cash,
    withdraw,
)


def test_a_withdrawal_cancelled_brings_the_money_back_and_the_savings_as_before(db, shop):
    deposit(db, shop, 300_000)
    first = withdraw(db, shop, 120_000).document
    drawer_before = shift_cash(db, shop).expected["cash"]
    with pytest.raises(NeedsApproval) as asked:
        cancel(db, shop, first.id, actor=cashier(shop), reason="Salah anggota")
    assert asked.value.kind == "savings_cancel"
    assert asked.value.what.startswith(f"Pembatalan penarikan {first.doc_no}")
    assert asked.value.before == "Penarikan simpanan sukarela Rp120.000"
    assert asked.value.after == "diterima kembali Rp120.000 (tunai); sukarela menjadi Rp300.000"
    done = cancel(db, shop, first.id, actor=cashier(shop, approved=True), reason="Salah anggota")
    doc = done.document
    assert (doc.reverses_id, doc.withdrawal, doc.total, doc.tendered, doc.change) == (
        first.id, False, 120_000, 120_000, 0)
    assert held(db, shop) == 300_000
    f = shift_cash(db, shop)
    assert f.expected["cash"] == drawer_before + 120_000
    with db.reading() as s:
        paid = member_payments(s, DAY)["cash"]
        rows = saving_rows(s, DAY, DAY, "KOP", "Asia/Makassar")
        lines = day_journal(s, DAY, zone="Asia/Makassar", chart=charts.chart())
        slip = documents.slip(s, doc.id)
        log = s.scalar(select(Override).where(Override.kind == "savings_cancel"))
    assert (paid["total"], paid["withdrawals"], paid["cancelled"]) == (300_000, 120_000, 0)
    assert (paid["documents"], paid["savings"]) == (2, 420_000)
    assert [(r["jumlah_simpanan"], r["status"]) for r in rows] == [
        (300_000, "PAID"), (-120_000, "WITHDRAWN"), (120_000, "CANCELLED")]
    chart = charts.chart()
    back = [li for li in lines if li.memo == "Pembatalan penarikan simpanan sukarela"]
    assert {(li.account, li.debit, li.credit) for li in back} == {
        (chart("cash")[0], 120_000, 0), (chart("savings:sukarela")[0], 0, 120_000)}
    assert sum(li.debit for li in lines) == sum(li.credit for li in lines)
    text = doc_receipt.build(slip, outlet_name="Gerai", timezone="Asia/Makassar", columns=32).text
    assert "BUKTI PEMBATALAN PENARIKAN" in text and f"Membatalkan: {first.doc_no}" in text
    assert "Batal penarikan sukarela" in text and "Diterima oleh anggota" not in text
    # the sukarela held again, not the kasbon (the slip said "Sisa kasbon" and nothing of it)
    assert re.search(r"Sisa simpanan sukarela\s+Rp300\.000", text) and "Sisa kasbon" not in text
    assert slip.what == "Pembatalan penarikan"
    assert log.description == f"Pembatalan penarikan {first.doc_no} dengan {doc.doc_no}, " \
                              f"{shop['member_no']}: Salah anggota"
    # once only; the cancellation itself cannot be cancelled; the same key gives the same document
    with pytest.raises(DocumentError, match=f"sudah dibatalkan dengan bukti {doc.doc_no}"):
        cancel(db, shop, first.id)
    with pytest.raises(DocumentError, match="pembatalan tidak bisa dibatalkan"):
        cancel(db, shop, doc.id)


def test_a_leavers_settlement_cancelled_by_transfer_gives_back_every_saving_and_refuses_qris(db, shop):
    with db.transaction() as s:
        documents.take(s, member_id=shop["member"], paid=Payment(pokok=True, sukarela=40_000),
                       tender=Tendered(DocTender.CASH), idempotency_key=str(uuid.uuid4()),
                       outlet_code="TST01", till_id=shop["till"], cashier_id=shop["cashier"], rates=RATES,
                       business_date=DAY, now=NOW)
        s.get(Member, shop["member"]).active = False
    with db.transaction() as s:
        settled = withdrawals.settle_leaver(s, member_id=shop["member"], tender=CASH_OUT,
                                            idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                                            actor=manager(shop), business_date=DAY, now=NOW).document
    for tender, message in ((Tendered(DocTender.QRIS), "bukan QRIS"),
                            (Tendered(DocTender.TRANSFER), "Referensi bank wajib diisi")):
        with pytest.raises(DocumentError, match=message):
            cancel(db, shop, settled.id, tender=tender)
    key = str(uuid.uuid4())
    done = cancel(db, shop, settled.id, tender=Tendered(DocTender.TRANSFER, reference="BRI-77"), key=key)
    assert (done.document.tender, done.document.reference, done.document.total) == (
        DocTender.TRANSFER, "BRI-77", 140_000)
    again = cancel(db, shop, settled.id, tender=Tendered(DocTender.TRANSFER, reference="BRI-77"), key=key)
    assert (again.created, again.document.id) == (False, done.document.id)
    with db.reading() as s:
        summary = savings.summary(s, shop["member"], DAY)
        assert summary.as_dict() == {"pokok": 100_000, "wajib": 0, "sukarela": 40_000}
        assert savings.pokok_held(s, shop["member"])
        assert member_payments(s, DAY)["transfer"]["total"] == 140_000
