"""In-store (GS1 prefix 20-29) barcodes with an embedded weight or price.

A scale that prints labels encodes the product's PLU and the weight or price
into an EAN-13.  The layout is set per gerai as patterns of 13 characters:

- digits: a literal prefix (``21``), ``P``: the PLU, ``W``: grams,
  ``R``: price in Rupiah, ``C``: the EAN-13 check digit (always last).

So ``21PPPPPWWWWWC`` is PLU 5 digits + weight in grams, and ``23PPPPPRRRRRC`` is
PLU + price.  The check digit is verified by us (python-barcode would silently
"fix" it).  Pure functions: no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pos.inventory.catalog.barcodes import is_valid_gtin

DEFAULT_PATTERNS = ("21PPPPPWWWWWC", "23PPPPPRRRRRC")
_SHAPE = re.compile(r"^(2\d)(\d*)(P+)(?:(W+)|(R+))C$")


class PatternError(ValueError):
    pass


@dataclass(frozen=True)
class Pattern:
    text: str
    prefix: str
    plu: slice
    value: slice
    kind: str  # "weight" or "price"

    @classmethod
    def parse(cls, text: str) -> Pattern:
        """Check a pattern's shape: 13 characters, prefix 20-29, PLU, one value field, C."""
        match = _SHAPE.match(text or "")
        if len(text or "") != 13 or not match:
            raise PatternError(f"Pola barcode '{text}' tidak valid: contoh 21PPPPPWWWWWC atau 23PPPPPRRRRRC.")
        prefix = match.group(1) + match.group(2)
        plu_end = len(prefix) + len(match.group(3))
        kind = "weight" if match.group(4) else "price"
        return cls(text, prefix, slice(len(prefix), plu_end), slice(plu_end, 12), kind)


@dataclass(frozen=True)
class Embedded:
    """What a label says: which product (by PLU) and its weight or price."""

    code: str
    plu: str
    grams: int | None = None
    price: int | None = None
    pattern: str = ""


def compile_patterns(texts) -> tuple[Pattern, ...]:
    patterns = tuple(Pattern.parse(t) for t in texts)
    prefixes = [p.prefix for p in patterns]
    for a in prefixes:
        if sum(1 for b in prefixes if b.startswith(a) or a.startswith(b)) > 1:
            raise PatternError(f"Pola barcode dengan awalan {a} bertabrakan dengan pola lain.")
    return patterns


def decode(code: str, patterns: tuple[Pattern, ...]) -> Embedded | None:
    """The embedded fields when ``code`` matches a pattern, else None (an ordinary code).

    Raises ``PatternError`` for a matching code whose check digit is wrong.
    """
    if len(code) != 13 or not (code.isascii() and code.isdigit()):
        return None
    for pattern in patterns:
        if code.startswith(pattern.prefix):
            if not is_valid_gtin(code):
                raise PatternError(f"Kode {code} tidak valid (angka periksa salah). Pindai ulang.")
            value = int(code[pattern.value])
            plu = code[pattern.plu]
            if pattern.kind == "weight":
                return Embedded(code, plu, grams=value, pattern=pattern.text)
            return Embedded(code, plu, price=value, pattern=pattern.text)
    return None


def encode(pattern: Pattern, plu: str, value: int) -> str:
    """The label code for ``plu`` and a weight or price (for tests and label printing)."""
    from pos.inventory.catalog.barcodes import with_check_digit

    plu_len, value_len = pattern.plu.stop - pattern.plu.start, 12 - pattern.value.start
    if not (plu.isascii() and plu.isdigit()) or len(plu) > plu_len:
        raise PatternError(f"PLU {plu} harus angka, maksimal {plu_len} digit.")
    if value < 0 or value >= 10 ** value_len:
        raise PatternError(f"Nilai {value} tidak muat dalam {value_len} digit.")
    return with_check_digit(f"{pattern.prefix}{plu.zfill(plu_len)}{value:0{value_len}d}")
