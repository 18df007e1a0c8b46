"""Kilograms of subsidised fertiliser also as sacks: ``12.487,5 kg (249 karung + 37,5 kg)``.

A type's sack is the pack called ``karung ...`` (or ``sak ...``) of a product sold as that
type (``Product.subsidy``; the catalog's packs, ``pos.inventory.catalog.packs``): an active
product first, then the oldest.  A type with no such pack is shown in kg alone.
"""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pos.fertilizer.seasons import kg
from pos.inventory.catalog.models import FertilizerType, PackUnit, Product

SACK_WORD = "karung"


def sack_sizes(session: Session) -> dict[FertilizerType, int]:
    """Grams in one sack of each subsidised type that has a sack pack."""
    name = func.lower(PackUnit.name)
    rows = session.execute(
        select(Product.subsidy, PackUnit.qty)
        .join(PackUnit, PackUnit.product_id == Product.id)
        .where(Product.subsidy.is_not(None), or_(name.like("karung%"), name.like("sak%")))
        .order_by(Product.active.desc(), Product.id, PackUnit.qty.desc())).all()
    sizes: dict[FertilizerType, int] = {}
    for subsidy, qty in rows:
        sizes.setdefault(FertilizerType(subsidy), qty)
    return sizes


def in_sacks(grams: int, sack: int | None) -> str:
    """``249 karung + 37,5 kg``, ``3 karung``; grams given back (a return) with their sign,
    ``-2 karung - 12,5 kg``; empty under one sack either way or without a sack size."""
    if not sack or abs(grams) < sack:
        return ""
    whole, rest = divmod(abs(grams), sack)
    sign, joined = ("-", " - ") if grams < 0 else ("", " + ")
    return f"{sign}{whole} {SACK_WORD}" + (f"{joined}{kg(rest)}" if rest else "")


def kg_with_sacks(grams: int, sack: int | None) -> str:
    """``12.487,5 kg (249 karung + 37,5 kg)``, ``-50 kg (-1 karung)``; ``37,5 kg`` under one sack
    or without a size."""
    sacks = in_sacks(grams, sack)
    return f"{kg(grams)} ({sacks})" if sacks else kg(grams)
