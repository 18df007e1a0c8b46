"""Returns against a receipt: stock back to the right batch or written off, the refund and its
tender, the guard against returning more than was sold, approval, numbering, booking day."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override
from pos.approvals.service import NeedsApproval
from pos.auth.models import User
from pos.days.models import BusinessDay
from pos.days.service import DayClosed
from pos.inventory import stock
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.members.accounts import credit, statements
from pos.members.accounts.models import CreditEntry
from pos.returns.amounts import share, split
from pos.returns.models import ReturnRefund, SaleReturn, SaleReturnBatch, SaleReturnLine
from pos.returns.service import RefundTo, ReturnError, Wanted
from pos.sales import checkout
from pos.sales.models import PaymentMethod, SaleLine
from tests.factories import shift_of_day
from tests.returns.conftest import (
    DAY,
    MEDICINE,
    NOW,
    SOAP,
    cashier,
    give_back,
    line_ids,
    manager,
    sell,
)


def on_hand(db, product_id):
    with db.reading() as s:
        return stock.on_hand(s, product_id)


def batches(db, product_id):
    with db.reading() as s:
        return dict(s.execute(select(Batch.batch_no, Batch.on_hand)
                              .where(Batch.product_id == product_id)).all())


def test_a_return_puts_a_batch_tracked_good_back_into_the_batches_the_sale_took(db, shop):
    sale = sell(db, shop, (MEDICINE, 5))   # FEFO: 3 from the early batch, 2 from B-2028
    name_a = next(n for n in batches(db, shop["medicine"]) if n.startswith("AWAL"))
    assert batches(db, shop["medicine"]) == {name_a: 0, "B-2028": 8}
    line = line_ids(db, sale.id)[0]
    done = give_back(db, manager(shop), sale.id, Wanted(line, 4))
    assert batches(db, shop["medicine"]) == {name_a: 3, "B-2028": 9}
    assert on_hand(db, shop["medicine"]) == 12
    give_back(db, manager(shop), sale.id, Wanted(line, 1))
    assert batches(db, shop["medicine"]) == {name_a: 3, "B-2028": 10}
    with db.reading() as s:
        kinds = s.execute(select(StockMovement.kind, StockMovement.batch_id, StockMovement.qty)
                          .where(StockMovement.ref == f"return:{done.id}")).all()
        assert {k for k, _, _ in kinds} == {MovementKind.RETURN}
        assert sorted(q for _, _, q in kinds) == [1, 3]
        assert s.scalar(select(func.sum(SaleReturnBatch.qty))) == 5
        assert stock.discrepancies(s) == [] and stock.batch_discrepancies(s) == []


def test_damaged_goods_are_written_off_and_stock_does_not_grow(db, shop):
    sale = sell(db, shop, (SOAP, 3), (MEDICINE, 2))
    soap_line, med_line = line_ids(db, sale.id)
    before_soap, before_batches = on_hand(db, shop["soap"]), batches(db, shop["medicine"])
    done = give_back(db, manager(shop), sale.id, Wanted(soap_line, 2, restock=False),
                     Wanted(med_line, 1, restock=False))
    assert on_hand(db, shop["soap"]) == before_soap
    assert batches(db, shop["medicine"]) == before_batches
    with db.reading() as s:
        moved = s.execute(select(StockMovement.kind, func.sum(StockMovement.qty))
                          .where(StockMovement.ref == f"return:{done.id}")
                          .group_by(StockMovement.kind)).all()
        assert dict(moved) == {MovementKind.RETURN: 3, MovementKind.WRITEOFF: -3}
        assert s.scalars(select(SaleReturnLine.restock)).all() == [False, False]
        assert stock.discrepancies(s) == [] and stock.batch_discrepancies(s) == []


def test_the_refund_is_pro_rata_and_a_full_return_gives_back_exactly_the_line(db, shop):
    assert [share(10_000, 3, before, 1) for before in range(3)] == [3_333, 3_334, 3_333]
    assert share(10_000, 3, 0, 3) == 10_000
    sale = sell(db, shop, (SOAP, 3))
    line = line_ids(db, sale.id)[0]
    first = give_back(db, manager(shop), sale.id, Wanted(line, 1))
    second = give_back(db, manager(shop), sale.id, Wanted(line, 2))
    assert first.refund_total + second.refund_total == sale.total == 9_000
    assert first.refunds == [(PaymentMethod.CASH, 3_000)]


def test_a_second_return_beyond_what_is_left_is_refused_and_changes_nothing(db, shop):
    sale = sell(db, shop, (SOAP, 2))
    line = line_ids(db, sale.id)[0]
    give_back(db, manager(shop), sale.id, Wanted(line, 2))
    stock_after = on_hand(db, shop["soap"])
    with pytest.raises(ReturnError, match="paling banyak 0 dapat diretur"):
        give_back(db, manager(shop), sale.id, Wanted(line, 1))
    assert on_hand(db, shop["soap"]) == stock_after
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)) == 1
        assert s.scalar(select(SaleLine.returned_qty).where(SaleLine.id == line)) == 2


@pytest.mark.parametrize("wanted, message", [
    (lambda line: [], "Pilih barang"),
    (lambda line: [Wanted(line, 0)], "lebih dari nol"),
    (lambda line: [Wanted(line, -1)], "lebih dari nol"),
    (lambda line: [Wanted(line, 3)], "paling banyak 2 dapat"),
    (lambda line: [Wanted(line, 1), Wanted(line, 1)], "sekali"),
    (lambda line: [Wanted(line + 1, 1)], "bukan dari struk ini"),  # a line of another sale
])
def test_bad_input_is_refused_with_a_clear_message(db, shop, wanted, message):
    sale = sell(db, shop, (SOAP, 2))
    other = sell(db, shop, (SOAP, 1))
    line = line_ids(db, sale.id)[0]
    assert line_ids(db, other.id)[0] == line + 1
    with pytest.raises(ReturnError, match=message):
        give_back(db, manager(shop), sale.id, *wanted(line))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)) == 0
        assert s.scalar(select(func.sum(SaleLine.returned_qty))) == 0


def test_a_reason_is_required(db, shop):
    sale = sell(db, shop, (SOAP, 1))
    with pytest.raises(ReturnError, match="alasan"):
        give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1), reason="  ")


def test_a_cashier_needs_a_managers_approval_logged_with_the_return(db, shop):
    sale = sell(db, shop, (SOAP, 1))
    line = line_ids(db, sale.id)[0]
    with pytest.raises(NeedsApproval) as asked:
        give_back(db, cashier(shop), sale.id, Wanted(line, 1))
    assert asked.value.kind == "return" and "Rp3.000" in asked.value.after
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)) == 0
    done = give_back(db, cashier(shop, approved_by=shop["manager"]), sale.id, Wanted(line, 1))
    with db.reading() as s:
        ret = s.get(SaleReturn, done.id)
        assert (ret.cashier_id, ret.approved_by) == (shop["cashier"], shop["manager"])
        log = s.execute(select(Override)).scalar_one()
        assert (log.kind, log.asked_by, log.approved_by, log.sale_id) == (
            "return", shop["cashier"], shop["manager"], sale.id)


def test_a_cashier_cannot_approve_with_another_cashiers_pin(db, shop):
    from pos.approvals.service import ApprovalRefused
    from tests.factories import make_user
    with db.transaction() as s:
        other = make_user(s, "kasir2", "cashier", "3333").id
    sale = sell(db, shop, (SOAP, 1))
    with pytest.raises(ApprovalRefused):
        give_back(db, cashier(shop, approved_by=other), sale.id,
                  Wanted(line_ids(db, sale.id)[0], 1))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)) == 0


def test_return_numbers_are_gap_free_even_after_a_refused_return(db, shop):
    sale = sell(db, shop, (SOAP, 5))
    line = line_ids(db, sale.id)[0]
    numbers = [give_back(db, manager(shop), sale.id, Wanted(line, 1)).return_no]
    with pytest.raises(ReturnError):
        give_back(db, manager(shop), sale.id, Wanted(line, 9))
    numbers.append(give_back(db, manager(shop), sale.id, Wanted(line, 1)).return_no)
    assert numbers == ["R-TST01-000001", "R-TST01-000002"]


def test_a_return_of_an_old_sale_is_booked_today_and_leaves_the_old_day_alone(db, shop):
    from pos.reports.day import day_summary
    old = datetime(2026, 11, 20, 3, 0)
    sale = sell(db, shop, (SOAP, 2), now=old)
    with db.reading() as s:
        before = day_summary(s, date(2026, 11, 20))
    with db.transaction() as s:   # the return is today's (NOW's), in today's shift
        shift_of_day(s, shop["till"], shop["cashier"], date(2026, 11, 30))
    done = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    with db.reading() as s:
        assert s.get(SaleReturn, done.id).business_date == date(2026, 11, 30)
        after = day_summary(s, date(2026, 11, 20))
        today = day_summary(s, date(2026, 11, 30))
    assert after == before and after["returns"] == {"count": 0, "amount": 0, "rounding": 0, "tax": 0}
    assert today["returns"] == {"count": 1, "amount": 3_000, "rounding": 0, "tax": 0}
    assert today["sale_count"] == 0  # the sale stays on its own day


def test_a_kasbon_sale_refunded_in_its_tender_lowers_what_the_member_owes(db, shop):
    sale = sell(db, shop, (SOAP, 4), member=shop["member"],
                tenders=[checkout.Tender(PaymentMethod.MEMBER_CREDIT, 12_000)])
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (500_000, 12_000)
    done = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3))
    assert done.refunds == [(PaymentMethod.MEMBER_CREDIT, 9_000)]
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (500_000, 3_000)
        assert s.scalar(select(ReturnRefund.method)) == PaymentMethod.MEMBER_CREDIT


def test_a_kasbon_sale_returned_for_cash_still_lowers_the_debt_not_the_drawer(db, shop):
    """The cash was paid out and the member still owed for goods given back."""
    sale = sell(db, shop, (SOAP, 4), member=shop["member"],
                tenders=[checkout.Tender(PaymentMethod.MEMBER_CREDIT, 12_000)])
    done = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1),
                     refund_to=RefundTo.CASH)
    assert done.refunds == [(PaymentMethod.MEMBER_CREDIT, 3_000)] and done.drawer_event is None
    with db.reading() as s:
        assert credit.available(s, shop["member"]) == (500_000, 9_000)
        logged = s.scalars(select(Override.after).where(Override.kind == "return")).all()
        back = s.execute(select(CreditEntry.amount, CreditEntry.sale_id)
                         .where(CreditEntry.amount < 0)).all()
    assert logged == ["Dikembalikan Rp3.000: Kasbon anggota"]
    assert [tuple(b) for b in back] == [(-3_000, sale.id)]   # the ageing list settles its own sale


def test_a_cashiers_return_to_kasbon_names_the_cashier_and_the_approving_manager(db, shop):
    """The kartu piutang says who gave the goods back and who approved it, not one for both."""
    sale = sell(db, shop, (SOAP, 4), member=shop["member"],
                tenders=[checkout.Tender(PaymentMethod.MEMBER_CREDIT, 12_000)])
    give_back(db, cashier(shop, approved_by=shop["manager"]), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    with db.reading() as s:
        back = s.execute(select(CreditEntry.user_id, CreditEntry.approved_by)
                         .where(CreditEntry.amount < 0).order_by(CreditEntry.id)).all()
        names = dict(s.execute(select(User.id, User.full_name)).all())
        rows = statements.kartu_piutang(s, shop["member"])
    assert [tuple(b) for b in back] == [(shop["cashier"], shop["manager"]), (shop["manager"], None)]
    cashier_name, manager_name = names[shop["cashier"]], names[shop["manager"]]
    assert [r.user for r in rows if r.amount < 0] == [f"{cashier_name} (disetujui {manager_name})",
                                                       manager_name]


def test_kasbon_already_repaid_is_refunded_in_cash_beyond_what_is_owed(db, shop):
    sale = sell(db, shop, (SOAP, 4), member=shop["member"],
                tenders=[checkout.Tender(PaymentMethod.MEMBER_CREDIT, 12_000)])
    with db.transaction() as s:
        credit.repay(s, member_id=shop["member"], amount=10_000, document_id=None,
                     user_id=shop["manager"], business_date=date(2026, 11, 30),
                     now=datetime(2026, 11, 30, 4))
    done = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 4))
    assert done.refunds == [(PaymentMethod.MEMBER_CREDIT, 2_000), (PaymentMethod.CASH, 10_000)]
    with db.reading() as s:
        assert credit.available(s, shop["member"])[1] == 0
        logged = s.scalars(select(Override.after).where(Override.kind == "return")).all()
    # the manager approved what left the drawer, not "Rp12.000: Kasbon anggota"
    assert logged == ["Dikembalikan Rp12.000: Kasbon anggota Rp2.000, Tunai Rp10.000"]


def test_kasbon_repaid_in_full_is_approved_as_the_cash_paid_in_coins(db, shop):
    """A tester's manager approved "Dikembalikan Rp9.690: Kasbon anggota"; Tunai Rp9.600 was paid."""
    sale = sell(db, shop, (SOAP, 4), member=shop["member"],
                tenders=[checkout.Tender(PaymentMethod.MEMBER_CREDIT, 12_000)])
    with db.transaction() as s:
        credit.repay(s, member_id=shop["member"], amount=12_000, document_id=None,
                     user_id=shop["manager"], business_date=date(2026, 11, 30),
                     now=datetime(2026, 11, 30, 4))
    done = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 3), cash_rounding=500)
    assert done.refunds == [(PaymentMethod.CASH, 9_000)]
    with db.reading() as s:
        logged = s.scalars(select(Override.after).where(Override.kind == "return")).all()
    assert logged == ["Dikembalikan Rp9.000: Tunai"]


def test_a_transfer_refund_needs_a_reference_and_cash_is_always_possible(db, shop):
    sale = sell(db, shop, (SOAP, 2),
                tenders=[checkout.Tender(PaymentMethod.TRANSFER, 6_000, reference="BRI 1")])
    line = line_ids(db, sale.id)[0]
    with pytest.raises(ReturnError, match="referensi"):
        give_back(db, manager(shop), sale.id, Wanted(line, 1))
    done = give_back(db, manager(shop), sale.id, Wanted(line, 1), reference="BRI 99")
    assert done.refunds == [(PaymentMethod.TRANSFER, 3_000)]
    cash = give_back(db, manager(shop), sale.id, Wanted(line, 1), refund_to=RefundTo.CASH)
    assert cash.refunds == [(PaymentMethod.CASH, 3_000)] and cash.drawer_event is not None


def test_a_sale_paid_by_qris_and_transfer_keeps_each_refunds_own_reference(db, shop):
    """One Referensi bank was stored on both the QRIS and the transfer refund."""
    sale = sell(db, shop, (SOAP, 2),
                tenders=[checkout.Tender(PaymentMethod.QRIS, 3_000, confirmed=True),
                         checkout.Tender(PaymentMethod.TRANSFER, 3_000, reference="BRI 1")])
    line = line_ids(db, sale.id)[0]
    own = {PaymentMethod.QRIS: "QR-551", PaymentMethod.TRANSFER: None}
    with pytest.raises(ReturnError, match="Pengembalian lewat Transfer/Debit: isi referensi bank"):
        give_back(db, manager(shop), sale.id, Wanted(line, 2), references=own)
    for wrong in ("ab", "R" * 65):   # the till's rule: refused, never cut to fit
        with pytest.raises(ReturnError, match="Referensi bank tidak sah"):
            give_back(db, manager(shop), sale.id, Wanted(line, 2),
                      references={**own, PaymentMethod.TRANSFER: wrong})
    done = give_back(db, manager(shop), sale.id, Wanted(line, 2),
                     references={**own, PaymentMethod.TRANSFER: " TRF-552 "})
    with db.reading() as s:
        stored = dict(s.execute(select(ReturnRefund.method, ReturnRefund.reference)
                                .where(ReturnRefund.return_id == done.id)).all())
    assert stored == {PaymentMethod.QRIS: "QR-551", PaymentMethod.TRANSFER: "TRF-552"}


def test_split_refunds_never_give_a_tender_more_than_it_paid():
    paid = {PaymentMethod.CASH: 5_000, PaymentMethod.QRIS: 4_000}
    assert split(6_000, paid, {}, cash_only=False) == [(PaymentMethod.QRIS, 4_000),
                                                        (PaymentMethod.CASH, 2_000)]
    assert split(6_000, paid, {PaymentMethod.QRIS: 4_000}, cash_only=False) == [
        (PaymentMethod.CASH, 6_000)]
    assert split(6_000, paid, {}, cash_only=True) == [(PaymentMethod.CASH, 6_000)]
    assert split(0, paid, {}, cash_only=False) == []
    on_credit = {PaymentMethod.MEMBER_CREDIT: 5_000, PaymentMethod.QRIS: 4_000}
    # "in cash" still gives kasbon back to kasbon: the debt for the goods goes with them
    assert split(6_000, on_credit, {}, cash_only=True) == [(PaymentMethod.MEMBER_CREDIT, 5_000),
                                                            (PaymentMethod.CASH, 1_000)]
    assert split(3_000, on_credit, {PaymentMethod.MEMBER_CREDIT: 4_000}, cash_only=True) == [
        (PaymentMethod.MEMBER_CREDIT, 1_000), (PaymentMethod.CASH, 2_000)]


def test_a_closed_day_is_said_before_a_manager_is_called_over(db, shop):
    """A return on a closed day asked for the manager's PIN, then was refused for the day."""
    sale = sell(db, shop, (SOAP, 2))
    with db.transaction() as s:
        s.add(BusinessDay(business_date=DAY, closed_by=shop["manager"], closed_at=NOW, summary="{}",
                          summary_hash="0" * 64))
    with pytest.raises(DayClosed, match="Hari 30-11-2026 sudah ditutup: .*transaksi ini tidak tersimpan"):
        give_back(db, cashier(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))   # no PIN asked
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Override)) == 0
