"""The audit log's SQL pieces (``pos.reports.audit`` and ``audit_stock``): a row's words built in
SQL with its amounts, quantities and rates marked, and ``shown`` writing the marks as people read
them (``Rp330.000``, ``2,5 liter``, ``2,5%``). A mark is a control character, which no stored text
can hold (``db.CleanString``)."""
from __future__ import annotations

import re

from sqlalchemy import BigInteger, String, case, cast, func, literal, literal_column, null

from pos.money import format_difference, format_rate, format_rupiah
from pos.units import BaseUnit

_MONEY = "\x1f"
_MARKED = re.compile(f"{_MONEY}(-?[0-9]*){_MONEY}")
# A quantity in base units with its unit, written as the till shows it (never 2500 for 2,5 l).
_QTY = "\x1e"
_QTY_MARKED = re.compile(f"{_QTY}([a-z]+) (-?[0-9]+){_QTY}")
_RATE = "\x1d"
_RATE_MARKED = re.compile(f"{_RATE}(-?[0-9]*){_RATE}")
_DIFFERENCE = "\x1a"   # an amount over (+) or short (-), as pos.money.format_difference writes it
_DIFFERENCE_MARKED = re.compile(f"{_DIFFERENCE}(-?[0-9]*){_DIFFERENCE}")


def sql_text(value):
    """A column as text, empty for none."""
    return func.coalesce(cast(value, String), "")


def rp(value):
    """A Rupiah amount inside a row's words (none: ``-``)."""
    return _MONEY + sql_text(value) + _MONEY


def difference(value):
    """A difference inside a row's words, with its sign: ``+Rp14.800`` over (none: ``-``)."""
    return _DIFFERENCE + sql_text(value) + _DIFFERENCE


def qty(value, unit, *, pcs: bool = False, signed: bool = False):
    """A quantity in ``unit``'s base units inside a row's words; ``pcs``: pieces are named too
    (``5 pcs``, where no ``x`` before it says what the number counts); ``signed``: a gain or loss,
    a gain with its ``+`` (``+5 pcs``, ``-2,5 kg``) as the adjustments page writes it."""
    marked = _QTY + cast(unit, String) + " " + sql_text(value) + _QTY
    if signed:
        marked = case((value > 0, "+"), else_="") + marked
    return marked + case((unit == BaseUnit.PCS, " pcs"), else_="") if pcs else marked


def rate(value):
    """A rate in basis points inside a row's words (none: ``-``)."""
    return _RATE + sql_text(value) + _RATE


def words(column, labels: dict[str, str]):
    """A stored code (``take``, ``idle``, ``return``) in the log's Indonesian."""
    return case(*((column == code, literal(text, String)) for code, text in labels.items()),
                else_=sql_text(column))


def const(word: str):
    return literal_column(f"'{word}'", String)


def no_user():
    return cast(null(), BigInteger)


def shown(text: str) -> str:
    """A row's words with its marks written out."""
    text = _MARKED.sub(lambda m: format_rupiah(int(m.group(1))) if m.group(1) else "-", text)
    text = _DIFFERENCE_MARKED.sub(lambda m: format_difference(int(m.group(1))) if m.group(1) else "-",
                                  text)
    text = _RATE_MARKED.sub(lambda m: format_rate(int(m.group(1))) + "%" if m.group(1) else "-", text)
    return _QTY_MARKED.sub(_qty_words, text)


def _qty_words(found: re.Match) -> str:
    try:
        return BaseUnit(found.group(1)).in_words(int(found.group(2)))
    except ValueError:
        return found.group(2)
