"""One member code means one member: a card that is another member's number, or another
member's card in other letters.

The till finds a member by a code typed or scanned in its one field: a card as it is, a number
in capitals (``service.find``). Cards and numbers are each unique, so the one way a code finds
two members is a card whose capitals are another member's number (card ``agt-0002`` or
``AGT-0002`` and member AGT-0002): the till then asks which member (``service.SharedCode``).
Two cards alike but for their letters (``agt-0002`` and ``AGT-0002``) each find their own member
at the till, but nobody reading the card list can tell them apart, and a card typed by hand in
the other letters finds the other member. The register refuses a new or changed card or number
that makes such a pair (``other_holder``; one the member already has never blocks their other
fields, as with the goods' codes), card assignment skips such numbers (``cards``), and
``collisions`` lists the pairs made before (an old import, a fix by hand) for ``pos doctor``,
each with what to do.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from pos.inventory.catalog.codes import member_holds
from pos.members.models import Member


def other_holder(session: Session, field: str, value: str | None,
                 member_id: int | None) -> str | None:
    """Which other member a card (``field`` ``card_barcode``) or number ``value`` would find
    too at the till, or whose card a card ``value`` is in other letters, in words
    (``codes.member_holds``); None when there is none. The very same card is the unique key's
    to refuse (``register.clashes``)."""
    if not value:
        return None
    capitals = value.upper()
    if field == "card_barcode":
        held = ((Member.number == capitals, "number"),
                (and_(func.upper(Member.card_barcode) == capitals, Member.card_barcode != value),
                 "card_barcode"))
    else:
        held = ((func.upper(Member.card_barcode) == capitals, "card_barcode"),)
    for holds, kind in held:
        found = session.execute(select(Member.number, Member.name).where(
            holds, Member.id != (member_id or 0)).order_by(Member.number).limit(1)).first()
        if found:
            return member_holds(kind, *found)
    return None


@dataclass(frozen=True)
class Pair:
    """A member code held twice (a card that is another member's number, two cards alike but
    for their letters; ``number_case``: a number in small letters): the code, what the till
    does, what to do."""

    code: str
    problem: str
    fix: str


def collisions(session: Session) -> list[Pair]:
    """Every card whose capitals are another member's number, and every card that is an earlier
    member's card in other letters, by code."""
    card, number = aliased(Member), aliased(Member)
    rows = session.execute(
        select(card.card_barcode, card.number, card.name, number.number, number.name)
        .join(number, (number.number == func.upper(card.card_barcode)) & (number.id != card.id)))
    first, later = aliased(Member), aliased(Member)
    twins = session.execute(
        select(later.card_barcode, later.number, later.name, first.card_barcode, first.number,
               first.name)
        .join(first, (func.upper(first.card_barcode) == func.upper(later.card_barcode))
              & (first.id < later.id)))
    return sorted([*(_described(*row) for row in rows), *(_twins(*row) for row in twins)],
                  key=lambda pair: (pair.code, pair.problem))


def _described(code: str, card_no: str, card_name: str, number_no: str, number_name: str) -> Pair:
    holder, other = f"anggota {card_no} ({card_name})", f"anggota {number_no} ({number_name})"
    return Pair(
        code,
        f"{code} adalah kartu {holder} dan nomor {other}; di kasir kode itu cocok dengan kedua "
        "anggota, sehingga kasir diminta memilih.",
        f"Beri {holder} kartu baru: di halaman Anggota kosongkan Kartu, simpan, lalu Beri kartu "
        f"dan cetak kartunya; atau, bila nomornya yang salah, ubah Nomor anggota {number_no} di "
        "halaman Anggota.")


def _twins(code: str, card_no: str, card_name: str, first_code: str, first_no: str,
           first_name: str) -> Pair:
    holder, other = f"anggota {card_no} ({card_name})", f"anggota {first_no} ({first_name})"
    return Pair(
        code,
        f"{code} adalah kartu {holder} dan, dalam huruf lain, kartu {other} ({first_code}); di "
        "daftar kartu keduanya tampak sama, dan kartu yang diketik di kasir dengan huruf yang "
        "lain mendapat anggota yang lain.",
        f"Beri {holder} kartu baru: di halaman Anggota kosongkan Kartu, simpan, lalu Beri kartu "
        "dan cetak kartunya.")
