"""Cancelling a delivery rejected whole that was posted by mistake (the goods were in fact
taken in, or it was the wrong delivery note).

Such a receipt (``GoodsReceipt.rejected_whole``) moved no stock and changed no cost, and the
day's journal books nothing for it (its lines are worth Rp0), so a manager may cancel it with a
reason: who, when and why are kept on it, it stays on the list marked *dibatalkan*, and its
delivery note may be used again.  Nothing else is written: no stock movement, no cost change.
A receipt that moved stock is never cancelled here: its correction (``reversal``, a return to
the supplier approved by another manager) takes its goods back out.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.inventory.models import StockMovement
from pos.inventory.receiving.models import ReceiptStatus
from pos.inventory.receiving.receipts import ReceivingError, locked_receipt


def cancel_rejected(session: Session, receipt_id: int, manager_id: int, reason: str) -> None:
    """Mark a posted receipt rejected whole as cancelled by ``manager_id`` for ``reason``;
    refused, writing nothing, for any other receipt."""
    receipt = locked_receipt(session, receipt_id)
    if receipt.cancelled_at is not None:
        raise ReceivingError(f"{receipt.number} sudah dibatalkan.")
    if receipt.reverses_id is not None or receipt.status is not ReceiptStatus.POSTED:
        raise ReceivingError(f"Hanya penerimaan yang diposting dan ditolak seluruhnya yang bisa "
                             f"dibatalkan ({receipt.number} bukan).")
    moved = session.scalar(select(func.count()).select_from(StockMovement)
                           .where(StockMovement.ref == f"receipt:{receipt.id}"))
    if not receipt.rejected_whole or moved:
        raise ReceivingError(f"{receipt.number} memasukkan barang ke stok, jadi tidak bisa dibatalkan: "
                             "buat koreksi (barang dikembalikan ke pemasok) yang disetujui manajer.")
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= 200:
        raise ReceivingError("Tulis alasan pembatalan (3 sampai 200 huruf).")
    receipt.cancelled_by, receipt.cancelled_at, receipt.cancel_reason = manager_id, utcnow(), reason
    session.flush()
