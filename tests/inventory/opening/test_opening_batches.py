"""Stok awal's batches checked as receiving checks them: one strip written two ways ("S88-001",
"S88 001") is one batch (``stock.batch_key``), so a file naming it twice is refused by the check
(Periksa saja, ``--dry-run``) as well as by the import, naming both rows."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos.inventory import stock
from pos.inventory.catalog.spreadsheets import ImportErrors, read_csv
from pos.inventory.models import Batch
from pos.inventory.opening import rows, service
from tests.factories import make_product, outlet_today

HEADER = "sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\n"


def found(text: str):
    return read_csv((HEADER + text).encode(), rows.COLUMNS, rows.KEY)


def checked(db, text: str) -> list[str]:
    with db.reading() as s:
        return service.validate(s, found(text), today=outlet_today())


def imported(db, text: str) -> list[str]:
    with pytest.raises(ImportErrors) as refused, db.transaction() as s:
        service.import_rows(s, found(text), today=outlet_today())
    return refused.value.errors


@pytest.fixture
def drug(db):
    with db.transaction() as s:
        return make_product(s, on_hand=0, sku="APT-0101", price=12_000, cost=0, batch_tracked=True,
                            business_unit="apotek").id


def batches(db, product_id):
    with db.reading() as s:
        return s.execute(select(Batch.batch_no, Batch.on_hand).where(Batch.product_id == product_id)).all()


ONE_ROW = "; tulis satu batch di satu baris saja."


@pytest.mark.parametrize("second, expiry, said", [
    ("S88-001", "15-01-2028", "Baris 3: batch S88-001 dari APT-0101 juga ada di baris 2" + ONE_ROW),
    ("S88 001", "15-01-2028", "Baris 3: batch S88 001 sama dengan batch S88-001 di baris 2" + ONE_ROW),
    ("s88.001", "15-01-2028", "Baris 3: batch S88.001 sama dengan batch S88-001 di baris 2" + ONE_ROW),
    ("S88001", "15-02-2028", "Baris 3: batch S88001 sama dengan batch S88-001 di baris 2 (kedaluwarsa "
                             "15-02-2028 di baris 3, 15-01-2028 di baris 2): satu batch punya satu "
                             "tanggal kedaluwarsa" + ONE_ROW),
])
def test_one_batch_written_twice_is_refused_by_the_check_and_the_import(db, drug, second, expiry, said):
    text = f"APT-0101,,pcs,10,9500,S88-001,15-01-2028\nAPT-0101,,pcs,5,9500,{second},{expiry}\n"
    assert checked(db, text) == [said]
    assert imported(db, text) == [said]
    assert batches(db, drug) == []


def test_two_batches_alike_only_in_letters_case_are_one_and_distinct_ones_import(db, drug):
    with db.transaction() as s:
        summary = service.import_rows(s, found("APT-0101,,pcs,10,9500,S88-001,15-01-2028\n"
                                               "APT-0101,,pcs,5,9500,S88-002,15-01-2028\n"),
                                      today=outlet_today())
    assert summary["created"] == 1
    assert sorted(batches(db, drug)) == [("S88-001", 10), ("S88-002", 5)]
    with db.reading() as s:
        assert not stock.batch_discrepancies(s)


def test_a_second_import_of_the_day_finds_the_batch_written_another_way(db, drug):
    """The first import said S88-001; the second, the same day, says "S88 001" with the date put
    right: the batch takes the new date and quantity (it was refused as 'sudah tercatat', naming
    no row)."""
    for line in ("10,9500,S88-001,15-01-2028", "12,9500,S88 001,15-02-2028"):
        with db.transaction() as s:
            service.import_rows(s, found(f"APT-0101,,pcs,{line}\n"), today=outlet_today())
    with db.reading() as s:
        assert s.execute(select(Batch.batch_no, Batch.expiry, Batch.on_hand)).all() == [
            ("S88-001", date(2028, 2, 15), 12)]
        assert not stock.batch_discrepancies(s) and not stock.discrepancies(s)
