"""F3's quantity typed in a product's packs: ``2 karung`` is two of the pack the catalog calls
``karung 50 kg`` (its whole name, or its first word; a sack is a *karung* or a *sak*, either
word for either), ``3 karton`` three cartons; anything else is a weight, volume or count as
``BaseUnit.parse_measure`` reads it.  Whether a plain number under one pack was meant is asked
by ``scanning.set_qty``."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import PackUnit
from pos.sales.cart import line_unit
from pos.sales.models import Cart, CartLine
from pos.units import QuantityError

_PACKED = re.compile(r"(\S*?[0-9][0-9.,]*)\s*([^\s0-9.,-].*)")   # 2 karung, 1karung 50 kg, 1,5 sak
SACKS = ("karung", "sak")   # the same sack, whichever word its pack is called by


def word(pack_name: str) -> str:
    """The word a pack is counted in: ``karung`` of ``karung 50 kg``."""
    return pack_name.split()[0]


def says_unit(text: str | None) -> bool:
    """Whether a unit or a pack was typed with the number (``2 kg``, ``750 g``, ``2 karung``): the
    cashier said what was meant, so less than one pack is not asked about."""
    return any(ch.isalpha() for ch in text or "")


def typed(session: Session, till_id: int, line_id: int, text: str | None) -> int:
    """The line's new quantity in base units, from what was typed in F3's box; ``QuantityError``
    (in Indonesian) for what is none (``NotFound`` for a line not on this till's cart)."""
    unit = line_unit(session, till_id, line_id)
    try:
        return unit.parse_measure(text or "")   # 750 g too
    except ValueError as wrong:
        measured = wrong
    match = _PACKED.fullmatch((text or "").strip())
    if match is None:
        raise QuantityError(str(measured))
    packs = session.execute(
        select(PackUnit.name, PackUnit.qty).join(CartLine, CartLine.product_id == PackUnit.product_id)
        .join(Cart, Cart.id == CartLine.cart_id).where(CartLine.id == line_id, Cart.till_id == till_id)
        .order_by(PackUnit.qty)).all()
    count, said = match.group(1), " ".join(match.group(2).split()).lower()
    found = [pack for pack in packs if said == pack.name] or \
        [pack for pack in packs if said == word(pack.name) or {said, word(pack.name)} == set(SACKS)]
    if not found:
        if not packs:
            raise QuantityError(str(measured))
        raise QuantityError(f"{str(measured).rstrip('.')}, atau kemasannya, misalnya "
                            f"2 {word(packs[-1].name)}.")
    if len(found) > 1:
        raise QuantityError(f"{match.group(2)} ada {len(found)} ukuran: tulis "
                            + " atau ".join(f"{count} {pack.name}" for pack in found) + ".")
    if count.startswith("-"):
        raise QuantityError(f"Jumlah harus lebih dari nol, misalnya 2 {word(found[0].name)}.")
    if not (count.isascii() and count.isdigit() and len(count) <= 6):
        said = word(found[0].name)
        raise QuantityError(f"Jumlah {said} harus angka bulat, misalnya 2 {said}.")
    return int(count) * found[0].qty
