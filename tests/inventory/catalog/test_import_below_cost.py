"""A catalogue file's selling price under the cost is asked as the product form asks: the file is
refused with the form's words for each such row and how to confirm, and saved once the clerk
confirms (the upload's tick box, ``--below-cost-ok``), the rows then listed (``file_prices``)."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from pos.inventory.catalog import file_prices, spreadsheets, transfer
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.tax import TaxSettings
from pos.inventory.catalog.transfer import ImportErrors
from pos.settings import service as outlet_settings
from tests.factories import login, make_product, make_user, poll_until_finished

HEADER = "sku,name,business_unit,price,cost"
FILE = f"{HEADER}\nGL-1,,,14000,\nTEH-1,Teh celup,sembako,4000,4500\nKP-1,Kopi,sembako,9000,8000\n"
WARNINGS = ["Baris 2: Harga jual Rp14.000 di bawah harga pokok Rp15.000.",
            "Baris 3: Harga jual Rp4.000 di bawah harga pokok Rp4.500."]


@pytest.fixture
def gula(db):
    with db.transaction() as s:
        return make_product(s, sku="GL-1", name="Gula pasir 1 kg", price=16_000, cost=15_000, on_hand=0).id


def rows(text: str = FILE) -> list[dict]:
    return spreadsheets.read_csv(text.encode())


def run_import(db, data, **kw):
    with db.transaction() as s:
        return transfer.import_rows(s, data, None, **kw)


def stored(db) -> dict[str, tuple[int, int]]:
    with db.reading() as s:
        return {p.sku: (p.price, p.cost) for p in s.scalars(select(Product))}


def test_prices_under_cost_refuse_the_file_with_the_forms_words_and_how_to_confirm(db, gula):
    with pytest.raises(ImportErrors) as caught:
        run_import(db, rows())
    assert caught.value.errors == [*WARNINGS, file_prices.HINT]
    assert caught.value.problems == 2     # the hint is advice, no third problem
    assert stored(db) == {"GL-1": (16_000, 15_000)}


def test_confirmed_they_are_saved_and_listed(db, gula):
    summary = run_import(db, rows(), below_cost_ok=True)
    assert summary["below_cost"] == WARNINGS and (summary["created"], summary["updated"]) == (2, 1)
    assert stored(db) == {"GL-1": (14_000, 15_000), "TEH-1": (4_000, 4_500), "KP-1": (9_000, 8_000)}


def test_a_product_left_under_its_cost_is_not_asked_again(db, gula):
    run_import(db, rows(), below_cost_ok=True)
    again = run_import(db, rows())   # the same file: no price, cost or tax class changes
    assert "below_cost" not in again and again["unchanged"] == 3
    with pytest.raises(ImportErrors, match="Baris 2: Harga jual Rp14.000 di bawah harga pokok Rp14.500"):
        run_import(db, rows(f"{HEADER}\nGL-1,,,,14500\n"))   # a cost raised, still over the price


def test_problems_and_warnings_come_in_row_order(db, gula):
    with pytest.raises(ImportErrors) as caught:
        run_import(db, rows(f"{HEADER}\nGL-1,,,14000,\nX 1,Salah,sembako,100,\n"))
    assert caught.value.errors[0] == WARNINGS[0] and caught.value.errors[1].startswith("Baris 3: SKU")


def test_on_a_pkp_outlet_the_cost_carries_its_ppn_as_on_the_form(db, gula):
    pkp = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
    with pytest.raises(ImportErrors, match=r"Baris 2: Harga jual Rp16\.500 di bawah harga pokok Rp15\.000 "
                                           r"\(dengan PPN Rp16\.650\)\."):
        run_import(db, rows(f"{HEADER}\nGL-1,,,16500,\n"), tax=pkp)
    assert run_import(db, rows(f"{HEADER}\nGL-1,,,16500,\n"))["updated"] == 1   # no PPN: covers


def upload(client, data: bytes, **form) -> str:
    response = client.post("/katalog/impor", data={"file": (io.BytesIO(data), "katalog.csv"), **form},
                           content_type="multipart/form-data", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return poll_until_finished(client, response.get_data(as_text=True))


def test_the_upload_lists_them_then_saves_with_the_tick(app, db, gula):
    client = app.test_client()
    with db.transaction() as s:
        manager = make_user(s, "manajer", "manager", "1234").id
    login(client, manager)
    page = client.get("/katalog/impor").get_data(as_text=True)
    assert f'name="{file_prices.CONFIRM}"' in page and file_prices.LABEL in page
    refused = upload(client, FILE.encode())
    assert "Tidak ada yang disimpan" in refused and all(w in refused for w in WARNINGS)
    assert "unggah lagi dengan centang" in refused and stored(db) == {"GL-1": (16_000, 15_000)}
    saved = upload(client, FILE.encode(), **{file_prices.CONFIRM: "1"})
    assert "Impor selesai (3 baris)" in saved and 'id="import-below-cost"' in saved
    assert all(w in saved for w in WARNINGS) and stored(db)["TEH-1"] == (4_000, 4_500)
    with db.transaction() as s:   # the upload prices as the form does: with the outlet's PKP
        outlet_settings.put_pkp(s, True, manager)
    taxed = upload(client, f"{HEADER}\nKP-1,,,8500,\n".encode())
    assert "Baris 2: Harga jual Rp8.500 di bawah harga pokok Rp8.000 (dengan PPN Rp8.880)." in taxed


def test_the_command_asks_for_below_cost_ok(db, runner, tmp_path, gula):
    path = tmp_path / "katalog.csv"
    path.write_text(FILE)
    refused = runner.invoke(args=["inventory", "import", str(path)])
    assert refused.exit_code == 1 and WARNINGS[1] in refused.output and "--below-cost-ok" in refused.output
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 1
    saved = runner.invoke(args=["inventory", "import", str(path), "--below-cost-ok"])
    assert saved.exit_code == 0 and f"Di bawah harga pokok: {WARNINGS[0]}" in saved.output
