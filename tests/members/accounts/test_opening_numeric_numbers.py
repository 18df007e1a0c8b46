"""Saldo awal simpanan and kasbon from an XLSX whose nomor column a spreadsheet stored as
numbers: member 0042 kept as 42 was "anggota '42' tidak ditemukan". Now a number of digits that
names no member as it stands names the one member it is with the zeros back; two such members
refuse the row, asking for the column as text. SQLite and PostgreSQL."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from pos.inventory.catalog.spreadsheets import ImportErrors, read_xlsx
from pos.members.accounts import opening, opening_kasbon
from pos.members.accounts.models import OpeningKasbon, OpeningSaving
from tests.members.accounts.conftest import make_member


@pytest.fixture(autouse=True)
def _shift_of_today(shop_today):
    """Imports take the real day."""


def xlsx(columns, *lines) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for line in lines:
        sheet.append(list(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_numeric_nomor_cell_finds_the_member_its_zeros_were_lost_from(db, shop):
    with db.transaction() as s:
        member = make_member(s, number="0042").id
        exact = make_member(s, number="7").id
        make_member(s, number="0007")
    data = xlsx(opening.IMPORT_COLUMNS, [42, "Ani", 100000, 0, None, 5000], [7, "Baso", 100000, 0, None, 0])
    with db.transaction() as s:
        opening.import_rows(s, read_xlsx(data, opening.IMPORT_COLUMNS, opening.KEY), user_id=None)
    with db.reading() as s:
        assert sorted({row.member_id for row in s.scalars(select(OpeningSaving))}) == sorted([member, exact])
    data = xlsx(opening_kasbon.IMPORT_COLUMNS, [42, "Ani", 150000, None])
    with db.transaction() as s:
        opening_kasbon.import_rows(s, read_xlsx(data, opening_kasbon.IMPORT_COLUMNS, opening_kasbon.KEY),
                                   shop["manager"])
    with db.reading() as s:
        assert [row.member_id for row in s.scalars(select(OpeningKasbon))] == [member]


def test_two_members_the_number_may_have_been_refuse_the_row(db, shop):
    with db.transaction() as s:
        make_member(s, number="042")
        make_member(s, number="0042")
    data = xlsx(opening_kasbon.IMPORT_COLUMNS, [42, "Ani", 150000, None])
    with pytest.raises(ImportErrors) as refused, db.transaction() as s:
        opening_kasbon.import_rows(s, read_xlsx(data, opening_kasbon.IMPORT_COLUMNS, opening_kasbon.KEY),
                                   shop["manager"])
    said = " ".join(refused.value.errors)
    assert "Baris 2:" in said and "0042, 042" in said and "sebagai Teks" in said
    with db.reading() as s:
        assert s.scalars(select(OpeningKasbon)).all() == []
