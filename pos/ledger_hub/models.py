"""The hub's tables, in their own ``MetaData`` (the hub database, ``POS_LEDGER_DATABASE_URL``;
never the outlet's ``pos.db.Base``).

``hub_journal_line`` is partitioned by business month on PostgreSQL (``PARTITION BY RANGE
(business_date)``; ``schema.ensure_month`` adds a month's partition when its first document
arrives), a plain table on SQLite.  Its primary key therefore starts with the partition key.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, MetaData, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pos.clock import utcnow
from pos.db import NAMING, CleanString

SCHEMA_VERSION = 4   # 2: hub_operator.sessions_valid_after; 3: hub_login_failure; 4: hub_document_void


class HubBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {int: BigInteger()}


class HubOutlet(HubBase):
    """An outlet allowed to push: its token (kept as a sha256) and its signing secret."""
    __tablename__ = "hub_outlet"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(CleanString(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64))
    secret: Mapped[str] = mapped_column(String(128))       # HMAC needs the secret itself
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HubDocument(HubBase):
    """One received document, its body exactly as sent (the hash covers it)."""
    __tablename__ = "hub_document"
    __table_args__ = (Index("ix_hub_document_outlet_date", "outlet_code", "business_date"),)

    document_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    outlet_code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[date]
    hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class HubDocumentVoid(HubBase):
    """A stored document set aside by an operator (``voids``): the document row and its body
    stay, its journal lines and SHU basis are gone from the books; who, when and why is here."""
    __tablename__ = "hub_document_void"

    document_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    voided_at: Mapped[datetime] = mapped_column(default=utcnow)
    voided_by: Mapped[str] = mapped_column(CleanString(80))
    reason: Mapped[str] = mapped_column(CleanString(300))


class HubJournalLine(HubBase):
    """One journal line of a stored document, in integer Rupiah."""
    __tablename__ = "hub_journal_line"
    __table_args__ = (PrimaryKeyConstraint("business_date", "document_id", "line_no"),
                      Index("ix_hub_journal_line_outlet_date", "outlet_code", "business_date"),
                      Index("ix_hub_journal_line_account_date", "account", "business_date"),
                      {"postgresql_partition_by": "RANGE (business_date)"})

    business_date: Mapped[date]
    document_id: Mapped[str] = mapped_column(String(80))
    line_no: Mapped[int] = mapped_column(Integer)
    outlet_code: Mapped[str] = mapped_column(String(32))
    account: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(CleanString(120))
    debit: Mapped[int] = mapped_column(default=0)
    credit: Mapped[int] = mapped_column(default=0)
    memo: Mapped[str] = mapped_column(CleanString(300), default="")
    unit: Mapped[str | None] = mapped_column(String(40))
    member: Mapped[bool | None] = mapped_column(Boolean)


class HubSeenSignature(HubBase):
    """Signatures of accepted requests, kept for twice the window: an exact replay is refused."""
    __tablename__ = "hub_seen_signature"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class HubOperator(HubBase):
    """A person of the cooperative who may open the hub's screens (``access``).  A session
    signed in at or before ``sessions_valid_after`` is over (set at sign-out, a new password
    and deactivation)."""
    __tablename__ = "hub_operator"

    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sessions_valid_after: Mapped[datetime | None] = mapped_column(default=None)


class HubLoginFailure(HubBase):
    """A wrong password for an operator from a client address (``lockout``), kept only while it
    counts: in the database, so every hub process counts the same tries."""
    __tablename__ = "hub_login_failure"
    __table_args__ = (Index("ix_hub_login_failure_operator_at", "operator", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(45))
    at: Mapped[datetime]


class HubOpening(HubBase):
    """Imported opening balances of one outlet ("" for the cooperative itself), as at a date:
    the books of that scope start then (``opening``)."""
    __tablename__ = "hub_opening"

    outlet_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    as_of: Mapped[date]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(CleanString(80), default="")


class HubOpeningLine(HubBase):
    """One account's opening balance of a ``HubOpening``."""
    __tablename__ = "hub_opening_line"
    __table_args__ = (PrimaryKeyConstraint("outlet_code", "account"),)

    outlet_code: Mapped[str] = mapped_column(String(32))
    account: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(CleanString(120), default="")
    debit: Mapped[int] = mapped_column(default=0)
    credit: Mapped[int] = mapped_column(default=0)


class HubSchemaVersion(HubBase):
    """One row: the version of the hub's schema (``schema.ensure``)."""
    __tablename__ = "hub_schema_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


metadata = HubBase.metadata
