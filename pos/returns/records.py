"""Reading returns: a receipt's lines with what is left to return, a return as plain data (the
slip and its page), the returns of a receipt, of a date range, and a day's totals."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.errors import NotFound
from pos.fertilizer.models import FertilizerRedemption, RdkkFarmer
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.returns import restock
from pos.returns.models import (
    CartVoid,
    ReturnQuota,
    ReturnRefund,
    SaleReturn,
    SaleReturnBatch,
    SaleReturnLine,
)
from pos.sales.models import Payment, PaymentMethod, Sale, SaleLine, SaleStatus
from pos.tills.models import Till
from pos.units import BaseUnit

MAX_ROWS = 500


@dataclass(frozen=True)
class ReturnableLine:
    id: int
    line_no: int
    name: str
    sku: str
    qty: int
    returned: int
    amount: int
    base_unit: BaseUnit
    # the product's barcodes with the base units each adds when scanned (the form's scans)
    codes: tuple[tuple[str, int], ...] = ()

    @property
    def left(self) -> int:
        return self.qty - self.returned

    @property
    def one_piece_codes(self) -> list[str]:
        """Codes that stand for one piece of this line: a scan of one adds 1 to its return."""
        if self.base_unit != BaseUnit.PCS:
            return []
        return [code for code, qty in self.codes if qty == 1]

    @property
    def other_codes(self) -> list[str]:
        """The product's other codes (a pack, a weighed good's): a scan of one is not one piece."""
        one = set(self.one_piece_codes)
        return [code for code, _ in self.codes if code not in one]

    def shown(self, qty: int) -> str:
        return self.base_unit.format(qty)


@dataclass(frozen=True)
class Returnable:
    """A receipt as the return form shows it."""

    id: int
    receipt_no: str
    business_date: date
    created_at: datetime
    total: int
    completed: bool
    methods: list[str]
    lines: list[ReturnableLine]

    @property
    def anything_left(self) -> bool:
        return self.completed and any(line.left > 0 for line in self.lines)


def returnable(session: Session, sale_id: int) -> Returnable:
    sale = session.execute(select(Sale.id, Sale.receipt_no, Sale.business_date, Sale.created_at,
                                  Sale.total, Sale.status).where(Sale.id == sale_id)).first()
    if sale is None:
        raise NotFound("Struk tidak ditemukan.")
    rows = session.execute(
        select(SaleLine.id, SaleLine.line_no, SaleLine.name, SaleLine.sku, SaleLine.qty,
               SaleLine.returned_qty, SaleLine.amount, SaleLine.base_unit, SaleLine.product_id)
        .where(SaleLine.sale_id == sale_id).order_by(SaleLine.line_no)).all()
    codes: dict[int, list[tuple[str, int]]] = {}
    for code, product_id, qty in session.execute(
            select(ProductBarcode.code, ProductBarcode.product_id, ProductBarcode.qty)
            .where(ProductBarcode.product_id.in_({r.product_id for r in rows}))
            .order_by(ProductBarcode.code)):
        codes.setdefault(product_id, []).append((code, qty))
    lines = [ReturnableLine(r.id, r.line_no, r.name, r.sku, r.qty, r.returned_qty, r.amount,
                            BaseUnit(r.base_unit), tuple(codes.get(r.product_id, ())))
             for r in rows]
    methods = [PaymentMethod(m).label for m in session.scalars(
        select(Payment.method).where(Payment.sale_id == sale_id).order_by(Payment.id))]
    return Returnable(sale.id, sale.receipt_no, sale.business_date, sale.created_at, sale.total,
                      sale.status == SaleStatus.COMPLETED, methods, lines)


@dataclass(frozen=True)
class ReturnRecord:
    id: int
    return_no: str
    sale_id: int
    receipt_no: str
    business_date: date
    created_at: datetime
    cashier: str
    approver: str
    reason: str
    refund_total: int
    tax_total: int
    rounding: int                                      # refunds paid = refund_total + rounding
    # id, name, qty, base_unit, amount, restock, expired (``restock.expired_note`` of each batch)
    lines: list[dict] = field(default_factory=list)
    refunds: list[dict] = field(default_factory=list)  # method, amount, reference
    # the farmer's allocation left after the return per fertiliser type (``ReturnQuota``:
    # fertilizer, season, remaining_grams), as kept with it: the slip prints it
    quotas: list[dict] = field(default_factory=list)
    # the farmer whose allocation the return gives back (name, nik), when it gives any back
    farmer: dict | None = None
    tax_added: bool = False  # its sale's PPN was added on top of the prices: the slip states it


def get_return(session: Session, return_id: int) -> ReturnRecord:
    cashier, approver = aliased(User), aliased(User)
    head = session.execute(
        select(SaleReturn.id, SaleReturn.return_no, SaleReturn.sale_id, Sale.receipt_no,
               SaleReturn.business_date, SaleReturn.created_at, cashier.full_name,
               approver.full_name, SaleReturn.reason, SaleReturn.refund_total,
               SaleReturn.tax_total, SaleReturn.rounding, Sale.tax_added)
        .join(Sale, Sale.id == SaleReturn.sale_id)
        .join(cashier, cashier.id == SaleReturn.cashier_id)
        .join(approver, approver.id == SaleReturn.approved_by)
        .where(SaleReturn.id == return_id)).first()
    if head is None:
        raise NotFound("Retur tidak ditemukan.")
    expired = _expired(session, return_id)
    lines = [{**r._mapping, "expired": expired.get(r.id, [])} for r in session.execute(
        select(SaleReturnLine.id, SaleLine.name, SaleReturnLine.qty, SaleLine.base_unit,
               SaleReturnLine.amount, SaleReturnLine.restock)
        .join(SaleLine, SaleLine.id == SaleReturnLine.sale_line_id)
        .where(SaleReturnLine.return_id == return_id).order_by(SaleLine.line_no))]
    refunds = [dict(r._mapping) for r in session.execute(
        select(ReturnRefund.method, ReturnRefund.amount, ReturnRefund.reference)
        .where(ReturnRefund.return_id == return_id).order_by(ReturnRefund.id))]
    quotas = [dict(r._mapping) for r in session.execute(
        select(ReturnQuota.fertilizer, ReturnQuota.season, ReturnQuota.remaining_grams)
        .where(ReturnQuota.return_id == return_id))]
    return ReturnRecord(*head[:-1], lines=lines, refunds=refunds, quotas=quotas,
                        farmer=_farmer(session, return_id) if quotas else None,
                        tax_added=bool(head.tax_added))


def _farmer(session: Session, return_id: int) -> dict | None:
    """The farmer the returned lines' redemptions were taken from: the e-RDKK list's name and
    the NIK they redeemed with."""
    row = session.execute(
        select(RdkkFarmer.name, FertilizerRedemption.nik)
        .join(RdkkFarmer, RdkkFarmer.id == FertilizerRedemption.farmer_id)
        .join(SaleReturnLine, SaleReturnLine.sale_line_id == FertilizerRedemption.sale_line_id)
        .where(SaleReturnLine.return_id == return_id).limit(1)).first()
    return dict(row._mapping) if row is not None else None


def _expired(session: Session, return_id: int) -> dict[int, list[str]]:
    """Per return line, what was written off as returned into an expired batch (``restock``:
    "batch E96360 sudah kedaluwarsa: tidak dikembalikan ke rak"), from the write-offs booked."""
    found = session.execute(
        select(SaleReturnBatch.return_line_id, Batch.batch_no).distinct()
        .join(Batch, Batch.id == SaleReturnBatch.batch_id)
        .join(SaleReturnLine, SaleReturnLine.id == SaleReturnBatch.return_line_id)
        .join(StockMovement, (StockMovement.batch_id == SaleReturnBatch.batch_id)
              & (StockMovement.ref == f"return:{return_id}"))
        .where(SaleReturnLine.return_id == return_id, SaleReturnLine.restock.is_(True),
               StockMovement.kind == MovementKind.WRITEOFF,
               StockMovement.reason.like(f"%{restock.EXPIRED}"))
        .order_by(Batch.batch_no))
    out: dict[int, list[str]] = {}
    for line_id, batch_no in found:
        out.setdefault(line_id, []).append(restock.expired_note(batch_no))
    return out


@dataclass(frozen=True)
class Listed:
    id: int
    return_no: str
    created_at: datetime
    business_date: date
    receipt_no: str
    sale_id: int
    cashier: str
    approver: str
    reason: str
    refund_total: int   # the returned lines' worth
    rounding: int = 0   # the cash part's rounding

    @property
    def refunded(self) -> int:
        """The money paid back, as the slip says it (the lines' worth and the cash rounding)."""
        return self.refund_total + self.rounding


def _listed(query) -> select:
    cashier, approver = aliased(User), aliased(User)
    return (select(SaleReturn.id, SaleReturn.return_no, SaleReturn.created_at,
                   SaleReturn.business_date, Sale.receipt_no, SaleReturn.sale_id,
                   cashier.full_name, approver.full_name, SaleReturn.reason,
                   SaleReturn.refund_total, SaleReturn.rounding)
            .join(Sale, Sale.id == SaleReturn.sale_id)
            .join(cashier, cashier.id == SaleReturn.cashier_id)
            .join(approver, approver.id == SaleReturn.approved_by)
            .where(*query).order_by(SaleReturn.id.desc()).limit(MAX_ROWS))


def of_sale(session: Session, sale_id: int) -> list[Listed]:
    """The returns made against one receipt, newest first."""
    return [Listed(*r) for r in session.execute(_listed([SaleReturn.sale_id == sale_id]))]


def between(session: Session, first: date, last: date) -> list[Listed]:
    """Returns booked from ``first`` to ``last`` (business dates, both included), newest first."""
    return [Listed(*r) for r in session.execute(_listed(
        [SaleReturn.business_date >= first, SaleReturn.business_date <= last]))]


def day_totals(session: Session, day: date) -> dict[str, int]:
    """The returns booked on ``day``: how many, the returned lines' worth (``amount``), the
    cash rounding of their refunds (``rounding``, + or -: the money paid back is the sum) and
    the PPN inside the lines' worth (``tax``: the journal's PPN keluaran retur)."""
    count, amount, rounding, tax = session.execute(
        select(func.count(SaleReturn.id), func.coalesce(func.sum(SaleReturn.refund_total), 0),
               func.coalesce(func.sum(SaleReturn.rounding), 0),
               func.coalesce(func.sum(SaleReturn.tax_total), 0))
        .where(SaleReturn.business_date == day)).one()
    return {"count": int(count), "amount": int(amount), "rounding": int(rounding), "tax": int(tax)}


@dataclass(frozen=True)
class Voided:
    created_at: datetime
    till: str | None
    cashier: str | None
    name: str
    qty: int
    amount: int
    whole_cart: bool
    reason: str
    base_unit: str  # the product's: a weighed line's qty is grams

    @property
    def qty_text(self) -> str:
        return BaseUnit(getattr(self.base_unit, "value", self.base_unit)).format(self.qty)


def voids_between(session: Session, first: date, last: date, zone: str) -> list[Voided]:
    """Lines voided before payment from ``first`` to ``last`` (outlet-local dates), newest first."""
    start, end = (datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
                  .replace(tzinfo=None) for day in (first, last + timedelta(days=1)))
    return [Voided(*row) for row in session.execute(
        select(CartVoid.created_at, Till.name, User.full_name, CartVoid.name, CartVoid.qty,
               CartVoid.amount, CartVoid.whole_cart, CartVoid.reason, Product.base_unit)
        .join(Product, Product.id == CartVoid.product_id)
        .outerjoin(Till, Till.id == CartVoid.till_id)
        .outerjoin(User, User.id == CartVoid.cashier_id)
        .where(CartVoid.created_at >= start, CartVoid.created_at < end)
        .order_by(CartVoid.id.desc()).limit(MAX_ROWS))]
