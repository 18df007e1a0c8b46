"""A closed business day: when, by whom, and what it was (the summary, frozen at closing).

A row here is the lock: sales, returns, member documents, cash movements and shifts are
refused for a business date that has one (``pos.days.service.ensure_open``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base


class BusinessDay(Base):
    __tablename__ = "business_day"

    business_date: Mapped[date] = mapped_column(primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    # The day summary as closed (JSON: ``pos report day --json`` extended), and its SHA-256.
    summary: Mapped[str] = mapped_column(Text)
    summary_hash: Mapped[str] = mapped_column(String(64))
