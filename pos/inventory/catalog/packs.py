"""Packs: the base pack (pcs, kg, liter) and a product's pack units (karung, karton, dus).

Added and removed on the product page or while receiving, each logged in the catalog's change
log (``history``) with who and why; used by receiving,
counting and barcodes that stand for a whole pack.  A pack converts to base
units exactly (``qty`` base units in one pack): karung 50 kg = 50,000 g,
karton = 40 pcs.  Goods kept in grams or millilitres are received per kg or
litre at the smallest, never per gram.  Receipt lines keep a snapshot of the
pack's name and size, so packs added later never change a posted receipt.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from pos.errors import NotFound
from pos.inventory.catalog import history
from pos.inventory.catalog.models import PackUnit, Product
from pos.inventory.catalog.products import CatalogError, get_product
from pos.text import is_digits
from pos.units import NEGATIVE, BaseUnit, without_pcs

# Base units in one pack at most: a bale of 10.000 sachets, a tonne bag or tank. More is a
# typo (a barcode or a price typed as the size) that would make one scanned pack a truckload.
MAX_PACK_QTY = {BaseUnit.PCS: 10_000, BaseUnit.GRAM: 1_000_000, BaseUnit.ML: 1_000_000}


@dataclass(frozen=True)
class Pack:
    name: str
    qty: int  # base units in one pack


def base_pack(product: Product) -> Pack:
    """The smallest pack a receipt may use: a piece, a kilogram or a litre."""
    return Pack(product.base_unit.price_label, product.price_per)


def packs_for(product: Product) -> list[Pack]:
    """The base pack first, then the product's pack units from small to large."""
    return [base_pack(product)] + [Pack(p.name, p.qty) for p in product.packs]


def find_pack(product: Product, name: str | None) -> Pack:
    """The pack called ``name`` (any case); an empty name means the base pack."""
    wanted = " ".join((name or "").split()).lower()
    if not wanted:
        return base_pack(product)
    for pack in packs_for(product):
        if pack.name.lower() == wanted:
            return pack
    raise CatalogError(f"Kemasan “{name}” tidak dikenal untuk {product.name}.")


def pack_for_scan(product: Product, scan_qty: int) -> tuple[Pack, int]:
    """(pack, number of packs) for one scan of a code worth ``scan_qty`` base units."""
    for pack in reversed(packs_for(product)):
        if pack.qty == scan_qty:
            return pack, 1
    base = base_pack(product)
    if scan_qty % base.qty == 0:
        return base, scan_qty // base.qty
    raise CatalogError(f"Kode ini berisi {scan_qty} {product.base_unit.value} {product.name}; "
                    "tambahkan dulu kemasan dengan isi itu (Tambah kemasan).")


def add_pack(session: Session, product_id: int, name: str, qty: int | str, *,
             user_id: int | None = None, reason: str | None = None) -> PackUnit:
    """A new pack holding ``qty`` base units (grams, ml or pieces; 2 or more), logged as a
    change by ``user_id`` (the screens read what was typed with ``typed_size``).

    Names are kept in lower case and are unique per product, the base pack's
    name (kg, pcs, liter) included; ``qty`` may be the text a manager typed.
    """
    product = get_product(session, product_id)
    name = " ".join((name or "").split()).lower()
    if not name or len(name) > 20:
        raise CatalogError("Nama kemasan wajib diisi, maksimal 20 huruf (misalnya karung 50 kg).")
    qty = _pack_qty(qty, BaseUnit(product.base_unit))
    if any(pack.name.lower() == name for pack in packs_for(product)):
        raise CatalogError(f"Kemasan {name} sudah ada untuk {product.name}.")
    pack = PackUnit(product_id=product.id, name=name, qty=qty)
    product.packs.append(pack)
    history.record(session, product.id, "pack", None,
                   history.pack_words(name, qty, product.base_unit), user_id, reason, as_words=False)
    session.flush()
    return pack


def typed_size(product: Product, text: str | None) -> int:
    """A pack's size as the pack forms take it, in base units: kg or litres with a decimal
    comma for goods kept in grams or ml (``50`` is a karung 50 kg, ``2,5`` is 2500 g, and so is
    ``2,5 kg``), pieces otherwise (``24`` or ``24 pcs``).  Files and ``add_pack`` itself keep
    base units (50000 for the karung)."""
    unit = BaseUnit(product.base_unit)
    raw = (text or "").strip()
    # Below the smallest pack (-5, 0, 1 pcs) and above the largest, said in the field's unit.
    if NEGATIVE.match(raw):
        raise CatalogError(_too_small(unit))
    qty = unit.read(raw, "Isi kemasan")
    if qty is None:
        raise CatalogError("Isi kemasan wajib diisi (misalnya 50 untuk karung 50 kg, 40 untuk "
                           "karton 40 pcs).")
    if qty < 2:
        raise CatalogError(_too_small(unit))
    if qty > MAX_PACK_QTY[unit]:
        raise CatalogError(f"Isi kemasan paling banyak {unit.in_words(MAX_PACK_QTY[unit])}"
                           f"{' pcs' if unit is BaseUnit.PCS else ''}.")
    return qty


def _too_small(unit: BaseUnit) -> str:
    if unit is BaseUnit.PCS:
        return "Isi kemasan harus lebih dari 1 pcs, misalnya 40 untuk karton 40 pcs."
    return (f"Isi kemasan harus paling sedikit {unit.input_text(2)} {unit.price_label}, misalnya "
            f"50 untuk kemasan 50 {unit.price_label}.")


def _pack_qty(value: int | str, unit: BaseUnit) -> int:
    text = without_pcs(str(value)) if unit is BaseUnit.PCS else str(value).strip()   # 24 pcs in a file
    if isinstance(value, bool) or not is_digits(text, 12) or not 2 <= int(text) <= MAX_PACK_QTY[unit]:
        raise CatalogError(f"Isi kemasan harus angka bulat lebih dari 1 {unit.value}, paling "
                           f"banyak {unit.with_unit(MAX_PACK_QTY[unit])}.")   # 10.000 pcs, 1.000 kg
    return int(text)


def remove_pack(session: Session, product_id: int, pack_id: int, *,
                user_id: int | None = None) -> None:
    """Remove a pack, logged as a change by ``user_id``; receipt lines keep their own copy of
    its name and size."""
    product = get_product(session, product_id)
    pack = session.get(PackUnit, pack_id)
    if pack is None or pack.product_id != product.id:
        raise NotFound("Kemasan itu tidak ada pada barang ini.")
    history.record(session, product.id, "pack", history.pack_words(pack.name, pack.qty, product.base_unit),
                   None, user_id, as_words=False)
    product.packs.remove(pack)
    session.flush()
