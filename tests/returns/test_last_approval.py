"""The manager approves what is paid back: the return that takes a sale's last units back refunds
what is left of what the customer paid, and the approval dialog and its log say that amount, not
the lines' worth in coins (QA: "Dikembalikan Rp49.700" approved, Rp49.600 booked and paid)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override
from pos.approvals.service import NeedsApproval
from pos.inventory.catalog.barcodes import with_check_digit
from pos.returns.models import ReturnRefund
from pos.returns.service import Wanted
from pos.sales import checkout
from pos.sales.models import PaymentMethod
from tests.factories import make_product
from tests.returns.conftest import cashier, give_back, line_ids, sell

COIN = 100
RICE, SUGAR, OIL = (with_check_digit(f"89900000{n}") for n in ("2201", "2202", "2203"))


@pytest.fixture
def basket(db):
    """Beras 5 kg Rp72.750 (after its discount), gula curah Rp34.000, MinyaKita at its HET
    Rp15.700 (so the sale's cash is rounded down)."""
    with db.transaction() as s:
        make_product(s, name="Beras 5 kg", price=72_750, cost=65_000, barcodes_=[RICE])
        make_product(s, name="Gula curah 2 kg", price=34_000, cost=30_000, barcodes_=[SUGAR])
        make_product(s, name="MinyaKita 1 L", price=15_700, cost=14_000, het=15_700,
                     barcodes_=[OIL])


def refunded(db, return_id: int) -> int:
    with db.reading() as s:
        return s.scalar(select(func.sum(ReturnRefund.amount)).where(ReturnRefund.return_id == return_id))


def test_the_last_part_of_a_rounded_mixed_sale_is_approved_as_it_is_paid(db, shop, basket):
    sale = sell(db, shop, (RICE, 1), (SUGAR, 1), (OIL, 1), cash_rounding=COIN,
                tenders=[checkout.Tender(PaymentMethod.QRIS, 50_000, confirmed=True),
                         checkout.Tender(PaymentMethod.CASH, 72_400)])
    assert (sale.total, sale.rounding) == (122_400, -50)
    rice, sugar, oil = line_ids(db, sale.id)
    first = give_back(db, cashier(shop, approved_by=shop["manager"]), sale.id, Wanted(rice, 1),
                      reference="QRIS 881", cash_rounding=COIN)
    assert first.refunds == [(PaymentMethod.QRIS, 50_000), (PaymentMethod.CASH, 22_800)]
    rest = (Wanted(sugar, 1), Wanted(oil, 1))
    with pytest.raises(NeedsApproval) as asked:     # what the dialog shows the manager
        give_back(db, cashier(shop), sale.id, *rest, cash_rounding=COIN)
    assert asked.value.after == "Dikembalikan Rp49.600: Tunai"
    last = give_back(db, cashier(shop, approved_by=shop["manager"]), sale.id, *rest,
                     cash_rounding=COIN)
    assert last.refunds == [(PaymentMethod.CASH, 49_600)]
    with db.reading() as s:
        after = s.scalars(select(Override.after).where(Override.sale_id == sale.id)
                          .order_by(Override.id)).all()[-1]
    assert after == "Dikembalikan Rp49.600: Tunai" and refunded(db, last.id) == 49_600
