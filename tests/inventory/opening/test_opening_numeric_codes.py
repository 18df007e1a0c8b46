"""Stok awal from an XLSX whose sku column a spreadsheet stored as numbers: SKU 00101 typed
without the cell formatted as text is kept as the number 101, and the row was "barang '101'
tidak ditemukan". Now a code of digits that names no SKU or barcode as it stands names the one
product whose SKU or piece barcode it is once the lost zeros are put back; two such products
refuse the row, asking for the column as text. SQLite and PostgreSQL."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from pos.inventory import stock
from pos.inventory.catalog.spreadsheets import ImportErrors, read_xlsx
from pos.inventory.opening import rows, service
from tests.factories import make_product, outlet_today


def xlsx(*lines) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(rows.COLUMNS)
    for line in lines:
        sheet.append(list(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(db, data: bytes) -> dict:
    found = read_xlsx(data, rows.COLUMNS, rows.KEY)
    with db.transaction() as s:
        return service.import_rows(s, found, today=outlet_today())


def test_a_numeric_sku_cell_finds_the_sku_its_zeros_were_lost_from(db):
    with db.transaction() as s:
        sugar = make_product(s, on_hand=0, sku="00101", cost=0, barcodes_=["8991234567891"])
        oil = make_product(s, on_hand=0, sku="0042", cost=0, barcodes_=["0012345678905"])
        ids = sugar.id, oil.id
    run(db, xlsx([101, "Gula", "pcs", 40, 15500], [12345678905, "Minyak", "pcs", 7, 20000]))
    with db.reading() as s:
        assert [stock.on_hand(s, pid) for pid in ids] == [40, 7]


def test_an_exact_sku_wins_over_one_with_zeros(db):
    with db.transaction() as s:
        exact = make_product(s, on_hand=0, sku="101", cost=0, barcodes_=[])
        zeros = make_product(s, on_hand=0, sku="00101", cost=0, barcodes_=[])
        ids = exact.id, zeros.id
    run(db, xlsx([101, "Gula", "pcs", 5, 1000]))
    with db.reading() as s:
        assert [stock.on_hand(s, pid) for pid in ids] == [5, 0]


def test_two_skus_the_number_may_have_been_refuse_the_row_and_change_nothing(db):
    with db.transaction() as s:
        one = make_product(s, on_hand=0, sku="0101", cost=0, barcodes_=[])
        two = make_product(s, on_hand=0, sku="00101", cost=0, barcodes_=[])
        ids = one.id, two.id
    with pytest.raises(ImportErrors) as refused:
        run(db, xlsx([101, "Gula", "pcs", 5, 1000]))
    said = " ".join(refused.value.errors)
    assert "Baris 2:" in said and "0101" in said and "00101" in said and "sebagai Teks" in said
    with db.reading() as s:
        assert [stock.on_hand(s, pid) for pid in ids] == [0, 0]


def test_a_number_naming_nothing_even_with_zeros_is_still_not_found(db):
    with db.transaction() as s:
        make_product(s, on_hand=0, sku="A0101", cost=0, barcodes_=[])
    with pytest.raises(ImportErrors) as refused:
        run(db, xlsx([101, "Gula", "pcs", 5, 1000]))
    assert "barang '101' tidak ditemukan" in " ".join(refused.value.errors)
