"""Hostile text in exports: every CSV and XLSX writer neutralises a cell a spreadsheet would
run as a formula (OWASP CSV injection: a leading ``'``), keeps negative numbers numbers, and
the PDF writer takes Chinese, Arabic, emoji and control characters without failing."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pos.inventory.catalog import spreadsheets
from pos.ledger import simkopdes
from pos.ledger_hub import sheets
from pos.members.accounts.statements import BUCKETS, AgeingRow, ageing_csv_rows
from pos.members.models import Member
from pos.reports import pdf, shape
from pos.text import clean, neutral
from tests.factories import pdf_text

FORMULAS = ["=1+1", "+62-21", "-2+3", "@SUM(A1)", "\t=cmd", "\rfoo", "  =HYPERLINK(\"http://x\")",
            "=cmd|' /C calc'!A0", "+", "@"]
PLAIN = ["Budi", "", "'Budi", "'-5", "-5", "-12.500", "-1,5", "10", "Rp-5", "a=b", "😀 =", "张三",
         "-", " - ", "--"]   # a report's "none" is no formula: it stays (the Z CSV showed '-)
# The writers clean control characters first: "\rfoo" is " foo" there, harmless.
STORED = [t for t in FORMULAS if t != "\rfoo"]
HOSTILE = "=HYPERLINK(\"http://evil\",\"klik\")"


@pytest.fixture
def backend():
    return "sqlite"


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_gets_an_apostrophe(text):
    assert neutral(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_and_negative_numbers_stay_as_they_are(text):
    assert neutral(text) == text


@pytest.mark.parametrize("text", ["'=1+1", "''@SUM(A1)", "' =x"])
def test_an_apostrophe_before_a_formula_gets_another_so_reading_takes_off_only_the_files(text):
    assert neutral(text) == "'" + text
    data = spreadsheets.to_csv([{"sku": "A1", "name": text}], ["sku", "name"]).encode()
    assert spreadsheets.read_csv(data, ["sku", "name"])[0]["name"] == text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_neutral_text_never_starts_a_formula(text):
    out = neutral(text)
    assert out in (text, "'" + text)
    if out == text and not text.startswith("'"):
        stripped = text.lstrip()
        assert not text.startswith(("\t", "\r")) and not stripped.startswith(("=", "+", "@"))
        assert not stripped.startswith("-") or re.fullmatch(r"-[0-9]+([.,][0-9]+)*", text) \
            or text.strip(" -") == ""


def csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_a_catalog_cell_survives_export_and_import(name):
    """What the catalog writes it reads back as it was stored (clean, trimmed): the
    apostrophe is the file's, not the product's."""
    data = spreadsheets.to_csv([{"sku": "A1", "name": name}], ["sku", "name"]).encode()
    rows = spreadsheets.read_csv(data, ["sku", "name"])
    expected = clean(name).strip()
    assert (rows[0]["name"] if rows else "") == expected or not expected and not rows


def test_catalog_csv_and_xlsx_hold_no_formula():
    rows = [{"sku": f"S{n}", "name": text, "price": -5_000} for n, text in enumerate(STORED)]
    written = csv_cells(spreadsheets.to_csv(rows, ["sku", "name", "price"]))
    assert [r[1] for r in written[1:]] == ["'" + clean(t) for t in STORED]
    assert {r[2] for r in written[1:]} == {"-5000"}
    book = load_workbook(io.BytesIO(spreadsheets.to_xlsx(rows, ["sku", "name", "price"])))
    cells = [c for row in book.active.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert [c.value for c in cells if c.column == 3] == [-5_000] * len(STORED)


def report(texts: list[str]) -> shape.Report:
    columns = [shape.Column("name", "Nama"), shape.Column("amount", "Jumlah", "rupiah")]
    return shape.Report("uji", "Uji", columns,
                        [{"name": t, "amount": -1_500} for t in texts], row_count=len(texts))


def test_report_csv_and_xlsx_hold_no_formula():
    written = csv_cells(shape.to_csv(report(STORED)))
    assert [r[0] for r in written[1:]] == ["'" + clean(t) for t in STORED]
    assert {r[1] for r in written[1:]} == {"-1500"}
    book = load_workbook(io.BytesIO(shape.to_xlsx(report(STORED))))
    cells = [c for row in book.active.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert {c.value for c in cells if c.column == 2} == {-1_500}


def test_hub_sheet_xlsx_holds_no_formula():
    sheet = sheets.Sheet("uji", HOSTILE, "-periode", [sheets.Column("Akun"),
                                                      sheets.Column("Saldo", "rupiah")])
    sheet.add(HOSTILE, -2_000)
    sheet.add("@akun", 3_000)
    book = load_workbook(io.BytesIO(sheets.to_xlsx(sheet)))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value is not None]
    assert values[:2] == ["'" + HOSTILE, "'-periode"]
    assert values[-4:] == ["'" + HOSTILE, -2_000, "'@akun", 3_000]
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)


def test_ageing_csv_neutralises_member_names():
    rows = [AgeingRow(1, "-A1", HOSTILE + "\x1b", 100_000, 50_000, dict.fromkeys(BUCKETS, 0))]
    out = ageing_csv_rows(rows, {"balance": 50_000, **dict.fromkeys(BUCKETS, 0)})
    assert out[1][:2] == ["'-A1", "'" + HOSTILE]


def test_simkopdes_files_neutralise_member_and_product_text(db, tmp_path):
    with db.transaction() as s:
        s.add(Member(number="+AGT-1", name=HOSTILE, joined_on=date(2026, 1, 5)))
    with db.reading() as s:
        simkopdes.export(s, tmp_path, date(2026, 1, 1), date(2026, 1, 31),
                         koperasi_ref="@KOP", zone="Asia/Jakarta")
    with (tmp_path / "anggota_koperasi.csv").open(encoding="utf-8") as handle:
        member = next(csv.DictReader(handle))
    assert member["nama"] == "'" + HOSTILE
    assert member["anggota_ref"] == "'+AGT-1" and member["koperasi_ref"] == "'@KOP"


NON_LATIN = "张三 مرحبا 😀👍🏽 Ñoño ﬁ\x1b\x1d\x00"


def test_pdf_shows_what_latin1_can_and_a_mark_for_the_rest():
    assert pdf.latin1(NON_LATIN) == "?? ????? ??? Ñoño fi"
    assert pdf.latin1("<script>alert(1)</script> '; DROP TABLE x") == \
        "<script>alert(1)</script> '; DROP TABLE x"


def test_pdf_of_hostile_text_is_a_pdf():
    long = "Ω" * 500 + "x" * 500
    body = pdf.document(NON_LATIN, HOSTILE, [(NON_LATIN, [[pdf.Header(NON_LATIN), pdf.Header("Rp")],
                                                          [NON_LATIN, -5_000], [long], [long, 1]])])
    assert body.startswith(b"%PDF") and body.rstrip().endswith(b"%%EOF")
    drawn = pdf_text(body)   # the text as drawn: the compressed bytes may hold any byte
    assert drawn and "\x1b" not in drawn and "\x1d" not in drawn
