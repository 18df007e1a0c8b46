"""Codes whose leading zeros a spreadsheet dropped (an XLSX cell of digits stored as a number:
SKU 00101 kept as 101, a member's number 0042 as 42), matched back for the opening imports
(Stok awal's sku, Saldo awal simpanan/kasbon's nomor).  Only for a code of digits that names
nothing as it stands: it names the stored codes that are it once zeros are put back in front
(``ltrim(code, '0')``, SQLite and PostgreSQL alike); the caller takes one and refuses several
(``ambiguous``), as the catalogue refuses a barcode cell that may have lost zeros (``code_cells``)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def key_of(code: str) -> str | None:
    """What ``code`` is without its leading zeros, when it is digits (not all zeros), else None."""
    code = code.strip()
    return code.lstrip("0") or None if code.isdigit() else None


def padded(session: Session, column, codes: list[str], *columns, on=None) -> dict[str, list]:
    """Each of ``codes`` (digits, named nothing as they stand) -> the rows (``column`` and
    ``columns``, their tables joined ``on``) whose ``column`` is that code with zeros in front."""
    keys = {key: code for code in codes if (key := key_of(code))}
    found: dict[str, list] = {}
    listed = list(keys)
    for start in range(0, len(listed), 500):
        part = listed[start:start + 500]
        for row in session.execute(select(column, *columns).where(
                func.ltrim(column, "0").in_(part), *([] if on is None else [on])).order_by(column)).all():
            code = keys.get(str(row[0]).lstrip("0"))
            if code is not None:
                found.setdefault(code, []).append(row)
    return found


def ambiguous(code: str, column: str, candidates: list[str]) -> str:
    """The row's problem when ``code`` may be several codes with zeros put back."""
    shown = ", ".join(candidates[:5])
    return (f"{column} {code} tersimpan tanpa angka 0 di depan (sel angka) dan bisa berarti {shown}: "
            f"format kolom {column} sebagai Teks, ketik kode lengkapnya, lalu unggah ulang.")
