"""The member on a till's sale: the first card goes on at once; a second one (scanned, or
picked with F7) waits for the cashier's "Ganti anggota" before it replaces the first."""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.members import service as members
from pos.sales import cart


def find_member(session: Session, text: str):
    """The member whose card, number or phone is ``text``; a nonaktif one too (the cart then
    shows plainly that they buy at the non-member price)."""
    return members.find(session, text, include_inactive=True)


def offer_member(session: Session, till_id: int, member, *, replace: bool = False
                 ) -> tuple[str, str] | None:
    """Attach ``member`` unless another member is already on the sale and ``replace`` is
    not given: then nothing changes and (number, name) is returned, to ask the cashier."""
    _, current = cart.cart_of(session, till_id)
    if current is not None and current != member.id and not replace:
        return member.number, member.name
    cart.put_member(session, till_id, member.id)
    return None


def offer(session: Session, till_id: int, text: str, *, replace: bool = False
          ) -> tuple[str, str] | None:
    """``offer_member`` for the member typed or picked (F7); unknown text is refused."""
    member = find_member(session, text)
    if member is None:
        raise cart.CartError(f"Anggota '{(text or '').strip()[:32]}' tidak ditemukan.")
    return offer_member(session, till_id, member, replace=replace)
