"""Member cards: a new in-store card number for a member without one, and the card labels.

Card numbers are EAN-13 codes in GS1's restricted-circulation range (20-29)
under their own prefix (``MEMBER_CARD_PREFIX``, 29 by default), which must
differ from the goods' in-store prefix and the scale's weight and price
patterns, so a card is never read as goods.  A counter row per prefix only
grows: a number once given is never given again, even when the card is later
replaced, and its row lock (PostgreSQL; SQLite has one writer at a time) makes
two managers asking at once queue.  Numbers already used by a member (as a card, or as a
member number: the till would find both), a product's barcode or SKU (an imported card, a code
typed by hand) are skipped.
"""
from __future__ import annotations

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from pos.counters import Counter
from pos.errors import PosError
from pos.hardware.ports import Label
from pos.inventory.catalog.barcodes import is_valid_gtin, with_check_digit
from pos.inventory.labels.instore import LabelError, check_prefix
from pos.members.models import Member, MemberCardSequence
from pos.members.register import get_member, product_holding

MAX_MEMBERS = 200    # per print
MAX_COPIES = 20      # cards per member on one print
_SERIALS = Counter(MemberCardSequence.__table__, key="prefix")


class CardError(PosError):
    pass


def is_card_number(code: str, prefix: str) -> bool:
    """An EAN-13 under the member cards' ``prefix``: a card's number (given here or not), never
    goods' (the till says a card no member holds is unknown as a card)."""
    return len(code) == 13 and code.startswith(prefix) and is_valid_gtin(code)


def card_prefix(prefix: str, goods_prefix: str, avoid_prefixes: tuple[str, ...] = ()) -> str:
    """``prefix`` when it is an in-store prefix free of goods' codes and scale patterns."""
    try:
        return check_prefix(prefix, (*avoid_prefixes, goods_prefix))
    except LabelError as error:
        raise CardError(f"Awalan kartu anggota: {error.message}") from None


def assign_card(session: Session, member_id: int, prefix: str) -> str:
    """Give the member without a card the next free card number under ``prefix``."""
    member = get_member(session, member_id)
    if member.card_barcode:
        raise CardError(f"{member.name} sudah punya kartu {member.card_barcode}.")
    code = next_card_number(session, prefix)
    member.card_barcode = code
    session.flush()
    return code


def next_card_number(session: Session, prefix: str) -> str:
    """The next never-given ``prefix`` EAN-13 that no member (as card or number) or product uses."""
    serial = _SERIALS.next(session, prefix, start=lambda: _highest_serial(session, prefix))
    limit = 10 ** (12 - len(prefix))
    while True:
        if serial >= limit:
            raise CardError(f"Nomor kartu dengan awalan {prefix} sudah habis.")
        code = with_check_digit(f"{prefix}{serial:0{12 - len(prefix)}d}")
        taken = session.scalar(select(exists().where(
            or_(Member.card_barcode == code, Member.number == code))))
        if not taken and product_holding(session, "card_barcode", code) is None:
            return code
        serial = _SERIALS.next(session, prefix)


def _highest_serial(session: Session, prefix: str) -> int:
    """The serial of the highest 13-digit card already under ``prefix`` (0 if none)."""
    low, high = prefix + "0" * (13 - len(prefix)), prefix + "9" * (13 - len(prefix))
    for code in session.scalars(select(Member.card_barcode).where(
            Member.card_barcode >= low, Member.card_barcode <= high,
            func.length(Member.card_barcode) == 13).order_by(Member.card_barcode.desc())):
        if code.isascii() and code.isdigit():
            return int(code[len(prefix):12])
    return 0


def card_labels(session: Session, items: list[tuple[int, int]]) -> list[Label]:
    """One ``Label`` per card to print: (member id, copies) pairs, in the order asked."""
    if not items:
        raise CardError("Pilih minimal satu anggota untuk dicetak kartunya.")
    if len(items) > MAX_MEMBERS:
        raise CardError(f"Paling banyak {MAX_MEMBERS} anggota sekali cetak.")
    labels = []
    for member_id, copies in items:
        if not 1 <= copies <= MAX_COPIES:
            raise CardError(f"Jumlah kartu per anggota harus 1 sampai {MAX_COPIES}.")
        labels += [card_label(get_member(session, member_id))] * copies
    return labels


def card_label(member: Member) -> Label:
    """What a card shows: the name, the member number and the card's EAN-13."""
    code = member.card_barcode
    if not code:
        raise CardError(f"{member.name} belum punya kartu; beri nomor kartu dulu.")
    if len(code) != 13 or not is_valid_gtin(code):
        raise CardError(f"Kartu {member.name} ({code}) bukan EAN-13, jadi tidak bisa dicetak di "
                        "sini; beri kartu baru atau cetak dengan cara lain.")
    return Label(name=member.name, price_text=f"Anggota {member.number}", code=code)
