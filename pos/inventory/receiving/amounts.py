"""Amounts typed on a receipt line: whole packs, or a weight or volume with its unit.

A line counts packs (``qty_packs``, ``ordered_packs``, ``damaged_packs`` of ``pack_qty`` base
units).  Loose goods (kept in grams or ml) on their base pack, kg or liter, are typed as the till
reads a weight (``BaseUnit.parse_measure``): ``12,5``, ``12,5 kg``, ``12500 g``; a line whose
amounts are no whole kg or litres is kept to the gram or ml (``pack_qty`` 1, its cost still per
kg or litre: ``costing.cost_qty``), one in whole kg as before.  On any other pack an amount is a
whole number of packs, or a weight or volume that is a whole number of them (``100 kg`` on a
karung 50 kg line is 2 karung).  A field sent as the screen showed it is the line's stored
amount, so a change of pack alone still converts the counts (``repack``).
"""
from __future__ import annotations

import re
from dataclasses import replace

from pos.inventory.catalog.models import Product
from pos.inventory.catalog.packs import Pack, base_pack
from pos.inventory.receiving.repack import Repacked
from pos.text import is_digits
from pos.units import BaseUnit, QuantityError, format_number

FIELDS = (("qty_packs", "Jumlah diterima", 0), ("ordered_packs", "Jumlah dipesan", None),
          ("damaged_packs", "Jumlah rusak", 0))
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")   # 1.250 packs, as Indonesians write it


def loose(product: Product, pack_name: str | None) -> bool:
    """Loose goods on their base pack (kg, liter): amounts kept to the gram or ml."""
    return product.base_unit is not BaseUnit.PCS and pack_name == base_pack(product).name


def shown(product: Product, pack_name: str, pack_qty: int, count: int | None) -> str:
    """A count as its box shows it: packs, or for loose goods the kg or litres (``12,5``)."""
    if count is None:
        return ""
    return BaseUnit(product.base_unit).input_text(count * pack_qty) if loose(product, pack_name) \
        else str(count)


def words(product: Product, pack_name: str, pack_qty: int, count: int) -> str:
    """A count as a message says it, grouped: ``1.250`` karung, ``12,5`` kg."""
    if not loose(product, pack_name):
        return format_number(count)
    return BaseUnit(product.base_unit).format(count * pack_qty).rsplit(" ", 1)[0]


def read(product: Product, line, pack: Pack, values):
    """``values`` with the counts its ``typed`` texts say for ``line`` on ``pack``: the stored
    counts when every box is as shown (the pack change converts them), else each read on
    ``pack`` (``count_qty``: the base units each counts).  ``QuantityError`` names the box."""
    stored = [getattr(line, name) for name, _, _ in FIELDS]
    sent = [" ".join((text or "").split()) for text in values.typed]
    if all(text == shown(product, line.pack_name, line.pack_qty, n) or (not text and n == blank)
           for text, n, (_, _, blank) in zip(sent, stored, FIELDS, strict=True)):
        return replace(values, qty_packs=stored[0], ordered_packs=stored[1],
                       damaged_packs=stored[2], typed=None)
    unit = BaseUnit(product.base_unit)
    amounts = [_amount(unit, product, pack, text, label, blank)
               for text, (_, label, blank) in zip(sent, FIELDS, strict=True)]
    return replace(values, qty_packs=amounts[0], ordered_packs=amounts[1], damaged_packs=amounts[2],
                   count_qty=1, typed=None)


def _amount(unit: BaseUnit, product: Product, pack: Pack, text: str, label: str,
            blank: int | None) -> int | None:
    """One box in base units."""
    if not text:
        return blank
    if loose(product, pack.name) or (unit is not BaseUnit.PCS and re.search(r"[^\W\d_]", text)):
        qty = unit.read(text, label)            # 12,5 = 12,5 kg = 12500 g; 100 kg on a karung
        if not loose(product, pack.name) and qty % pack.qty:
            raise QuantityError(f"{label} {product.name} {text} bukan kelipatan {pack.name} "
                                f"({unit.with_unit(pack.qty)}): tulis jumlah {pack.name}, atau "
                                f"pilih kemasan {base_pack(product).name}.")
        return qty
    if text[0] in "+-":
        raise QuantityError(f"{label} harus 0 atau lebih, tanpa tanda + atau -.")
    raw = text.replace(".", "") if _GROUPED.fullmatch(text) else text
    if not is_digits(raw, 9):
        raise QuantityError(f"{label} harus angka bulat: jumlah {pack.name}, misalnya 2.")
    return int(raw) * pack.qty


def settle(product: Product, pack: Pack, counts: list[int | None],
           count_qty: int | None) -> tuple[list[int | None], int]:
    """(counts, ``pack_qty``) as the line keeps them: in packs, or for loose goods in grams or
    ml when some amount is no whole kg or litre (``count_qty``: base units per count given)."""
    per = count_qty or pack.qty
    amounts = [None if n is None else n * per for n in counts]
    if any(n is not None and n % pack.qty for n in amounts):
        if loose(product, pack.name):
            return amounts, 1
        return counts, pack.qty   # repack kept the numbers, now in the new pack
    return [None if n is None else divmod(n, pack.qty)[0] for n in amounts], pack.qty


def follow(product: Product, line, values, pack: Pack,
           keep: bool) -> tuple[object, Repacked] | None:
    """Counts as shown moved to another pack when a loose line is involved: onto the base pack
    the same amounts, exactly (2 karung 50 kg = 100 kg; 3 sachets 250 g = 0,75 kg), unless
    ``keep`` (the cost was typed for it: ``repack``); from a line kept to the gram onto a pack
    they are no whole number of, refused.  None: ``repack`` decides."""
    stored = [getattr(line, name) for name, _, _ in FIELDS]
    old = Pack(line.pack_name, line.pack_qty)
    if loose(product, pack.name) and not keep:
        return (replace(values, qty_packs=stored[0], ordered_packs=stored[1],
                        damaged_packs=stored[2], count_qty=line.pack_qty),
                Repacked(old, line.qty_packs, converted=True))
    if line.pack_qty == 1 and loose(product, line.pack_name) and \
            any(n and (n * line.pack_qty) % pack.qty for n in stored):
        unit = BaseUnit(product.base_unit)
        raise QuantityError(f"{product.name}: {unit.with_unit(line.qty_packs)} bukan kelipatan "
                            f"{pack.name} ({unit.with_unit(pack.qty)}). Ubah jumlahnya untuk "
                            f"{pack.name}, atau tetap pakai {base_pack(product).name}.")
    return None
