"""Checkout: the cart of a till becomes a committed sale in one transaction.

Everything happens inside the caller's transaction: the idempotency check (race-safe:
``numbering.hold`` queues same-key requests, so a double submit makes one sale on SQLite and
PostgreSQL alike; a used key sent for another cart is refused, ``once``), the gap-free receipt
number, the sale with its lines and payments, the stock decrement (SQL-side, refused for
products that block negative stock) and emptying the cart.  If any step fails nothing is
written, and a receipt number is never used up by a sale that did not happen.

The hot path uses Core statements: the ORM's unit of work costs several times
the database's own time here (see ../shared/docs/PERF-FLOORS.md).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.config import DefaultConfig
from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.models import MovementKind
from pos.members.accounts import credit
from pos.payments import qris
from pos.sales import (
    cart,
    cart_pricing,
    discount_limit,
    numbering,
    once,
    pricing,
    printing,
    regulation,
    sold_stock,
    tenders,
)
from pos.sales.cart_view import cart_key
from pos.sales.models import (
    Payment,
    PaymentMethod,
    Sale,
    SaleBuyer,
    SaleLine,
    SaleLineRx,
    SaleQuota,
    SaleStatus,
)
from pos.shifts import gate
from pos.sql_direct import Direct, DirectInsert


class CheckoutError(PosError):
    pass


class CartChanged(CheckoutError):
    """The cart's total is not the one the till showed: the till must draw it again."""


Tender = tenders.Tender  # cash: the money handed over; else the amount (see tenders.py)


@dataclass(frozen=True)
class SaleRecord:
    """A committed sale as plain data: what the receipt, the screen and tests read."""

    id: int
    receipt_no: str
    idempotency_key: str
    till_id: int
    cashier_id: int
    member_id: int | None
    business_date: date
    created_at: datetime
    gross: int
    discount: int
    tax: int
    total: int
    tendered: int
    change: int
    lines: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)
    rounding: int = 0  # cash rounding: total = lines + rounding
    member_saving: int = 0  # Hemat anggota
    member_sale: bool = False  # sold to an active member (the SHU's jasa anggota)
    pkp: bool = True  # sold while the outlet was PKP: the receipt states the tax
    tax_added: bool = False  # the PPN on top of the lines (prices before tax)
    shift_id: int | None = None  # the till's shift whose drawer took the money
    # Who bought regulated goods (``SaleBuyer`` as a dict: nik, name, category, proxy_*), each
    # obat keras line's prescription by line number (doctor, rx_date, rx_number, pharmacist,
    # licence_no) and the farmer's quota left after the sale per fertiliser type (``SaleQuota``:
    # fertilizer, season, remaining_grams): read back by ``get_sale`` for receipts and reprints.
    buyer: dict | None = None
    prescriptions: dict[int, dict] = field(default_factory=dict)
    quotas: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class CheckoutResult:
    sale: SaleRecord
    created: bool  # False when the key had already made this sale
    print_job_id: int | None = None


def valid_key(key: str) -> str:
    try:
        return str(uuid.UUID(key))
    except (ValueError, TypeError, AttributeError):
        raise CheckoutError("Kunci transaksi tidak sah. Muat ulang halaman kasir.", 400) from None


_sale_t, _sale_line_t, _payment_t = Sale.__table__, SaleLine.__table__, Payment.__table__
_INSERT_SALE = DirectInsert(_sale_t, returning=_sale_t.c.id)
_INSERT_LINES, _INSERT_PAYMENTS = DirectInsert(_sale_line_t, returned_qty=0), DirectInsert(_payment_t)


def _settle(total: int, given: list[Tender], *, cash_rounding: int, member_id: int | None,
            cashier_id: int, qris_static: str | None, round_down: bool = False,
            cart: str = "") -> tuple[tenders.Settlement, list[dict]]:
    """Apply the tenders to the lines' total (``tenders.settle``) and check what only the sale knows:
    each was added for this cart (its ``cart_key``), kasbon needs a member, QRIS the outlet's static
    QRIS.  Returns the settlement and its payment rows (kasbon's reference is set when charged)."""
    if elsewhere := tenders.other_cart(given, cart):
        raise CartChanged(elsewhere)
    settled = tenders.settle(total, given, cash_rounding, round_down=round_down)
    rows = []
    for p in settled.payments:
        row = {"method": p.method, "amount": p.amount, "tendered": p.tendered,
               "reference": p.reference, "confirmed_by": None}
        if p.method is PaymentMethod.MEMBER_CREDIT and member_id is None:
            raise CheckoutError("Kasbon anggota hanya untuk anggota: pasang anggota dulu (F7).")
        if p.method is PaymentMethod.QRIS:
            if not qris_static:
                raise CheckoutError("QRIS belum diatur di gerai ini (Pengaturan).")
            # the CRC of the dynamic payload the customer scanned, and who saw the money arrive
            row.update(reference="CRC " + qris.dynamic(qris_static, p.amount)[-4:],
                       confirmed_by=cashier_id)
        rows.append(row)
    return settled, rows


def _charge_credit(session: Session, rows: list[dict], *, sale_id: int, member_id: int | None,
                   cashier_id: int, day: date, now: datetime) -> None:
    """Kasbon on the member's account (refused over the limit: the sale rolls back); the
    member's new balance is kept as the payment's reference, for the receipt and reprints."""
    for row in rows:
        if row["method"] is PaymentMethod.MEMBER_CREDIT:
            balance = credit.charge(session, member_id=member_id, amount=row["amount"],
                                    sale_id=sale_id, user_id=cashier_id, business_date=day,
                                    now=now)
            row["reference"] = f"{SALDO_PREFIX}{balance}"


SALDO_PREFIX = "saldo "  # a kasbon payment's reference: "saldo 150000", the balance after it


def checkout(session: Session, *, till_id: int, cashier_id: int, idempotency_key: str,
             tenders: list[Tender], outlet_code: str, timezone: str, tax: pricing.TaxSettings,
             expected_total: int | None = None, now: datetime | None = None,
             cash_rounding: int = 0, qris_static: str | None = None,
             shown_at: datetime | None = None, expected_member: str | None = None,
             discount_limit_bp: int = DefaultConfig.CASHIER_MAX_DISCOUNT_BP) -> CheckoutResult:
    key = valid_key(idempotency_key)
    conn = session.connection()
    numbering.hold(session, outlet_code)  # same-key requests queue here, then see each other
    cart_id, member_id, done, terms = cart.for_checkout(session, till_id, key, cashier_id)
    if done is not None:  # a retry of a sale already made: show that sale; another cart: refused
        sale = get_sale(session, done)
        once.check_repeat(session, receipt_no=sale.receipt_no, sale_till=sale.till_id,
                          sale_total=sale.total - sale.rounding, till_id=till_id, cart_id=cart_id,
                          expected_total=expected_total)
        return CheckoutResult(sale, created=False)
    now = now or utcnow()
    day = business_date(now, timezone)
    try:   # no shift (closed elsewhere meanwhile), another's, an earlier day's, a closed day:
        shift_id = gate.require(session, till_id=till_id, user_id=cashier_id, day=day)
    except PosError as refused:   # as a scan (``cart.claim``), the till reloads to say why
        refused.reload = True
        raise
    credit.check_payer(session, member_id, expected_member, {t.method for t in tenders},  # before prices
                       {t.member for t in tenders if t.member is not None})
    rows = cart.lines_for_pricing(session, cart_id, day, tax.het_zone)
    priced, totals = _price(session, cart_id, rows, tax, terms, expected_total, shown_at)
    # a discount grown past what a manager approved, past the cashier's own limit (``discount_limit``
    # and POS_CASHIER_MAX_DISCOUNT_BP): unpaid until approved again, whatever the screen showed
    granted = discount_limit.grants_of(rows, terms)
    if held := discount_limit.held_at(priced, terms, granted, discount_limit_bp):
        raise CartChanged(held)
    checked = regulation.checked(session, rows, terms, day, at_checkout=True)
    settled, payment_rows = _settle(totals.total, tenders, cash_rounding=cash_rounding,
                                    round_down=cart_pricing.at_ceiling(priced),
                                    member_id=member_id, cashier_id=cashier_id,
                                    qris_static=qris_static, cart=cart_key(member_id, rows))
    gate.pay_change(session, shift_id, settled.change)  # Rp1.000.000 typed for a Rp100.000 note
    seq, receipt_no = numbering.next_receipt_no(session, outlet_code)
    header = dict(receipt_no=receipt_no, seq_no=seq, idempotency_key=key, outlet_code=outlet_code,
                  till_id=till_id, cashier_id=cashier_id, member_id=member_id, shift_id=shift_id,
                  status=SaleStatus.COMPLETED, business_date=day,
                  created_at=now, gross=totals.gross, discount=totals.discount, tax=totals.tax,
                  pkp=tax.pkp, tax_added=tax.pkp and not tax.inclusive,
                  member_saving=totals.member_saving, member_sale=terms.member_sale,
                  rounding=settled.rounding, total=settled.total, tendered=settled.tendered,
                  change=settled.change)
    sale_id = _INSERT_SALE.scalar(conn, header)
    lines = [_line_row(sale_id, n, p) for n, p in enumerate(priced, start=1)]
    _INSERT_LINES.run(conn, lines)
    regulation.record(session, sale_id=sale_id, receipt_no=receipt_no, business_date=day,
                      rows=rows, terms=terms, cart_id=cart_id, cashier_id=cashier_id, checked=checked)
    _charge_credit(session, payment_rows, sale_id=sale_id, member_id=member_id,
                   cashier_id=cashier_id, day=header["business_date"], now=now)
    payments = [dict(p, sale_id=sale_id) for p in payment_rows]
    _INSERT_PAYMENTS.run(conn, payments)
    moves, picked = sold_stock.moves(session, rows, header["business_date"])
    stock.apply(session, moves, MovementKind.SALE, user_id=cashier_id, sale_id=sale_id, at=now)
    if picked:
        sold_stock.record_batches(session, sale_id, picked)
    cart.close(session, cart_id, terms_set=terms.any_set)  # the buyer and the discount too
    job_id = printing.enqueue(session, sale_id, check=False, till_id=till_id)
    record = SaleRecord(id=sale_id, lines=lines, payments=payments, **{
        k: v for k, v in header.items() if k not in ("seq_no", "outlet_code", "status")})
    return CheckoutResult(record, created=True, print_job_id=job_id)


def _price(session: Session, cart_id: int, rows, tax: pricing.TaxSettings,
           terms: cart_pricing.Terms, expected_total: int | None, shown_at: datetime | None = None):
    """The lines priced as the cart showed them (member, rules, line and sale discounts), with
    the cart's terms read by ``cart.for_checkout``."""
    if not rows:  # with a total shown: another screen of this till paid (or emptied) it meanwhile
        raise CartChanged(once.emptied(session, cart_id, expected_total, shown_at)) if expected_total else \
            CheckoutError("Keranjang masih kosong.")
    for row in rows:
        if not row.active:
            raise CheckoutError(f"{row.name} tidak aktif dijual. Hapus dari keranjang.")
    priced, totals = cart_pricing.price_rows(session, rows, tax, terms, cart_id)
    if expected_total is not None and expected_total != totals.total:
        raise CartChanged("Isi keranjang berubah sejak ditampilkan. Periksa lagi lalu bayar.")
    return priced, totals


def _line_row(sale_id: int, line_no: int, p: pricing.PricedLine) -> dict:
    line = p.line
    return dict(sale_id=sale_id, line_no=line_no, product_id=line.product_id, sku=line.sku,
                name=line.name, qty=line.qty, base_unit=line.base_unit, unit_price=p.unit_price,
                price_per=line.price_per, amount=p.amount, tax_class=line.tax_class,
                tax_rate_bp=p.tax_rate_bp, tax=p.tax, unit_cost=line.unit_cost,
                business_unit=line.business_unit, category_id=line.category_id,
                manual_weight=line.manual, list_price=pricing.list_price(line), discount=p.discount,
                member_saving=p.member_saving, discount_reason=_reason(p))


def _reason(p: pricing.PricedLine) -> str | None:
    """Why the line costs less than its list price (with the cashier's note, when given)."""
    parts = [p.reason, p.line.adjust_reason if p.discount else None]
    return ": ".join(x for x in parts if x)[:300] or None


_SALE_FIELDS = ("id", "receipt_no", "idempotency_key", "till_id", "cashier_id", "member_id",
                "business_date", "created_at", "gross", "discount", "tax", "total", "tendered",
                "change", "rounding", "member_saving", "member_sale", "pkp", "tax_added", "shift_id")

_sale_buyer_t, _rx_t, _quota_t = SaleBuyer.__table__, SaleLineRx.__table__, SaleQuota.__table__
# Built once: a receipt reads them after every sale, in the print thread beside the tills.
_SALE = Direct(select(_sale_t).where(_sale_t.c.id == bindparam("sale")))
_LINES = Direct(select(_sale_line_t).where(_sale_line_t.c.sale_id == bindparam("sale"))
                .order_by(_sale_line_t.c.line_no))
_PAYMENTS = Direct(select(_payment_t).where(_payment_t.c.sale_id == bindparam("sale"))
                   .order_by(_payment_t.c.id))
_BUYER = Direct(select(_sale_buyer_t).where(_sale_buyer_t.c.sale_id == bindparam("sale")))
_QUOTAS = Direct(select(_quota_t).where(_quota_t.c.sale_id == bindparam("sale")))
_RX = Direct(select(_sale_line_t.c.line_no, _rx_t.c.doctor, _rx_t.c.rx_date, _rx_t.c.rx_number,
                    User.__table__.c.full_name.label("pharmacist"), User.__table__.c.licence_no)
             .join(_rx_t, _rx_t.c.sale_line_id == _sale_line_t.c.id)
             .join(User.__table__, User.__table__.c.id == _rx_t.c.pharmacist_id)
             .where(_sale_line_t.c.sale_id == bindparam("sale")))


def _record(session: Session, sale_row) -> SaleRecord:
    conn, sale = session.connection(), {"sale": sale_row.id}
    lines = [r._asdict() for r in _LINES.all(conn, sale)]
    payments = [r._asdict() for r in _PAYMENTS.all(conn, sale)]
    buyer = _BUYER.first(conn, sale)
    rx = {row.line_no: row._asdict() for row in _RX.all(conn, sale)}
    # only a sale with a buyer can have sold subsidised fertiliser: others skip the query
    quotas = [r._asdict() for r in _QUOTAS.all(conn, sale)] if buyer else []
    return SaleRecord(**{f: getattr(sale_row, f) for f in _SALE_FIELDS}, lines=lines,
                      payments=payments, buyer=buyer._asdict() if buyer else None,
                      prescriptions=rx, quotas=quotas)


def get_sale(session: Session, sale_id: int) -> SaleRecord:
    row = _SALE.first(session.connection(), {"sale": sale_id})
    if row is None:
        raise PosError("Transaksi tidak ditemukan.", 404)
    return _record(session, row)
