"""``pos.counters.Counter``: gap-free numbers per key, made on first use, undone by a rollback,
on SQLite and PostgreSQL (the races between tills are in tests/reliability/test_races.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

import pos.models
from pos.backup import numbers
from pos.counters import Counter
from pos.members.models import MemberCardSequence
from pos.sales.models import ReceiptSequence

RECEIPTS = Counter(ReceiptSequence.__table__)
CARDS = Counter(MemberCardSequence.__table__, key="prefix")


def last(db, model, **key) -> int | None:
    with db.reading() as s:
        return s.scalar(select(model.last_no).filter_by(**key))


def test_numbers_follow_on_per_key_from_one(db):
    with db.transaction() as s:
        assert [RECEIPTS.next(s, "A01") for _ in range(3)] == [1, 2, 3]
        assert RECEIPTS.next(s, "B02") == 1
    with db.transaction() as s:
        RECEIPTS.hold(s, "A01")
        assert RECEIPTS.next(s, "A01") == 4
    assert last(db, ReceiptSequence, outlet_code="A01") == 4


def test_a_rolled_back_number_is_given_again(db):
    with db.transaction() as s:
        assert RECEIPTS.next(s, "A01") == 1
    with pytest.raises(RuntimeError), db.transaction() as s:
        assert RECEIPTS.next(s, "A01") == 2
        raise RuntimeError("the sale failed after its number")
    with db.transaction() as s:
        assert RECEIPTS.next(s, "A01") == 2


def test_a_new_counter_starts_after_start_and_an_existing_one_ignores_it(db):
    asked = []

    def highest() -> int:
        asked.append(1)
        return 41

    with db.transaction() as s:
        assert CARDS.next(s, "29", start=highest) == 42
        assert CARDS.next(s, "29", start=highest) == 43
    assert asked == [1]  # read once, when the counter was made


def test_create_tells_whether_it_made_the_row_and_hold_makes_one(db):
    with db.transaction() as s:
        assert RECEIPTS.create(s, "A01") is True
        assert RECEIPTS.create(s, "A01", start=99) is False
        RECEIPTS.hold(s, "C03")
    assert last(db, ReceiptSequence, outlet_code="A01") == 0
    expected = None if db.engine.dialect.name == "sqlite" else 0  # SQLite's hold writes nothing
    assert last(db, ReceiptSequence, outlet_code="C03") == expected


def test_every_counter_of_the_schema_is_carried_over_a_restore():
    """``pos restore`` raises each counter to the numbers already given (``backup.numbers``)."""
    counters = {t.name: [c.name for c in t.primary_key.columns]
                for t in pos.models.metadata.sorted_tables if "last_no" in t.c}
    assert counters == {c.name: [numbers._key(c).name] for c, _what in numbers.COUNTERS}


def test_every_table_whose_id_is_a_number_on_paper_is_carried_over_a_restore():
    """A table whose id never comes back (AUTOINCREMENT on SQLite) is one whose id is printed:
    ``pos restore`` raises its sequence too (``backup.numbers.IDS``)."""
    never_again = {t.name for t in pos.models.metadata.sorted_tables
                   if t.dialect_options["sqlite"]["autoincrement"]}
    assert never_again == {name for name, _what in numbers.IDS}
