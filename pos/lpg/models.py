"""Tables of pos.lpg: every LPG 3 kg sale line with the buyer's NIK and category, the
pangkalan's daily list for Pertamina's merchant app (MAP)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column
from pos.inventory.catalog.models import LpgKind


class LpgSale(Base):
    """One LPG 3 kg sale line; ``returned_qty`` grows with returns (``service.give_back``)."""

    __tablename__ = "lpg_sale"
    __table_args__ = (CheckConstraint("returned_qty >= 0 AND returned_qty <= qty",
                                      name="returned_within"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"))
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_line.id"), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(32))
    business_date: Mapped[date] = mapped_column(index=True)
    nik: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(16))  # a key of ``pos.members.buyers.CATEGORIES``
    kind: Mapped[LpgKind] = mapped_column(enum_column(LpgKind, 8))
    qty: Mapped[int]
    returned_qty: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
