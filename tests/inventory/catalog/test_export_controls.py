"""Catalog exports of text stored before cleaning existed: no 500, no control bytes, formulas
still neutralised (CSV and XLSX, from the screen and from ``pos inventory export``)."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import text

from pos.inventory.catalog import spreadsheets
from tests.factories import login, make_product, make_user

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


@pytest.fixture
def nasty(db, backend):
    """Two products whose name, category and shelf hold control characters, written with raw
    SQL past the cleaning (as an old database may hold them; PostgreSQL cannot hold NUL)."""
    nul = "\x00" if backend == "sqlite" else "\x01"
    with db.transaction() as s:
        first = make_product(s, sku="X-1", name="Gula").id
        make_product(s, sku="X-2", name="Teh")
    with db.transaction() as s:
        s.execute(text("UPDATE product SET name = :name, shelf = :shelf WHERE id = :id"),
                  {"name": f"\x1b=1+1{nul}Gula\x07 Pasir\x85", "shelf": f"A{nul}1\x0b", "id": first})
    return "=1+1Gula Pasir", "A1"


def manager_client(app, db):
    with db.transaction() as s:
        manager = make_user(s, "manajer", "manager", "1234").id
    client = app.test_client()
    login(client, manager)
    return client


def test_xlsx_export_of_control_characters_works_and_carries_none(app, db, nasty):
    response = manager_client(app, db).get("/katalog/ekspor.xlsx")
    assert response.status_code == 200
    rows = spreadsheets.read_xlsx(response.data)
    assert [(r["sku"], r["name"], r["shelf"]) for r in rows] == [("X-1", *nasty), ("X-2", "Teh", "")]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any(CONTROL.search(c) for c in cells)


def test_csv_export_carries_no_control_bytes_and_keeps_formulas_quoted(app, db, nasty):
    response = manager_client(app, db).get("/katalog/ekspor.csv")
    assert response.status_code == 200
    body = response.data.decode("utf-8-sig")
    assert not CONTROL.search(body.replace("\r\n", ""))
    assert "'=1+1Gula Pasir" in body  # the cleaned text starts with "=": still neutralised
    rows = spreadsheets.read_csv(response.data)
    assert [(r["name"], r["shelf"]) for r in rows] == [nasty, ("Teh", "")]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_cli_export_of_control_characters_works(app, db, nasty, tmp_path):
    runner = app.test_cli_runner()
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"katalog.{fmt}"
        result = runner.invoke(args=["inventory", "export", str(path)])
        assert result.exit_code == 0, result.output
        rows = spreadsheets.read_file(path.name, path.read_bytes())
        assert [r["name"] for r in rows] == [nasty[0], "Teh"]
    assert not CONTROL.search((tmp_path / "katalog.csv").read_bytes().decode("utf-8-sig").replace("\r\n", ""))


def test_cells_lose_control_characters_before_the_formula_check():
    out = spreadsheets.to_csv([{"sku": "\x00=SUM(A1)", "name": "\t@cmd", "price": -5, "plu": "-５"}])
    line = out.split("\r\n")[1]
    assert line.startswith("'=SUM(A1),' @cmd,")  # the tab became a space, still quoted
    assert ",-5," in line and "'-５" in line  # only ASCII digits pass as a plain number
    (row,) = spreadsheets.read_csv(out.encode())
    assert (row["sku"], row["name"], row["price"]) == ("=SUM(A1)", "@cmd", "-5")  # trimmed
