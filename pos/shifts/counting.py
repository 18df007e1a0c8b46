"""The money counted on a Buka shift or Tutup shift form (pure: a mapping of form fields).

Pieces per denomination come as ``pecahan_<key>`` (``pecahan_k100000``, ``pecahan_c500``),
the total as typed in its own field.  A denomination the drawer has not (a tampered form),
pieces that are not whole numbers, a total beyond the maximum, or a typed total that is not
the pieces' sum is refused with its reason (status 422), so nothing changes.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from pos import money
from pos.shifts import denominations
from pos.shifts.denominations import BY_KEY, DENOMINATIONS, CountError
from pos.shifts.service import Cash

PIECES = "pecahan_"
_FIELD = re.compile(r"pecahan_(.{0,40})")


def counted_cash(form: Mapping[str, str], total_field: str, label: str, maximum: int) -> Cash:
    """The cash counted on ``form``: by denomination, else the total in ``total_field``."""
    unknown = sorted(m.group(1) for name in form
                     if (m := _FIELD.fullmatch(name)) and m.group(1) not in BY_KEY)
    if unknown:
        raise CountError("Pecahan uang tidak dikenal: " + ", ".join(unknown)[:80]
                         + ". Muat ulang halaman.", 422)
    fields = {d.key: form.get(PIECES + d.key, "") or "" for d in DENOMINATIONS}
    try:
        counts = denominations.parse_count(fields)
    except CountError as problem:
        raise CountError(problem.message, 422) from None
    raw = (form.get(total_field) or "").strip()
    typed = None
    if raw:
        try:
            typed = money.parse_rupiah(raw, maximum)
        except money.MoneyError as problem:
            raise CountError(problem.of_field(label), 422) from None
    if counts:
        amount = denominations.total(counts)
        if amount > maximum:
            raise CountError(f"{label} {money.format_rupiah(amount)} terlalu besar (paling banyak "
                             f"{money.format_rupiah(maximum)}). Periksa jumlah lembar.", 422)
        if typed is not None and typed != amount:
            raise CountError(f"{label} {money.format_rupiah(typed)} tidak sama dengan jumlah "
                             f"pecahan {money.format_rupiah(amount)}. Periksa lagi.", 422)
    elif typed is None:
        raise CountError(f"Isi {label}: hitung per pecahan atau ketik jumlahnya.", 422)
    return Cash.of(counts, typed)
