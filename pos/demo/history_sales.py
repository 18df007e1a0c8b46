"""What happens in a demo shift, each through the real service: a sale (``checkout``), a
return (``make_return``), a member's cash payment (``documents.take``) and a kas keluar or
masuk (``move_cash``).  ``pos.demo.history`` decides when; this module decides what.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.auth.models import Role
from pos.config import DefaultConfig
from pos.demo.drawer import staff_actor
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import Product, ProductBarcode, StockPolicy
from pos.inventory.models import StockLevel
from pos.members.accounts import credit, documents, savings
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender
from pos.members.models import Member
from pos.payments import qris
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod, SaleLine
from pos.sales.pricing import TaxSettings
from pos.shifts.models import CashDirection
from pos.shifts.service import move_cash

# A static QRIS for the demo's past QRIS sales (the outlet's own is set on Pengaturan).
DEMO_QRIS = qris.build((
    ("00", "01"), ("01", "11"),
    ("26", qris.encode((("00", "COM.GO-JEK.WWW"), ("01", "936009143545600781"),
                        ("02", "G545600781"), ("03", "UMI")))),
    ("51", qris.encode((("00", "ID.CO.QRIS.WWW"), ("02", "ID1019000002328"), ("03", "UMI")))),
    ("52", "5411"), ("53", "360"), ("58", "ID"), ("59", "KOPERASI MERAH PUTIH"),
    ("60", "KUTAI KARTANEGAR"), ("61", "75561"), ("62", qris.encode((("07", "A01"),)))))
CASH_ROUNDING = 100        # the demo's past rounds cash to Rp100 (POS_CASH_ROUNDING=100)
APPROVAL_ABOVE = 100_000   # kas masuk/keluar above this needs the manager (demo's choice)
MIN_LEFT = 25              # a good is sold in the demo's past only while this much is left
SPENDING = (("Beli kantong plastik", 25_000), ("Beli galon air minum", 20_000),
            ("Ongkos angkut barang", 35_000), ("Beli lakban dan kertas nota", 15_000),
            ("Iuran kebersihan pasar", 10_000))
RETURN_REASONS = ("Kemasan rusak", "Salah beli ukuran", "Barang kedaluwarsa",
                  "Pembeli berubah pikiran", "Isi tidak sesuai")
_NS = uuid.UUID("0b6e3c38-1f5a-4a51-9d3a-6a8f8e1d7c11")


@dataclass
class Shop:
    """What the demo's past sells, to whom, and by whom."""

    session: Session
    rng: random.Random
    tax: TaxSettings
    staff: dict[str, int]
    goods: list[tuple[str, int]]          # (barcode, product id)
    left: dict[int, int]                  # product id -> base units on hand
    members: list[int]
    with_limit: list[int]
    outlet: str = DefaultConfig.OUTLET_CODE
    zone: str = DefaultConfig.TIMEZONE
    sales: list[int] = field(default_factory=list)  # the ids of the sales made
    redeemed: list[int] = field(default_factory=list)  # the farmers' urea sales (demo.fertilizer)
    farmers: list[tuple] = field(default_factory=list)  # the day's farmers still to come
    counter: int = 0

    def key(self, what: str) -> str:
        self.counter += 1
        return str(uuid.uuid5(_NS, f"{what}-{self.counter}"))


def load(session: Session, rng: random.Random, tax: TaxSettings, staff: dict[str, int],
         outlet: str, zone: str) -> Shop:
    """Plain packaged goods with stock to spare (no regulated, weighed or batch goods)."""
    rows = session.execute(
        select(ProductBarcode.code, Product.id, StockLevel.on_hand)
        .join(Product, Product.id == ProductBarcode.product_id)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(Product.active.is_(True), Product.weighed.is_(False),
               Product.batch_tracked.is_(False), Product.stock_policy != StockPolicy.BLOCK,
               Product.drug_class.is_(None), Product.subsidy.is_(None), Product.lpg.is_(None),
               Product.limit_rule_id.is_(None), ProductBarcode.qty == 1,
               StockLevel.on_hand >= 4 * MIN_LEFT, Product.price <= 100_000)
        .order_by(Product.sku)).all()
    members = session.execute(select(Member.id, Member.number).where(Member.active.is_(True))
                              .order_by(Member.number)).all()
    limited = [m for m, _ in members if credit.available(session, m)[0] > 0]
    return Shop(session, rng, tax, staff, [(code, pid) for code, pid, _ in rows],
                {pid: int(on_hand) for _, pid, on_hand in rows},
                [m for m, _ in members], limited, outlet, zone)


def sell(shop: Shop, *, till_id: int, cashier_id: int, day: date, now: datetime) -> None:
    """One sale of 1-4 goods, to a member or not, paid by cash, QRIS, transfer or kasbon."""
    s, rng = shop.session, shop.rng
    for code, pid in rng.sample(shop.goods, rng.choice((1, 1, 2, 2, 3, 4))):
        times = rng.choice((1, 1, 1, 2, 3))
        if shop.left[pid] - times < MIN_LEFT:
            continue
        cart.add(s, till_id, lookup_barcode(s, code), times=times, cashier_id=cashier_id)
        shop.left[pid] -= times
    roll = rng.random()
    member = rng.choice(shop.with_limit) if roll < 0.12 and shop.with_limit else \
        rng.choice(shop.members) if roll < 0.45 else None
    if member is not None:
        cart.put_member(s, till_id, member)
    total = cart.view(s, till_id, shop.tax, today=day).totals.total
    if not total:
        return
    tenders = _tenders(shop, total, member)
    done = checkout.checkout(s, till_id=till_id, cashier_id=cashier_id,
                             idempotency_key=shop.key("sale"), tenders=tenders,
                             outlet_code=shop.outlet, timezone=shop.zone, tax=shop.tax, now=now,
                             qris_static=DEMO_QRIS, cash_rounding=CASH_ROUNDING)
    shop.sales.append(done.sale.id)


def _tenders(shop: Shop, total: int, member: int | None) -> list[checkout.Tender]:
    rng, roll = shop.rng, shop.rng.random()
    if member in shop.with_limit and roll < 0.6:
        limit, owed = credit.available(shop.session, member)
        if limit - owed >= total:
            return [checkout.Tender(PaymentMethod.MEMBER_CREDIT, total)]
    if roll < 0.22:
        return [checkout.Tender(PaymentMethod.QRIS, total, confirmed=True)]
    if roll < 0.30:
        return [checkout.Tender(PaymentMethod.TRANSFER, total,
                                reference=f"BRI {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}")]
    if roll < 0.35 and total > 20_000:  # part QRIS, the rest in cash
        part = total // 2 // 1000 * 1000
        return [checkout.Tender(PaymentMethod.QRIS, part, confirmed=True),
                checkout.Tender(PaymentMethod.CASH, _handed(rng, total - part))]
    return [checkout.Tender(PaymentMethod.CASH, _handed(rng, total))]


def _handed(rng: random.Random, due: int) -> int:
    """What a customer hands over: the exact amount (to Rp100), or the next note over it."""
    step = rng.choice((CASH_ROUNDING, 1_000, 5_000, 10_000, 50_000, 100_000))
    return -(-due // step) * step


def give_back(shop: Shop, *, till_id: int, user_id: int, role: Role, day: date,
              now: datetime) -> None:
    """A return of one unit of a recent sale: cash, or back to the sale's own tender."""
    s, rng = shop.session, shop.rng
    for sale_id in rng.sample(shop.sales[-60:], min(5, len(shop.sales))):
        line = s.execute(select(SaleLine.id).where(SaleLine.sale_id == sale_id,
                                                   SaleLine.returned_qty < SaleLine.qty)
                         .limit(1)).scalar()
        if line is None:
            continue
        reason = rng.choice(RETURN_REASONS)
        refund_to = RefundTo.CASH if rng.random() < 0.5 else RefundTo.ORIGINAL
        actor = staff_actor(user_id, till_id, role, reason, approver=shop.staff["manajer1"])
        make_return(s, actor, sale_id=sale_id, wanted=[Wanted(line, 1, restock=reason != "Kemasan rusak")],
                    refund_to=refund_to, reason=reason, outlet_code=shop.outlet, timezone=shop.zone,
                    reference=f"RTR {rng.randrange(100000, 999999)}", now=now,
                    cash_rounding=CASH_ROUNDING, idempotency_key=shop.key("return"))
        return


def member_pays(shop: Shop, *, till_id: int, cashier_id: int, day: date, now: datetime) -> None:
    """A member pays in cash at the till: a kasbon repayment when they owe, else savings."""
    s, rng = shop.session, shop.rng
    owing = [m for m in shop.with_limit if credit.available(s, m)[1] > 0]
    if owing and rng.random() < 0.5:
        member = rng.choice(owing)
        owed = credit.available(s, member)[1]
        paid = Payment(repayment=min(owed, rng.choice((20_000, 25_000, 50_000))))
    else:
        member = rng.choice(shop.members)
        paid = Payment(sukarela=rng.choice((10_000, 20_000, 25_000, 50_000)))
    total = paid.repayment or paid.sukarela
    documents.take(s, member_id=member, paid=paid,
                   tender=Tendered(DocTender.CASH, _handed(rng, total)),
                   idempotency_key=shop.key("doc"), outlet_code=shop.outlet, till_id=till_id,
                   cashier_id=cashier_id,
                   rates=savings.Rates(DefaultConfig.SIMPANAN_POKOK, DefaultConfig.SIMPANAN_WAJIB),
                   business_date=day, now=now)


def spend(shop: Shop, *, till_id: int, user_id: int, role: Role, day: date, now: datetime,
          direction: CashDirection = CashDirection.OUT, amount: int | None = None,
          reason: str | None = None) -> None:
    """Kas keluar for a small expense (or the given movement), approved above the limit."""
    if amount is None:
        reason, amount = shop.rng.choice(SPENDING)
    actor = staff_actor(user_id, till_id, role, reason or "-", approver=shop.staff["manajer1"])
    move_cash(shop.session, actor, direction=direction, amount=amount, reason=reason or "-",
              day=day, now=now, approval_above=APPROVAL_ABOVE)
