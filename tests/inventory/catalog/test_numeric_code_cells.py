"""An XLSX catalogue whose barcodes are stored as numbers: a UPC-A that lost its leading zero is
read with it back (its check digit tells), a number that cannot be told is refused asking for
the column as text; text cells are read as they are (``code_cells``)."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import ProductBarcode
from pos.inventory.catalog.transfer import ImportErrors
from tests.factories import login, make_user, poll_until_finished

HEADER = ["sku", "name", "business_unit", "price", "barcodes"]


def xlsx(*rows, header=HEADER, xml=()) -> bytes:
    """A workbook of ``rows`` (numbers stay number cells); ``xml``: (old, new) replacements in
    the sheet's XML, to write a number as a spreadsheet program may (``1.2345678905E10``)."""
    book = Workbook()
    sheet = book.active
    for row in (header, *rows):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    if not xml:
        return out.getvalue()
    source, copy = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                for old, new in xml:
                    data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)
    return copy.getvalue()


def barcodes_of(data: bytes) -> list[str]:
    return [row["barcodes"] for row in spreadsheets.read_xlsx(data)]


def test_a_upc_stored_as_a_number_imports_with_its_zero_and_scans(db, runner, tmp_path):
    path = tmp_path / "bc2.xlsx"
    path.write_bytes(xlsx(["UPC-1", "Kacang impor", "sembako", 25_000, 12345678905],
                          ["EAN-1", "Kecap", "sembako", 12_000, 8991234567891.0]))
    result = runner.invoke(args=["inventory", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 baris diimpor" in result.output
    with db.reading() as s:
        assert set(s.scalars(select(ProductBarcode.code))) == {"012345678905", "8991234567891"}
        assert lookup_barcode(s, "012345678905").name == "Kacang impor"


@pytest.mark.parametrize("cell, code", [
    (12345678905, "012345678905"),             # UPC-A 012345678905
    (12345678905.0, "012345678905"),
    (8991234567891, "8991234567891"),          # EAN-13 as it stands
    (8991234567891.0, "8991234567891"),
    (36000291452, "036000291452"),
    (96385074, "96385074"),                    # EAN-8 as it stands
    ("012345678905", "012345678905"),          # text cells are read as they are
    ("12345678905", "12345678905"),
    ("0012", "0012"),
])
def test_numbers_in_the_barcode_column_are_read_as_their_code(cell, code):
    assert barcodes_of(xlsx(["A", "Satu", "sembako", 100, cell])) == [code]


def test_a_number_written_in_scientific_notation_is_read_as_its_code():
    data = xlsx(["A", "Satu", "sembako", 100, 12345678905], ["B", "Dua", "sembako", 100, 8991234567891],
                xml=[("<v>12345678905</v>", "<v>1.2345678905E10</v>"),
                     ("<v>8991234567891</v>", "<v>8.991234567891E+12</v>")])
    assert barcodes_of(data) == ["012345678905", "8991234567891"]


@pytest.mark.parametrize("cell", [12345678906, 8991234567892, 1234, 123456789012345, 1.5, -12345678905])
def test_a_number_that_is_no_code_is_refused_asking_for_text(cell):
    with pytest.raises(ImportErrors) as caught:
        spreadsheets.read_xlsx(xlsx(["A", "Satu", "sembako", 100, "8991234567891"],
                                    ["B", "Dua", "sembako", 100, cell]))
    [message] = caught.value.errors
    assert message.startswith("Baris 3: kolom barcodes berisi ")
    assert "tersimpan sebagai angka" in message and "angka 0 di depan kode hilang" in message
    assert "Format kolom barcodes sebagai Teks" in message


def test_the_refusal_comes_with_other_cells_problems_in_row_order():
    data = xlsx(["A", "Satu", "sembako", "=1+1", 1234], ["B", "Dua", "sembako", 100, 99],
                header=HEADER)
    with pytest.raises(ImportErrors) as caught:
        spreadsheets.read_xlsx(data)
    assert [e.split(":")[0].split(",")[0] for e in caught.value.errors] == ["Baris 2", "Baris 2", "Baris 3"]


def test_a_numeric_cell_in_another_column_is_read_as_before():
    [row] = spreadsheets.read_xlsx(xlsx([1234, "Satu", "sembako", 100.0, None]))
    assert row["sku"] == "1234" and row["price"] == "100" and row["barcodes"] == ""


def test_the_cli_and_the_screen_refuse_such_a_file_and_save_nothing(db, runner, tmp_path, client):
    data = xlsx(["A", "Satu", "sembako", 100, 12345678906])
    path = tmp_path / "bc.xlsx"
    path.write_bytes(data)
    result = runner.invoke(args=["inventory", "import", str(path)])
    assert result.exit_code == 1 and "Baris 2: kolom barcodes berisi 12345678906" in result.output
    with db.transaction() as s:
        login(client, make_user(s, "manajer", "manager", "1234").id)
    response = client.post("/katalog/impor", data={"file": (io.BytesIO(data), "bc.xlsx")},
                           content_type="multipart/form-data", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    if response.status_code == 200:
        body = poll_until_finished(client, body)
    assert "Baris 2: kolom barcodes berisi 12345678906" in body and "sebagai Teks" in body
    with db.reading() as s:
        assert s.scalars(select(ProductBarcode)).first() is None


def nik_of(cell, xml=()) -> str:
    [row] = spreadsheets.read_xlsx(xlsx([cell], header=["nik"], xml=xml), ["nik"], "nik")
    return row["nik"]


@pytest.mark.parametrize("cell, code", [
    (6471011705850001, "6471011705850001"),
    (123456789012345, "123456789012345"),
    (123456789012345.0, "123456789012345"),
    ("6471011705850010", "6471011705850010"),
])
def test_a_long_number_is_read_when_its_cell_held_it_exactly(cell, code):
    assert nik_of(cell) == code


@pytest.mark.parametrize("cell, xml", [
    (6471011705850010, ()),                                              # 16th digit 0: maybe cut
    (6471011705850001, [("<v>6471011705850001</v>", "<v>6.471011705850001E+15</v>")]),  # a double
    (6471011705850001, [("<v>6471011705850001</v>", "<v>6471011705850001.0</v>")]),
    (12.5, ()),
    (-1, ()),
])
def test_a_long_number_that_may_have_lost_digits_is_refused(cell, xml):
    with pytest.raises(ImportErrors) as caught:
        nik_of(cell, xml)
    [message] = caught.value.errors
    assert message.startswith("Baris 2: kolom nik berisi ") and "15 angka dengan tepat" in message
