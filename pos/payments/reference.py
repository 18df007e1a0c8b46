"""A bank reference (transfer or debit): 3 to 64 printable characters, the same rule at the
till's payment panel and at the savings counter.  Pure."""
from __future__ import annotations

from pos.errors import PosError

REFERENCE_MIN, REFERENCE_MAX = 3, 64


def check_reference(reference: str | None, refuse: type[PosError] = PosError) -> str:
    """``reference`` without its outer spaces, or ``refuse`` (the caller's error) saying why not."""
    text = (reference or "").strip()
    if not REFERENCE_MIN <= len(text) <= REFERENCE_MAX or not text.isprintable():
        said = "wajib diisi" if not text else "tidak sah"   # two characters typed are not nothing
        raise refuse(f"Referensi bank {said}: {REFERENCE_MIN} sampai {REFERENCE_MAX} "
                     "huruf atau angka.")
    return text
