"""Correcting a posted receipt: a reversal draft, posted only with a manager's approval.

A reversal copies the original's received lines (same packs, costs and batches), all of them
or only the lines and quantities the clerk chose (``take``: a partial correction, e.g. the one
wrong item while another line was partly sold), and, once a manager or admin approves it, takes
those quantities out of stock in one transaction: the reversal becomes POSTED, and the original
REVERSED once nothing of it is left uncorrected (a partial correction leaves it POSTED, the rest
of it still correctable: ``remaining``).  The journal books each correction line's value back
out of Persediaan and Utang usaha (``ledger.journal``), so a partial one takes out exactly the
chosen lines' value.
A receipt that took nothing in (a delivery rejected whole) has nothing to correct, and a
correction that takes nothing out is never posted: both are refused, writing nothing.
Stock never goes below zero on the way, for any product or batch: goods that
were already sold cannot be sent back, so the reversal is refused.  Costs: see
``receiving_cost`` (unchanged unless the stock reaches zero).  The approver is
never the clerk who made the correction, unless the outlet allows self-approval
(``auth.service.require_right``, the one approver rule).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pos.auth.service import require_right
from pos.clock import utcnow
from pos.days.service import ensure_open
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.products import get_product
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.inventory.receiving import amounts, costing
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine, ReceiptStatus
from pos.inventory.receiving.receipts import ReceivingError, locked_receipt, new_receipt, receipt_reason
from pos.units import BaseUnit


def pending_reversal(session: Session, receipt_id: int) -> int | None:
    """The id of a correction of this receipt still waiting for approval."""
    return session.scalar(select(GoodsReceipt.id).where(
        GoodsReceipt.reverses_id == receipt_id, GoodsReceipt.status == ReceiptStatus.DRAFT))


def _key(line: GoodsReceiptLine) -> tuple:
    return line.product_id, line.pack_name, line.pack_qty, line.cost_per_pack, line.batch_no


def remaining(session: Session, original: GoodsReceipt) -> dict[int, int]:
    """Each of the receipt's line ids with the packs no posted correction took back yet (a
    correction's line is a copy of one of its lines: alike lines share what was taken)."""
    taken: dict[tuple, int] = {}
    for line in session.scalars(select(GoodsReceiptLine).join(
            GoodsReceipt, GoodsReceipt.id == GoodsReceiptLine.receipt_id).where(
            GoodsReceipt.reverses_id == original.id, GoodsReceipt.status == ReceiptStatus.POSTED)):
        taken[_key(line)] = taken.get(_key(line), 0) + line.qty_packs
    left = {}
    for line in original.lines:
        used = min(taken.get(_key(line), 0), line.qty_packs)
        taken[_key(line)] = taken.get(_key(line), 0) - used
        left[line.id] = line.qty_packs - used
    return left


def _chosen(session: Session, original: GoodsReceipt, take: dict[int, int] | None) -> dict[int, int]:
    """The packs to take back per line: everything still uncorrected (``take`` None), or the
    clerk's choice, each within what its line received and no correction took back yet."""
    left = remaining(session, original)
    if take is None:
        return {line_id: qty for line_id, qty in left.items() if qty > 0}
    lines = {line.id: line for line in original.lines}
    for line_id, qty in take.items():
        if line_id not in lines:
            raise ReceivingError(f"Baris yang dipilih bukan baris {original.number}; muat ulang "
                                 "halaman lalu pilih lagi. Tidak ada yang berubah.")
        line = lines[line_id]
        product = get_product(session, line.product_id)
        if line.qty_packs == 0:   # received 0, its packs damaged: nothing of it came in
            raise ReceivingError(f"{product.name}: baris ini ditolak seluruhnya: tidak ada barang yang "
                                 "masuk stok, jadi tidak ada yang dikoreksi.")
        if not 1 <= qty <= left[line_id]:
            most = amounts.words(product, line.pack_name, line.pack_qty, left[line_id])
            raise ReceivingError(
                f"{product.name}: tidak ada lagi yang bisa dikoreksi (sudah dikoreksi seluruhnya)."
                if left[line_id] == 0 else
                f"{product.name}: jumlah yang dikoreksi 1 sampai {most} {line.pack_name} "
                "(yang diterima dan belum dikoreksi). Tidak ada yang berubah.")
    if not take:
        raise ReceivingError("Pilih baris yang dikoreksi dan jumlahnya.")
    return take


def create_reversal(session: Session, receipt_id: int, user_id: int, reason: str,
                    take: dict[int, int] | None = None) -> int:
    """A correcting draft that takes back everything the receipt took in and no correction took
    back yet, or ``take``: the packs chosen per line id; returns its id."""
    original = locked_receipt(session, receipt_id)
    if original.reverses_id is not None:
        raise ReceivingError(f"{original.number} sendiri adalah koreksi; koreksi tidak dikoreksi.")
    if original.status is not ReceiptStatus.POSTED:
        raise ReceivingError(f"Hanya penerimaan yang sudah diposting yang bisa dikoreksi "
                             f"({original.number} berstatus {original.status.value}).")
    if not any(line.qty_packs > 0 for line in original.lines):   # rejected whole: nothing came in
        raise ReceivingError(f"{original.number} ditolak seluruhnya: tidak ada barang yang masuk "
                             "stok, jadi tidak ada yang dikoreksi. Catatan barang rusak dan surat "
                             "jalannya tetap disimpan untuk klaim ke pemasok.")
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= 200:
        raise ReceivingError("Tulis alasan koreksi (3 sampai 200 huruf).")
    if pending_reversal(session, original.id) is not None:
        raise ReceivingError(f"Koreksi {original.number} sudah dibuat dan menunggu persetujuan.")
    chosen = _chosen(session, original, take)
    for line in original.lines:   # what its approval would refuse, said before it waits for one
        if line.id in chosen and (short := _short(session, line, chosen[line.id])) is not None:
            raise ReceivingError(f"Koreksi {original.number} tidak dapat dibuat: {short} {SOLD}")
    reversal = new_receipt(session, user_id, supplier_id=original.supplier_id,
                           delivery_note=original.delivery_note, reverses_id=original.id,
                           note=reason)
    for line in original.lines:
        if chosen.get(line.id, 0) > 0:
            reversal.lines.append(GoodsReceiptLine(
                product_id=line.product_id, pack_name=line.pack_name, pack_qty=line.pack_qty,
                qty_packs=chosen[line.id], damaged_packs=0, cost_per_pack=line.cost_per_pack,
                batch_no=line.batch_no, expiry=line.expiry, reason=reason))
    session.flush()
    return reversal.id


def post_reversal(session: Session, reversal_id: int, manager_id: int, allow_self: bool = False,
                  *, day: date) -> None:
    """Approve and post a correction on business day ``day``: stock out, original REVERSED,
    all or nothing (refused on a closed day, as a receipt's posting is: ``pos.days``).

    Whoever made the correction may not approve it, unless ``allow_self``
    (``POS_SELF_APPROVAL``); then it is marked as a self-approval.
    """
    ensure_open(session, day)
    refusal = "Koreksi penerimaan hanya boleh disetujui manajer."
    require_right(session, manager_id, "manage", refusal)
    reversal = locked_receipt(session, reversal_id)
    require_right(session, manager_id, "manage", refusal, made_by={reversal.created_by},
                  allow_self=allow_self)
    if reversal.reverses_id is None:
        raise ReceivingError(f"{reversal.number} bukan koreksi; posting biasa saja.")
    if reversal.status is not ReceiptStatus.DRAFT:
        raise ReceivingError(f"Koreksi {reversal.number} sudah diposting.")
    if not any(line.qty_packs > 0 for line in reversal.lines):
        raise ReceivingError(f"Koreksi {reversal.number} kosong: tidak ada barang yang dikeluarkan "
                             "dari stok, jadi tidak ada yang diposting. Batalkan koreksi ini.")
    original = locked_receipt(session, reversal.reverses_id)
    if original.status is not ReceiptStatus.POSTED:
        raise ReceivingError(f"{original.number} sudah dikoreksi sebelumnya.")
    received = {_key(line): line.qty_packs for line in original.lines}
    for line in reversal.lines:
        _take_back(session, reversal, original, line, manager_id,
                   "diterima" if received.get(_key(line)) == line.qty_packs else "dikoreksi")
    now = utcnow()
    reversal.status, reversal.posted_by, reversal.posted_at = ReceiptStatus.POSTED, manager_id, now
    reversal.approved_by, reversal.self_approved = manager_id, manager_id == reversal.created_by
    session.flush()
    if not any(remaining(session, original).values()):   # a partial correction leaves it POSTED
        original.status = ReceiptStatus.REVERSED
    session.flush()


def batch_renamed(session: Session, product_id: int, old: str, new: str) -> int:
    """A batch's number corrected (``counts.batch_fix``): the lines of the receipts that brought it
    in (posted, corrected, or a correction's draft) carry the right number, so a correction finds
    the batch; a clerk's other drafts keep what was typed.  Returns how many lines changed."""
    booked = select(GoodsReceipt.id).where((GoodsReceipt.status != ReceiptStatus.DRAFT)
                                           | GoodsReceipt.reverses_id.is_not(None))
    return session.execute(update(GoodsReceiptLine).where(
        GoodsReceiptLine.product_id == product_id, GoodsReceiptLine.batch_no == old,
        GoodsReceiptLine.receipt_id.in_(booked)).values(batch_no=new)).rowcount


def _batch_id(session: Session, product: Product, line: GoodsReceiptLine) -> int | None:
    if not product.batch_tracked:
        return None
    batch_id = session.scalar(select(Batch.id).where(Batch.product_id == product.id,
                                                     Batch.batch_no == line.batch_no))
    if batch_id is None:
        raise ReceivingError(f"Batch {line.batch_no} {product.name} tidak ditemukan.")
    return batch_id


def _take_back(session: Session, reversal: GoodsReceipt, original: GoodsReceipt,
               line: GoodsReceiptLine, manager_id: int, word: str) -> None:
    product = get_product(session, line.product_id)
    move = stock.Move(product.id, -line.qty_packs * line.pack_qty, True, product.name,
                      _batch_id(session, product, line))
    try:
        stock.apply(session, [move], MovementKind.RECEIPT, user_id=manager_id,
                    ref=f"receipt:{reversal.id}",
                    reason=f"Koreksi {reversal.number} atas {original.number}: {reversal.note}")
    except stock.OutOfStock:
        raise ReceivingError(f"Koreksi tidak bisa diposting: {_left_of(session, product, move, line, word)} "
                             f"{SOLD} {AGAIN}") from None
    _cost_back(session, product, original, reversal, line, manager_id)


SOLD = ("Barang yang sudah terjual tidak bisa dikembalikan ke pemasok: koreksi hanya baris yang "
        "salah, paling banyak sebanyak sisa stoknya (hapus centang baris yang benar atau kurangi "
        "jumlahnya), dan catat yang sudah terjual lewat Penyesuaian stok. Bila hanya tanggal "
        "kedaluwarsa atau nomor batch yang salah catat, perbaiki di Penyesuaian stok.")
AGAIN = "Batalkan koreksi ini lalu buat koreksi baru dengan jumlah yang masih ada."


def _short(session: Session, line: GoodsReceiptLine, packs: int) -> str | None:
    """What is left of what ``line`` took in, when less than the ``packs`` of it to be taken
    back (else None)."""
    qty = packs * line.pack_qty
    if qty <= 0:
        return None
    product = get_product(session, line.product_id)
    move = stock.Move(product.id, -qty, True, product.name, _batch_id(session, product, line))
    left = stock.held(session, product.id, move.batch_id)
    return None if left >= qty else _left_of(
        session, product, move, line, "diterima" if packs == line.qty_packs else "dikoreksi")


def _left_of(session: Session, product: Product, move: stock.Move, line: GoodsReceiptLine,
             word: str = "diterima") -> str:
    """What is left of what the receipt's ``line`` took in (the stock's own refusal guessed at a
    sale at another till, this moment)."""
    unit = BaseUnit(product.base_unit)
    if move.batch_id is not None:
        left = session.scalar(select(Batch.on_hand).where(Batch.id == move.batch_id)) or 0
        where = f"batch {line.batch_no} {product.name}"
    else:
        left, where = max(stock.on_hand(session, product.id), 0), product.name
    return f"stok {where} tinggal {unit.with_unit(left)}, {word} {unit.with_unit(-move.qty)}."


def _cost_back(session: Session, product: Product, original: GoodsReceipt, reversal: GoodsReceipt,
               line: GoodsReceiptLine, manager_id: int) -> None:
    """The reversed goods' value out of the moving average (``costing.reversed_average``);
    exactly the cost before the receipt when its corrections take back everything it brought
    in of the product and nothing else moved since, or when no stock (or value) is left."""
    qty, left = line.qty_packs * line.pack_qty, stock.on_hand(session, product.id)
    unit_cost = costing.received_unit_cost(line.cost_per_pack, line.pack_qty, product.price_per)
    new = None
    if _moved_since(session, product.id, original) or \
            not _all_back(session, product.id, original, reversal):
        new = costing.reversed_average(left + qty, costing.current_cost(session, product.id), qty,
                                       unit_cost)
    if new is None:   # all of it back with nothing moved since, nothing left, or no value left
        new = costing.cost_before(session, product.id, receipt_reason(original))
    if new is not None:
        costing.set_cost(session, product, new, manager_id, f"Koreksi {reversal.number}")


def _all_back(session: Session, product_id: int, original: GoodsReceipt, reversal: GoodsReceipt) -> bool:
    """Whether the receipt's posted corrections and the one being approved take back all the
    receipt brought in of the product (a partial correction takes back only its part)."""
    def qty(receipt_ids) -> int:
        return session.scalar(select(func.coalesce(func.sum(
            GoodsReceiptLine.qty_packs * GoodsReceiptLine.pack_qty), 0)).where(
            GoodsReceiptLine.product_id == product_id, GoodsReceiptLine.receipt_id.in_(receipt_ids)))
    taken = select(GoodsReceipt.id).where(GoodsReceipt.reverses_id == original.id) \
        .where((GoodsReceipt.status == ReceiptStatus.POSTED) | (GoodsReceipt.id == reversal.id))
    return qty(taken) >= qty([original.id])


def _moved_since(session: Session, product_id: int, original: GoodsReceipt) -> bool:
    """Whether the product's stock moved after the reversed receipt (besides its corrections)."""
    moves = StockMovement.product_id == product_id
    received = session.scalar(select(func.max(StockMovement.id)).where(
        moves, StockMovement.ref == f"receipt:{original.id}"))
    ours = [f"receipt:{receipt_id}" for receipt_id in session.scalars(
        select(GoodsReceipt.id).where(GoodsReceipt.reverses_id == original.id))]   # this one too
    return received is None or session.scalar(select(func.count()).where(
        moves, StockMovement.id > received,
        func.coalesce(StockMovement.ref, "").not_in(ours))) > 0   # a sale has none
