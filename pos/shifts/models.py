"""A shift: one cashier's time at one till and the cash drawer's money over it.

Shifts, not logins, own the cash: a sale, a member's cash payment, a cash refund and a
cash movement each carry the shift they happened in, so a shift's expected cash is a sum
over its own rows.  At most one shift is open per till (a partial unique index); a
closed shift never changes.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column
from pos.partial_index import partial_index

OPEN = text("closed_at IS NULL")


class Shift(Base):
    __tablename__ = "shift"
    __table_args__ = (
        partial_index("uq_shift_open_till", "till_id", unique=True, where=OPEN),
        Index("ix_shift_business_date", "business_date"),
        CheckConstraint("opening_float >= 0", name="float_nonneg"),
        # Its number (#12, Z-12) is its id: never given twice, after a restore either
        # (``pos.backup.numbers``).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    business_date: Mapped[date]          # the outlet-local day it was opened
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Kas awal: counted by denomination ({"100000": 2, ...}) or typed as a total (counts NULL).
    opening_float: Mapped[int]
    opening_counts: Mapped[dict | None] = mapped_column(JSON)
    # The counted cash of the till's previous closing (NULL for the till's first shift), and why
    # the float differs from it (``opening_difference``): its note and the manager who approved.
    previous_counted: Mapped[int | None]
    opening_note: Mapped[str | None] = mapped_column(String(200))
    opening_approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))   # who counted
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))  # the manager
    closing_counts: Mapped[dict | None] = mapped_column(JSON)
    expected_cash: Mapped[int | None]
    counted_cash: Mapped[int | None]
    # Counted - expected over every tender (cash over +, short -), kept with its reason.
    difference: Mapped[int | None]
    close_reason: Mapped[str | None] = mapped_column(String(200))

    @hybrid_property
    def opening_difference(self) -> int | None:
        """The float less the till's previous closing count (money gone or come between two
        shifts); None for a till's first shift.  Derived, never stored: in SQL the same
        subtraction, NULL without a previous count, so a sum of it leaves first shifts out."""
        return None if self.previous_counted is None else self.opening_float - self.previous_counted

    @opening_difference.inplace.expression
    @classmethod
    def _opening_difference(cls):
        return cls.opening_float - cls.previous_counted


class ShiftTender(Base):
    """Expected vs counted per tender, written once when the shift closes."""

    __tablename__ = "shift_tender"

    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id"), primary_key=True)
    method: Mapped[str] = mapped_column(String(16), primary_key=True)  # PaymentMethod value
    expected: Mapped[int]
    counted: Mapped[int]
    difference: Mapped[int]


class CashDirection(str, enum.Enum):
    IN = "in"     # Kas masuk: change brought in, a top-up
    OUT = "out"   # Kas keluar: petty cash, a supplier paid, a bank deposit

    @property
    def label(self) -> str:
        return {"in": "Kas masuk", "out": "Kas keluar"}[self.value]


class CashMovement(Base):
    __tablename__ = "cash_movement"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id"), index=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    direction: Mapped[CashDirection] = mapped_column(enum_column(CashDirection, 8))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    business_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
