"""XLSX files whose formulas were saved without a computed value (openpyxl itself writes them so,
as do other programs that do not compute formulas): every import refuses such a cell, naming its
row and column, instead of reading it as empty; a formula saved with its value reads that value,
and a file without formulas is read once (``pos.workbooks``)."""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from pos.fertilizer import rdkk
from pos.het import transfer as het_transfer
from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog import transfer as catalog_transfer
from pos.ledger_hub import opening as hub_opening
from pos.members import transfer as member_transfer
from pos.members.accounts import opening as savings_opening
from pos.members.models import Member
from pos.workbooks import FirstSheet, has_formulas
from tests.factories import login, make_user

ADVICE = ("berisi rumus tanpa nilai tersimpan. Buka berkasnya di Excel/LibreOffice, simpan lagi, "
          "lalu unggah ulang.")


def xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cached(data: bytes, cell: str, value: str, *, text: bool = False) -> bytes:
    """The file with the formula of ``cell`` given the value a spreadsheet program saves with it
    (``text``: a formula whose value is text, as ``=IF(A2="";"";…)``, ``t="str"``)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                kind = ' t="str"' if text else ""
                part, found = re.subn(rf'<c r="{cell}"><f>(.*?)</f><v ?/>'.encode(),
                                      rf'<c r="{cell}"{kind}><f>\1</f><v>{value}</v>'.encode(), part)
                assert found == 1, part
            target.writestr(info, part)
    return out.getvalue()


def refusal(name: str, data: bytes, rules) -> list[str]:
    with pytest.raises(spreadsheets.ImportErrors) as caught:
        spreadsheets.read_file(name, data, rules.IMPORT_COLUMNS, rules.KEY)
    return caught.value.errors


CATALOG = xlsx(["sku", "name", "business_unit", "price", "cost"],
               ["GL-1", "Gula 1 kg", "sembako", 16_000, 14_000],
               ["TH-1", "Teh celup", "sembako", "=D2*2", 5_000])


def test_a_catalogue_price_formula_without_its_value_is_refused_naming_row_and_column():
    assert refusal("katalog.xlsx", CATALOG, catalog_transfer) == [f"Baris 3, kolom price (D): {ADVICE}"]


def test_a_row_with_several_is_one_message_naming_each_column():
    data = xlsx(["sku", "name", "business_unit", "price", "cost"],
                ["GL-1", "Gula 1 kg", "sembako", "=E2*2", "=7000*2"], [None, None, None, "=1", None])
    assert refusal("katalog.xlsx", data, catalog_transfer) == [
        f"Baris 2, kolom price (D) dan cost (E): {ADVICE}", f"Baris 3, kolom price (D): {ADVICE}"]


def test_a_formula_saved_with_its_value_reads_that_value():
    rows = spreadsheets.read_file("katalog.xlsx", cached(CATALOG, "D3", "32000"))
    assert rows[1]["price"] == "32000"


def test_a_formula_whose_value_is_empty_text_reads_empty_as_before():
    data = xlsx(["sku", "name", "business_unit", "price", "cost"],
                ["GL-1", "Gula 1 kg", "sembako", 16_000, '=IF(D2>0,"",1)'])
    assert refusal("katalog.xlsx", data, catalog_transfer) == [f"Baris 2, kolom cost (E): {ADVICE}"]
    rows = spreadsheets.read_file("katalog.xlsx", cached(data, "E2", "", text=True))
    assert rows[0]["cost"] == "" and rows[0]["price"] == "16000"


@pytest.mark.parametrize("rules, header, row, message", [
    (member_transfer, ["nomor", "nama", "telepon"], ["A-001", "=B1", "0812"], "Baris 2, kolom nama (B)"),
    (rdkk.RdkkFile, ["nik", "nama", "urea_kg"], ["3201010101010001", "Siti", "=50*2"],
     "Baris 2, kolom urea_kg (C)"),
    (het_transfer, ["sku", "het", "berlaku_mulai"], ["GL-1", "=1+1", "01-01-2026"], "Baris 2, kolom het (B)"),
    (savings_opening, ["nomor", "nama", "simpanan_pokok"], ["A-001", "Siti", "=10000*5"],
     "Baris 2, kolom simpanan_pokok (C)"),
])
def test_every_outlet_import_refuses_the_cell_the_same_way(rules, header, row, message):
    assert refusal("berkas.xlsx", xlsx(header, row), rules) == [f"{message}: {ADVICE}"]


def test_the_hubs_opening_balances_refuse_it_too():
    data = xlsx(["akun", "nama", "debit", "kredit"], ["110100", "Kas", "=1000*3", 0],
                ["310100", "Modal", 0, 3_000])
    with pytest.raises(hub_opening.OpeningRefused) as caught:
        hub_opening.read_table("saldo.xlsx", data)
    assert caught.value.problems == [f"Baris 2, kolom debit (C): {ADVICE}"]
    assert hub_opening.read_table("saldo.xlsx", cached(data, "C2", "3000"))[1][2] == 3000


def test_a_file_without_formulas_is_read_once(monkeypatch):
    opened = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(k) or real(*a, **k))
    plain = xlsx(["sku", "name"], ["GL-1", "Gula"], ["TH-1", "Teh"])
    assert not has_formulas(plain) and has_formulas(CATALOG)
    with FirstSheet(plain) as sheet:
        assert list(sheet.rows()) == [("sku", "name"), ("GL-1", "Gula"), ("TH-1", "Teh")]
    assert [k["data_only"] for k in opened] == [True]
    opened.clear()
    with FirstSheet(CATALOG) as sheet:
        assert len(list(sheet.rows())) == 3 and len(sheet.problems) == 1
    assert [k["data_only"] for k in opened] == [True, False]


def test_the_member_upload_says_so_and_saves_nothing(db, client):
    with db.transaction() as s:
        login(client, make_user(s, "manajer", "manager", "1234").id)
    data = xlsx(["nomor", "nama", "telepon"], ["A-001", "Siti", "0812"], ["A-002", "=B2", "0813"])
    response = client.post("/anggota/impor", data={"file": (io.BytesIO(data), "anggota.xlsx")},
                           content_type="multipart/form-data", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)   # refused as the file is read, listed as row errors
    assert response.status_code == 200 and "<progress" not in body
    assert "<li>Baris 3, kolom nama (B): berisi rumus tanpa nilai tersimpan" in body
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 0
