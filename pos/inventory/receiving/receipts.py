"""Goods receiving: suppliers, draft receipts and their lines, and posting.

A clerk records a delivery (supplier + surat jalan / DO number) as a draft: lines
in a pack unit with the cost per pack, ordered and damaged packs with a reason,
and batch number + expiry for batch-tracked goods.  ``post`` checks every line
and then, in the caller's one transaction, writes a RECEIPT movement per line
(``receipt:<id>``; batch lines into their batch) and updates the moving-average
cost.  Damaged packs are recorded on the line but never stocked.  A posted
receipt is never edited: ``receiving_reversal`` corrects it.

Cost: moving average per price unit (per piece, kg or litre), i.e. per base unit
for pieces and per 1000 base units for weighed goods; the rule and its rounding
are in ``receiving_cost``.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog.models import PackUnit, Product
from pos.inventory.catalog.packs import Pack, add_pack, find_pack
from pos.inventory.catalog.products import get_product
from pos.inventory.models import MovementKind
from pos.inventory.receiving import costing
from pos.inventory.receiving.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    ReceiptStatus,
    Supplier,
    SupplierKind,
)
from pos.units import format_number

MAX_PACKS = 1_000_000
MAX_COST = 1_000_000_000
_PHONE = re.compile(r"^\+?[0-9 -]{6,20}$")


class ReceivingError(PosError):
    pass


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


def create_supplier(session: Session, name: str, kind: SupplierKind | str,
                    phone: str | None = None) -> int:
    """A new supplier (Bulog, pupuk distributor, PBF, UMKM ...); names are unique."""
    name = " ".join((name or "").split())
    phone = (phone or "").strip() or None
    if not 2 <= len(name) <= 100:
        raise ReceivingError("Nama pemasok 2 sampai 100 huruf.")
    try:
        kind = SupplierKind(kind)
    except ValueError:
        raise ReceivingError("Jenis pemasok tidak dikenal.") from None
    if phone is not None and not _PHONE.match(phone):
        raise ReceivingError("Nomor telepon pemasok hanya angka (6 sampai 20).")
    taken = session.scalars(select(Supplier.name)).all()
    if any(other.lower() == name.lower() for other in taken):
        raise ReceivingError(f"Pemasok “{name}” sudah terdaftar.")
    supplier = Supplier(name=name, kind=kind, phone=phone)
    session.add(supplier)
    session.flush()
    return supplier.id


def new_receipt(session: Session, user_id: int, **fields) -> GoodsReceipt:
    """A draft numbered GR-<id> (sequential; gaps allowed, never a clash between clerks)."""
    receipt = GoodsReceipt(number=f"T-{uuid.uuid4().hex[:16]}", created_by=user_id,
                           status=ReceiptStatus.DRAFT, **fields)
    session.add(receipt)
    session.flush()
    receipt.number = f"GR-{receipt.id:06d}"
    session.flush()
    return receipt


def create_draft(session: Session, supplier_id: int, delivery_note: str, user_id: int) -> int:
    """Start a receipt for a delivery; returns its id."""
    supplier = session.get(Supplier, supplier_id)
    if supplier is None or not supplier.active:
        raise ReceivingError("Pilih pemasok dulu.")
    note = " ".join((delivery_note or "").split())
    if not 1 <= len(note) <= 60:
        raise ReceivingError("Nomor surat jalan / DO wajib diisi (maksimal 60 huruf).")
    return new_receipt(session, user_id, supplier_id=supplier.id, delivery_note=note).id


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
        raise ReceivingError(f"{receipt.number} sudah diposting dan tidak bisa diubah; "
                             "buat koreksi bila ada yang salah.")
    if receipt.reverses_id is not None:
        raise ReceivingError(f"{receipt.number} adalah koreksi: barisnya tidak bisa diubah.")
    return receipt


def _checked(product: Product, v: LineValues) -> tuple[Pack, LineValues]:
    """The line's pack and its values cleaned; refuses what the columns cannot hold."""
    pack = find_pack(product, v.pack_name)
    counts = [("Jumlah diterima", v.qty_packs), ("Jumlah rusak", v.damaged_packs),
              ("Jumlah dipesan", v.ordered_packs)]
    for label, value in counts:
        if value is not None and not 0 <= value <= MAX_PACKS:
            raise ReceivingError(f"{label} {product.name} harus 0 sampai "
                                 f"{format_number(MAX_PACKS)} kemasan.")
    if not 0 <= v.cost_per_pack <= MAX_COST:
        raise ReceivingError(f"Harga beli {product.name} per kemasan harus 0 sampai "
                             "Rp1.000.000.000.")
    reason = " ".join((v.reason or "").split()) or None
    if reason and len(reason) > 200:
        raise ReceivingError("Alasan maksimal 200 huruf.")
    batch_no = (v.batch_no or "").strip().upper() or None
    if not product.batch_tracked and (batch_no or v.expiry):
        raise ReceivingError(f"{product.name} tidak dicatat per batch: kosongkan batch dan "
                             "tanggal kedaluwarsa.")
    if batch_no and len(batch_no) > 40:
        raise ReceivingError("Nomor batch maksimal 40 huruf.")
    return pack, LineValues(pack.name, v.qty_packs, v.cost_per_pack, v.ordered_packs,
                            v.damaged_packs, reason, batch_no, v.expiry)


def _fill(line: GoodsReceiptLine, pack: Pack, v: LineValues) -> None:
    line.pack_name, line.pack_qty = pack.name, pack.qty
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


def update_line(session: Session, receipt_id: int, line_id: int, values: LineValues,
                today: date | None = None) -> GoodsReceiptLine:
    """Change a draft line; with ``today`` an expiry already past is refused at once."""
    receipt = editable(session, receipt_id)
    line = _own_line(receipt, line_id)
    product = get_product(session, line.product_id)
    pack, values = _checked(product, values)
    if today is not None and values.expiry is not None:
        _check_expiry(product, values.expiry, today)
    _fill(line, pack, values)
    session.flush()
    return line


def remove_line(session: Session, receipt_id: int, line_id: int) -> None:
    receipt = editable(session, receipt_id)
    receipt.lines.remove(_own_line(receipt, line_id))
    session.flush()


def add_draft_pack(session: Session, receipt_id: int, product_id: int, name: str,
                   qty: int) -> PackUnit:
    """A new pack for goods on a draft (the receiving screen's Tambah kemasan)."""
    receipt = editable(session, receipt_id)
    if product_id not in {line.product_id for line in receipt.lines}:
        raise ReceivingError("Barang itu tidak ada di penerimaan ini.")
    return add_pack(session, product_id, name, qty)


def discard_draft(session: Session, receipt_id: int) -> None:
    """Throw away a draft (or a correction not yet approved); it never touched stock."""
    receipt = locked_receipt(session, receipt_id)
    if receipt.status is not ReceiptStatus.DRAFT:
        raise ReceivingError(f"{receipt.number} sudah diposting dan tidak bisa dihapus.")
    session.delete(receipt)
    session.flush()


def _check_expiry(product: Product, expiry: date, today: date) -> None:
    if expiry <= today:
        raise ReceivingError(f"{product.name}: tanggal kedaluwarsa {expiry:%d-%m-%Y} sudah lewat "
                             "atau hari ini. Barang kedaluwarsa tidak boleh diterima.")


def _check_for_posting(product: Product, line: GoodsReceiptLine, today: date) -> None:
    if product.batch_tracked and line.qty_packs > 0:
        if not line.batch_no or line.expiry is None:
            raise ReceivingError(f"{product.name}: nomor batch dan tanggal kedaluwarsa wajib "
                                 "diisi.")
        _check_expiry(product, line.expiry, today)
    differs = line.ordered_packs is not None and \
        line.ordered_packs != line.qty_packs + line.damaged_packs
    if (line.damaged_packs or differs) and not line.reason:
        raise ReceivingError(f"{product.name}: tulis alasan untuk barang rusak atau jumlah yang "
                             "berbeda dari pesanan.")


def post(session: Session, receipt_id: int, user_id: int, today: date) -> None:
    """Check every line, then take the goods into stock and update costs, all or nothing."""
    if locked_receipt(session, receipt_id).reverses_id is not None:
        raise ReceivingError("Koreksi penerimaan diposting lewat persetujuan manajer.")
    receipt = editable(session, receipt_id)
    products = {line.product_id: get_product(session, line.product_id) for line in receipt.lines}
    for line in receipt.lines:
        _check_for_posting(products[line.product_id], line, today)
    if not any(line.qty_packs > 0 for line in receipt.lines):
        raise ReceivingError("Belum ada barang yang diterima: isi jumlah diterima minimal "
                             "satu baris.")
    for line in receipt.lines:
        if line.qty_packs > 0:
            _receive(session, receipt, line, products[line.product_id], user_id)
    receipt.status, receipt.posted_by, receipt.posted_at = ReceiptStatus.POSTED, user_id, utcnow()
    session.flush()


def receipt_reason(receipt: GoodsReceipt) -> str:
    return f"Penerimaan {receipt.number}"


def _receive(session: Session, receipt: GoodsReceipt, line: GoodsReceiptLine, product: Product,
             user_id: int) -> None:
    """One line into stock (its batch for tracked goods), then its cost into the average."""
    qty = line.qty_packs * line.pack_qty
    batch_id = stock.ensure_batch(session, product.id, line.batch_no, line.expiry) \
        if product.batch_tracked else None
    stock.apply(session, [stock.Move(product.id, qty, False, product.name, batch_id)],
                MovementKind.RECEIPT, user_id=user_id, ref=f"receipt:{receipt.id}",
                reason=receipt_reason(receipt))
    # Read after the update: the stock row is now locked, so this is the true figure.
    old_on_hand = stock.on_hand(session, product.id) - qty
    unit_cost = costing.received_unit_cost(line.cost_per_pack, line.pack_qty,
                                                  product.price_per)
    costing.receive_cost(session, product, old_on_hand, qty, unit_cost, user_id,
                                receipt_reason(receipt))
