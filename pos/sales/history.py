"""Earlier sales at the till: today's receipts of one till, and finding one by its number or QR.

The receipt's QR holds ``GERAIPOS:<receipt no>:<total>:<code>`` (``receipt.qr_payload``);
a 2D scanner types it into the search box like any code.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.sales import numbering
from pos.sales.models import Sale, SaleLine

MAX_ROWS = 300


@dataclass(frozen=True)
class PastSale:
    id: int
    receipt_no: str
    created_at: datetime
    total: int
    lines: int


def receipt_number(text: str) -> str:
    """The receipt number in what was typed or scanned: a QR payload or the number itself."""
    text = (text or "").strip()
    if text.upper().startswith("GERAIPOS:"):
        parts = text.split(":")
        return parts[1].strip().upper() if len(parts) > 1 else ""
    return text.upper()


def todays_sales(session: Session, till_id: int, day: date, text: str = "",
                 limit: int = MAX_ROWS) -> list[PastSale]:
    """The till's sales of ``day``, newest first; ``text`` narrows to receipt numbers holding it."""
    lines = (select(func.count()).where(SaleLine.sale_id == Sale.id).scalar_subquery())
    query = (select(Sale.id, Sale.receipt_no, Sale.created_at, Sale.total, lines)
             .where(Sale.till_id == till_id, Sale.business_date == day)
             .order_by(Sale.id.desc()).limit(limit))
    wanted = receipt_number(text)
    if wanted:
        query = query.where(Sale.receipt_no.contains(wanted, autoescape=True))
    return [PastSale(*row) for row in session.execute(query)]


def find_receipt(session: Session, text: str, outlet_code: str | None = None) -> int | None:
    """The id of the sale whose receipt number is exactly what was typed or scanned, or, for
    digits alone (``280``, ``0000280``: the number as a customer reads it out), this outlet's
    receipt of that number (``GERAI01-0000280``)."""
    wanted = receipt_number(text)
    if not wanted:
        return None
    found = session.scalar(select(Sale.id).where(Sale.receipt_no == wanted))
    if found is None and outlet_code and wanted.isascii() and wanted.isdigit() and len(wanted) <= 12:
        found = session.scalar(select(Sale.id).where(
            Sale.receipt_no == numbering.receipt_no(outlet_code, int(wanted))))
    return found
