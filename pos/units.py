"""Quantities: the base units goods are kept in, and the one Indonesian digit grouping.

Quantities are integers in a product's base unit (pieces, grams or
millilitres); a listed price is for ``price_per`` base units (a piece, a
kilogram or a litre).  ``format_number`` is the only thousands formatter.
"""
from __future__ import annotations

import enum
import re

from pos.errors import PosError
from pos.text import is_digits

_DECIMAL = re.compile(r"([0-9]{1,9})(?:[.,]([0-9]{1,3}))?")
NEGATIVE = re.compile(r"-[0-9]")  # -1, -2,5: a quantity typed below zero (its own message)
_FINER = re.compile(r"[0-9]{1,9}[.,][0-9]{4,9}")  # 12,3456 kg: finer than a gram
_SUFFIX = re.compile(r"(.*[0-9])\s*([^\s0-9.,]+)\.?")  # 750 g, 1,25kg, 2 L: a number and its unit
# The units a weight or volume may be typed in after its number: True is the base unit (g, ml).
_TYPED_UNITS = {"gram": {"kg": False, "g": True, "gr": True, "gram": True},
                "ml": {"l": False, "lt": False, "ltr": False, "liter": False, "ml": True}}
_SHORT = {"gram": ("kg", "g"), "ml": ("l", "ml")}   # how a message writes them


def without_pcs(text: str) -> str:
    """A count of pieces without the ``pcs`` typed after it (``24 pcs``, ``24PCS``), as a weight
    may carry its ``kg``; anything else as it is."""
    text = text.strip()
    match = _SUFFIX.fullmatch(text)
    return match.group(1).strip() if match and match.group(2).lower() == "pcs" else text


class QuantityError(PosError):
    """A quantity typed in a form that is not one; the message names the field."""


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
        """``3`` pieces -> ``3``; 1500 gram -> ``1,5 kg``; 250 ml -> ``0,25 l``; -1500 gram
        (stock sold below zero) -> ``-1,5 kg``."""
        if self is BaseUnit.PCS:
            return format_number(qty)
        whole, part = divmod(abs(qty), 1000)  # divmod floors a negative: -1500 is (-2, 500)
        text = format_number(whole) + (f",{part:03d}".rstrip("0") if part else "")
        return f"{'-' if qty < 0 else ''}{text} {'kg' if self is BaseUnit.GRAM else 'l'}"

    def with_unit(self, qty: int) -> str:
        """``format`` with the pieces named too: ``3 pcs``, ``1,5 kg``, ``0,25 l``."""
        return self.format(qty) + (" pcs" if self is BaseUnit.PCS else "")

    def in_words(self, qty: int) -> str:
        """As a log line writes it, with the unit the till shows beside the box: ``3`` pieces ->
        ``3``; 1500 gram -> ``1,5 kg``; 2500 ml -> ``2,5 liter`` (never the base units, 2500)."""
        text = self.format(qty)
        return text.removesuffix(" l") + " liter" if self is BaseUnit.ML else text

    def input_text(self, qty: int) -> str:
        """The quantity as a box on screen holds it: pieces, or kg / litres with a decimal comma
        (``50000`` gram -> ``50``, ``1250`` -> ``1,25``), so a 50 kg sack never reads 50000."""
        if self is BaseUnit.PCS:
            return str(qty)
        whole, part = divmod(abs(qty), 1000)
        return ("-" if qty < 0 else "") + str(whole) + (f",{part:03d}".rstrip("0") if part else "")

    def parse_input(self, text: str) -> int:
        """What a person typed in ``input_text``'s form, in base units; ``ValueError`` (in
        Indonesian) for anything else.  ASCII digits only; kg and litres take up to three
        decimals after a comma or a point (``1,25`` kg = 1250 g), counted exactly."""
        raw = (text or "").strip()
        match = _DECIMAL.fullmatch(raw)
        if NEGATIVE.match(raw):   # a number, only below zero: not "a whole number"
            example = "3" if self is BaseUnit.PCS else "1,25"
            raise ValueError(f"Jumlah harus lebih dari nol, misalnya {example}.")
        if self is BaseUnit.PCS:
            if raw.isascii() and raw.isdigit() and len(raw) > 9:   # a number, not "not whole"
                raise ValueError("Jumlah terlalu besar.")
            if not is_digits(raw, 9):
                raise ValueError("Jumlah harus angka bulat, misalnya 3.")
            return int(raw)
        if match is None and _FINER.fullmatch(raw):
            raise ValueError(f"Jumlah {raw} {self.price_label} lebih teliti dari 1 "
                             f"{self.value}: tulis paling banyak tiga angka di belakang koma, "
                             "misalnya 1,255.")
        if match is None:
            raise ValueError(f"Jumlah harus dalam {self.price_label}, misalnya 1,25.")
        whole, part = match.group(1), match.group(2) or ""
        if "." in raw and len(part) == 3:  # 1.500: a thousands dot (1500) or a decimal point?
            raise ValueError(f"{raw} bisa berarti {whole},{part.rstrip('0') or '0'} atau "
                             f"{whole}{part} {self.price_label}: tulis dengan koma desimal "
                             f"({whole},{part}) atau tanpa titik ({whole}{part}).")
        return int(whole) * 1000 + int(part.ljust(3, "0") or "0")

    def parse_measure(self, text: str, *, small: bool = False) -> int:
        """A weight or volume typed with its unit, as the till reads it: ``750 g``, ``750gr``,
        ``1,25 KG``, ``2 l``, ``500 ml`` (any case, with or without a space); a plain number in
        the unit the box shows: kg / litres (``parse_input``), or grams / ml with ``small``.
        Pieces read as ``parse_input``, ``24 pcs`` too.  ``ValueError`` (in Indonesian) for anything else."""
        raw = (text or "").strip()
        units = _TYPED_UNITS.get(self.value)
        if units is None:
            return self.parse_input(without_pcs(raw))
        big, base = _SHORT[self.value]
        match = _SUFFIX.fullmatch(raw)
        if match:
            raw, said = match.group(1).strip(), match.group(2).lower()
            if said not in units:
                raise ValueError(f"Satuan {match.group(2)} tidak dipakai di sini: tulis {big} atau "
                                 f"{base}, misalnya 1,25 {big} atau 750 {base}.")
            small = units[said]
        if not small:
            return self.parse_input(raw)
        if NEGATIVE.match(raw):
            raise ValueError(f"Jumlah harus lebih dari nol, misalnya 750 {base}.")
        if not is_digits(raw, 9):   # a gram is the finest a weight is kept in (1,5 g, 1.250 g)
            raise ValueError(f"Jumlah dalam {self.value} harus angka bulat tanpa titik atau koma, "
                             f"misalnya 750 {base} (atau 0,75 {big}).")
        return int(raw)

    def read(self, text: str | None, label: str, *, signed: bool = False,
             positive: bool = False) -> int | None:
        """A form field's quantity in base units as ``parse_measure`` reads it (kg ``12,5`` is
        12500 g, and so are ``12,5 kg`` and ``12500 g``; pieces whole), ``None`` when empty;
        with ``signed`` a leading ``-`` or ``+`` (``-2,5``).  ``QuantityError`` names the field
        ("Jumlah dihitung harus dalam kg, …")."""
        raw = (text or "").strip()
        if not raw:
            return None
        sign = raw[0] if raw[0] in "+-" else ""
        if sign and not signed:   # ``positive``: what must be more than zero says so (a write-off)
            raise QuantityError(f"{label} harus {'lebih dari nol' if positive else '0 atau lebih'}, "
                                "tanpa tanda + atau -.")
        try:
            qty = self.parse_measure(raw[1:] if sign else raw)
        except ValueError as problem:
            said = str(problem)
            raise QuantityError(label + said.removeprefix("Jumlah") if said.startswith("Jumlah ")
                                else f"{label}: {said}") from None
        return -qty if sign == "-" else qty
