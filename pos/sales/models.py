"""The server-side carts of tills, and committed sales with lines and payments.

A sale stores its computed amounts (line totals, tax, change) so a receipt
reprinted later, the day report and the ledger all show the same numbers.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column
from pos.inventory.catalog.models import BusinessUnit, FertilizerType, TaxClass
from pos.units import BaseUnit


class PaymentMethod(str, enum.Enum):
    CASH = "cash"
    QRIS = "qris"
    TRANSFER = "transfer"
    MEMBER_CREDIT = "member_credit"

    @property
    def label(self) -> str:
        return {"cash": "Tunai", "qris": "QRIS", "transfer": "Transfer/Debit",
                "member_credit": "Kasbon anggota"}[self.value]


class SaleStatus(str, enum.Enum):
    COMPLETED = "completed"
    VOIDED = "voided"


class Cart(Base):
    """The open sale of one till, kept on the server so a reload loses nothing."""

    __tablename__ = "cart"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # The till whose open sale this is; NULL while the cart is parked (Tahan).
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"), unique=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    # The cashier whose cart it is; the next cashier goes on with a cart left behind, or empties it.
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # A discount on the whole sale: a rate (basis points) and/or an amount in Rupiah.
    discount_bp: Mapped[int] = mapped_column(default=0, server_default="0")
    discount_amount: Mapped[int] = mapped_column(default=0, server_default="0")
    discount_reason: Mapped[str | None] = mapped_column(String(200))
    # A manager approved (or gave) it: not the cashier's own, which alone count in their limit;
    # up to the Rupiah it took off then (``discount_limit``: a rate grown past it asks again).
    discount_approved: Mapped[bool] = mapped_column(default=False, server_default=false())
    discount_approved_off: Mapped[int] = mapped_column(default=0, server_default="0")
    # A parked sale (Tahan): the till it came from, a note, when and by whom.
    parked_from: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    parked_note: Mapped[str | None] = mapped_column(String(100))
    parked_at: Mapped[datetime | None]
    parked_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # The buyer of regulated goods (issue 10): a NIK typed or scanned from a KTP (else the
    # member on the sale), the name, the LPG buyer category, and who collects for a farmer.
    buyer_nik: Mapped[str | None] = mapped_column(String(16))
    buyer_name: Mapped[str | None] = mapped_column(String(100))
    buyer_category: Mapped[str | None] = mapped_column(String(16))
    proxy_name: Mapped[str | None] = mapped_column(String(100))
    proxy_nik: Mapped[str | None] = mapped_column(String(16))
    proxy_relation: Mapped[str | None] = mapped_column(String(40))


class CartLine(Base):
    __tablename__ = "cart_line"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    qty: Mapped[int]
    unit_price: Mapped[int]
    # The amount printed on a price-embedded label; the line is not re-priced.
    fixed_amount: Mapped[int | None]
    # A weight typed by the cashier (no scale), shown as such on the line and the receipt.
    manual: Mapped[bool] = mapped_column(default=False)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A unit price set at the till with a manager's approval (never above a ceiling price).
    price_override: Mapped[int | None]
    # A discount on this line: a rate (basis points) and/or an amount in Rupiah.
    discount_bp: Mapped[int] = mapped_column(default=0, server_default="0")
    discount_amount: Mapped[int] = mapped_column(default=0, server_default="0")
    # A manager approved (or gave) it, up to the Rupiah it took off then (as the sale's).
    discount_approved: Mapped[bool] = mapped_column(default=False, server_default=false())
    discount_approved_off: Mapped[int] = mapped_column(default=0, server_default="0")
    # A manager approved a price below cost for this line.
    below_cost_ok: Mapped[bool] = mapped_column(default=False, server_default=false())
    adjust_reason: Mapped[str | None] = mapped_column(String(200))
    # An obat keras line: the prescription (doctor, date, number), the pharmacist who approved
    # and the quantity approved (more asks the apoteker again).
    rx_doctor: Mapped[str | None] = mapped_column(String(100))
    rx_date: Mapped[date | None]
    rx_number: Mapped[str | None] = mapped_column(String(40))
    pharmacist_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    rx_qty: Mapped[int | None]


class ReceiptSequence(Base):
    """Last receipt number used per outlet; bumped inside the sale's transaction."""

    __tablename__ = "receipt_sequence"

    outlet_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_no: Mapped[int] = mapped_column(default=0)


class Sale(Base):
    __tablename__ = "sale"
    __table_args__ = (
        Index("ix_sale_business_date_till", "business_date", "till_id"),
        CheckConstraint("total >= 0", name="total_nonneg"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(32), unique=True)
    seq_no: Mapped[int]
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    outlet_code: Mapped[str] = mapped_column(String(16))
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    # The till's open shift it was sold in (``pos.shifts``): whose drawer holds its cash.
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    status: Mapped[SaleStatus] = mapped_column(enum_column(SaleStatus), default=SaleStatus.COMPLETED)
    # Sold to an active member at member prices: the SHU's jasa anggota counts these.
    member_sale: Mapped[bool] = mapped_column(default=False, server_default=false())
    business_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    gross: Mapped[int]       # sum of line amounts
    discount: Mapped[int] = mapped_column(default=0)  # all discounts: member, tier, manual
    member_saving: Mapped[int] = mapped_column(default=0, server_default="0")  # Hemat anggota
    tax: Mapped[int]         # tax contained in (or added to) the total
    # Sold while the outlet was PKP (collecting PPN): its receipt and reports state the tax.
    pkp: Mapped[bool] = mapped_column(default=False, server_default=false())
    # PPN added on top of the lines (PKP, POS_TAX_INCLUSIVE=false): total = lines + tax + rounding
    tax_added: Mapped[bool] = mapped_column(server_default=false())  # only: old inserts omit it
    # Cash rounding to the nearest coin (POS_CASH_ROUNDING), + or -: total = lines + rounding.
    rounding: Mapped[int] = mapped_column(default=0, server_default="0")
    total: Mapped[int]       # what the customer pays
    tendered: Mapped[int]    # money handed over, all tenders
    change: Mapped[int]      # cash given back

    lines: Mapped[list[SaleLine]] = relationship(order_by="SaleLine.line_no", lazy="raise")
    payments: Mapped[list[Payment]] = relationship(lazy="raise")


class SaleLine(Base):
    __tablename__ = "sale_line"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    line_no: Mapped[int]
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    qty: Mapped[int]
    base_unit: Mapped[BaseUnit] = mapped_column(enum_column(BaseUnit, 8))
    unit_price: Mapped[int]
    price_per: Mapped[int]
    amount: Mapped[int]
    # The catalog price per unit at sale time; discount = list amount - amount, and why.
    list_price: Mapped[int] = mapped_column(default=0, server_default="0")
    discount: Mapped[int] = mapped_column(default=0, server_default="0")
    member_saving: Mapped[int] = mapped_column(default=0, server_default="0")
    discount_reason: Mapped[str | None] = mapped_column(String(300))
    tax_class: Mapped[TaxClass] = mapped_column(enum_column(TaxClass))
    tax_rate_bp: Mapped[int]
    tax: Mapped[int]
    unit_cost: Mapped[int]
    # Copied at sale time so reports group without joining the catalog.
    business_unit: Mapped[BusinessUnit] = mapped_column(enum_column(BusinessUnit))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    manual_weight: Mapped[bool] = mapped_column(default=False)  # typed, not read from a scale
    # Returned so far (``pos.returns``): raised by one conditional UPDATE, never above qty.
    returned_qty: Mapped[int] = mapped_column(default=0, server_default="0")


class Payment(Base):
    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_nonneg"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    amount: Mapped[int]      # applied to the sale
    tendered: Mapped[int]    # handed over (cash may exceed amount)
    reference: Mapped[str | None] = mapped_column(String(64))  # bank reference of a transfer
    # Who confirmed by hand that the money arrived (QRIS without a provider connection).
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))


class PrintKind(str, enum.Enum):
    RECEIPT = "receipt"   # the original, printed right after the sale
    COPY = "copy"         # a reprint, marked SALINAN


class PrintStatus(str, enum.Enum):
    PENDING = "pending"
    PRINTED = "printed"


class PrintJob(Base):
    """A receipt to print: written with the sale, retried until printed; copies are the reprint log
    (a copy that failed keeps its ``last_error`` and is never retried: the cashier asks again)."""

    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    # The till whose printer prints it (the sale's till, or the till that asked for a copy).
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    kind: Mapped[PrintKind] = mapped_column(enum_column(PrintKind))
    status: Mapped[PrintStatus] = mapped_column(enum_column(PrintStatus), default=PrintStatus.PENDING)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]


class DrawerEvent(Base):
    """Every drawer opening, with why: a cash sale's, a manager's, Buka laci's (``shifts.drawer``)."""

    __tablename__ = "drawer_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"))
    reason: Mapped[str] = mapped_column(String(200))
    opened: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    no_sale: Mapped[bool] = mapped_column(default=False, server_default=false())
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))


class SaleLineBatch(Base):
    """Which batches a sale line took (first expiry first out): answers "who bought batch X?"."""

    __tablename__ = "sale_line_batch"

    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_line.id"), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), primary_key=True, index=True)
    qty: Mapped[int]


class SaleBuyer(Base):
    """Who bought a sale's regulated goods (NIK, name, LPG category) and who collected them
    for a farmer (a proxy: name, NIK, relation).  Written with the sale, only when asked; a
    subsidised-fertiliser sale's ``name`` is the farmer's on the e-RDKK list it redeemed against."""

    __tablename__ = "sale_buyer"

    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), primary_key=True)
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    name: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(16))
    proxy_name: Mapped[str | None] = mapped_column(String(100))
    proxy_nik: Mapped[str | None] = mapped_column(String(16))
    proxy_relation: Mapped[str | None] = mapped_column(String(40))


class SaleQuota(Base):
    """What was left of the farmer's e-RDKK allocation of one subsidised fertiliser type right
    after the sale (grams) and the season it belongs to, as the receipt prints it: a reprint
    later in the season shows the figure of the sale, not today's.  Written with the sale."""

    __tablename__ = "sale_quota"
    __table_args__ = (CheckConstraint("remaining_grams >= 0", name="remaining_nonneg"),)

    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), primary_key=True)
    fertilizer: Mapped[FertilizerType] = mapped_column(enum_column(FertilizerType, 12),
                                                       primary_key=True)
    season: Mapped[str] = mapped_column(String(40))
    remaining_grams: Mapped[int]


class SaleLineRx(Base):
    """An obat keras line's prescription and the pharmacist who approved it (printed on the
    receipt with the pharmacist's SIPA)."""

    __tablename__ = "sale_line_rx"

    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_line.id"), primary_key=True)
    doctor: Mapped[str] = mapped_column(String(100))
    rx_date: Mapped[date]
    rx_number: Mapped[str] = mapped_column(String(40))
    pharmacist_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
