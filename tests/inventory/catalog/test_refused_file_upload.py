"""An XLSX refused as a whole file while it is read (a formula saved without its value, codes
stored as numbers) lists every "Baris N" problem on the upload screen, one to a line, as a
refused row check does: the catalogue, the member and the e-RDKK uploads alike."""
from __future__ import annotations

import io
import re

import pytest

from pos.fertilizer.rdkk import COLUMNS as RDKK_COLUMNS
from pos.members.transfer import IMPORT_COLUMNS as MEMBER_COLUMNS
from tests.factories import login, make_user, poll_until_finished
from tests.inventory.catalog.test_numeric_code_cells import xlsx

CATALOGUE = (["sku", "name", "business_unit", "price", "barcodes"], [
    ["A", "=UPPER(\"satu\")", "sembako", 100, None],       # a formula saved without its value
    ["B", "Dua", "sembako", 100, 1234],                    # a barcode that lost its zeros
    ["C", "Tiga", "sembako", 100, 12345678906],
    ["D", "Empat", "sembako", 100, 8991234567892],
])
MEMBERS = (MEMBER_COLUMNS, [
    ["A-1", "=UPPER(\"budi\")", None, None, None, None, None, None],
    ["A-2", "Sri", 6471011705850010, None, None, None, None, None],   # a NIK as a number
    ["A-3", "Ahmad", None, None, 1234, None, None, None],               # kartu as numbers
    ["A-4", "Rina", None, None, 12345678906, None, None, None],
])
RDKK = (RDKK_COLUMNS, [
    ["6402101505700001", "=UPPER(\"darmo\")", "Poktan", "Loa Janan", "padi", None, 150],
    [6402102003750010, "Suparmi", "Poktan", "Loa Janan", "padi", None, 200],
    ["6402100707650007", "La Ode", "Poktan", "Loa Janan", "padi", 5221870010000010, 200],
    ["6402100707650008", "Hamid", "Poktan", "Loa Janan", "padi", 5221870010000020, 200],
])


@pytest.mark.parametrize("url, sheet, form", [
    ("/katalog/impor", CATALOGUE, {}),
    ("/anggota/impor", MEMBERS, {}),
    ("/pupuk/impor", RDKK, {"season": "MT I 2026", "from": "01-10-2026", "to": "31-03-2027"}),
], ids=["katalog", "anggota", "pupuk"])
def test_every_problem_of_a_refused_file_is_listed_one_to_a_line(db, client, url, sheet, form):
    with db.transaction() as s:
        login(client, make_user(s, "manajer", "manager", "1234").id)
    header, rows = sheet
    body = xlsx(*rows, header=header)
    response = client.post(url, data={"file": (io.BytesIO(body), "berkas.xlsx"), **form},
                           content_type="multipart/form-data", headers={"HX-Request": "true"})
    # answered where the import's outcome goes, not in the page's message strip
    assert response.status_code == 200 and "HX-Retarget" not in response.headers
    body = poll_until_finished(client, response.get_data(as_text=True))
    assert "Impor dibatalkan: 4 kesalahan. Tidak ada yang disimpan." in body
    listed = re.findall(r"<li>(Baris \d+)[,:]", body)
    assert listed == ["Baris 2", "Baris 3", "Baris 4", "Baris 5"], body
    assert ".;" not in body
