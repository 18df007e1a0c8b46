"""A return form posted twice books one return: its idempotency key.

The return form carries a key made when the page is loaded (``views.form``); a post sent again
with it (a double click, a retry after the LAN dropped the answer, the browser resending) finds
the return the first post booked and answers with it: no second refund, no stock put back
twice, no return number used.  The key is stored on the return (``sale_return``, unique), and
``service.make_return`` looks it up after ``numbering.hold``, so two posts at once queue and the
second sees the first; the unique column refuses a second row should two ever get past it.

A key that already booked a return of another receipt or of other lines is refused: that is
not a retry, and nothing is changed.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.returns.models import ReturnRefund, SaleReturn, SaleReturnLine
from pos.sales.models import PaymentMethod


class KeyRefused(PosError):
    """The form's key is not valid, or it booked a different return: nothing was changed."""


@dataclass(frozen=True)
class Done:
    """A committed return, for the screen and the slip."""

    id: int
    return_no: str
    refund_total: int
    refunds: list[tuple[PaymentMethod, int]]
    drawer_event: int | None
    created: bool = True  # False: the key had already booked this return (a post sent again)


def valid_key(key: str | None) -> str:
    """The key in its one spelling (a UUID, lower case with hyphens)."""
    try:
        return str(uuid.UUID(key))
    except (ValueError, TypeError, AttributeError):
        raise KeyRefused("Kunci formulir retur tidak sah. Muat ulang halaman retur.", 400) from None


def earlier(session: Session, key: str, sale_id: int, wanted) -> Done | None:
    """The return ``key`` already booked, when it is this one (the same receipt, lines,
    quantities and damaged ticks); None when the key is new."""
    head = session.execute(select(SaleReturn.id, SaleReturn.return_no, SaleReturn.sale_id,
                                  SaleReturn.refund_total)
                           .where(SaleReturn.idempotency_key == key)).first()
    if head is None:
        return None
    lines = {tuple(row) for row in session.execute(
        select(SaleReturnLine.sale_line_id, SaleReturnLine.qty, SaleReturnLine.restock)
        .where(SaleReturnLine.return_id == head.id))}
    if head.sale_id != sale_id or lines != {(w.sale_line_id, w.qty, w.restock) for w in wanted}:
        raise KeyRefused(f"Formulir ini sudah dipakai untuk retur {head.return_no} dengan struk "
                         "atau barang lain; retur ini tidak disimpan. Muat ulang halaman retur "
                         "lalu isi lagi.", 409)
    refunds = session.execute(select(ReturnRefund.method, ReturnRefund.amount)
                              .where(ReturnRefund.return_id == head.id)
                              .order_by(ReturnRefund.id)).all()
    return Done(head.id, head.return_no, head.refund_total,
                [(PaymentMethod(m), a) for m, a in refunds], None, created=False)
