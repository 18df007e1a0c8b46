"""A ceiling most likely typed for another unit: a HET per karung 50 kg written as per kg.

A ceiling is Rupiah per the product's price unit (per kg for goods kept in grams, per litre
for millilitres, per piece), like its catalog price.  The Kepmentan lists fertiliser per sack
(urea Rp112.500 per 50 kg), so a price per sack typed as per kg lifts the ceiling 50 times and
lets any price below it through.  ``doubt`` names such a ceiling, compared with what it should
be near: the catalog price and the ceiling in force before it (either may be missing; with
neither nothing is doubted).  It is unlikely when it is, within ``NEAR_BP``, one of those times
a pack of the product larger than its price unit (karung 50 kg at Rp1.800/kg = Rp90.000), or
more than ``FAR_ABOVE`` times the larger of them.  A lower ceiling is never doubted: lowering
it only caps prices.  The form, ``pos het set`` and the file import refuse it until the
manager confirms it (``het_ok``, ``--het-ok``).
"""
from __future__ import annotations

from pos.inventory.catalog.models import Product
from pos.money import format_rupiah as rp
from pos.money import round_half_up

FAR_ABOVE = 3     # more than 3 times the catalog price or the ceiling before: another unit
NEAR_BP = 500     # within 5% of a pack's price: that pack's price
CONFIRM = "het_ok"  # the form's and the upload's tick box
LABEL = "HET yang tampak janggal (mis. per karung) memang benar per satuan harga"


def _pack_name(product: Product, name: str, qty: int) -> str:
    """"karung 50 kg" (a name without its size gets it), "karton 40 pcs"."""
    return name if any(c.isdigit() for c in name) else f"{name} {product.base_unit.with_unit(qty)}"


def doubt(product: Product, price: int, before: int | None) -> str | None:
    """Why ``price`` per price unit is unlikely for ``product`` whose ceiling before it is
    ``before`` (None: none), in words ("HET Rp90.000 per kg? Harga jual Rp1.800/kg; karung
    50 kg = Rp90.000: ..."), or None."""
    unit = product.base_unit.price_label
    known = [(label, value) for label, value in (("Harga jual", product.price),
                                                 ("HET sebelumnya", before)) if value and value > 0]
    if not known or price <= 0:
        return None
    head = f"HET {rp(price)} per {unit}?"
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
