"""Finding members: phone numbers as people write them, ``find`` at the till and the live
``search`` (number prefix, name words, phone), on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

import pytest

from pos.members.models import Member
from pos.members.service import find, normalize_phone, search


@pytest.mark.parametrize("typed, phone", [
    ("081234567890", "081234567890"), ("0812-3456-7890", "081234567890"),
    ("+62 812 3456 7890", "081234567890"), ("62812345678", "0812345678"),
    ("(0812) 3456.7890", "081234567890"), ("0852 1111 222", "08521111222"),
    ("0212345678", None),            # a Jakarta landline
    ("08123", None), ("", None), ("０８１２３４５６７８９０", None), ("0812345678901234", None),
])
def test_normalize_phone(typed, phone):
    assert normalize_phone(typed) == phone


@pytest.fixture
def register(db):
    with db.transaction() as s:
        s.add_all([
            Member(number="AGT-0001", name="Budi Santoso", phone="081211110001",
                   card_barcode="2900000000018", nik="6471011705850001", joined_on=date(2025, 7, 21)),
            Member(number="AGT-0002", name="Sri Wahyuni", phone="085322220002",
                   card_barcode="2900000000025", joined_on=date(2025, 8, 1)),
            Member(number="AGT-0010", name="Siti Rahmah", phone="081933330010", active=False,
                   card_barcode="2900000000100", joined_on=date(2025, 9, 1)),
            Member(number="AGT-0011", name="Ahmad 100% Rijali", phone="087744440011",
                   joined_on=date(2025, 9, 2)),
        ])


def numbers(members) -> list[str]:
    return [m.number for m in members]


@pytest.mark.parametrize("typed", ["2900000000018", "AGT-0001", "agt-0001", " AGT-0001 ",
                                   "0812-1111-0001", "+62 812 1111 0001"])
def test_find_by_card_number_or_phone(db, register, typed):
    with db.reading() as s:
        assert find(s, typed).name == "Budi Santoso"


def test_find_skips_nonaktif_members_unless_asked(db, register):
    with db.reading() as s:
        assert find(s, "AGT-0010") is None and find(s, "2900000000100") is None
        assert find(s, "AGT-0010", include_inactive=True).name == "Siti Rahmah"
        assert find(s, "AGT-9999") is None and find(s, "") is None and find(s, "x" * 40) is None


@pytest.mark.parametrize("typed, found", [
    ("AGT-000", ["AGT-0001", "AGT-0002"]),         # number prefix
    ("agt-001", ["AGT-0011", "AGT-0010"]),         # active first, nonaktif listed after
    ("budi", ["AGT-0001"]),                        # a name word, any case
    ("santoso bu", ["AGT-0001"]),                  # every word, any order
    ("iti", ["AGT-0010"]),                         # part of a word
    ("0853", ["AGT-0002"]),                        # phone prefix
    ("+62 853", ["AGT-0002"]),
    ("0010", ["AGT-0010"]),                        # phone digits anywhere
    ("100%", ["AGT-0011"]),                        # % is a character, not a wildcard
    ("%", []), ("a", []), ("", []),                # too short
    ("zzz", []),
])
def test_search_by_number_name_or_phone(db, register, typed, found):
    with db.reading() as s:
        assert numbers(search(s, typed, 8)) == found


def test_search_orders_active_first_and_respects_the_limit(db, register):
    with db.reading() as s:
        everyone = search(s, "AGT", 10)
        assert numbers(everyone) == ["AGT-0001", "AGT-0002", "AGT-0011", "AGT-0010"]
        assert numbers(search(s, "AGT", 2)) == ["AGT-0001", "AGT-0002"]
        assert numbers(search(s, "6471011705850001", 8)) == ["AGT-0001"]    # a NIK, exactly


def test_a_name_in_other_letters_is_found_in_any_case(db, register):
    """SQLite's lower() knows ASCII letters only: ``ТАШКЕНТ`` never found ``Ташкент``."""
    from pos.members.service import named
    with db.transaction() as s:
        s.add_all([Member(number="AGT-0020", name="Budi Ташкент", joined_on=date(2025, 9, 3)),
                   Member(number="AGT-0021", name="Hans Straße", joined_on=date(2025, 9, 3))])
    with db.reading() as s:
        for typed in ("Ташкент", "ташкент", "ТАШКЕНТ", "budi ТАШК", "ТАШКЕНТ BUDI"):
            assert numbers(search(s, typed, 8)) == ["AGT-0020"], typed
            assert numbers(named(s, typed, 8)) == ["AGT-0020"], typed
        assert numbers(search(s, "santoso ташкент", 8)) == []      # every word, as in Latin
        assert numbers(search(s, "STRAßE", 8)) == numbers(search(s, "straße", 8)) == ["AGT-0021"]
