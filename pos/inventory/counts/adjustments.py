"""Manual stock adjustments and write-offs: requested with a reason, posted when a manager approves.

A request changes no stock.  ``approve`` posts one ADJUSTMENT or WRITEOFF movement
through ``stock.apply`` (ref ``adjustment:<id>``, the approving manager as user,
the request's reason as why), so the ledger stays append-only.  What may not go
below zero (any batch, a product that blocks negative stock, and any product at
all for a write-off) is refused at the request, counting the decreases already
waiting, and again at approval; see ``checks``.  Nobody approves their own request
unless the outlet allows it (``POS_SELF_APPROVAL``), and then it is recorded as a
self-approval.  Expired batches with stock left get a one-click request to write
off what remains; nothing is added to an expired batch (refused at the request and at approval,
given the business day).

The rights are checked here as well as on the routes: only a manager or an
admin may approve or reject.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.days.service import ensure_open
from pos.errors import NotFound
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.counts.checks import (
    AdjustmentError,
    amount,
    approver,
    checked_batch,
    checked_product,
    guarded,
    require_manager,
    shortfall,
    stock_move,
    what,
)
from pos.inventory.counts.models import AdjustmentKind, ApprovalStatus, StockAdjustment
from pos.inventory.models import Batch, MovementKind
from pos.units import BaseUnit

MIN_REASON, MAX_REASON = 5, 200
STATUS_LABEL = {ApprovalStatus.PENDING: "menunggu", ApprovalStatus.APPROVED: "disetujui",
                ApprovalStatus.REJECTED: "ditolak"}


def _reason(text: str | None) -> str:
    text = " ".join((text or "").split())
    if len(text) < MIN_REASON:
        raise AdjustmentError(f"Tulis alasannya (paling sedikit {MIN_REASON} huruf).")
    if len(text) > MAX_REASON:
        raise AdjustmentError(f"Alasan terlalu panjang (paling banyak {MAX_REASON} huruf).")
    return text


def waiting_decrease(session: Session, product_id: int, batch_id: int | None) -> int:
    """The sum (zero or negative) of the decreases of this product or batch still waiting."""
    batch = StockAdjustment.batch_id == batch_id if batch_id is not None \
        else StockAdjustment.batch_id.is_(None)
    return int(session.scalar(select(func.coalesce(func.sum(StockAdjustment.qty), 0)).where(   # PG: numeric
        StockAdjustment.product_id == product_id, batch, StockAdjustment.qty < 0,
        StockAdjustment.status == ApprovalStatus.PENDING)) or 0)


def waiting_by_batch(session: Session, product_id: int) -> dict[int | None, int]:
    """``waiting_decrease`` for the product (key None) and each of its batches, in one query."""
    rows = session.execute(
        select(StockAdjustment.batch_id, func.sum(StockAdjustment.qty))
        .where(StockAdjustment.product_id == product_id, StockAdjustment.qty < 0,
               StockAdjustment.status == ApprovalStatus.PENDING)
        .group_by(StockAdjustment.batch_id))
    return {batch_id: int(total) for batch_id, total in rows}


def request_adjustment(session: Session, product_id: int, qty: int, reason: str, user_id: int,
                       batch_id: int | None = None,
                       kind: AdjustmentKind | str = AdjustmentKind.ADJUSTMENT, *,
                       today: date | None = None) -> StockAdjustment:
    """A pending correction of ``qty`` (signed, base units); stock changes only on approval.  An
    increase into a batch expired on ``today`` is refused (``_refuse_expired``)."""
    product = checked_product(session, product_id)
    batch = checked_batch(session, product, batch_id)
    _refuse_expired(batch, qty, today)
    kind = AdjustmentKind(kind)
    most = stock.MAX_MOVE[BaseUnit(product.base_unit)]
    if isinstance(qty, bool) or not isinstance(qty, int) or qty == 0 or abs(qty) > most:
        raise AdjustmentError("Jumlah perubahan harus bukan nol dan paling banyak "
                              f"{amount(product, most)}.")
    if kind is AdjustmentKind.WRITEOFF and qty > 0:
        raise AdjustmentError("Pemusnahan hanya mengurangi stok.")
    reason = _reason(reason)
    writeoff, batch_id = kind is AdjustmentKind.WRITEOFF, batch.id if batch else None
    waiting = waiting_decrease(session, product.id, batch_id) if qty < 0 else 0
    _refuse_shortfall(session, product, batch, qty, writeoff, waiting)
    adjustment = StockAdjustment(kind=kind, product_id=product.id, qty=qty, reason=reason,
                                 batch_id=batch_id, requested_by=user_id)
    session.add(adjustment)
    session.flush()
    return adjustment


def request_writeoff(session: Session, product_id: int, qty: int, reason: str, user_id: int,
                     batch_id: int | None = None) -> StockAdjustment:
    """A pending write-off of ``qty`` (positive) damaged or expired base units."""
    if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
        raise AdjustmentError("Jumlah yang dimusnahkan harus lebih dari nol.")
    return request_adjustment(session, product_id, -qty, reason, user_id, batch_id,
                              AdjustmentKind.WRITEOFF)


def _refuse_expired(batch: Batch | None, qty: int, day: date | None) -> None:
    """No stock added to a batch expired on ``day``: the till never sells it.  Goods found of it
    are counted (a count is a fact) and written off; a date recorded wrong is corrected first."""
    if batch is not None and qty > 0 and day is not None and stock.is_expired(batch.expiry, day):
        raise AdjustmentError(f"Batch {batch.batch_no} sudah kedaluwarsa ({batch.expiry:%d-%m-%Y}): stok "
                              "tidak bisa ditambah ke batch ini. Jika tanggalnya salah, perbaiki "
                              "kedaluwarsanya dulu.")


def _refuse_shortfall(session: Session, product: Product, batch: Batch | None, qty: int,
                      writeoff: bool, waiting: int = 0) -> None:
    have = shortfall(session, product, batch.id if batch else None, qty, writeoff=writeoff,
                     waiting=waiting)
    if have is None:
        return
    text = f"Stok {what(product, batch.batch_no if batch else None)} sekarang {amount(product, have)}"
    if waiting:
        text += f", {amount(product, -waiting)} sudah diajukan untuk dikurangi"
    text += f"; tidak bisa dikurangi {amount(product, -qty)}{' lagi' if waiting else ''}."
    if writeoff and not guarded(product.stock_policy, batch.id if batch else None):
        text += " Barang yang tidak ada tidak bisa dimusnahkan."
    raise AdjustmentError(text)


def _pending(session: Session, adjustment_id: int) -> StockAdjustment:
    """The request, locked against a second decision at the same moment."""
    adjustment = session.scalar(
        select(StockAdjustment).where(StockAdjustment.id == adjustment_id).with_for_update()
        .execution_options(populate_existing=True))
    if adjustment is None:
        raise NotFound("Pengajuan penyesuaian tidak ditemukan.")
    if adjustment.status is not ApprovalStatus.PENDING:
        status = STATUS_LABEL[adjustment.status]
        raise AdjustmentError(f"Pengajuan #{adjustment.id} sudah {status}.")
    return adjustment


def approve(session: Session, adjustment_id: int, manager_id: int,
            allow_self: bool = False, day: date | None = None) -> StockAdjustment:
    """Post the requested change as one movement, or refuse if stock would go below zero.

    The approver may not be the requester unless ``allow_self`` (``POS_SELF_APPROVAL``).
    Refused when the business ``day`` it is posted on is closed (``pos.days``), and for an
    increase into a batch expired on that day.
    """
    require_manager(session, manager_id)
    if day is not None:
        ensure_open(session, day)
    adjustment = _pending(session, adjustment_id)
    self_approved = approver(session, manager_id, {adjustment.requested_by}, allow_self)
    product = session.get(Product, adjustment.product_id)
    batch = session.get(Batch, adjustment.batch_id) if adjustment.batch_id else None
    writeoff = adjustment.kind is AdjustmentKind.WRITEOFF
    _refuse_expired(batch, adjustment.qty, day)   # asked while good, expired since
    _refuse_shortfall(session, product, batch, adjustment.qty, writeoff)
    kind = MovementKind.WRITEOFF if writeoff else MovementKind.ADJUSTMENT
    stock.apply(session, [stock_move(product, adjustment.qty, adjustment.batch_id, writeoff,
                                     unit_cost=product.cost)], kind,
                user_id=manager_id, reason=adjustment.reason, ref=f"adjustment:{adjustment.id}")
    _decide(adjustment, ApprovalStatus.APPROVED, manager_id)
    adjustment.self_approved = self_approved
    session.flush()
    return adjustment


def reject(session: Session, adjustment_id: int, manager_id: int,
           note: str | None = None) -> StockAdjustment:
    """Close the request without touching stock; the note is kept after the reason.

    A manager may reject (withdraw) their own request: nothing changes.
    """
    require_manager(session, manager_id)
    adjustment = _pending(session, adjustment_id)
    note = " ".join((note or "").split())
    if note:
        adjustment.reason = f"{adjustment.reason} | Ditolak: {note}"[:MAX_REASON]
    _decide(adjustment, ApprovalStatus.REJECTED, manager_id)
    session.flush()
    return adjustment


def _decide(adjustment: StockAdjustment, status: ApprovalStatus, manager_id: int) -> None:
    adjustment.status, adjustment.decided_by, adjustment.decided_at = status, manager_id, utcnow()


def waiting_writeoff(batch_id):
    """SQL: a write-off request for the batch is waiting for a decision."""
    return exists().where(StockAdjustment.batch_id == batch_id,
                          StockAdjustment.kind == AdjustmentKind.WRITEOFF,
                          StockAdjustment.status == ApprovalStatus.PENDING)


def request_expired_writeoff(session: Session, batch_id: int, user_id: int,
                             today: date) -> StockAdjustment:
    """A write-off request for all that is left of an expired batch."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("Batch tidak ditemukan.")
    if not stock.is_expired(batch.expiry, today):
        raise AdjustmentError(f"Batch {batch.batch_no} belum kedaluwarsa.")
    if session.scalar(select(waiting_writeoff(Batch.id)).where(Batch.id == batch.id)):
        raise AdjustmentError(f"Pemusnahan batch {batch.batch_no} sudah diajukan.")
    left = session.scalar(select(Batch.on_hand).where(Batch.id == batch.id)) or 0
    if left <= 0:
        raise AdjustmentError(f"Batch {batch.batch_no} sudah habis.")
    return request_writeoff(session, batch.product_id, left, f"Kedaluwarsa {batch.expiry:%d-%m-%Y}",
                            user_id, batch.id)
