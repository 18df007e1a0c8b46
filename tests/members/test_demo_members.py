"""The demo gerai's members pass the register's own checks: numbers as the register stores them
(in capitals), valid NIKs, mobile phones, card numbers under the member prefix, join dates since
the founding, and one nonaktif member."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.demo import people
from pos.demo.seed import seed_demo
from pos.inventory.catalog.barcodes import is_valid_gtin
from pos.members.fields import clean_number, clean_phone
from pos.members.models import Member
from pos.members.nik import check_nik
from tests.factories import outlet_today


@pytest.fixture
def backend():
    """Demo data, not SQL: SQLite only."""
    return "sqlite"


def test_demo_members_are_valid_register_entries(db):
    with db.transaction() as s:
        seed_demo(s, history_days=0)  # the register, not the days sold to it
    with db.reading() as s:
        members = list(s.scalars(select(Member).order_by(Member.number)))
    assert len(members) >= 12
    assert [m.number for m in members if not m.active] == [people.INACTIVE_MEMBER]
    for m in members:
        assert clean_number(m.number) == m.number
        assert check_nik(m.nik) == m.nik
        assert clean_phone(m.phone) == m.phone
        assert m.card_barcode.startswith("29") and is_valid_gtin(m.card_barcode)
        assert people.FOUNDED <= m.joined_on <= outlet_today()
    assert len({m.joined_on for m in members}) > 12
