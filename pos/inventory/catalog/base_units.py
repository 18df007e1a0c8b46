"""What holds a product's quantities or prices in its base unit, so that changing the unit
would silently change their meaning (a tier from 5 pcs would become from 5 g).

The price rules, ceilings and buyer limits sit in packages above the catalog, so their tables
are named here without importing them.
"""
from __future__ import annotations

from sqlalchemy import column, exists, select, table
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import PackUnit, Product

# (table, what the manager removes first, where)
_HELD_BY = (
    (PackUnit.__table__, "kemasan", "bagian Kemasan"),
    (table("price_tier", column("product_id")), "harga grosir", "Harga anggota dan grosir"),
    (table("member_price", column("product_id")), "harga anggota", "Harga anggota dan grosir"),
    (table("ceiling_price", column("product_id")), "HET", "halaman HET"),
)


def holders(session: Session, product: Product) -> list[str]:
    """What to remove before the product's base unit may change, e.g.
    ["aturan batas pembeli (Batas per pembeli)", "kemasan (bagian Kemasan)"]."""
    found = ["aturan batas pembeli (Batas per pembeli)"] if product.limit_rule_id is not None else []
    for held, what, where in _HELD_BY:
        if session.scalar(select(exists().where(held.c.product_id == product.id))):
            found.append(f"{what} ({where})")
    return found


def change_problem(session: Session, product: Product) -> str | None:
    """Why the product's base unit cannot change now, or None."""
    found = holders(session, product)
    if not found:
        return None
    return (f"Satuan dasar {product.name} tidak dapat diubah: {', '.join(found)} memakai satuan "
            "dasar yang sekarang. Hapus atau lepaskan dulu, lalu ubah satuannya.")
