"""Cash at the savings counter moves in whole coins (``POS_CASH_ROUNDING``), as a sale's and a
refund's cash does: the member's savings and kasbon move by the lines, the drawer by the rounded
money, and the shift's figures, the day's money, the journal and the slip count the difference."""
from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from pos.closing import export
from pos.ledger import chart as charts
from pos.ledger.journal import day_journal
from pos.members.accounts import credit, doc_receipt, documents, savings
from pos.members.accounts.documents import DocumentError, Payment, Tendered
from pos.members.accounts.models import DocTender, MemberDocument
from pos.reports.day_full import full_summary
from pos.reports.day_money import member_payments
from tests.members.accounts.conftest import make_sale
from tests.members.accounts.test_withdrawals import DAY, NOW, RATES, cancel, held, shift_cash, withdraw

COIN = 100
CASH = Tendered(DocTender.CASH, coin=COIN)


def owing(db, shop, amount):
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 1_000_000, shop["manager"], today=DAY)
        credit.charge(s, member_id=shop["member"], amount=amount, sale_id=make_sale(
            s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=amount).id,
            user_id=shop["cashier"], business_date=DAY, now=NOW)


def take(db, shop, paid, tender=CASH):
    with db.transaction() as s:
        return documents.take(s, member_id=shop["member"], paid=paid, tender=tender,
                              idempotency_key=str(uuid.uuid4()), outlet_code="TST01", till_id=shop["till"],
                              cashier_id=shop["cashier"], rates=RATES, business_date=DAY, now=NOW)


def journal(db):
    sums = defaultdict(lambda: [0, 0])
    with db.reading() as s:
        lines = day_journal(s, DAY, zone="Asia/Makassar", chart=charts.chart())
    for line in lines:
        sums[line.account][0] += line.debit
        sums[line.account][1] += line.credit
    assert sum(li.debit for li in lines) == sum(li.credit for li in lines)
    return sums


@pytest.mark.parametrize(("owed", "due"), [(236_560, 236_600), (236_540, 236_500), (236_550, 236_600)])
def test_a_cash_repayment_is_taken_in_whole_coins_and_the_kasbon_falls_by_the_lines(db, shop, owed, due):
    owing(db, shop, owed)
    drawer = shift_cash(db, shop).expected["cash"]
    doc = take(db, shop, Payment(repayment=owed)).document
    assert (doc.total, doc.rounding, doc.paid, doc.tendered, doc.change) == (owed, due - owed, due, due, 0)
    with db.reading() as s:
        assert credit.available(s, shop["member"])[1] == 0          # Lunasi leaves nothing owed
    assert shift_cash(db, shop).expected["cash"] == drawer + due     # what the drawer really took
    assert shift_cash(db, shop).expected["cash"] % COIN == 0


def test_cash_handed_over_is_checked_against_the_rounded_money_and_bad_cash_changes_nothing(db, shop):
    owing(db, shop, 236_560)
    with pytest.raises(DocumentError, match=r"kurang dari total Rp236\.600 \(dibulatkan dari Rp236\.560\)"):
        take(db, shop, Payment(repayment=236_560), Tendered(DocTender.CASH, 236_560, coin=COIN))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MemberDocument)) == 0
    doc = take(db, shop, Payment(repayment=236_560), Tendered(DocTender.CASH, 300_000, coin=COIN)).document
    assert (doc.tendered, doc.change, doc.rounding) == (300_000, 63_400, 40)   # not Kembali Rp63.440


def test_cash_handed_over_that_no_coin_makes_is_refused_and_changes_nothing(db, shop):
    """Rp236.650 typed for Rp236.600 due would give Kembali Rp50, which no drawer of Rp100 coins has."""
    owing(db, shop, 236_560)
    with pytest.raises(DocumentError, match=r"^Uang diterima Rp236\.650 tidak bisa dibayar dengan uang "
                                            r"tunai: pecahan terkecil di laci Rp100\. Tulis Rp236\.600 "
                                            r"atau Rp236\.700\.$"):
        take(db, shop, Payment(repayment=236_560), Tendered(DocTender.CASH, 236_650, coin=COIN))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MemberDocument)) == 0
        assert credit.available(s, shop["member"])[1] == 236_560
    doc = take(db, shop, Payment(sukarela=12_345), Tendered(DocTender.CASH, 12_400, coin=COIN)).document
    assert (doc.total, doc.rounding, doc.tendered, doc.change) == (12_345, -45, 12_400, 100)


def test_qris_and_transfer_move_to_the_rupiah(db, shop):
    for tender in (Tendered(DocTender.QRIS, coin=COIN),
                   Tendered(DocTender.TRANSFER, reference="BRI 1", coin=COIN)):
        doc = take(db, shop, Payment(sukarela=12_345), tender).document
        assert (doc.total, doc.rounding, doc.paid) == (12_345, 0, 12_345)


def test_no_coin_set_moves_every_rupiah(db, shop):
    doc = take(db, shop, Payment(sukarela=12_345), Tendered(DocTender.CASH)).document
    assert (doc.rounding, doc.paid, doc.tendered) == (0, 12_345, 12_345)


def test_a_withdrawal_pays_whole_coins_and_the_member_holds_the_lines_less(db, shop):
    take(db, shop, Payment(sukarela=300_000))
    drawer = shift_cash(db, shop).expected["cash"]
    doc = withdraw(db, shop, 12_550, tender=CASH).document
    assert (doc.total, doc.rounding, doc.paid, doc.tendered) == (12_550, 50, 12_600, 12_600)
    assert held(db, shop) == 300_000 - 12_550
    assert shift_cash(db, shop).expected["cash"] == drawer - 12_600
    with db.reading() as s:
        slip = documents.slip(s, doc.id)
    text = "\n".join(doc_receipt.build(slip, outlet_name="Gerai", timezone="Asia/Makassar", columns=32).lines)
    assert "TOTAL" in text and "Pembulatan" in text and "Rp50" in text
    assert [li for li in text.splitlines() if li.startswith("Dibayar tunai")][0].endswith("Rp12.600")


def test_a_cancellation_gives_back_or_takes_back_the_same_coins(db, shop):
    first = take(db, shop, Payment(sukarela=12_560)).document       # Rp12.600 taken
    back = cancel(db, shop, first.id, tender=CASH).document
    assert (back.total, back.rounding, back.paid) == (12_560, 40, 12_600)
    take(db, shop, Payment(sukarela=100_000))
    out = withdraw(db, shop, 12_550, tender=CASH).document            # Rp12.600 paid
    again = cancel(db, shop, out.id, tender=CASH).document
    assert (again.withdrawal, again.total, again.rounding, again.paid, again.tendered) == (
        False, 12_550, 50, 12_600, 12_600)
    assert held(db, shop) == 100_000


def test_the_day_money_and_the_journal_book_the_rounding(db, shop):
    take(db, shop, Payment(sukarela=12_560))                          # +40 to the cooperative
    take(db, shop, Payment(sukarela=50_000))
    withdraw(db, shop, 12_550, tender=CASH)                           # -50: paid Rp12.600
    with db.reading() as s:
        cash = member_payments(s, DAY)["cash"]
        left = savings.summary(s, shop["member"], DAY).sukarela
        day = full_summary(s, DAY, zone="Asia/Makassar")
    assert (cash["rounding"], cash["total"]) == (-10, 12_600 + 50_000 - 12_600)
    assert (cash["savings"], cash["withdrawals"]) == (62_560, 12_550)
    assert left == 62_560 - 12_550
    sums = journal(db)
    cash_account, rounding_account = charts.chart()("cash")[0], charts.chart()("rounding")[0]
    assert sums[cash_account] == [12_600 + 50_000, 12_600]
    assert sums[rounding_account] == [50, 40]
    assert sums["213100"] == [12_550, 62_560]                        # simpanan sukarela, to the Rupiah
    rows = {r["item"]: r["amount"] for r in export.lines(day) if r["section"] == "Simpanan & angsuran"}
    assert rows["Pembulatan tunai (Tunai)"] == -10                  # the closed day's rows say it too
