"""Staff users (a username, a hashed PIN and one role) and their sessions, kept on the server."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.clock import utcnow
from pos.db import Base, BigId, enum_column


class Role(str, enum.Enum):
    CASHIER = "cashier"
    CLERK = "clerk"
    MANAGER = "manager"
    ADMIN = "admin"
    PHARMACIST = "pharmacist"  # apoteker: approves obat keras at the till (needs a SIPA)

    @property
    def label(self) -> str:
        return {"cashier": "Kasir", "clerk": "Petugas gudang", "manager": "Manajer",
                "admin": "Admin", "pharmacist": "Apoteker"}[self.value]


class User(Base):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # A pharmacist's licence number (SIPA), printed on receipts of obat keras they approved.
    licence_no: Mapped[str | None] = mapped_column(String(60))
    # Retired by revision 0004: wrong PINs are counted in memory (pos.auth.throttle), so a
    # failed login writes nothing.  Kept (always 0 / NULL) so old databases need no rebuild.
    failed_pins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffSession(Base):
    """One login.  The cookie holds a random token and this row its SHA-256, so ending the
    row (logout, a new PIN, deactivation, idling) ends every copy of the cookie."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_user.id"), index=True)
    till_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("till.id"))
    address: Mapped[str] = mapped_column(String(45))  # the client address at login
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime]  # written at most every 30 s: idle expiry is judged on it
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(16))  # keluar, pin, nonaktif, idle


class StaffChange(Base):
    """Who changed a staff account and how (``pos.auth.service``): an account made, a new PIN,
    a name or SIPA changed, deactivated or activated again; ``changed_by`` None for the
    command line at the mini-PC. Read by the audit log and the Staf screen."""

    __tablename__ = "staff_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_user.id"), index=True)
    changed_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("staff_user.id"))
    detail: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
