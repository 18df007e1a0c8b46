"""A phone number another active member already has: a warning the clerk confirms.

Families in a village often share one mobile number, so a shared phone is allowed; but the till
then cannot find the member by that phone alone (``service.find`` asks which one), so a clerk
saving a member (the form or the member file) with a phone another active member has is told
whom it belongs to and saves only after confirming (``CONFIRM``: the form's tick, the import's
option). The warning is given only when the phone is new for the member: a member already
sharing it is not asked again on every edit or re-import.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.members.models import Member

CONFIRM = "phone_shared_ok"  # the form field (and import option) that confirms the warning
WARNING = "phone_shared"     # its key among the form's field messages
MAX_NAMED = 3                # members named in one warning; the rest counted


def holders(session: Session) -> dict[str, dict[str, str]]:
    """Every active member's phone: phone -> {number: name}."""
    out: dict[str, dict[str, str]] = {}
    for row in session.execute(select(Member.number, Member.name, Member.phone)
                               .where(Member.active, Member.phone.is_not(None))):
        out.setdefault(row.phone, {})[row.number] = row.name
    return out


def others(session: Session, phone: str | None, member_id: int | None) -> list[tuple[str, str]]:
    """(number, name) of the active members other than ``member_id`` whose phone is ``phone``."""
    if not phone:
        return []
    return [tuple(row) for row in session.execute(
        select(Member.number, Member.name)
        .where(Member.phone == phone, Member.active, Member.id != (member_id or 0))
        .order_by(Member.number))]


def named(members: list[tuple[str, str]]) -> str:
    """``AGT-0007 Siti Aminah, AGT-0009 Budi`` (and how many more)."""
    text = ", ".join(f"{number} {name}" for number, name in members[:MAX_NAMED])
    return text + (f" dan {len(members) - MAX_NAMED} lainnya" if len(members) > MAX_NAMED else "")


def warning(phone: str, members: list[tuple[str, str]]) -> str:
    """The form's warning: whose phone it is and how to save anyway."""
    return (f"Nomor HP {phone} sudah dipakai anggota {named(members)}. Di kasir, nomor ini tidak "
            "lagi cukup untuk mencari anggota (kasir diminta memilih). Bila memang dipakai "
            "bersama (misalnya satu keluarga), centang “Nomor HP ini memang dipakai bersama” "
            "lalu simpan lagi.")
