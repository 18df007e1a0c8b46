"""The member register as plain rows, and a refusal that must leave it as it was (the code
clash tests of ``test_goods_codes`` and ``test_member_codes``)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.members.fields import FieldErrors
from pos.members.models import Member


def register_rows(db) -> list[tuple]:
    with db.reading() as s:
        return [(m.number, m.name, m.card_barcode, m.phone)
                for m in s.scalars(select(Member).order_by(Member.number))]


def refused(db, action) -> dict[str, str]:
    """``action(session)`` raises ``FieldErrors`` and the register is unchanged; its errors."""
    before = register_rows(db)
    with pytest.raises(FieldErrors) as caught, db.transaction() as s:
        action(s)
    assert register_rows(db) == before
    return caught.value.errors
