"""Manual stock adjustments and write-offs: requested with a reason, posted when a manager approves.

A request changes no stock.  ``approve`` posts one ADJUSTMENT or WRITEOFF movement
through ``stock.apply`` (ref ``adjustment:<id>``, the approving manager as user,
the request's reason as why), so the ledger stays append-only.  A batch never
goes below zero, nor does a product whose policy blocks negative stock: such a
request or approval is refused and nothing changes.  Expired batches with stock
left are listed, each with a one-click request to write off what remains.

The rights are checked here as well as on the routes: only a manager or an
admin may approve or reject.  The helpers for products, batches and rights are
shared with stock counts (``counts.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.auth.service import require_right
from pos.clock import utcnow
from pos.errors import NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product, StockPolicy
from pos.inventory.counts.models import AdjustmentKind, ApprovalStatus, StockAdjustment
from pos.inventory.models import Batch, MovementKind
from pos.units import format_number

MAX_QTY = 10_000_000
MIN_REASON, MAX_REASON = 5, 200
STATUS_LABEL = {ApprovalStatus.PENDING: "menunggu", ApprovalStatus.APPROVED: "disetujui",
                ApprovalStatus.REJECTED: "ditolak"}


class AdjustmentError(PosError):
    pass


@dataclass(frozen=True)
class ExpiredBatch:
    batch_id: int
    product_id: int
    sku: str
    name: str
    base_unit: str
    batch_no: str
    expiry: date
    on_hand: int
    requested: bool  # a write-off request for it is already waiting


def require_manager(session: Session, user_id: int) -> User:
    """The user, if active and allowed to manage; otherwise ``Forbidden``."""
    return require_right(session, user_id, "manage",
                         "Hanya manajer yang boleh menyetujui atau menolak.")


def checked_product(session: Session, product_id: int | None) -> Product:
    product = session.get(Product, product_id) if product_id else None
    if product is None:
        raise AdjustmentError("Barang tidak ditemukan. Pindai atau cari ulang barangnya.")
    return product


def checked_batch(session: Session, product: Product, batch_id: int | None) -> Batch | None:
    """The batch of ``product`` named by ``batch_id``: required exactly for batch-tracked goods."""
    if not product.batch_tracked:
        if batch_id is not None:
            raise AdjustmentError(f"{product.name} tidak dicatat per batch.")
        return None
    if batch_id is None:
        raise AdjustmentError(f"{product.name} dicatat per batch: pilih batchnya.")
    batch = session.get(Batch, batch_id)
    if batch is None or batch.product_id != product.id:
        raise AdjustmentError(f"Batch itu bukan milik {product.name}. Pilih ulang batchnya.")
    return batch


def product_batches(session: Session, product_id: int) -> list[stock.BatchStock]:
    """Every batch of the product, empty ones too (a count may find goods in them)."""
    rows = session.execute(
        select(Batch.id, Batch.batch_no, Batch.expiry, Batch.on_hand)
        .where(Batch.product_id == product_id)
        .order_by(Batch.expiry.is_(None), Batch.expiry, Batch.id))
    return [stock.BatchStock(*row) for row in rows]


def shortfall(session: Session, product: Product, batch_id: int | None, qty: int) -> int | None:
    """What is held now, when adding ``qty`` would take a batch (or a product that
    blocks negative stock) below zero; ``None`` when the change may go ahead."""
    if qty >= 0:
        return None
    if batch_id is not None:
        held = session.scalar(select(Batch.on_hand).where(Batch.id == batch_id)) or 0
    elif product.stock_policy is StockPolicy.BLOCK:
        held = stock.on_hand(session, product.id)
    else:
        return None
    return held if held + qty < 0 else None


def stock_move(product: Product, qty: int, batch_id: int | None) -> stock.Move:
    blocks = product.stock_policy is StockPolicy.BLOCK
    return stock.Move(product.id, qty, blocks, product.name, batch_id)


def _reason(text: str | None) -> str:
    text = " ".join((text or "").split())
    if len(text) < MIN_REASON:
        raise AdjustmentError(f"Tulis alasannya (paling sedikit {MIN_REASON} huruf).")
    if len(text) > MAX_REASON:
        raise AdjustmentError(f"Alasan terlalu panjang (paling banyak {MAX_REASON} huruf).")
    return text


def request_adjustment(session: Session, product_id: int, qty: int, reason: str, user_id: int,
                       batch_id: int | None = None,
                       kind: AdjustmentKind | str = AdjustmentKind.ADJUSTMENT) -> StockAdjustment:
    """A pending correction of ``qty`` (signed, base units); stock changes only on approval."""
    product = checked_product(session, product_id)
    batch = checked_batch(session, product, batch_id)
    kind = AdjustmentKind(kind)
    if isinstance(qty, bool) or not isinstance(qty, int) or qty == 0 or abs(qty) > MAX_QTY:
        raise AdjustmentError("Jumlah perubahan harus bukan nol dan paling banyak "
                              f"{format_number(MAX_QTY)}.")
    if kind is AdjustmentKind.WRITEOFF and qty > 0:
        raise AdjustmentError("Pemusnahan hanya mengurangi stok.")
    reason = _reason(reason)
    _refuse_shortfall(session, product, batch, qty)
    adjustment = StockAdjustment(kind=kind, product_id=product.id, qty=qty, reason=reason,
                                 batch_id=batch.id if batch else None, requested_by=user_id)
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


def _refuse_shortfall(session: Session, product: Product, batch: Batch | None, qty: int) -> None:
    held = shortfall(session, product, batch.id if batch else None, qty)
    if held is not None:
        what = f"{product.name} batch {batch.batch_no}" if batch else product.name
        raise AdjustmentError(f"Stok {what} sekarang {held}; tidak bisa dikurangi {-qty}.")


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


def approve(session: Session, adjustment_id: int, manager_id: int) -> StockAdjustment:
    """Post the requested change as one movement, or refuse if stock would go negative."""
    require_manager(session, manager_id)
    adjustment = _pending(session, adjustment_id)
    product = session.get(Product, adjustment.product_id)
    batch = session.get(Batch, adjustment.batch_id) if adjustment.batch_id else None
    _refuse_shortfall(session, product, batch, adjustment.qty)
    kind = MovementKind.WRITEOFF if adjustment.kind is AdjustmentKind.WRITEOFF \
        else MovementKind.ADJUSTMENT
    stock.apply(session, [stock_move(product, adjustment.qty, adjustment.batch_id)], kind,
                user_id=manager_id, reason=adjustment.reason, ref=f"adjustment:{adjustment.id}")
    _decide(adjustment, ApprovalStatus.APPROVED, manager_id)
    session.flush()
    return adjustment


def reject(session: Session, adjustment_id: int, manager_id: int,
           note: str | None = None) -> StockAdjustment:
    """Close the request without touching stock; the note is kept after the reason."""
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


def _waiting_writeoff(batch_id):
    """SQL: a write-off request for the batch is waiting for a decision."""
    return exists().where(StockAdjustment.batch_id == batch_id,
                          StockAdjustment.kind == AdjustmentKind.WRITEOFF,
                          StockAdjustment.status == ApprovalStatus.PENDING)


def expired_batches(session: Session, today: date) -> list[ExpiredBatch]:
    """Batches with stock left whose expiry date has come (they can no longer be sold)."""
    rows = session.execute(
        select(Batch.id, Product.id, Product.sku, Product.name, Product.base_unit, Batch.batch_no,
               Batch.expiry, Batch.on_hand, _waiting_writeoff(Batch.id))
        .join(Product, Product.id == Batch.product_id)
        .where(Batch.on_hand > 0, Batch.expiry <= today)
        .order_by(Batch.expiry, Product.name))
    return [ExpiredBatch(*row) for row in rows]


def request_expired_writeoff(session: Session, batch_id: int, user_id: int,
                             today: date) -> StockAdjustment:
    """A write-off request for all that is left of an expired batch."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("Batch tidak ditemukan.")
    if not stock.is_expired(batch.expiry, today):
        raise AdjustmentError(f"Batch {batch.batch_no} belum kedaluwarsa.")
    if session.scalar(select(_waiting_writeoff(Batch.id)).where(Batch.id == batch.id)):
        raise AdjustmentError(f"Pemusnahan batch {batch.batch_no} sudah diajukan.")
    left = session.scalar(select(Batch.on_hand).where(Batch.id == batch.id)) or 0
    if left <= 0:
        raise AdjustmentError(f"Batch {batch.batch_no} sudah habis.")
    return request_writeoff(session, batch.product_id, left, f"Kedaluwarsa {batch.expiry:%d-%m-%Y}",
                            user_id, batch.id)


def requests(session: Session, pending: bool, limit: int = 50) -> list[dict]:
    """Waiting requests (oldest first) or decided ones (newest first), ready to show."""
    asker, decider = aliased(User), aliased(User)
    query = (
        select(StockAdjustment.id, StockAdjustment.kind, StockAdjustment.qty,
               StockAdjustment.reason, StockAdjustment.status, StockAdjustment.requested_at,
               StockAdjustment.decided_at,
               Product.sku, Product.name, Product.base_unit, Batch.batch_no,
               asker.full_name.label("requested_by"), decider.full_name.label("decided_by"))
        .join(Product, Product.id == StockAdjustment.product_id)
        .outerjoin(Batch, Batch.id == StockAdjustment.batch_id)
        .join(asker, asker.id == StockAdjustment.requested_by)
        .outerjoin(decider, decider.id == StockAdjustment.decided_by)
        .limit(limit))
    if pending:
        query = query.where(StockAdjustment.status == ApprovalStatus.PENDING) \
            .order_by(StockAdjustment.id)
    else:
        query = query.where(StockAdjustment.status != ApprovalStatus.PENDING) \
            .order_by(StockAdjustment.decided_at.desc(), StockAdjustment.id.desc())
    return [row._asdict() for row in session.execute(query)]
