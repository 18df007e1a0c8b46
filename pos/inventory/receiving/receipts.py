"""Goods receiving: suppliers, draft receipts and their lines.

A clerk records a delivery (supplier + surat jalan / DO number) as a draft: lines
in a pack unit with the cost per pack, ordered and damaged packs with a reason,
and batch number + expiry for batch-tracked goods.  *Received* (``qty_packs``)
counts the good packs only, the ones that go into stock; damaged packs are
recorded beside them and never stocked.  A line moved to another pack keeps its
cost per base unit (``edit_line``), unless the cost was changed with it, and its amounts
when they are whole packs of the new one (``repack``).
``posting.post`` books a draft; a posted receipt is never edited: ``reversal``
corrects it.  A delivery note number
already used for the same supplier is flagged (``queries.same_delivery_note``): usually a
mistake, sometimes a split delivery, so posting asks for a confirmation.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.errors import NotFound
from pos.inventory import stock
from pos.inventory.catalog.models import PackUnit, Product
from pos.inventory.catalog.packs import Pack, add_pack, find_pack
from pos.inventory.catalog.products import get_product
from pos.inventory.receiving import amounts, versions
from pos.inventory.receiving.costing import cost_doubt, cost_qty, pack_cost
from pos.inventory.receiving.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    ReceiptStatus,
    Supplier,
)
from pos.inventory.receiving.repack import Repacked, counts_follow_pack
from pos.inventory.receiving.suppliers import NotDraft
from pos.inventory.receiving.suppliers import ReceivingError as ReceivingError
from pos.inventory.receiving.suppliers import create_supplier as create_supplier
from pos.money import format_rupiah
from pos.units import BaseUnit, format_number

MAX_PACKS = 1_000_000
MAX_COST = 1_000_000_000


@dataclass(frozen=True)
class LineValues:
    """What a clerk can set on a line; quantities in packs, cost in Rupiah per pack."""

    pack_name: str | None
    qty_packs: int
    cost_per_pack: int
    ordered_packs: int | None = None
    damaged_packs: int = 0
    reason: str | None = None
    batch_no: str | None = None
    expiry: date | None = None
    count_qty: int | None = None   # base units each count is in, when not the pack's (``amounts``)
    typed: tuple[str | None, str | None, str | None] | None = None   # the boxes as typed


def new_receipt(session: Session, user_id: int, **fields) -> GoodsReceipt:
    """A draft numbered GR-<id> (sequential; gaps allowed, never a clash between clerks)."""
    receipt = GoodsReceipt(number=f"T-{uuid.uuid4().hex[:16]}", created_by=user_id,
                           status=ReceiptStatus.DRAFT, **fields)
    session.add(receipt)
    session.flush()
    receipt.number = f"GR-{receipt.id:06d}"
    session.flush()
    return receipt


def _head(session: Session, supplier_id: int, delivery_note: str) -> tuple[int, str]:
    """(supplier id, delivery note) of a draft, checked."""
    supplier = session.get(Supplier, supplier_id)
    if supplier is None or not supplier.active:
        raise ReceivingError("Pilih pemasok dulu.")
    note = " ".join((delivery_note or "").split())
    if not 1 <= len(note) <= 60:
        raise ReceivingError("Nomor surat jalan / DO wajib diisi (maksimal 60 huruf).")
    return supplier.id, note


def create_draft(session: Session, supplier_id: int, delivery_note: str, user_id: int) -> int:
    """Start a receipt for a delivery; returns its id."""
    supplier_id, note = _head(session, supplier_id, delivery_note)
    return new_receipt(session, user_id, supplier_id=supplier_id, delivery_note=note).id


def set_head(session: Session, receipt_id: int, supplier_id: int, delivery_note: str) -> None:
    """A draft's supplier and delivery note typed wrong, put right: its lines stay (it was
    deleted and every line scanned again)."""
    receipt = editable(session, receipt_id)
    receipt.supplier_id, receipt.delivery_note = _head(session, supplier_id, delivery_note)
    session.flush()


def locked_receipt(session: Session, receipt_id: int) -> GoodsReceipt:
    """The receipt, row-locked on PostgreSQL so an edit and a posting never interleave."""
    receipt = session.execute(
        select(GoodsReceipt).where(GoodsReceipt.id == receipt_id)
        .with_for_update().execution_options(populate_existing=True)).scalar_one_or_none()
    if receipt is None:
        raise NotFound("Penerimaan tidak ditemukan.")
    return receipt


def editable(session: Session, receipt_id: int) -> GoodsReceipt:
    receipt = locked_receipt(session, receipt_id)
    if receipt.status is not ReceiptStatus.DRAFT:
        raise NotDraft(f"{receipt.number} sudah diposting dan tidak bisa diubah; "
                       "buat koreksi bila ada yang salah.")
    if receipt.reverses_id is not None:
        raise NotDraft(f"{receipt.number} adalah koreksi: barisnya tidak bisa diubah.")
    return receipt


def _checked(product: Product, v: LineValues) -> tuple[Pack, LineValues]:
    """The line's pack and its values cleaned; refuses what the columns cannot hold."""
    pack = find_pack(product, v.pack_name)
    kept, per = amounts.settle(product, pack, [v.qty_packs, v.damaged_packs, v.ordered_packs],
                               v.count_qty)
    v = replace(v, qty_packs=kept[0], damaged_packs=kept[1], ordered_packs=kept[2])
    counts = [("Jumlah diterima", v.qty_packs), ("Jumlah rusak", v.damaged_packs),
              ("Jumlah dipesan", v.ordered_packs)]
    unit = BaseUnit(product.base_unit)
    for label, value in counts:   # a karung counted as kg: 50.000 kg of rice on one line
        if value is not None and value * per > stock.MAX_MOVE[unit]:
            packs = f"{format_number(value)} {pack.name} = " if per != unit.price_per and per > 1 else ""
            raise ReceivingError(f"{label} {product.name}: {packs}{unit.with_unit(value * per)}, "
                                 f"terlalu banyak untuk satu baris (paling banyak "
                                 f"{unit.with_unit(stock.MAX_MOVE[unit])}).")
    for label, value in counts:   # the column's own bound (a pack of a few grams)
        if value is not None and not 0 <= value <= (MAX_PACKS if per > 1 else stock.MAX_MOVE[unit]):
            raise ReceivingError(f"{label} {product.name} harus 0 sampai "
                                 f"{format_number(MAX_PACKS)} kemasan.")
    if not 0 <= v.cost_per_pack <= MAX_COST:
        raise ReceivingError(f"Harga beli {product.name} per kemasan harus 0 sampai "
                             f"{format_rupiah(MAX_COST)}.")
    reason = " ".join((v.reason or "").split()) or None
    if reason and len(reason) > 200:
        raise ReceivingError("Alasan maksimal 200 huruf.")
    batch_no = stock.batch_number(v.batch_no) or None
    if not product.batch_tracked and (batch_no or v.expiry):
        raise ReceivingError(f"{product.name} tidak dicatat per batch: kosongkan batch dan "
                             "tanggal kedaluwarsa.")
    if batch_no and len(batch_no) > stock.BATCH_NO_MAX:
        raise ReceivingError(f"Nomor batch maksimal {stock.BATCH_NO_MAX} huruf.")
    if batch_no and not stock.names_a_strip(batch_no):   # "-" typed for "no batch": none on file
        raise ReceivingError(f"{product.name}: {stock.MARKS_ALONE}")
    return pack, LineValues(pack.name, v.qty_packs, v.cost_per_pack, v.ordered_packs,
                            v.damaged_packs, reason, batch_no, v.expiry, per)


def _fill(line: GoodsReceiptLine, pack: Pack, v: LineValues) -> None:
    line.pack_name, line.pack_qty = pack.name, v.count_qty or pack.qty
    line.qty_packs, line.cost_per_pack = v.qty_packs, v.cost_per_pack
    line.ordered_packs, line.damaged_packs, line.reason = v.ordered_packs, v.damaged_packs, v.reason
    line.batch_no, line.expiry = v.batch_no, v.expiry


def _receivable(session: Session, product_id: int) -> Product:
    product = get_product(session, product_id)
    if not product.active:
        raise ReceivingError(f"{product.name} tidak aktif.")
    return product


def add_line(session: Session, receipt_id: int, product_id: int, pack_name: str | None,
             qty_packs: int, cost_per_pack: int, ordered_packs: int | None = None,
             damaged_packs: int = 0, reason: str | None = None, batch_no: str | None = None,
             expiry: date | None = None) -> int:
    """Add a line to a draft; returns the line id."""
    receipt = editable(session, receipt_id)
    product = _receivable(session, product_id)
    pack, values = _checked(product, LineValues(pack_name, qty_packs, cost_per_pack, ordered_packs,
                                                damaged_packs, reason, batch_no, expiry))
    line = GoodsReceiptLine(product_id=product.id)
    _fill(line, pack, values)
    receipt.lines.append(line)
    session.flush()
    return line.id


def _own_line(receipt: GoodsReceipt, line_id: int) -> GoodsReceiptLine:
    line = next((line for line in receipt.lines if line.id == line_id), None)
    if line is None:
        raise NotFound("Baris penerimaan tidak ditemukan.")
    return line


def _follow_pack(product: Product, line: GoodsReceiptLine,
                 v: LineValues) -> tuple[LineValues, Repacked | None]:
    """A new pack with the cost left as it was: the cost converted to the new pack (the cost
    per base unit kept), so Rp11.475 per kg never stays Rp11.475 per karung 50 kg.  A cost
    changed in the same edit is the clerk's and is kept as typed, and so is a cost that was
    unlikely for the old pack and is likely for the new one (``costing.cost_doubt``): the
    karung's price typed before the karung was chosen, and then the counts too.  The counts
    follow the pack (``repack``)."""
    pack = find_pack(product, v.pack_name)
    if pack.name == line.pack_name:
        return v, None
    typed_for_new = cost_doubt(product, line.cost_per_pack, line.pack_qty) and \
        not cost_doubt(product, line.cost_per_pack, pack.qty)
    if v.cost_per_pack == line.cost_per_pack and not typed_for_new:
        cost = pack_cost(line.cost_per_pack, cost_qty(line.pack_qty, product.price_per), pack.qty)
        if cost > MAX_COST:
            raise ReceivingError(f"Harga beli {product.name} per {pack.name} menjadi lebih dari "
                                 f"{format_rupiah(MAX_COST)}: periksa harga beli dan kemasannya.")
        v = replace(v, cost_per_pack=cost)
    if v.count_qty is not None:   # counts typed for the new pack
        return v, None
    return amounts.follow(product, line, v, pack, typed_for_new) or \
        counts_follow_pack(line, v, pack, MAX_PACKS, keep=typed_for_new)


def update_line(session: Session, receipt_id: int, line_id: int, values: LineValues,
                today: date | None = None) -> GoodsReceiptLine:
    """Change a draft line (``edit_line``, for the line only)."""
    return edit_line(session, receipt_id, line_id, values, today)[0]


def edit_line(session: Session, receipt_id: int, line_id: int, values: LineValues,
              today: date | None = None, version: str | None = None,
              ) -> tuple[GoodsReceiptLine, Repacked | None]:
    """Change a draft line; with ``today`` an expiry already past is refused at once when goods
    go into stock (``qty_packs``; a line received 0, all rejected, records it).  A change of
    pack converts the cost unless the cost changed too, and the counts when they fit the new
    pack (``_follow_pack``); returns the line and what the pack change did.  A ``version`` the
    line no longer has (saved from another screen since) is refused (``versions``)."""
    receipt = editable(session, receipt_id)
    line = _own_line(receipt, line_id)
    product = get_product(session, line.product_id)
    versions.check_line(product, line, version)
    if values.typed is not None:   # 12,5 kg, 12500 g, 2 karung: ``amounts``
        values = amounts.read(product, line, find_pack(product, values.pack_name), values)
    values, repacked = _follow_pack(product, line, values)
    pack, values = _checked(product, values)
    if today is not None and values.expiry is not None and values.qty_packs > 0:
        check_expiry(product, values.expiry, today)
    _fill(line, pack, values)
    session.flush()
    return line, repacked


def remove_line(session: Session, receipt_id: int, line_id: int) -> None:
    receipt = editable(session, receipt_id)
    receipt.lines.remove(_own_line(receipt, line_id))
    session.flush()


def add_draft_pack(session: Session, receipt_id: int, product_id: int, name: str,
                   qty: int, user_id: int | None = None) -> PackUnit:
    """A new pack for goods on a draft (the receiving screen's Tambah kemasan), logged in the
    catalog's change log with the receipt as the reason."""
    receipt = editable(session, receipt_id)
    if product_id not in {line.product_id for line in receipt.lines}:
        raise ReceivingError("Barang itu tidak ada di penerimaan ini.")
    return add_pack(session, product_id, name, qty, user_id=user_id, reason=receipt_reason(receipt))


def discard_draft(session: Session, receipt_id: int) -> None:
    """Throw away a draft (or a correction not yet approved); it never touched stock."""
    receipt = locked_receipt(session, receipt_id)
    if receipt.status is not ReceiptStatus.DRAFT:
        raise NotDraft(f"{receipt.number} sudah diposting dan tidak bisa dihapus.")
    session.delete(receipt)
    session.flush()


def check_expiry(product: Product, expiry: date, today: date) -> None:
    if expiry <= today:
        raise ReceivingError(f"{product.name}: tanggal kedaluwarsa {expiry:%d-%m-%Y} sudah lewat "
                             "atau hari ini. Barang kedaluwarsa tidak boleh diterima: bila ditolak, "
                             "isi Diterima 0 dan jumlahnya di Rusak.")


def cost_token(line: GoodsReceiptLine) -> str:
    """What a clerk confirms of an unlikely cost (``posting``): the line with its cost and
    pack as they were shown, so a cost or pack changed afterwards is asked about again."""
    return f"{line.id}:{line.cost_per_pack}:{line.pack_qty}"


def receipt_reason(receipt: GoodsReceipt) -> str:
    return f"Penerimaan {receipt.number}"

