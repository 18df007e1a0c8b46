"""Outlet settings kept in the database: one row per key, and every change with who made it.

Settings that a manager changes on the Pengaturan screen (today the static QRIS)
live here; everything else stays in ``pos.config`` and the environment.  A change
is never overwritten: ``outlet_setting_change`` keeps the old and the new value.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId


class OutletSetting(Base):
    __tablename__ = "outlet_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutletSettingChange(Base):
    """One saved change of a setting: who, when, the value before (None: unset) and after."""

    __tablename__ = "outlet_setting_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
