"""Tables of pos.returns (issue 11): returns against a receipt, their lines, batches and
refunds, what the farmer had left of each fertiliser allocation after it, the return numbers,
and the log of lines voided from a cart before payment.

A return is booked on the day it is made (``business_date``), never on the sale's day, so a
closed day is never edited; ``sale_line.returned_qty`` (in ``pos.sales.models``) is the
race-safe count of what each sold line has had returned.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column
from pos.inventory.catalog.models import FertilizerType
from pos.sales.models import PaymentMethod


class ReturnSequence(Base):
    """Last return number used per outlet; bumped inside the return's transaction."""

    __tablename__ = "return_sequence"

    outlet_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_no: Mapped[int] = mapped_column(default=0)


class SaleReturn(Base):
    """A return against one receipt (nota retur): who made it, who approved, the refund."""

    __tablename__ = "sale_return"
    __table_args__ = (Index("ix_sale_return_business_date", "business_date"),
                      CheckConstraint("refund_total >= 0", name="refund_nonneg"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    return_no: Mapped[str] = mapped_column(String(40), unique=True)
    seq_no: Mapped[int]
    # The return form's key (made per page load): a post sent again answers with this return
    # instead of booking another.  NULL on returns made before revision 0029.
    idempotency_key: Mapped[str | None] = mapped_column(String(36), unique=True)
    outlet_code: Mapped[str] = mapped_column(String(16))
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    approved_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    # The shift whose drawer paid a cash refund (NULL when nothing left a drawer).
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    business_date: Mapped[date]   # the day the return is booked (today), never the sale's day
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(200))
    refund_total: Mapped[int]     # the returned lines' worth (their share of what they sold for)
    tax_total: Mapped[int] = mapped_column(default=0, server_default="0")
    # What the refunds paid beyond ``refund_total`` (+ or -): the cash part paid in whole
    # coins (POS_CASH_ROUNDING), and the sale's own rounding given back with its last units.
    rounding: Mapped[int] = mapped_column(default=0, server_default="0")


class SaleReturnLine(Base):
    """One sold line returned: how much, the amount and tax part refunded, restocked or not."""

    __tablename__ = "sale_return_line"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("sale_return.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_line.id"), index=True)
    qty: Mapped[int]
    amount: Mapped[int]
    tax: Mapped[int] = mapped_column(default=0)
    # True: back on the shelf; False: damaged, written off (stock not increased).
    restock: Mapped[bool] = mapped_column(default=True)


class SaleReturnBatch(Base):
    """Which batches a returned line went back to (the same batches the sale took)."""

    __tablename__ = "sale_return_batch"

    return_line_id: Mapped[int] = mapped_column(ForeignKey("sale_return_line.id"),
                                                primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), primary_key=True)
    qty: Mapped[int]


class ReturnRefund(Base):
    """Money given back for a return, per tender (kasbon: taken off the member's balance)."""

    __tablename__ = "return_refund"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("sale_return.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    amount: Mapped[int]
    reference: Mapped[str | None] = mapped_column(String(64))


class ReturnQuota(Base):
    """What was left of the farmer's e-RDKK allocation of one subsidised fertiliser type right
    after the return gave the grams back (grams), and the season of that allocation, as the
    return slip prints it (``sale_quota``'s twin): a reprint shows the figure of the return,
    not today's.  Written with the return."""

    __tablename__ = "return_quota"
    __table_args__ = (CheckConstraint("remaining_grams >= 0", name="remaining_nonneg"),)

    return_id: Mapped[int] = mapped_column(ForeignKey("sale_return.id"), primary_key=True)
    fertilizer: Mapped[FertilizerType] = mapped_column(enum_column(FertilizerType, 12),
                                                       primary_key=True)
    season: Mapped[str] = mapped_column(String(40))
    remaining_grams: Mapped[int]


class CartVoid(Base):
    """A line taken off a cart before payment (or the whole cart emptied): who, why, what."""

    __tablename__ = "cart_void"
    __table_args__ = (Index("ix_cart_void_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    cart_id: Mapped[int]
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    name: Mapped[str] = mapped_column(String(120))
    qty: Mapped[int]
    amount: Mapped[int]   # the line's amount as the cart priced it then
    whole_cart: Mapped[bool] = mapped_column(default=False, server_default=false())
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
