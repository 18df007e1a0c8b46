"""Rows of text as a table for the command line: each column as wide as its widest cell, the
columns ``right`` (amounts) flush right, two spaces between columns, no cell cut short (an
account name cut at 28 characters, "Harga pokok penjualan Sembak", or a wider name pushing
its row's amounts out of line, read wrong)."""
from __future__ import annotations

from collections.abc import Collection, Sequence


def aligned(rows: Sequence[Sequence[str]], right: Collection[int] = (), indent: str = "") -> list[str]:
    """``rows`` (the header first, if any) as lines of aligned columns."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(text.rjust(width) if i in right else text.ljust(width)
                               for i, (text, width) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]
