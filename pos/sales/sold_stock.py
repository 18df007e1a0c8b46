"""What a sale takes from stock (``checkout``): the outgoing moves, batch-tracked lines first
expiry first out, and which batches each line took (for recalls)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pos.inventory import stock
from pos.inventory.catalog.models import StockPolicy
from pos.sales.models import SaleLine, SaleLineBatch


def moves(session: Session, rows, today: date):
    """Outgoing moves for the cart; batch-tracked lines go first expiry first out."""
    moves, picked = [], {}
    for line_no, row in enumerate(rows, start=1):
        if row.batch_tracked:
            taken = stock.fefo_moves(session, row.id, row.qty, today, row.name)
            picked[line_no] = [(m.batch_id, -m.qty) for m in taken]
            moves += taken
        else:
            block = row.stock_policy is StockPolicy.BLOCK
            moves.append(stock.Move(row.id, -row.qty, block, row.name))
    return moves, picked


def record_batches(session: Session, sale_id: int, picked: dict[int, list[tuple[int, int]]]) -> None:
    """Which batches each line took, for recalls ("which receipts sold batch X?")."""
    ids = dict(session.execute(
        select(SaleLine.line_no, SaleLine.id).where(SaleLine.sale_id == sale_id)).all())
    session.execute(insert(SaleLineBatch), [
        {"sale_line_id": ids[line_no], "batch_id": batch_id, "qty": qty}
        for line_no, taken in picked.items() for batch_id, qty in taken])
