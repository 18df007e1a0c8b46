"""A member of the cooperative (the register), found at the till by number, card or phone; and
the counter that numbers new in-store member cards."""
from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import business_date, utcnow
from pos.config import DefaultConfig
from pos.db import Base, BigId


def _today() -> date:
    """The outlet's date by the default zone, for rows written without a join date (tests, seeds);
    the screens and imports always pass the date the manager typed."""
    return business_date(utcnow(), DefaultConfig.TIMEZONE)


class Member(Base):
    __tablename__ = "member"
    # a number or card typed in any letters (the register's checks, a saldo awal file's numbers)
    __table_args__ = (Index("ix_member_number_upper", func.upper(text("number"))),
                      Index("ix_member_card_barcode_upper", func.upper(text("card_barcode"))))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)      # full; shown masked
    phone: Mapped[str | None] = mapped_column(String(20), index=True)     # 08..., normalize_phone
    card_barcode: Mapped[str | None] = mapped_column(String(32), unique=True)
    active: Mapped[bool] = mapped_column(default=True)                    # aktif / nonaktif
    joined_on: Mapped[date] = mapped_column(default=_today)               # business date
    address: Mapped[str | None] = mapped_column(String(200))

    @property
    def status(self) -> str:
        return "aktif" if self.active else "nonaktif"


class MemberCardSequence(Base):
    """The last serial given to a new in-store card under ``prefix``: it only grows, so a card
    number is never given twice, and its row lock queues two managers asking at once."""

    __tablename__ = "member_card_sequence"

    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    last_no: Mapped[int] = mapped_column(BigInteger)
