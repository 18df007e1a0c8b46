"""Returned units of one return line back to stock (``service._return_line``).

Back to the batches the sale took, less what earlier returns of the line put back, earliest
expiry first (undated last, then by id): the return form does not ask which strip came back,
and earliest first never books a unit under a later date than it had.  Units that would go
into a batch already expired on the return's business date (``stock.is_expired``: from its
expiry date on) never go back on the shelf: booked back and written off at once, as the form's
"rusak" box does for a whole line, and said on the slip (``EXPIRED``).  The refund is the
return's, unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

from pos.inventory import stock
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.returns.models import SaleReturnBatch, SaleReturnLine
from pos.sales.models import SaleLineBatch

# The write-off reason of units returned into an expired batch (the ledger books it as a loss,
# unlike the "rusak" write-off that the returned line's own ``restock`` books)
EXPIRED = "sudah kedaluwarsa: tidak dikembalikan ke rak"


def expired_note(batch_no: str) -> str:
    return f"batch {batch_no} {EXPIRED}"


def expired_units():
    """A correlated subquery: the units of each ``SaleReturnLine`` of the outer query that went
    into a batch already expired and were written off at once (``put_back``), from the write-offs
    booked under its return (``return:<id>``), never from the batch's expiry now (it may have
    been changed since); NULL when none."""
    booked = (select(StockMovement.id)
              .where(StockMovement.batch_id == SaleReturnBatch.batch_id,
                     StockMovement.ref == literal("return:") + cast(SaleReturnLine.return_id, String),
                     StockMovement.kind == MovementKind.WRITEOFF,
                     StockMovement.reason.like(f"%{EXPIRED}")))
    return (select(func.sum(SaleReturnBatch.qty))
            .where(SaleReturnBatch.return_line_id == SaleReturnLine.id, booked.exists())
            .correlate(SaleReturnLine).scalar_subquery())


@dataclass(frozen=True)
class Back:
    batch_id: int
    qty: int
    batch_no: str
    expiry: date | None


def batches(session: Session, sale_line_id: int, qty: int) -> tuple[list[Back], int]:
    """(the batches ``qty`` returned units go back to, earliest expiry first; what none could
    take: the batches do not match the sale)."""
    taken = session.execute(
        select(SaleLineBatch.batch_id, SaleLineBatch.qty, Batch.batch_no, Batch.expiry)
        .join(Batch, Batch.id == SaleLineBatch.batch_id)
        .where(SaleLineBatch.sale_line_id == sale_line_id)
        .order_by(Batch.expiry.is_(None), Batch.expiry, SaleLineBatch.batch_id)).all()
    back = dict(session.execute(
        select(SaleReturnBatch.batch_id, func.sum(SaleReturnBatch.qty))
        .join(SaleReturnLine, SaleReturnLine.id == SaleReturnBatch.return_line_id)
        .where(SaleReturnLine.sale_line_id == sale_line_id)
        .group_by(SaleReturnBatch.batch_id)).all())
    out, left = [], qty
    for batch_id, sold, batch_no, expiry in taken:
        put = min(left, sold - int(back.get(batch_id, 0)))
        if put > 0:
            out.append(Back(batch_id, put, batch_no, expiry))
            back[batch_id] = int(back.get(batch_id, 0)) + put
            left -= put
    return out, left


def put_back(session: Session, line, backs: list[Back], qty: int, *, restock: bool, day: date,
             user_id: int, sale_id: int, return_no: str, ref: str, now: datetime) -> None:
    """``qty`` of the sale ``line`` (``product_id``, ``name``) back into ``backs`` (none: not
    batch-tracked), then written off when damaged (``restock`` false) or, per batch, expired."""
    moves = [stock.Move(line.product_id, b.qty, False, line.name, b.batch_id) for b in backs] \
        or [stock.Move(line.product_id, qty, False, line.name)]
    stock.apply(session, moves, MovementKind.RETURN, user_id=user_id, sale_id=sale_id,
                reason=f"Retur {return_no}", ref=ref, at=now)
    if not restock:
        stock.apply(session, [stock.Move(m.product_id, -m.qty, False, m.name, m.batch_id)
                              for m in moves], MovementKind.WRITEOFF, user_id=user_id,
                    sale_id=sale_id, reason=f"Retur {return_no}: rusak", ref=ref, at=now)
        return
    for b in backs:
        if stock.is_expired(b.expiry, day):
            stock.apply(session, [stock.Move(line.product_id, -b.qty, False, line.name, b.batch_id)],
                        MovementKind.WRITEOFF, user_id=user_id, sale_id=sale_id,
                        reason=f"Retur {return_no}: {expired_note(b.batch_no)}", ref=ref, at=now)
