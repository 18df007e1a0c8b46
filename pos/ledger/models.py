"""The ledger outbox: every document that must reach the cooperative's ledger hub.

A row is written in the same transaction as the change it reports (closing a day, a
correction booked later), so a document exists exactly when its day does; ``pos ledger
push`` sends the unsent ones in order and marks them, never deleting one.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"     # not yet accepted by the hub (new, or the hub was unreachable)
    SENT = "sent"           # the hub stored it (201) or already had it (200 duplicate)
    REJECTED = "rejected"   # the hub said it is invalid (4xx): shown to the manager, not retried


class LedgerOutbox(Base):
    __tablename__ = "ledger_outbox"
    __table_args__ = (Index("ix_ledger_outbox_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)   # the order documents go in
    document_id: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(16))               # day | correction
    business_date: Mapped[date]
    body: Mapped[str] = mapped_column(Text)                     # the JSON exactly as sent
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
