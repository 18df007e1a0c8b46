"""Finding a member: at the till by card barcode, member number or phone (``find``; a phone
that several members share asks which one, ``SharedPhone``, and so does a code that is one
member's card and another's number, ``SharedCode``; ``for_sale``: the till's sale takes the one
active member of two without asking, and says so when both are nonaktif, ``SharedInactive``),
the live list as the cashier or manager types a number, name or phone (``search``), and the
members a whole name typed at the till names (``named``)."""
from __future__ import annotations

import re

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.members.models import Member

_PHONE = re.compile(r"^(?:\+?62|0)(8[0-9]{7,12})$")  # ASCII digits only
_PHONE_PART = re.compile(r"^(?:\+?62|0)?(8[0-9]{2,12})$")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '.\-]+[^\W\d_]+)*\.?$")  # letters: Ma'ruf, H. Amir
MAX_WORDS = 5
MAX_SHARERS = 5  # members named in a message; the rest counted


def normalize_phone(text: str) -> str | None:
    """``+62 812-3456-7890`` / ``0812 3456 7890`` -> ``081234567890``; None if not a mobile number."""
    digits = re.sub(r"[\s\-().]", "", text or "")
    match = _PHONE.match(digits)
    return f"0{match.group(1)}" if match else None


def _listed(members: list[Member]) -> str:
    """``AGT-0001 Siti, AGT-0002 Budi`` (the first ``MAX_SHARERS``, then how many more)."""
    names = ", ".join(f"{m.number} {m.name}" for m in members[:MAX_SHARERS])
    return names + (f" dan {len(members) - MAX_SHARERS} lagi" if len(members) > MAX_SHARERS else "")


class Ambiguous(PosError):
    """A code typed at the till that finds more than one member (``members``, to pick from;
    ``typed``: what was typed, in words: ``Kode agt-0001``, ``Nomor HP 081255550001``)."""

    members: list[Member]
    typed: str


class SharedPhone(Ambiguous):
    """A phone typed at the till that more than one member has (a family's): the cashier picks
    the member (``members``) by number, card or the F7 list; nothing is chosen for them."""

    def __init__(self, phone: str, members: list[Member]):
        super().__init__(f"Nomor HP {phone} dipakai {len(members)} anggota: {_listed(members)}. "
                         "Pilih anggotanya: ketik nomor anggota, pindai kartunya, atau pilih "
                         "dari daftar (F7).", 409)
        self.members, self.typed = members, f"Nomor HP {phone}"


class SharedCode(Ambiguous):
    """A code that is one member's card and another's number (``code_clashes``, made before the
    register refused it; ``pos doctor`` lists it): the cashier picks the member from the F7 list
    (which attaches by number alone, ``by_number``); nothing is chosen for them."""

    def __init__(self, code: str, members: list[Member]):
        names = ", ".join(f"{m.number} {m.name}" + ("" if m.active else " (nonaktif)")
                          for m in members)
        super().__init__(f"Kode {code} dipakai {len(members)} anggota (kartu satu anggota, nomor "
                         f"anggota yang lain): {names}. Pilih anggotanya dari daftar (F7), lalu "
                         "minta manajer memperbaiki kode ganda ini (pos doctor).", 409)
        self.members, self.typed = members, f"Kode {code}"


class SharedInactive(PosError):
    """A code or phone that only nonaktif members have, two or more (``for_sale``): none goes on
    the sale, since whichever it were would buy at the non-member price without kasbon; the
    cashier is told so, as the cart tells of one nonaktif member."""

    def __init__(self, typed: str, members: list[Member]):
        super().__init__(f"{typed} dipakai {len(members)} anggota nonaktif: {_listed(members)}. "
                         "Anggota nonaktif belanja dengan harga bukan anggota dan tidak dapat "
                         "kasbon: lanjutkan penjualan tanpa anggota.")
        self.members = members


def find(session: Session, text: str, *, include_inactive: bool = False,
         by_number: bool = False) -> Member | None:
    """The active member (any member with ``include_inactive``, active ones first) whose card,
    number (in capitals) or phone is ``text``; only the number with ``by_number`` (a member
    picked from a list).  A card that is another member's number raises ``SharedCode``; a phone
    shared by several active members (or, with none active, by several nonaktif ones) raises
    ``SharedPhone``."""
    text = (text or "").strip()
    if not text or len(text) > 32:
        return None
    held = Member.number == text.upper()
    query = select(Member).where(held if by_number else or_(Member.card_barcode == text, held))
    if not include_inactive:
        query = query.where(Member.active)
    # cards and numbers are each unique: at most a card and a number
    found = list(session.scalars(query.order_by(Member.active.desc(), Member.number).limit(2)))
    if len(found) > 1:
        raise SharedCode(text, found)
    phone = None if by_number else normalize_phone(text)
    if found or phone is None:
        return found[0] if found else None
    query = select(Member).where(Member.phone == phone)
    if not include_inactive:
        query = query.where(Member.active)
    found = list(session.scalars(query.order_by(Member.active.desc(), Member.number).limit(50)))
    found = [m for m in found if m.active] or found
    if len(found) > 1:
        raise SharedPhone(phone, found)
    return found[0] if found else None


def for_sale(session: Session, text: str, *, by_number: bool = False) -> Member | None:
    """The member the till puts on a sale for ``text``: ``find`` with nonaktif members (a lone
    one goes on, and the cart says plainly they buy at the non-member price, without kasbon).
    Of the members a code or phone matches, the one active is taken without asking, since a
    nonaktif one could have neither the member price nor kasbon; two active ones still ask
    (``SharedCode``, ``SharedPhone``); none active raises ``SharedInactive``."""
    try:
        return find(session, text, include_inactive=True, by_number=by_number)
    except Ambiguous as shared:
        active = [m for m in shared.members if m.active]
        if len(active) == 1:
            return active[0]
        if active:
            raise
        raise SharedInactive(shared.typed, shared.members) from None


def search(session: Session, text: str, limit: int) -> list[Member]:
    """Members whose number starts with ``text``, whose name holds every word of it, or whose
    phone holds its digits (``0812``, ``+62 812``, ``3456``); exact card or NIK too.
    Active members first, then by number; nonaktif ones are listed (the caller marks them)."""
    text = " ".join((text or "").split())[:60]
    if len(text) < 2:
        return []
    conditions = [Member.number.startswith(text.upper(), autoescape=True),
                  Member.card_barcode == text, Member.nik == text]
    conditions.append(_holds_words(session, text))
    digits = re.sub(r"[\s\-().]", "", text)
    phone = _PHONE_PART.match(digits)
    if phone:
        conditions.append(Member.phone.contains(phone.group(1), autoescape=True))
    elif digits.isascii() and digits.isdigit() and len(digits) >= 4:
        conditions.append(Member.phone.contains(digits, autoescape=True))
    return list(session.scalars(select(Member).where(or_(*conditions))
                                .order_by(Member.active.desc(), Member.number).limit(limit)))


def _holds_words(session: Session, text: str):
    """The name holds every word of ``text`` (the first ``MAX_WORDS``), in any case.

    The databases' ``lower()`` is sure of ASCII letters only (SQLite's knows no other, so
    ``ТАШКЕНТ`` never found ``Ташкент``): a word in other letters is compared here, casefolded,
    over the names holding the ASCII words (a rare search: every name when all are other)."""
    words = text.lower().split()[:MAX_WORDS]
    latin = [func.lower(Member.name).contains(w, autoescape=True) for w in words if w.isascii()]
    if len(latin) == len(words):
        return and_(*latin)
    folded = [w.casefold() for w in words]
    rows = session.execute(select(Member.id, Member.name).where(*latin))
    return Member.id.in_([row.id for row in rows if all(w in row.name.casefold() for w in folded)])


def named(session: Session, text: str, limit: int) -> list[Member]:
    """Members whose name holds every word of ``text`` when ``text`` is a name (letters, with
    spaces, dots, hyphens or apostrophes: ``Budi Santoso``, ``Ma'ruf``); none for a code, a
    number or a phone, so a card that is not known never finds someone by a part of a name."""
    text = " ".join((text or "").split())[:60]
    if len(text) < 2 or not _NAME.match(text):
        return []
    return list(session.scalars(select(Member).where(_holds_words(session, text))
                                .order_by(Member.active.desc(), Member.number).limit(limit)))
