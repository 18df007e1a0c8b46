"""Two screens on one draft: what a line save and a posting carry of what the screen showed.

A line's ``line_version`` is a fingerprint of its saved values (pack, counts, cost, reason,
batch, expiry); a line save that carries one no longer matching is refused (``LineChanged``,
409): another screen saved the line since this one drew it, and the clerk sees what is stored
now.  A receipt's ``receipt_version`` covers its supplier, delivery note and every line; a
posting that carries one no longer matching is refused (``ReceiptChanged``, 409), so what is
posted is always what is on the screen.  No column: the values themselves are the version.
"""
from __future__ import annotations

import hashlib

from pos.inventory.receiving import amounts
from pos.inventory.receiving.suppliers import ReceivingError
from pos.money import format_rupiah


class LineChanged(ReceivingError):
    """The line was saved from another screen since this one drew it."""
    status = 409


class ReceiptChanged(ReceivingError):
    """The receipt changed (a line saved, added or removed elsewhere) since the screen was drawn."""
    status = 409


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _values(line) -> str:
    expiry = line.expiry.isoformat() if line.expiry else ""
    return "|".join(str(v if v is not None else "") for v in (
        line.id, line.product_id, line.pack_name, line.pack_qty, line.qty_packs, line.ordered_packs,
        line.damaged_packs, line.cost_per_pack, line.reason, line.batch_no, expiry))


def line_version(line) -> str:
    """The line's saved values, as a short fingerprint."""
    return _digest(_values(line))


def receipt_version(receipt) -> str:
    """The receipt's head and every line, as a short fingerprint."""
    head = f"{receipt.id}|{receipt.supplier_id}|{receipt.delivery_note}|{receipt.status.value}"
    return _digest("\n".join([head, *(_values(line) for line in receipt.lines)]))


def check_line(product, line, version: str | None) -> None:
    """Refuse a save of ``line`` drawn as ``version`` when it has been saved since, saying what
    is stored now (None: the caller showed nothing, nothing to compare)."""
    if version is None or version == line_version(line):
        return
    count = amounts.words(product, line.pack_name, line.pack_qty, line.qty_packs)
    expiry = f", kedaluwarsa {line.expiry:%d-%m-%Y}" if line.expiry else ""
    raise LineChanged(f"{product.name}: baris ini sudah diubah di layar lain, jadi perubahan Anda "
                      f"tidak disimpan. Yang tersimpan sekarang: diterima {count} {line.pack_name}, "
                      f"harga beli {format_rupiah(line.cost_per_pack)} per {line.pack_name}{expiry}. "
                      "Muat ulang halaman (F5) untuk melihatnya, lalu ubah lagi bila perlu.")


def check_receipt(receipt, version: str | None) -> None:
    """Refuse a posting of ``receipt`` drawn as ``version`` when it has changed since."""
    if version is not None and version != receipt_version(receipt):
        raise ReceiptChanged(f"{receipt.number} tidak diposting: barisnya sudah diubah di layar lain "
                             "sejak layar ini dibuka. Baris di bawah sekarang menampilkan yang "
                             "tersimpan; periksa, lalu posting lagi.")
