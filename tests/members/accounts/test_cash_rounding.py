"""Cash at the savings counter moves in whole coins (``POS_CASH_ROUNDING``), as a sale's and a
refund's cash does: the member's savings and kasbon move by the lines, the drawer by the rounded
money, and the shift's figures, the day's money, the journal and the slip count the difference."""
from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from pos import chart as charts
from pos.closing import export
from pos.ledger.journal import day_journal
from pos.members.accounts import credit, doc_receipt, documents, savings, withdrawals
from pos.members.accounts.documents import DocumentError, Payment, Tendered
from pos.members.accounts.models import DocTender, MemberDocument
from pos.members.models import Member
from pos.reports.day_full import full_summary
from pos.reports.day_money import member_payments
from tests.members.accounts.conftest import make_sale
from tests.members.accounts.test_withdrawals import (
    DAY,
    NOW,
    RATES,
    cancel,
    cashier,
    held,
    manager,
    shift_cash,
    withdraw,
)

COIN = 100
CASH = Tendered(DocTender.CASH, coin=COIN)
BANK = Tendered(DocTender.TRANSFER, reference="BRI 5", coin=COIN)


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
    owing(db, shop, 12_345)                                            # Rp236.560 + Rp12.345 owed, paid off
    doc = take(db, shop, Payment(repayment=248_905), Tendered(DocTender.CASH, 249_000, coin=COIN)).document
    assert (doc.total, doc.rounding, doc.tendered, doc.change) == (248_905, -5, 249_000, 100)


@pytest.mark.parametrize(("paid", "nearest"), [
    (Payment(sukarela=50), "Rp100"),
    (Payment(sukarela=12_345), r"Rp12\.300 atau Rp12\.400"),
    (Payment(wajib_months=(DAY.replace(day=1),), sukarela=10_050), r"Rp10\.000 atau Rp10\.100")])
def test_sukarela_in_cash_that_no_coin_makes_is_refused_and_changes_nothing(db, shop, paid, nearest):
    """The member chooses the sukarela: Rp50 in cash was saved as "Rp50 (tunai Rp100, pembulatan
    Rp50)", the member handing over Rp100 to be credited Rp50; it is refused as Uang diterima is."""
    typed = r"\.".join(f"{paid.sukarela:,}".split(","))
    with pytest.raises(DocumentError, match=rf"^Simpanan sukarela Rp{typed} tidak bisa dibayar dengan uang "
                                            rf"tunai: pecahan terkecil di laci Rp100\. Tulis {nearest}\.$"):
        take(db, shop, paid)
    with pytest.raises(DocumentError, match="Simpanan sukarela"):      # cash handed over too
        take(db, shop, paid, Tendered(DocTender.CASH, 20_000, coin=COIN))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MemberDocument)) == 0
        assert savings.summary(s, shop["member"], DAY).sukarela == 0
    doc = take(db, shop, paid, Tendered(DocTender.TRANSFER, reference="BRI 7", coin=COIN)).document
    assert (doc.total, doc.rounding) == (paid.sukarela + 10_000 * len(paid.wajib_months), 0)


def test_what_the_member_owes_is_still_taken_in_cash_to_the_nearest_coin(db, shop):
    """A kasbon of Rp10.050 is owed, not chosen: paid off in cash it is rounded (Rp10.100), and
    a sukarela in whole coins beside it moves the total's rounding not at all."""
    owing(db, shop, 10_050)
    doc = take(db, shop, Payment(sukarela=5_000, repayment=10_050)).document
    assert (doc.total, doc.rounding, doc.paid) == (15_050, 50, 15_100)
    with db.reading() as s:
        assert credit.available(s, shop["member"])[1] == 0
        assert savings.summary(s, shop["member"], DAY).sukarela == 5_000


@pytest.mark.parametrize(("owed", "typed", "nearest"), [
    (26_600, 10_050, r"Tulis Rp10\.000 atau Rp10\.100\."),
    (10_080, 10_050, r"Tulis Rp10\.000, atau lunasi Rp10\.080\."),
    (26_600, 50, r"Tulis Rp100\.")])
def test_a_cash_repayment_below_the_kasbon_that_no_coin_makes_is_refused(db, shop, owed, typed, nearest):
    """Rp10.050 of a Rp26.600 kasbon in cash was saved as "Rp10.050 (tunai Rp10.100, pembulatan
    Rp50)": the member handed over Rp10.100 and the kasbon fell by Rp10.050. Only the whole
    kasbon is owed (and rounded); a part the member chooses is whole coins or refused."""
    owing(db, shop, owed)
    typed_rp = r"\.".join(f"{typed:,}".split(","))
    with pytest.raises(DocumentError, match=rf"^Angsuran kasbon Rp{typed_rp} tidak bisa dibayar dengan uang "
                                            rf"tunai: pecahan terkecil di laci Rp100\. {nearest}$"):
        take(db, shop, Payment(repayment=typed))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MemberDocument)) == 0
        assert credit.available(s, shop["member"])[1] == owed
    doc = take(db, shop, Payment(repayment=100)).document               # whole coins: as typed
    assert (doc.total, doc.rounding, doc.paid) == (100, 0, 100)
    doc = take(db, shop, Payment(repayment=owed - 150), BANK).document  # a bank moves every Rupiah
    assert (doc.total, doc.rounding) == (owed - 150, 0)
    doc = take(db, shop, Payment(repayment=50)).document                # the rest, paid off: rounded
    assert (doc.total, doc.rounding, doc.paid) == (50, 50, 100)


def test_qris_and_transfer_move_to_the_rupiah(db, shop):
    for tender in (Tendered(DocTender.QRIS, coin=COIN),
                   Tendered(DocTender.TRANSFER, reference="BRI 1", coin=COIN)):
        doc = take(db, shop, Payment(sukarela=12_345), tender).document
        assert (doc.total, doc.rounding, doc.paid) == (12_345, 0, 12_345)


def test_no_coin_set_moves_every_rupiah(db, shop):
    doc = take(db, shop, Payment(sukarela=12_345), Tendered(DocTender.CASH)).document
    assert (doc.rounding, doc.paid, doc.tendered) == (0, 12_345, 12_345)


def test_a_cash_withdrawal_that_no_coin_makes_is_refused_before_a_manager_is_asked(db, shop):
    """The member chooses what to take out: 10.050 asked a manager for "dibayar tunai Rp10.100
    (pembulatan)"; it is refused as a Kas keluar is (nothing written, no dialog), a transfer not."""
    take(db, shop, Payment(sukarela=300_000))
    drawer = shift_cash(db, shop).expected["cash"]
    refused = (r"^Penarikan Rp10\.050 tidak bisa dibayar dengan uang tunai: pecahan terkecil di laci "
               r"Rp100\. Tulis Rp10\.000 atau Rp10\.100\.$")
    with pytest.raises(DocumentError, match=refused):
        withdraw(db, shop, 10_050, actor=cashier(shop), tender=CASH)   # no NeedsApproval first
    assert held(db, shop) == 300_000 and shift_cash(db, shop).expected["cash"] == drawer
    doc = withdraw(db, shop, 10_050, tender=BANK).document
    assert (doc.total, doc.rounding, doc.paid) == (10_050, 0, 10_050)
    assert held(db, shop) == 300_000 - 10_050


def test_a_leavers_savings_are_paid_in_whole_coins_and_the_member_holds_nothing(db, shop):
    """What a leaver holds is not chosen: Rp62.550 given back in cash pays Rp62.600."""
    take(db, shop, Payment(sukarela=12_550), BANK)
    take(db, shop, Payment(sukarela=50_000))
    take(db, {**shop, "member": shop["other"]}, Payment(sukarela=100_000))   # the drawer's cash
    with db.transaction() as s:
        s.get(Member, shop["member"]).active = False
    drawer = shift_cash(db, shop).expected["cash"]
    with db.transaction() as s:
        doc = withdrawals.settle_leaver(s, member_id=shop["member"], tender=CASH,
                                        idempotency_key=str(uuid.uuid4()), outlet_code="TST01",
                                        actor=manager(shop), business_date=DAY, now=NOW).document
    assert (doc.total, doc.rounding, doc.paid, doc.tendered) == (62_550, 50, 62_600, 62_600)
    assert held(db, shop) == 0
    assert shift_cash(db, shop).expected["cash"] == drawer - 62_600
    with db.reading() as s:
        slip = documents.slip(s, doc.id)
    text = "\n".join(doc_receipt.build(slip, outlet_name="Gerai", timezone="Asia/Makassar", columns=32).lines)
    assert "TOTAL" in text and "Pembulatan" in text and "Rp50" in text
    assert [li for li in text.splitlines() if li.startswith("Dibayar tunai")][0].endswith("Rp62.600")


def test_a_cancellation_gives_back_or_takes_back_the_same_coins(db, shop):
    owing(db, shop, 12_560)
    first = take(db, shop, Payment(repayment=12_560)).document       # Rp12.600 taken
    back = cancel(db, shop, first.id, tender=CASH).document
    assert (back.total, back.rounding, back.paid) == (12_560, 40, 12_600)
    take(db, shop, Payment(sukarela=100_000))
    out = withdraw(db, shop, 12_550, tender=BANK).document            # the member's Rp12.550 ...
    again = cancel(db, shop, out.id, tender=CASH).document             # ... brought back as Rp12.600
    assert (again.withdrawal, again.total, again.rounding, again.paid, again.tendered) == (
        False, 12_550, 50, 12_600, 12_600)
    assert held(db, shop) == 100_000


def test_the_day_money_and_the_journal_book_the_rounding(db, shop):
    with db.transaction() as s:                                       # owed from the paper books
        credit.adjust(s, member_id=shop["member"], amount=12_560, user_id=shop["manager"], note="buku lama",
                      business_date=DAY, now=NOW)
    take(db, shop, Payment(repayment=12_560))                         # +40 to the cooperative
    take(db, shop, Payment(sukarela=50_000))
    first = take(db, shop, Payment(sukarela=12_550), BANK).document
    cancel(db, shop, first.id, tender=CASH)                           # -50: paid Rp12.600
    with db.reading() as s:
        cash = member_payments(s, DAY)["cash"]
        left = savings.summary(s, shop["member"], DAY).sukarela
        day = full_summary(s, DAY, zone="Asia/Makassar")
    assert (cash["rounding"], cash["total"]) == (-10, 12_600 + 50_000 - 12_600)
    assert (cash["savings"], cash["repayments"], cash["cancelled"]) == (50_000, 12_560, 12_550)
    assert left == 50_000
    sums = journal(db)
    cash_account, rounding_account = charts.chart()("cash")[0], charts.chart()("rounding")[0]
    assert sums[cash_account] == [12_600 + 50_000, 12_600]
    assert sums[rounding_account] == [50, 40]
    assert sums["213100"] == [12_550, 62_550]                        # simpanan sukarela, to the Rupiah
    rows = {r["item"]: r["amount"] for r in export.lines(day) if r["section"] == "Simpanan & angsuran"}
    assert rows["Pembulatan tunai (Tunai)"] == -10                  # the closed day's rows say it too
