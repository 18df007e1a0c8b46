"""Posting a draft receipt: check every line, then take the goods into stock and update
costs, all or nothing.

The checks name the line that is wrong (``LineProblem``: which line, which field), so
the screen can mark and focus it.  A delivery note number already used for this
supplier must be confirmed (``confirm_reuse``, a split delivery) and the receipt
then records that it was; so must a cost far from the selling price (``UnlikelyCost``: a
sack's price on a line in kg), line by line (``confirmed_costs``), and a batch expiring soon
(``ShortExpiry``, ``confirmed_expiries``: ``expiry``), once its batch is known to have no other
date (``batches``).  Each received line is one RECEIPT movement
(``receipt:<id>``; batch lines into their batch) and a moving-average cost update
(per price unit, see ``costing``).  A delivery refused whole (every line received 0, its packs
under damaged: ``GoodsReceipt.rejected_whole``) posts too, with no movement and no cost change:
the posted receipt is the record of its delivery note and damaged packs for the claim to the
supplier.  A receipt with no lines, or whose lines hold only shortages, is refused.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.days.service import ensure_open
from pos.errors import PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.products import get_product
from pos.inventory.models import MovementKind
from pos.inventory.receiving import batches, costing, expiry, versions
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine, ReceiptStatus
from pos.inventory.receiving.queries import same_delivery_note
from pos.inventory.receiving.receipts import (
    ReceivingError,
    check_expiry,
    cost_token,
    editable,
    locked_receipt,
    receipt_reason,
)


class LineProblem(ReceivingError):
    """A line that cannot be posted as it is: ``line_id`` and the form ``field`` to fix."""

    def __init__(self, message: str, line_id: int, field: str):
        super().__init__(message)
        self.line_id, self.field = line_id, field


class ReusedDeliveryNote(ReceivingError):
    """The delivery note number was already used for this supplier; confirm or fix it."""


def _check_batches(lines: list[GoodsReceiptLine], products: dict[int, Product]) -> None:
    """One batch has one expiry date: two lines of this receipt that give the same batch two
    dates are named as such (posting the first made the batch, and the second was refused as
    'already recorded', sending the clerk to look in stock for a batch that is not there)."""
    first: dict[tuple[int, str], GoodsReceiptLine] = {}
    for line in lines:
        if line.qty_packs <= 0 or not line.batch_no or not products[line.product_id].batch_tracked:
            continue
        seen = first.setdefault((line.product_id, stock.batch_key(line.batch_no)), line)
        if seen.expiry != line.expiry:
            raise LineProblem(f"{products[line.product_id].name}: "
                              f"{batches.two_dates(line.batch_no, seen.expiry, line.expiry)}",
                              line.id, "expiry")


def _check_on_file(session: Session, lines: list[GoodsReceiptLine], products: dict[int, Product]) -> None:
    """A batch on file with another expiry, refused before any short or far date is asked
    about (it was asked to be confirmed, then refused anyway); ``_receive`` holds the rule."""
    unlike = batches.on_file(session, lines, products)
    for line in lines:
        if line.id in unlike:
            raise LineProblem(f"{products[line.product_id].name}: {unlike[line.id]}", line.id, "expiry")


def _check_line(product: Product, line: GoodsReceiptLine, today: date) -> None:
    if product.batch_tracked and line.qty_packs > 0:
        if not line.batch_no or line.expiry is None:
            raise LineProblem(f"{product.name}: nomor batch dan tanggal kedaluwarsa wajib diisi.",
                              line.id, "batch_no" if not line.batch_no else "expiry")
        if not stock.names_a_strip(line.batch_no):   # a draft saved before it was refused
            raise LineProblem(f"{product.name}: {stock.MARKS_ALONE}", line.id, "batch_no")
        try:
            check_expiry(product, line.expiry, today)
        except ReceivingError as problem:
            raise LineProblem(problem.message, line.id, "expiry") from None
    differs = line.ordered_packs is not None and \
        line.ordered_packs != line.qty_packs + line.damaged_packs
    if (line.damaged_packs or differs) and not line.reason:
        raise LineProblem(f"{product.name}: tulis alasan untuk barang rusak atau jumlah yang "
                          "berbeda dari pesanan.", line.id, "reason")


class ShortExpiry(LineProblem):
    """A batch expiring within the warning days (``expiry``); the clerk fixes the date or confirms it."""


class FarExpiry(ShortExpiry):
    """A batch expiring more than ``expiry.FAR_YEARS`` years away: a year typed wrong, or confirmed."""


def _check_expiry_soon(product: Product, line: GoodsReceiptLine, today: date, warn_days: int | None,
                       confirmed: frozenset[str]) -> None:
    if expiry.soon(line, today, warn_days) and expiry.token(line) not in confirmed:
        raise ShortExpiry(f"{expiry.what(product.name, line, today)} ({warn_days} hari atau kurang). "
                          "Periksa tanggal di kemasan; bila memang benar, centang konfirmasinya lalu "
                          "posting lagi.", line.id, "expiry")
    if expiry.far(line, today, warn_days) and expiry.token(line) not in confirmed:
        raise FarExpiry(f"{expiry.far_what(product.name, line)} (lebih dari {expiry.FAR_YEARS} tahun "
                        "lagi). Periksa tahunnya di kemasan; bila memang benar, centang konfirmasinya "
                        "lalu posting lagi.", line.id, "expiry")


class UnlikelyCost(LineProblem):
    """A line's cost looks like another pack's; the clerk fixes it or confirms it."""


def _check_cost(product: Product, line: GoodsReceiptLine, confirmed: frozenset[str]) -> None:
    doubt = costing.cost_doubt(product, line.cost_per_pack, line.pack_qty)
    if line.qty_packs > 0 and doubt and cost_token(line) not in confirmed:
        raise UnlikelyCost(f"{product.name}: {doubt}. Bila harga di faktur untuk kemasan lain "
                           "(karung, dus), pilih kemasan itu; bila harganya memang benar, "
                           "centang konfirmasinya lalu posting lagi.", line.id, "cost_per_pack")


def _check_note(session: Session, receipt: GoodsReceipt, confirm_reuse: bool) -> bool:
    """True when the note was used before (and the clerk confirmed it)."""
    others = same_delivery_note(session, receipt)
    if others and not confirm_reuse:
        numbers = ", ".join(other.number for other in others)
        raise ReusedDeliveryNote(
            f"Surat jalan {receipt.delivery_note} sudah dipakai untuk pemasok ini ({numbers}). "
            "Bila ini memang pengiriman terpisah dengan surat jalan yang sama, centang "
            "konfirmasinya lalu posting lagi; bila salah ketik, perbaiki di Ubah pemasok / surat jalan.")
    return bool(others)


def post(session: Session, receipt_id: int, user_id: int, today: date,
         confirm_reuse: bool = False, confirmed_costs: frozenset[str] = frozenset(), *,
         warn_days: int | None = None, confirmed_expiries: frozenset[str] = frozenset(),
         shown: str | None = None) -> None:
    """Check every line, then take the goods into stock and update costs, all or nothing
    (refused on a closed business day: ``pos.days``).  ``confirmed_costs`` holds the
    ``cost_token`` of each unlikely cost the clerk confirmed, ``confirmed_expiries`` the
    ``expiry.token`` of each batch expiring within ``warn_days`` (or years away), ``shown`` the
    receipt as the screen drew it (``versions.receipt_version``: refused when it changed since)."""
    ensure_open(session, today)
    if locked_receipt(session, receipt_id).reverses_id is not None:
        raise ReceivingError("Koreksi penerimaan diposting lewat persetujuan manajer.")
    receipt = editable(session, receipt_id)
    versions.check_receipt(receipt, shown)
    products = {line.product_id: get_product(session, line.product_id) for line in receipt.lines}
    for line in receipt.lines:
        _check_line(products[line.product_id], line, today)
    _check_on_file(session, receipt.lines, products)
    _check_batches(receipt.lines, products)
    for line in receipt.lines:
        _check_expiry_soon(products[line.product_id], line, today, warn_days, confirmed_expiries)
    for line in receipt.lines:
        _check_cost(products[line.product_id], line, confirmed_costs)
    if not receipt.lines:
        raise ReceivingError("Belum ada barang yang diterima: isi jumlah diterima minimal "
                             "satu baris.")
    for line in receipt.lines:   # a stray line (a scan too many) says nothing on the document
        if not (line.qty_packs or line.damaged_packs or line.ordered_packs):
            raise LineProblem(f"{products[line.product_id].name}: jumlah diterima 0, tidak ada "
                              "yang rusak dan tidak dipesan. Isi jumlahnya atau hapus barisnya.",
                              line.id, "qty_packs")
    if not any(line.qty_packs or line.damaged_packs for line in receipt.lines):   # only shortages
        raise ReceivingError("Belum ada barang yang diterima atau ditolak: isi jumlah diterima, "
                             "atau jumlah rusak bila barangnya ditolak, minimal satu baris.")
    receipt.delivery_note_reused = _check_note(session, receipt, confirm_reuse)
    for line in receipt.lines:
        if line.qty_packs > 0:
            _receive(session, receipt, line, products[line.product_id], user_id)
    receipt.status, receipt.posted_by, receipt.posted_at = ReceiptStatus.POSTED, user_id, utcnow()
    session.flush()


def _receive(session: Session, receipt: GoodsReceipt, line: GoodsReceiptLine, product: Product,
             user_id: int) -> None:
    """One line into stock (its batch for tracked goods), then its cost into the average."""
    qty = line.qty_packs * line.pack_qty
    batch_id = None
    if product.batch_tracked:
        try:
            batch_id = stock.ensure_batch(session, product.id, line.batch_no, line.expiry)
        except PosError as problem:  # the batch is known with another expiry date
            raise LineProblem(f"{product.name}: {problem.message}", line.id, "expiry") from None
        line.batch_no = stock.batch_no_of(session, batch_id)   # "PNB 2706" went into PNB2706
    stock.apply(session, [stock.Move(product.id, qty, False, product.name, batch_id)],
                MovementKind.RECEIPT, user_id=user_id, ref=f"receipt:{receipt.id}",
                reason=receipt_reason(receipt))
    # Read after the update: the stock row is now locked, so this is the true figure.
    old_on_hand = stock.on_hand(session, product.id) - qty
    unit_cost = costing.received_unit_cost(line.cost_per_pack, line.pack_qty, product.price_per)
    costing.receive_cost(session, product, old_on_hand, qty, unit_cost, user_id,
                         receipt_reason(receipt))
