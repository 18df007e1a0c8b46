"""Savings and repayment documents: rules, numbering, idempotency; never sales."""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos.errors import PosError
from pos.members.accounts import credit, documents, overview, savings
from pos.members.accounts.documents import DocumentError, Payment, Tendered
from pos.members.accounts.models import CreditEntry, DocTender, DocumentLine, MemberDocument
from pos.reports.day import day_summary
from tests.members.accounts.conftest import make_sale

DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 3, 0)
RATES = savings.Rates(pokok=100_000, wajib=10_000, wajib_ahead=12)
CASH = Tendered(DocTender.CASH, 1_000_000)


def take(db, shop, paid, tender=CASH, key=None, member=None):
    with db.transaction() as s:
        return documents.take(s, member_id=member or shop["member"], paid=paid, tender=tender,
                              idempotency_key=key or str(uuid.uuid4()), outlet_code="TST01",
                              till_id=shop["till"], cashier_id=shop["cashier"], rates=RATES,
                              business_date=DAY, now=NOW)


def count(db, model):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_savings_document_with_pokok_wajib_months_and_sukarela(db, shop):
    months = (date(2026, 1, 1), date(2026, 2, 1))
    done = take(db, shop, Payment(pokok=True, wajib_months=months, sukarela=25_000),
                Tendered(DocTender.CASH, 150_000))
    doc = done.document
    assert (doc.doc_no, doc.total, doc.tendered, doc.change) == ("TST01-S-000001", 145_000, 150_000, 5_000)
    assert [documents.line_label(li) for li in done.lines] == [
        "Simpanan pokok", "Simpanan wajib Januari 2026", "Simpanan wajib Februari 2026", "Simpanan sukarela"]
    with db.reading() as s:
        summary = savings.summary(s, shop["member"], DAY)
    assert summary.as_dict() == {"pokok": 100_000, "wajib": 20_000, "sukarela": 25_000}
    assert summary.months_unpaid[0] == date(2026, 3, 1) and len(summary.months_unpaid) == 9  # Mar..Nov


def test_pokok_once_wajib_months_once_and_within_membership(db, shop):
    take(db, shop, Payment(pokok=True, wajib_months=(date(2026, 3, 1),)))
    with pytest.raises(DocumentError, match="pokok anggota ini sudah lunas"):
        take(db, shop, Payment(pokok=True))
    with pytest.raises(DocumentError, match="Maret 2026 sudah dibayar"):
        take(db, shop, Payment(wajib_months=(date(2026, 3, 1),)))
    with pytest.raises(DocumentError, match="di luar masa keanggotaan"):
        take(db, shop, Payment(wajib_months=(date(2025, 12, 1),)))       # before joining (Jan 2026)
    with pytest.raises(DocumentError, match="di luar masa keanggotaan"):
        take(db, shop, Payment(wajib_months=(date(2027, 12, 1),)))       # more than 12 months ahead
    with pytest.raises(DocumentError, match="dua kali"):
        take(db, shop, Payment(wajib_months=(date(2026, 4, 1), date(2026, 4, 1))))
    take(db, shop, Payment(wajib_months=(date(2027, 11, 1),)))           # 12 ahead is allowed
    assert count(db, MemberDocument) == 2


def test_bad_input_changes_nothing(db, shop):
    bad = [(Payment(), CASH, None, "Pilih yang dibayar"),
           (Payment(sukarela=-5), CASH, None, "lebih dari nol"),
           (Payment(sukarela=50_000), Tendered(DocTender.CASH, 49_999), None, "kurang dari total"),
           (Payment(sukarela=50_000), Tendered(DocTender.TRANSFER, reference="  "), None,
            "Referensi bank wajib"),
           # the till's rule: 3 to 64 characters, never cut to fit
           (Payment(sukarela=50_000), Tendered(DocTender.TRANSFER, reference="a"), None,
            "Referensi bank tidak sah"),
           (Payment(sukarela=50_000), Tendered(DocTender.TRANSFER, reference="R" * 65), None, "tidak sah"),
           (Payment(sukarela=50_000), Tendered(DocTender.QRIS, reference="R" * 65), None, "tidak sah"),
           (Payment(sukarela=50_000), CASH, "x", "Kunci transaksi"),
           # cash handed over with a transfer (a stale form): refused, never dropped as it was
           (Payment(sukarela=40_000), Tendered(DocTender.TRANSFER, 50_000, "BRI 1"), None,
            r"^Uang diterima Rp50\.000 hanya untuk Tunai, bukan Transfer/Debit: tidak ada yang disimpan\."),
           (Payment(sukarela=40_000), Tendered(DocTender.QRIS, 0), None, "Rp0 hanya untuk Tunai"),
           (Payment(repayment=1), CASH, None, "melebihi sisa kasbon")]
    for paid, tender, key, problem in bad:
        with pytest.raises(PosError, match=problem):
            take(db, shop, paid, tender, key=key)
    with pytest.raises(PosError, match="tidak ditemukan"):
        take(db, shop, Payment(sukarela=1_000), member=999_999)
    assert count(db, MemberDocument) == count(db, DocumentLine) == count(db, CreditEntry) == 0
    done = take(db, shop, Payment(sukarela=1_000))
    assert done.document.doc_no == "TST01-S-000001"     # no number was used up by the refusals


def test_repayment_document_lowers_the_balance_and_is_never_above_it(db, shop):
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 200_000, shop["manager"])
        sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"],
                         total=80_000, member=shop["member"], member_sale=True)
        credit.charge(s, member_id=shop["member"], amount=80_000, sale_id=sale.id,
                      user_id=shop["cashier"], business_date=DAY, now=NOW)
    with pytest.raises(credit.CreditError, match=r"melebihi sisa kasbon \(Rp80\.000\)"):
        take(db, shop, Payment(repayment=80_001), Tendered(DocTender.QRIS))
    done = take(db, shop, Payment(repayment=30_000), Tendered(DocTender.TRANSFER, reference="BRI 123"))
    assert (done.balance, done.document.tendered, done.document.reference) == (50_000, 30_000, "BRI 123")
    with db.reading() as s:
        seen = overview.of(s, shop["member"], DAY)
        entries = s.scalar(select(func.sum(CreditEntry.amount))
                           .where(CreditEntry.member_id == shop["member"]))
    assert (seen.balance, seen.available, entries) == (50_000, 150_000, 50_000)


def test_a_repayment_above_what_is_owed_says_so_before_the_cash_handed_over(db, shop):
    """Angsuran Rp200.000 of Rp188.370 owed, Rp190.000 handed over: "Uang diterima kurang dari total
    Rp200.000" sent the cashier to count more money for a repayment that could never be taken."""
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 500_000, shop["manager"])
        sale = make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"],
                         total=188_370, member=shop["member"], member_sale=True)
        credit.charge(s, member_id=shop["member"], amount=188_370, sale_id=sale.id,
                      user_id=shop["cashier"], business_date=DAY, now=NOW)
    for tender in (Tendered(DocTender.CASH, 190_000, coin=100), Tendered(DocTender.CASH, 190_000),
                   Tendered(DocTender.CASH)):
        with pytest.raises(PosError, match=r"^Angsuran melebihi sisa kasbon \(Rp188\.370\)\.$"):
            take(db, shop, Payment(repayment=200_000), tender)
    assert count(db, MemberDocument) == 0
    done = take(db, shop, Payment(repayment=188_370), Tendered(DocTender.CASH, 190_000, coin=100))
    assert (done.balance, done.document.change) == (0, 1_600)   # Rp188.400 due in coins


def test_a_double_click_makes_one_document(db, shop):
    key = str(uuid.uuid4())
    first = take(db, shop, Payment(sukarela=10_000), key=key)
    again = take(db, shop, Payment(sukarela=10_000), key=key)
    assert (first.created, again.created) == (True, False)
    assert again.document.id == first.document.id and again.document.total == 10_000
    assert count(db, MemberDocument) == 1


def test_numbers_are_gap_free_across_tills_at_once_and_a_shared_key_makes_one(db, shop):
    keys = [str(uuid.uuid4()) for _ in range(5)] + ["same-key-123"] * 3
    start, errors = threading.Barrier(len(keys)), []

    def till(key):
        start.wait()
        try:
            take(db, shop, Payment(sukarela=1_000), key=key)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=till, args=(k,)) for k in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with db.reading() as s:
        numbers = sorted(s.scalars(select(MemberDocument.seq_no)))
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_a_form_sent_again_makes_one_document_and_a_changed_one_is_refused(db, shop):
    """The same key with another member, amount or tender answered "Tersimpan" with the first
    document: the cashier took Rp5.000 that no document holds."""
    key, months = str(uuid.uuid4()), (date(2026, 2, 1), date(2026, 1, 1))
    first = take(db, shop, Payment(wajib_months=months, sukarela=1_000), key=key)
    again = take(db, shop, Payment(wajib_months=months[::-1], sukarela=1_000), key=key)
    assert (again.document.doc_no, again.created) == (first.document.doc_no, False)
    for changed in (dict(paid=Payment(wajib_months=months, sukarela=5_000)),
                    dict(paid=Payment(wajib_months=months[:1], sukarela=1_000)),
                    dict(paid=Payment(wajib_months=months, sukarela=1_000), member=shop["other"]),
                    dict(paid=Payment(wajib_months=months, sukarela=1_000),
                         tender=Tendered(DocTender.TRANSFER, reference="REF-0001"))):
        with pytest.raises(DocumentError, match="sudah dipakai untuk bukti TST01-S-000001") as refused:
            take(db, shop, key=key, **changed)
        assert refused.value.status == 409
    assert count(db, MemberDocument) == 1 and count(db, DocumentLine) == 3


def test_documents_never_appear_in_the_day_sales_totals(db, shop):
    with db.reading() as s:
        before = day_summary(s, DAY)
    take(db, shop, Payment(pokok=True, sukarela=50_000))
    with db.reading() as s:
        after = day_summary(s, DAY)
    assert after == before
    assert after["total"] == 0 and after["sale_count"] == 0
