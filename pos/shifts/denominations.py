"""Rupiah notes and coins in a cash drawer, and a count of them (pure).

A count maps a denomination key to how many pieces: ``{"k100000": 2, "c500": 3}``; notes
and coins of the same value (Rp1.000) are kept apart because the cashier counts them
apart.  The total is a plain sum of integers.
"""
from __future__ import annotations

from dataclasses import dataclass

from pos.errors import PosError
from pos.money import format_rupiah

MAX_PIECES = 100_000  # more pieces of one kind than a drawer holds is a typing slip


@dataclass(frozen=True)
class Denomination:
    key: str       # the form field and the stored key
    value: int     # Rupiah
    coin: bool

    @property
    def label(self) -> str:
        return f"{'Koin' if self.coin else 'Uang kertas'} {format_rupiah(self.value)}"


NOTES = (100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000)
COINS = (1_000, 500, 200, 100)
DENOMINATIONS = tuple([Denomination(f"k{v}", v, False) for v in NOTES]
                      + [Denomination(f"c{v}", v, True) for v in COINS])
BY_KEY = {d.key: d for d in DENOMINATIONS}


class CountError(PosError):
    pass


def parse_count(fields: dict[str, str]) -> dict[str, int] | None:
    """The pieces typed per denomination (``fields`` keyed by ``Denomination.key``), or None
    when every field is empty (the cashier typed a total instead)."""
    counts: dict[str, int] = {}
    for d in DENOMINATIONS:
        raw = (fields.get(d.key) or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not raw.isascii():
            raise CountError(f"Jumlah lembar/keping {d.label} harus bilangan bulat tanpa tanda.")
        pieces = int(raw)
        if pieces > MAX_PIECES:
            raise CountError(f"Jumlah {d.label} terlalu besar ({pieces}). Periksa lagi.")
        if pieces:
            counts[d.key] = pieces
    return counts if counts or any((fields.get(d.key) or "").strip() for d in DENOMINATIONS) \
        else None


def total(counts: dict[str, int] | None) -> int:
    """The Rupiah a count holds; an unknown key (a tampered form or row) is refused."""
    if not counts:
        return 0
    unknown = set(counts) - set(BY_KEY)
    if unknown:
        raise CountError("Pecahan uang tidak dikenal: " + ", ".join(sorted(unknown)))
    return sum(BY_KEY[key].value * int(pieces) for key, pieces in counts.items())


def rows(counts: dict[str, int] | None) -> list[tuple[Denomination, int, int]]:
    """(denomination, pieces, subtotal) for every denomination counted, in drawer order."""
    counts = counts or {}
    return [(d, counts[d.key], d.value * counts[d.key]) for d in DENOMINATIONS if counts.get(d.key)]
