"""Rows of text as a table for the command line: each column as wide as its widest cell, the
columns ``right`` (amounts) flush right, two spaces between columns, no cell cut short (an
account name cut at 28 characters, "Harga pokok penjualan Sembak", or a wider name pushing
its row's amounts out of line, read wrong)."""
from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence


def aligned(rows: Sequence[Sequence[str]], right: Collection[int] = (), indent: str = "") -> list[str]:
    """``rows`` (the header first, if any) as lines of aligned columns, each cell padded to the
    columns a terminal gives it (``width``: a Chinese name's letters take two, accents none)."""
    if not rows:
        return []
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(_pad(text, size, i in right)
                               for i, (text, size) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]


def width(text: str) -> int:
    """The terminal columns ``text`` takes: two for a wide (East Asian) character, none for a
    combining mark or a joiner, one for the rest."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, size: int, right: bool) -> str:
    fill = " " * (size - width(text))
    return fill + text if right else text + fill
