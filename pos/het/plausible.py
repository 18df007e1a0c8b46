"""A ceiling most likely typed for another unit, or one the till would sell below cost at.

A ceiling is Rupiah per the product's price unit (per kg for goods kept in grams, per litre
for millilitres, per piece), like its catalog price.  The Kepmentan lists fertiliser per sack
(urea Rp112.500 per 50 kg), so a price per sack typed as per kg lifts the ceiling 50 times and
lets any price below it through.  ``doubt`` names such a ceiling, compared with what it should
be near: the catalog price and the ceiling in force before it (either may be missing; with
neither nothing is doubted).  It is unlikely when it is, within ``NEAR_BP``, one of those times
a pack of the product larger than its price unit (karung 50 kg at Rp1.800/kg = Rp90.000), or
more than ``FAR_ABOVE`` times the larger of them.

A lower ceiling is doubted too, as the till sells at it whatever it costs: one below the
product's cost, below a ``FAR_BELOW``-th of its catalog price, or, for a piece whose name says
its size ("Beras SPHP Bulog 5 kg"), within ``NEAR_BP`` of its price per kg or litre (SPHP's
Rp13.100 per kg typed for the Rp65.500 pack).  The form, ``pos het set`` and the file import
refuse it until the manager confirms it (``het_ok``, ``--het-ok``).
"""
from __future__ import annotations

import re

from pos.inventory.catalog.models import Product
from pos.money import format_rupiah as rp
from pos.money import round_half_up
from pos.units import BaseUnit

FAR_ABOVE = 3     # more than 3 times the catalog price or the ceiling before: another unit
FAR_BELOW = 3     # less than a third of the catalog price: another unit, or a typo
NEAR_BP = 500     # within 5% of a pack's price: that pack's price
CONFIRM = "het_ok"  # the form's and the upload's tick box
LABEL = "HET yang tampak janggal (mis. per karung, di bawah harga pokok) memang benar per satuan harga"
# A size in a piece's name: "5 kg", "2 liter", "1,5 l", "500 g", read as the till reads a weight
# or volume typed with its unit (``BaseUnit.parse_measure``)
_SIZE = re.compile(r"(\d{1,4}(?:[.,]\d{1,3})?)\s*([a-z]+)\b", re.IGNORECASE)


def _pack_name(product: Product, name: str, qty: int) -> str:
    """"karung 50 kg" (a name without its size gets it), "karton 40 pcs"."""
    return name if any(c.isdigit() for c in name) else f"{name} {product.base_unit.with_unit(qty)}"


def _size(name: str) -> tuple[int, str, str] | None:
    """A piece's size from its name, in grams or millilitres, the unit per 1.000 of them ("kg",
    "liter") and as the name writes it ("5 kg"); None without one (the last size named counts)."""
    for number, word in reversed(_SIZE.findall(name)):
        for unit, big in ((BaseUnit.GRAM, "kg"), (BaseUnit.ML, "liter")):
            try:
                size = unit.parse_measure(f"{number} {word}")
            except ValueError:
                continue
            return (size, big, f"{number} {word}") if size > 0 else None
    return None


def doubt(product: Product, price: int, before: int | None) -> str | None:
    """Why ``price`` per price unit is unlikely for ``product`` whose ceiling before it is
    ``before`` (None: none), in words ("HET Rp90.000 per kg? Harga jual Rp1.800/kg; karung
    50 kg = Rp90.000: ..."), or None."""
    if price <= 0:
        return None
    unit = product.base_unit.price_label
    known = [(label, value) for label, value in (("Harga jual", product.price),
                                                 ("HET sebelumnya", before)) if value and value > 0]
    head = f"HET {rp(price)} per {unit}?"
    said = _above(product, price, known, head, unit) if known else None
    return said or _below(product, price, known, head, unit)


def _above(product: Product, price: int, known: list, head: str, unit: str) -> str | None:
    larger = [p for p in sorted(product.packs, key=lambda p: p.qty) if p.qty > product.price_per]
    for pack in larger:
        name = _pack_name(product, pack.name, pack.qty)
        for label, value in known:
            per_pack = round_half_up(value * pack.qty, product.price_per)
            if abs(price - per_pack) * 10_000 <= NEAR_BP * per_pack:
                return (f"{head} {label} {rp(value)}/{unit}; {name} = {rp(per_pack)}: "
                        f"HET tampaknya ditulis per {pack.name}, bukan per {unit}.")
    label, value = max(known, key=lambda known_price: known_price[1])
    if price <= FAR_ABOVE * value:
        return None
    words = f"{head} Lebih dari {FAR_ABOVE} kali {label.lower()} {rp(value)}/{unit}."
    if larger:
        pack = larger[-1]
        words += (f" Bila itu harga per {_pack_name(product, pack.name, pack.qty)}, HET per {unit} "
                  f"{rp(round_half_up(price * product.price_per, pack.qty))}.")
    return words


def _below(product: Product, price: int, known: list, head: str, unit: str) -> str | None:
    """A ceiling below the cost, a third of the catalog price, or a piece's price per kg."""
    said = []
    size = _size(product.name) if product.base_unit is BaseUnit.PCS else None
    if size is not None and size[0] != 1000:
        for label, value in known:
            per_big = round_half_up(value * 1000, size[0])
            if abs(price - per_big) * 10_000 <= NEAR_BP * per_big:
                said.append(f"{label} {rp(value)}/{unit}; per {size[1]} ({size[2]}) = {rp(per_big)}: "
                            f"HET tampaknya ditulis per {size[1]}, bukan per {unit}.")
                break
    if 0 < price < product.cost:
        said.append(f"Di bawah harga pokok {rp(product.cost)}/{unit}: kasir akan menjual rugi "
                    "(perlu persetujuan manajer di kasir).")
    elif product.price > 0 and price * FAR_BELOW < product.price:
        said.append(f"Kurang dari sepertiga harga jual {rp(product.price)}/{unit}.")
    return f"{head} {' '.join(said)}" if said else None
