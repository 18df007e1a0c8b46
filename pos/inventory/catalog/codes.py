"""Who already holds a code the till could scan: a product's barcode, a product's SKU or a
member's card.

The till looks a scan up as a barcode, then as a SKU, and products before member cards, so
one code on two of them finds the wrong one.  ``pos.members`` refuses a card that is a
product's code; here the catalog refuses a barcode or SKU that is already another product's
code or a member's card.
"""
from __future__ import annotations

from sqlalchemy import column, exists, select, table
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import Product, ProductBarcode

# The member register, named without importing pos.members (which sits above the catalog).
member = table("member", column("number"), column("card_barcode"))


def owner(session: Session, code: str, product_id: int | None = None, *,
          barcode: bool = True, sku: bool = True) -> str | None:
    """What other than product ``product_id`` holds ``code`` ("kartu anggota 0012",
    "SKU barang Gula 1 kg", "barcode barang Gula 1 kg"), or None when nothing does."""
    card = session.scalar(select(member.c.number).where(member.c.card_barcode == code))
    if card is not None:
        return f"kartu anggota {card}"
    others = Product.id != (product_id or 0)
    if sku and (name := session.scalar(select(Product.name).where(Product.sku == code, others))):
        return f"SKU barang {name}"
    if barcode and (name := session.scalar(
            select(Product.name).join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(ProductBarcode.code == code, others))):
        return f"barcode barang {name}"
    return None


def is_card(code) -> exists:
    """A SQL condition: ``code`` (a column or value) is a member's card."""
    return exists().where(member.c.card_barcode == code)


def cards(session: Session) -> dict[str, str]:
    """Every member card and its member's number (a catalog import checks many codes)."""
    return dict(session.execute(select(member.c.card_barcode, member.c.number)
                                .where(member.c.card_barcode.is_not(None))).all())
