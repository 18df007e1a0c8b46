"""The SHU tables on the hub's ``MetaData``: the members' yearly basis as the day documents
bring it (purchases, savings), and the SHU runs (a simulation, then one frozen list).

Members are known by the cooperative's member number, shared by all its outlets; a row
keeps the name as the outlet sent it.  ``schema`` imports this module so ``create_all``
makes these tables too.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import CleanString
from pos.ledger_hub.models import HubBase


class HubMemberPurchase(HubBase):
    """One member's purchases in one stored document (net of that day's returns)."""
    __tablename__ = "hub_member_purchase"
    __table_args__ = (PrimaryKeyConstraint("document_id", "number"),
                      Index("ix_hub_member_purchase_date_number", "business_date", "number"))

    document_id: Mapped[str] = mapped_column(String(80))
    number: Mapped[str] = mapped_column(String(40))
    outlet_code: Mapped[str] = mapped_column(String(32))
    business_date: Mapped[date]
    name: Mapped[str] = mapped_column(CleanString(120), default="")
    amount: Mapped[int] = mapped_column(default=0)


class HubMemberSaving(HubBase):
    """One member's savings and kasbon repayments taken in one stored document's day."""
    __tablename__ = "hub_member_saving"
    __table_args__ = (PrimaryKeyConstraint("document_id", "number"),
                      Index("ix_hub_member_saving_date_number", "business_date", "number"))

    document_id: Mapped[str] = mapped_column(String(80))
    number: Mapped[str] = mapped_column(String(40))
    outlet_code: Mapped[str] = mapped_column(String(32))
    business_date: Mapped[date]
    name: Mapped[str] = mapped_column(CleanString(120), default="")
    pokok: Mapped[int] = mapped_column(default=0)
    wajib: Mapped[int] = mapped_column(default=0)
    sukarela: Mapped[int] = mapped_column(default=0)
    repayments: Mapped[int] = mapped_column(default=0)


class HubShuRun(HubBase):
    """A book year's SHU: its one run, a simulation (replaced by the next) or the frozen list."""
    __tablename__ = "hub_shu_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)   # one run a year
    status: Mapped[str] = mapped_column(String(16))          # simulation | frozen
    settings: Mapped[str] = mapped_column(Text)              # JSON: split (bp), savings basis
    figures: Mapped[str] = mapped_column(Text, default="{}")  # JSON: PHU, member share, parts
    pool: Mapped[int]                                         # the SHU to share
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(CleanString(80), default="")
    frozen_at: Mapped[datetime | None]
    frozen_by: Mapped[str | None] = mapped_column(CleanString(80))


class HubShuMember(HubBase):
    """One member's line of a run: the basis and the two shares, whole Rupiah."""
    __tablename__ = "hub_shu_member"
    __table_args__ = (PrimaryKeyConstraint("run_id", "number"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("hub_shu_run.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(CleanString(120), default="")
    purchases: Mapped[int] = mapped_column(default=0)
    savings: Mapped[int] = mapped_column(default=0)
    jasa_anggota: Mapped[int] = mapped_column(default=0)
    jasa_modal: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
