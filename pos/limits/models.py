"""Limit rules: how much of a product (or a group of products, each pointing at the rule with
``product.limit_rule_id``) one buyer may take per day or per week."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class LimitPeriod(str, enum.Enum):
    DAY = "day"
    WEEK = "week"  # Monday to Sunday, outlet-local dates

    @property
    def label(self) -> str:
        return {"day": "per hari", "week": "per minggu"}[self.value]


class BuyerKind(str, enum.Enum):
    """Who counts as the buyer for a rule."""

    ANY = "any"        # a member (by their NIK when registered) or a NIK typed at the till
    NIK = "nik"        # a NIK (typed or scanned from the KTP; a member's registered NIK counts)
    MEMBER = "member"  # members only

    @property
    def label(self) -> str:
        return {"any": "Anggota atau NIK", "nik": "NIK (KTP)", "member": "Anggota"}[self.value]


class LimitRule(Base):
    __tablename__ = "limit_rule"
    __table_args__ = (CheckConstraint("max_qty > 0", name="max_qty_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # The most one buyer may take in a period, in the products' base unit (pieces for SPHP packs).
    max_qty: Mapped[int]
    period: Mapped[LimitPeriod] = mapped_column(enum_column(LimitPeriod, 8), default=LimitPeriod.DAY)
    buyer: Mapped[BuyerKind] = mapped_column(enum_column(BuyerKind, 8), default=BuyerKind.ANY)
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LimitTotal(Base):
    """What one buyer has taken under a rule in one period: the row the take's conditional
    UPDATE raises, so two tills cannot pass the limit together."""

    __tablename__ = "limit_total"
    __table_args__ = (UniqueConstraint("rule_id", "buyer_key", "period_start"),
                      CheckConstraint("taken >= 0", name="taken_not_negative"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("limit_rule.id"))
    # ``nik:<16 digits>`` or ``member:<id>``
    buyer_key: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date]  # the business date (day) or its Monday (week)
    taken: Mapped[int] = mapped_column(default=0)


class LimitTake(Base):
    """One sale line's take under a rule: for the reports, and given back on a return."""

    __tablename__ = "limit_take"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_line.id"), index=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("limit_rule.id"))
    buyer_key: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date]
    qty: Mapped[int]
    given_back: Mapped[int] = mapped_column(default=0)
    receipt_no: Mapped[str] = mapped_column(String(32))


class LimitRuleChange(Base):
    """A rule made or changed on /batas (``rules.save_rule``): the field (``created``, ``name``,
    ``max_qty``, ``period``, ``buyer``, ``active``, ``note``), before and after in words, who
    and when; read by the audit log (``Ubah batas per pembeli``).  Products put under a rule or
    taken out are in the catalog's change log."""

    __tablename__ = "limit_rule_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("limit_rule.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    old_text: Mapped[str | None] = mapped_column(String(200))
    new_text: Mapped[str | None] = mapped_column(String(200))
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
