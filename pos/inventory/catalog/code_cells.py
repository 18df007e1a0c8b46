"""Codes in XLSX cells stored as numbers (no database).

A spreadsheet takes a column of barcodes, card numbers or NIKs typed as digits for numbers: it
drops their leading zeros (UPC 012345678905 is kept as 12345678905) and keeps at most 15
significant digits (the 16th digit of a NIK typed as a number becomes 0).  So a number in a code
column (by its name in row 1: ``CODE_COLUMNS``) is read as a code only when it can be told:

- ``gtin`` (a product's barcodes, a member's card): a whole number whose digits are an EAN-13
  or UPC-A with a valid check digit as they stand, or once zeros are put back in front up to 12
  digits (13 with a leading 0 is the same code, which the scanner reads as 12), or an EAN-8 as
  it stands.  Anything else may have lost zeros and cannot be told apart.
- ``long`` (a NIK, a Kartu Tani number): a whole number its cell held exactly: an integer of at
  most 15 digits, or one of 16 or more not ending in 0 (a spreadsheet's cut ends in zeros) and
  stored as an integer, never as a floating-point number (``1.23E+15``), which loses digits.

Text cells are never touched.  A number that cannot be told is refused, naming the row and
the column, asking for the column to be formatted as text (``CodeCellError``).
"""
from __future__ import annotations

from typing import Any

from pos.inventory.catalog.barcodes import is_valid_gtin

CODE_COLUMNS = {"barcodes": "gtin", "kartu": "gtin", "nik": "long", "kartu_tani": "long"}
_EXACT_DIGITS = 15   # what a spreadsheet (and a double) holds of a number's digits exactly


class CodeCellError(ValueError):
    """The number in a code column that cannot be read as its code; the message says why."""


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def code_text(value: int | float, kind: str, line: int, column: str) -> str:
    """The code a numeric cell of a ``kind`` column holds, or ``CodeCellError``."""
    digits = _whole(value)
    code = None
    if digits is not None:
        code = _gtin(digits) if kind == "gtin" else _long(digits, isinstance(value, int))
    if code is None:
        raise CodeCellError(_message(value, kind, line, column))
    return code


def _whole(value: int | float) -> str | None:
    """The digits of a non-negative whole number (a float too: ``8991234567891.0``)."""
    if isinstance(value, float) and not value.is_integer():
        return None
    number = int(value)
    return str(number) if number >= 0 else None


def _gtin(digits: str) -> str | None:
    if len(digits) in (12, 13) or (len(digits) == 8 and is_valid_gtin(digits)):
        return digits if is_valid_gtin(digits) else None
    padded = digits.zfill(12)
    return padded if 8 < len(digits) < 12 and is_valid_gtin(padded) else None


def _long(digits: str, stored_as_integer: bool) -> str | None:
    if len(digits) <= _EXACT_DIGITS:
        return digits
    return digits if stored_as_integer and not digits.endswith("0") else None


def _message(value: int | float, kind: str, line: int, column: str) -> str:
    shown = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    lost = ("angka 0 di depan kode hilang saat disimpan begitu, jadi kodenya tidak bisa dipastikan"
            if kind == "gtin" else "lembar kerja hanya menyimpan 15 angka dengan tepat, angka di "
            "belakangnya bisa berubah menjadi 0")
    return (f"Baris {line}: kolom {column} berisi {shown} yang tersimpan sebagai angka, bukan teks: "
            f"{lost}. Format kolom {column} sebagai Teks, ketik ulang isinya, lalu unggah ulang.")
