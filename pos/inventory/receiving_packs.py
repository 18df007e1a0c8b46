"""Packs for receiving: the base pack (pcs, kg, liter) and a product's pack units.

A pack converts to base units exactly (``qty`` base units in one pack): karung
50 kg = 50,000 g, karton = 40 pcs.  Goods kept in grams or millilitres are
received per kg or litre at the smallest, never per gram.  Receipt lines keep a
snapshot of the pack's name and size, so packs added later never change a
posted receipt.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.inventory.catalog import get_product
from pos.inventory.models import PackUnit, Product

MAX_PACK_QTY = 10_000_000  # base units in one pack: 10 tonnes or 10 million pieces


class PackError(PosError):
    pass


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
    raise PackError(f"Kemasan “{name}” tidak dikenal untuk {product.name}.")


def pack_for_scan(product: Product, scan_qty: int) -> tuple[Pack, int]:
    """(pack, number of packs) for one scan of a code worth ``scan_qty`` base units."""
    for pack in reversed(packs_for(product)):
        if pack.qty == scan_qty:
            return pack, 1
    base = base_pack(product)
    if scan_qty % base.qty == 0:
        return base, scan_qty // base.qty
    raise PackError(f"Kode ini berisi {scan_qty} {product.base_unit.value} {product.name}; "
                    "tambahkan dulu kemasan dengan isi itu (Tambah kemasan).")


def add_pack(session: Session, product_id: int, name: str, qty: int) -> PackUnit:
    """A new pack unit for a product: ``qty`` base units (grams, ml or pieces) in one pack."""
    product = get_product(session, product_id)
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 20:
        raise PackError("Nama kemasan 1 sampai 20 huruf, misalnya “karung 50 kg” atau “dus”.")
    if any(pack.name.lower() == name.lower() for pack in packs_for(product)):
        raise PackError(f"Kemasan “{name}” sudah ada untuk {product.name}.")
    if not 2 <= qty <= MAX_PACK_QTY:
        raise PackError(f"Isi kemasan harus 2 sampai {MAX_PACK_QTY:,} {product.base_unit.value}."
                        .replace(",", "."))
    pack = PackUnit(product_id=product.id, name=name, qty=qty)
    product.packs.append(pack)
    session.flush()
    return pack
