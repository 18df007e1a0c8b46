"""Whose backup it is: a backup of another outlet is not restored without being asked for.

Every receipt number carries its outlet's code (``GERAI01-0000280``), counted per code in the
receipt counter (``receipt_sequence``, ``last_no`` > 0 once a sale was numbered). A backup's
outlets are the codes its counter gave numbers for; this outlet is its ``POS_OUTLET_CODE`` and
every code the database being replaced gave numbers for (the code it had before it was
changed, as an update's own backup holds it). A backup that sold under none of those belongs to
another outlet: restoring it would put that outlet's sales, members and stock here, so it is
refused unless asked for (``pos restore --gerai-lain``). A backup that sold nothing tells no
outlet, and is restored."""
from __future__ import annotations

from collections.abc import Iterable

RECEIPTS = ("receipt_sequence", "outlet_code", "last_no")   # as ``numbers.COUNTERS`` names it
OPTION = "--gerai-lain"


def numbered(counters: dict[str, int | None] | None) -> set[str]:
    """The codes a receipt counter (code -> last number) gave numbers for."""
    return {code for code, last in (counters or {}).items() if last}


def shown(outlets: Iterable[str]) -> str:
    """``GERAI01``, ``GERAI01, KDMP-B01``; ``-`` for none (a backup that sold nothing)."""
    return ", ".join(sorted(outlets)) or "-"


def stranger(backup: Iterable[str], here: str, replaced: Iterable[str] = ()) -> str | None:
    """Why a backup that sold as ``backup`` is not this outlet's (``here``, whose replaced
    database sold as ``replaced``); None when it is, or when it tells no outlet."""
    theirs = set(backup)
    if not theirs or theirs & ({here} | set(replaced)):
        return None
    return (f"Cadangan ini milik gerai {shown(theirs)}, bukan {here} (POS_OUTLET_CODE gerai ini): "
            f"memulihkannya mengganti penjualan, anggota dan stok gerai ini dengan milik gerai "
            f"{shown(theirs)}. Bila memang itu maksudnya (mis. kode gerai ini baru diganti), ulangi "
            f"dengan {OPTION}.")
