"""Whether a member's number has reached the books: a member number is kept for life once
anything under it has.

The ledger hub adds up purchases and savings for the SHU by member number (in capitals:
``ledger_hub.shu_basis``), and every document the outlet sends names the member by number (the
day's member purchases and savings, SIMKOPDES' ``anggota_ref``).  A member with any sale, return
(on their sale), savings or kasbon document, kasbon entry, opening savings or limited-goods
purchase has had their number sent, so renumbering them would split their SHU in two and free
the old number for someone else, who would then be given the old member's SHU.  Such a number
cannot be changed (``register.update_member``); one only in other letters (``agt-1`` to
``AGT-1``) can, as the hub reads both the same.  A member with none of these (a typo fixed
just after registering) can be renumbered.  No member is ever deleted, so a number that reached
the books is never free for a new member.
"""
from __future__ import annotations

from sqlalchemy import column, exists, select, table
from sqlalchemy.orm import Session

# Every table holding a member_id that reaches the day documents, the books or the SHU, named
# without importing the modules above members (sales); returns hang off their sale.  A kasbon
# entry of 0 only logs a limit set (``credit.set_limit``): no money, nothing in the books.
_HELD_BY = {"penjualan": ("sale",), "pembeli barang terbatas": ("sale_buyer",),
            "simpanan/angsuran": ("member_document", "member_document_line"),
            "kasbon": ("credit_entry", "member_opening_kasbon"), "simpanan awal": ("member_opening_saving",)}
_MONEY_ONLY = {"credit_entry"}

LOCKED = ("Nomor anggota ini sudah tercatat di transaksi dan perhitungan SHU: tidak dapat diubah. "
          "SHU dihitung menurut nomor anggota, jadi nomor baru akan memisahkan SHU anggota ini "
          "dan nomor lamanya bisa terpakai orang lain. Nomor hanya bisa diubah untuk anggota yang "
          "belum punya transaksi.")


def recorded_in(session: Session, member_id: int) -> list[str]:
    """What under the member's id has reached the books, in words (empty: nothing yet)."""
    return [words for words, tables in _HELD_BY.items()
            if any(session.scalar(select(_held(name, member_id))) for name in tables)]


def _held(name: str, member_id: int):
    rows = table(name, column("member_id"), column("amount"))
    held = rows.c.member_id == member_id
    return exists().where(held & (rows.c.amount != 0) if name in _MONEY_ONLY else held)


def number_locked(session: Session, member_id: int, old: str, new: str) -> str | None:
    """The refusal of changing member ``member_id``'s number ``old`` to ``new``, or None when
    it may change (the same in capitals, or nothing recorded under the member yet)."""
    if new.upper() == old.upper():
        return None
    found = recorded_in(session, member_id)
    return f"{LOCKED} (Tercatat: {', '.join(found)}.)" if found else None
