"""Quantities: the base units goods are kept in, and the one Indonesian digit grouping.

Quantities are integers in a product's base unit (pieces, grams or
millilitres); a listed price is for ``price_per`` base units (a piece, a
kilogram or a litre).  ``format_number`` is the only thousands formatter.
"""
from __future__ import annotations

import enum


def format_number(value: int) -> str:
    """``1234567`` -> ``1.234.567`` (Indonesian grouping; negatives keep their sign)."""
    return f"{int(value):,}".replace(",", ".")


class BaseUnit(str, enum.Enum):
    PCS = "pcs"
    GRAM = "gram"
    ML = "ml"

    @property
    def price_per(self) -> int:
        """Base units one listed price buys: a piece, a kilogram or a litre."""
        return 1 if self is BaseUnit.PCS else 1000

    @property
    def price_label(self) -> str:
        return {"pcs": "pcs", "gram": "kg", "ml": "liter"}[self.value]

    def format(self, qty: int) -> str:
        """``3`` pieces -> ``3``; 1500 gram -> ``1,5 kg``; 250 ml -> ``0,25 l``."""
        if self is BaseUnit.PCS:
            return format_number(qty)
        whole, part = divmod(qty, 1000)
        text = format_number(whole) + (f",{part:03d}".rstrip("0") if part else "")
        return f"{text} {'kg' if self is BaseUnit.GRAM else 'l'}"
