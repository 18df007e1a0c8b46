"""Fixtures of the returns tests: a till, a cashier and a manager, a plain good, a
batch-tracked medicine in two batches, a member with a kasbon limit; selling helpers."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from pos.approvals.service import Actor, Approval
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.clock import business_date
from pos.inventory import stock
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.products import get_product
from pos.inventory.models import MovementKind
from pos.members.accounts import credit
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from tests.factories import (
    make_product,
    make_till,
    make_user,
    notes_covering,
    outlet_today,
    shift_of_day,
)
from tests.fertilizer.conftest import farm  # noqa: F401  (a fixture for the allocation test)
from tests.members.accounts.conftest import make_member
from tests.payments.vectors import SAMPLE1

TAX = TaxSettings(pkp=False, rate_bp=1100, inclusive=True)
DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 3, 0)  # 11:00 WITA
SOAP, MEDICINE = "8990000700012", "8990000700029"


@pytest.fixture
def shop(db):
    """Soap Rp3.000 (100 in stock); Paracetamol Rp5.000 in batch A (3, expires first) and
    batch B (10); member Daeng Baso with a kasbon limit of Rp500.000."""
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
        manager = make_user(s, "manajer1", "manager", "2222")
        soap = make_product(s, name="Sabun Mandi", price=3_000, cost=2_000, on_hand=100,
                            barcodes_=[SOAP])
        medicine = make_product(s, name="Paracetamol 500 mg", price=5_000, cost=3_000,
                                batch_tracked=True, on_hand=3, expiry=date(2027, 1, 31),
                                barcodes_=[MEDICINE])
        batch_b = stock.ensure_batch(s, medicine.id, "B-2028", date(2028, 6, 30))
        stock.move(s, get_product(s, medicine.id), 10, MovementKind.RECEIPT, batch_id=batch_b)
        member = make_member(s, name="Daeng Baso")
        credit.set_limit(s, member.id, 500_000, manager.id, today=DAY)
    return dict(till=till.id, cashier=cashier.id, manager=manager.id, soap=soap.id,
                medicine=medicine.id, batch_b=batch_b, member=member.id)


def sell(db, shop, *codes: tuple[str, int], tenders=None, member: int | None = None,
         now: datetime = NOW, cash_rounding: int = 0, tax: TaxSettings = TAX):
    """A sale at the till of ``codes`` ((barcode, times) pairs), paid cash unless ``tenders``."""
    with db.transaction() as s:
        for code, times in codes:
            cart.add(s, shop["till"], lookup_barcode(s, code), times=times)
        if member is not None:
            cart.put_member(s, shop["till"], member)
    with db.transaction() as s:   # the shift of the sale's own business day
        shift_of_day(s, shop["till"], shop["cashier"], business_date(now, "Asia/Makassar"))
        cash = notes_covering(s, shop["till"], tax)
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop["cashier"],
            idempotency_key=str(uuid.uuid4()),
            tenders=tenders or [checkout.Tender(PaymentMethod.CASH, cash)],
            outlet_code="TST01", timezone="Asia/Makassar", tax=tax, now=now,
            cash_rounding=cash_rounding, qris_static=SAMPLE1).sale


def manager(shop, till: bool = True) -> Actor:
    return Actor(shop["manager"], shop["till"] if till else None, RIGHTS[Role.MANAGER],
                 reason="barang dikembalikan")


def cashier(shop, approved_by: int | None = None) -> Actor:
    approval = Approval(approved_by, "disetujui") if approved_by else None
    return Actor(shop["cashier"], shop["till"], RIGHTS[Role.CASHIER], reason="barang kembali",
                 approval=approval)


def give_back(db, actor: Actor, sale_id: int, *wanted: Wanted, refund_to=RefundTo.ORIGINAL,
              reference=None, now: datetime = NOW, reason="Barang cacat", cash_rounding: int = 0,
              key: str | None = None, references=None):
    """A return (a fresh form's key unless ``key``: the same form posted again)."""
    with db.transaction() as s:
        return make_return(s, actor, sale_id=sale_id, wanted=list(wanted), refund_to=refund_to,
                           reason=reason, outlet_code="TST01", timezone="Asia/Makassar",
                           reference=reference, references=references, now=now,
                           cash_rounding=cash_rounding,
                           idempotency_key=key or str(uuid.uuid4()))


def line_ids(db, sale_id: int) -> list[int]:
    from sqlalchemy import select

    from pos.sales.models import SaleLine
    with db.reading() as s:
        return list(s.scalars(select(SaleLine.id).where(SaleLine.sale_id == sale_id)
                              .order_by(SaleLine.line_no)))


def till_today(db, ids, user: str = "cashier") -> None:
    """The till's shift of today (a sale of ``NOW``'s day left its shift open): the return
    screen books today, in today's drawer."""
    with db.transaction() as s:
        shift_of_day(s, ids["till"], ids[user], outlet_today())
