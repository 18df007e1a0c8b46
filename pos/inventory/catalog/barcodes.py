"""Barcode checks done by us, because python-barcode silently "fixes" bad check digits.

``classify`` tells what a scanned string is: a GTIN with a valid check digit
(EAN-13, EAN-8, UPC-A), an in-store code, or something malformed.
"""
from __future__ import annotations

import re

_DIGITS = re.compile(r"^[0-9]+$")  # ASCII only: "\d" would take ８ or ٣ as well
# Internal codes the outlet may print itself (SKU-like, Code128): letters, digits, - _ . /
_INTERNAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_./]{2,31}$")


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit for the digits before it (any GTIN length)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True for an 8-, 12- or 13-digit code whose last digit is its check digit."""
    return (
        len(code) in (8, 12, 13)
        and bool(_DIGITS.match(code))
        and gtin_check_digit(code[:-1]) == int(code[-1])
    )


def with_check_digit(body: str) -> str:
    return body + str(gtin_check_digit(body))


def normalize(raw: str) -> str:
    """Strip what scanners add around a code (spaces, CR/LF, a leading ']E0' style AIM id)."""
    code = (raw or "").strip()
    if code.startswith("]") and len(code) > 3:
        code = code[3:]
    return code


class BarcodeProblem(ValueError):
    pass


def validate_scan(raw: str) -> str:
    """The code to look up, or ``BarcodeProblem`` with a message for the cashier."""
    code = normalize(raw)
    if not code:
        raise BarcodeProblem("Kode barang kosong.")
    if _DIGITS.match(code):
        if len(code) in (8, 12, 13):
            if not is_valid_gtin(code):
                raise BarcodeProblem(f"Kode {code} tidak valid (angka periksa salah). Pindai ulang.")
            return code
        if len(code) > 14:
            raise BarcodeProblem(f"Kode {code[:20]} terlalu panjang; mungkin dua pindaian tergabung.")
        return code  # short numeric SKU typed by hand
    if not _INTERNAL.match(code):
        raise BarcodeProblem(f"Kode '{code[:32]}' tidak dikenali formatnya.{_hint(code)}")
    return code


def _hint(code: str) -> str:
    """What was probably meant: a count before the code, or a name typed into the code box."""
    if "*" in code:   # the till reads 3*code before it comes here; other screens have a count box
        return " Jumlah di depan kode (3*kode) hanya di kasir: di sini isi jumlahnya pada barisnya."
    if " " in code:
        return " Untuk mencari nama barang, pakai kotak Cari nama."
    return ""
