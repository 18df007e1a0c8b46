"""One member code means one member: a card that is another member's number.

The till finds a member by a code typed or scanned in its one field: a card as it is, a number
in capitals (``service.find``). Cards and numbers are each unique, so the one way a code finds
two members is a card whose capitals are another member's number (card ``agt-0002`` or
``AGT-0002`` and member AGT-0002): the till then asks which member (``service.SharedCode``).
The register refuses a new or changed card or number that makes such a pair (``other_holder``;
one the member already has never blocks their other fields, as with the goods' codes), card
assignment skips such numbers (``cards``), and ``collisions`` lists the pairs made before (an
old import, a fix by hand) for ``pos doctor``, each with what to do.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from pos.inventory.catalog.codes import member_holds
from pos.members.models import Member


def other_holder(session: Session, field: str, value: str | None,
                 member_id: int | None) -> str | None:
    """Which other member a card (``field`` ``card_barcode``) or number ``value`` would find
    too at the till, in words (``codes.member_holds``); None when no other member would."""
    if not value:
        return None
    if field == "card_barcode":
        holds, kind = Member.number == value.upper(), "number"
    else:
        holds, kind = func.upper(Member.card_barcode) == value.upper(), "card_barcode"
    found = session.execute(select(Member.number, Member.name).where(
        holds, Member.id != (member_id or 0)).order_by(Member.number).limit(1)).first()
    return member_holds(kind, *found) if found else None


@dataclass(frozen=True)
class Pair:
    """A card that is another member's number: the code, what the till does, what to do."""

    code: str
    problem: str
    fix: str


def collisions(session: Session) -> list[Pair]:
    """Every card whose capitals are another member's number, by code."""
    card, number = aliased(Member), aliased(Member)
    rows = session.execute(
        select(card.card_barcode, card.number, card.name, number.number, number.name)
        .join(number, (number.number == func.upper(card.card_barcode)) & (number.id != card.id))
        .order_by(card.card_barcode))
    return [_described(*row) for row in rows]


def _described(code: str, card_no: str, card_name: str, number_no: str, number_name: str) -> Pair:
    holder, other = f"anggota {card_no} ({card_name})", f"anggota {number_no} ({number_name})"
    return Pair(
        code,
        f"{code} adalah kartu {holder} dan nomor {other}; di kasir kode itu cocok dengan kedua "
        "anggota, sehingga kasir diminta memilih.",
        f"Beri {holder} kartu baru: di halaman Anggota kosongkan Kartu, simpan, lalu Beri kartu "
        f"dan cetak kartunya; atau, bila nomornya yang salah, ubah Nomor anggota {number_no} di "
        "halaman Anggota.")
