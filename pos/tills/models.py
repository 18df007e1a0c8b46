"""A till: one counter of the gerai, with its own cart (sales) and later its shifts."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pos.db import Base, BigId


class Till(Base):
    __tablename__ = "till"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(default=True)
