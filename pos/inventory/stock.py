"""The only writer of stock: every change is a ``StockMovement`` plus a matching
SQL-side update of ``StockLevel.on_hand`` in the same transaction.

The decrement happens in SQL (``on_hand = on_hand + :qty``), never computed in
Python, so two tills selling at once cannot lose an update.  For products that
block negative stock, the update is conditional and a row count of zero means
the stock was not there: the sale is refused and nothing is written.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import PosError
from pos.inventory.models import MovementKind, Product, StockLevel, StockMovement


class OutOfStock(PosError):
    pass


@dataclass(frozen=True)
class Move:
    product_id: int
    qty: int            # signed, base units
    block_negative: bool = False
    name: str = ""


def apply(session: Session, moves: list[Move], kind: MovementKind, *, user_id: int | None = None,
          sale_id: int | None = None, reason: str | None = None) -> None:
    """Write ``moves`` as one batch of movements and on-hand updates."""
    if not moves:
        return
    now = utcnow()
    for move in moves:
        if move.qty == 0:
            raise PosError("Jumlah perubahan stok tidak boleh nol.")
        stmt = update(StockLevel).where(StockLevel.product_id == move.product_id)
        if move.block_negative and move.qty < 0:
            stmt = stmt.where(StockLevel.on_hand + move.qty >= 0)
        result = session.execute(
            stmt.values(on_hand=StockLevel.on_hand + move.qty),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount != 1:
            available = session.scalar(
                select(StockLevel.on_hand).where(StockLevel.product_id == move.product_id))
            if available is None:
                raise PosError(f"Barang {move.name or move.product_id} belum punya catatan stok.")
            raise OutOfStock(f"Stok {move.name} tidak cukup (tersisa {max(available, 0)}).")
    session.execute(insert(StockMovement), [
        {"product_id": m.product_id, "qty": m.qty, "kind": kind, "sale_id": sale_id,
         "user_id": user_id, "reason": reason, "created_at": now}
        for m in moves
    ])


def move(session: Session, product: Product, qty: int, kind: MovementKind, *,
         user_id: int | None = None, reason: str | None = None) -> None:
    """One movement for one product (receipts, adjustments, opening stock)."""
    apply(session, [Move(product.id, qty, False, product.name)], kind, user_id=user_id,
          reason=reason)


def on_hand(session: Session, product_id: int) -> int:
    return session.scalar(select(StockLevel.on_hand).where(StockLevel.product_id == product_id)) or 0


def discrepancies(session: Session) -> list[tuple[int, int, int]]:
    """(product_id, on_hand, movement sum) wherever the two disagree."""
    sums = (select(StockMovement.product_id, func.sum(StockMovement.qty).label("total"))
            .group_by(StockMovement.product_id).subquery())
    rows = session.execute(
        select(StockLevel.product_id, StockLevel.on_hand, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.product_id == StockLevel.product_id)
        .where(StockLevel.on_hand != func.coalesce(sums.c.total, 0))
    )
    return [tuple(r) for r in rows]
