"""Catalog import/export: CSV and XLSX round trips, line-numbered errors, all or nothing,
the upload screen with its progress bar, and the ``pos inventory import/export`` commands."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select

from pos.inventory import stock
from pos.inventory.catalog import spreadsheets, transfer
from pos.inventory.catalog.models import Category, PackUnit, PriceChange, Product, ProductBarcode, ProductWord
from pos.inventory.catalog.transfer import ImportErrors
from pos.inventory.models import StockLevel, StockMovement
from tests.factories import ean13, login, make_product, make_user, poll_until_finished

HEADER = "sku,name,business_unit,price,plu,barcodes"


def count(db, model=Product) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def csv_rows(*lines: str, header: str = HEADER) -> list[dict]:
    return spreadsheets.read_csv("\n".join([header, *lines]).encode())


def run_import(db, rows, user_id=None, progress=None):
    with db.transaction() as s:
        return transfer.import_rows(s, rows, user_id, progress)


def errors_of(db, rows) -> list[str]:
    with pytest.raises(ImportErrors) as caught:
        run_import(db, rows)
    return caught.value.errors


def exported(db) -> list[dict]:
    with db.reading() as s:
        return transfer.export_rows(s)


def wipe_catalog(db) -> None:
    """Empty the catalog tables (products without stock movements only)."""
    with db.transaction() as s:
        for model in (ProductWord, ProductBarcode, PackUnit, PriceChange, StockLevel, Product, Category):
            s.execute(delete(model))


@pytest.fixture
def catalog_of_all_kinds(db):
    with db.transaction() as s:
        make_product(s, sku="BRS-CURAH", name="Beras curah medium", price=14_000, cost=12_000,
                     base_unit="gram", weighed=True, tax_class="bebas", category="Beras",
                     barcodes_=[(ean13("200"), 1000)], on_hand=0)
        urea = make_product(s, sku="UREA-50", name="Pupuk Urea Bersubsidi 50 kg", price=112_500,
                            business_unit="pupuk", tax_class="tidak_dipungut",
                            barcodes_=[], on_hand=0)
        urea.reorder_point, urea.shelf = 20, "GUDANG 1"   # shelves are kept in capitals
        obat = make_product(s, sku="PCT-500", name="=Paracetamol 500 mg", price=5_000, cost=3_500,
                            business_unit="apotek", batch_tracked=True, on_hand=0,
                            barcodes_=[ean13("00"), (ean13(), 10)])
        obat.active = False
        kopi = make_product(s, sku="KOPI-01", name="Kopi Bubuk UMKM Desa, 250 g", price=25_000,
                            business_unit="umkm", stock_policy="block", on_hand=0)
        kopi.plu = 42
    return exported(db)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_on_an_empty_catalog_reproduces_it(db, catalog_of_all_kinds, fmt):
    original = catalog_of_all_kinds
    assert len(original) == 4 and original[0]["sku"] == "BRS-CURAH"
    data = (spreadsheets.to_csv(original).encode("utf-8-sig") if fmt == "csv"
            else spreadsheets.to_xlsx(original))
    wipe_catalog(db)
    assert count(db) == 0
    summary = run_import(db, spreadsheets.read_file(f"katalog.{fmt}", data))
    assert summary == {"total": 4, "created": 4, "updated": 0, "unchanged": 0}
    assert exported(db) == original
    again = run_import(db, spreadsheets.read_file(f"katalog.{fmt}", data))
    # each product logged once as created; the unchanged second import logs nothing
    assert again["unchanged"] == 4 and count(db, PriceChange) == 4


def test_csv_export_shape_and_formula_guard(catalog_of_all_kinds):
    text = spreadsheets.to_csv(catalog_of_all_kinds)
    assert text.splitlines()[0] == ",".join(spreadsheets.COLUMNS)
    assert "'=Paracetamol 500 mg" in text and '"Kopi Bubuk UMKM Desa, 250 g"' in text
    assert re.search(r"BRS-CURAH,Beras curah medium,Beras,sembako,gram,14000,12000,bebas,\d{13}:1000,ya,",
                     text)


def test_xlsx_keeps_codes_as_text_and_never_writes_formulas(catalog_of_all_kinds):
    book = load_workbook(io.BytesIO(spreadsheets.to_xlsx(catalog_of_all_kinds)), data_only=True)
    sheet = book["Katalog"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=Paracetamol 500 mg" in names
    codes = next(row[8] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "PCT-500")
    assert codes.startswith("0") and isinstance(codes, str)


def test_errors_are_numbered_by_spreadsheet_row(db):
    with db.transaction() as s:
        taken = ean13()
        make_product(s, sku="ADA-1", barcodes_=[taken], on_hand=0)
    rows = csv_rows(
        "A-1,Barang satu,sembako,1000,,",
        "A-2,Barang dua,sembako,12.5,,",              # row 3: bad number
        "A-1,Barang tiga,sembako,1000,,",             # row 4: SKU twice in the file
        "A-4,Barang empat,toko,1000,,",               # row 5: unknown business unit
        "A-5,Barang lima,sembako,2000,0,",            # row 6: PLU out of range
        f"A-6,Barang enam,sembako,1000,,{taken}",     # row 7: barcode of another product
        "A-7,Barang tujuh,sembako,1000,,8991234567890",  # row 8: wrong check digit
        ",Tanpa SKU,sembako,1000,,",                  # row 9
        "A-9,,sembako,1000,,",                        # row 10: new product without a name
        "",                                           # row 11: blank, skipped
        "A-10,Barang sepuluh,sembako,1000,,123|123",  # row 12: same code twice
        "A-11,Barang sebelas,sembako,1000,,,extra",   # row 13: more cells than the header
    )
    errors = errors_of(db, rows)
    expected = {3: "Harga jual", 4: "sudah ada di baris 2", 5: "'toko' tidak dikenal",
                6: "antara 1", 7: "sudah dipakai barang lain (SKU ADA-1)", 8: "angka periksa",
                9: "SKU wajib diisi", 10: "Nama wajib diisi untuk barang baru",
                12: "juga ada di baris 12", 13: "lebih banyak kolom"}
    for line, text in expected.items():
        assert any(e.startswith(f"Baris {line}: ") and text in e for e in errors), (line, errors)
    assert not any(e.startswith(("Baris 2:", "Baris 11:")) for e in errors)
    assert count(db) == 1


@pytest.mark.parametrize("header, message", [
    ("name,price", "kolom 'sku' tidak ada"),
    ("sku,nama,price", "tidak dikenal atau ganda: nama"),
    ("sku,price,price", "tidak dikenal atau ganda: price"),
])
def test_bad_headers_are_line_one(header, message):
    with pytest.raises(ImportErrors) as caught:
        csv_rows("X,1", header=header)
    assert caught.value.errors[0].startswith("Baris 1: ") and message in caught.value.errors[0]


def test_999_good_rows_and_one_bad_import_nothing(db):
    good = [f"G-{n:04d},Barang {n},sembako,{1000 + n},," for n in range(999)]
    rows = csv_rows(*good[:500], "G-BAD,Rusak,sembako,seribu,,", *good[500:])
    errors = errors_of(db, rows)
    assert errors == [("Baris 502: Harga jual tidak valid. Tulis angka Rupiah, "
                       "misalnya 50000 atau 50.000.")]
    assert count(db) == 0 and count(db, ProductWord) == 0


def test_a_row_refused_while_saving_rolls_back_the_rows_before_it(db):
    with db.transaction() as s:
        plain = make_product(s, sku="ADA-1", price=5_000, cost=4_000, on_hand=0).id
        make_product(s, sku="ADA-STOK", on_hand=7)
    errors = errors_of(db, spreadsheets.read_csv(b"sku,name,business_unit,price,base_unit\n"
                                             b"N-1,Baru,sembako,1000,pcs\n"
                                             b"ADA-1,,,6000,\n"
                                             b"ADA-STOK,,,,gram\n"))
    assert len(errors) == 1 and errors[0].startswith("Baris 4: ") and "mutasi stok" in errors[0]
    assert count(db) == 2 and count(db, PriceChange) == 0
    with db.reading() as s:
        assert s.get(Product, plain).price == 5_000


def test_import_updates_existing_skus_logs_prices_and_never_touches_stock(db):
    with db.transaction() as s:
        user = make_user(s, "manajer", "manager", "1234").id
        old = make_product(s, sku="MG-1", name="Minyak Goreng", price=18_000, cost=15_000, on_hand=12)
        old_id = old.id
    new_code = ean13()
    rows = spreadsheets.read_csv(("sku,price,cost,barcodes,reorder_point,shelf\n"
                              f"MG-1,19.000,15000,{new_code}:12,6,A2\n").encode())
    assert run_import(db, rows, user)["updated"] == 1
    with db.reading() as s:
        product = s.get(Product, old_id)
        assert (product.price, product.cost, product.reorder_point, product.shelf, product.name) == (
            19_000, 15_000, 6, "A2", "Minyak Goreng")
        assert s.get(ProductBarcode, new_code).qty == 12
        assert len(product.barcodes) == 2  # the old code is kept
        assert s.execute(select(PriceChange.field, PriceChange.old, PriceChange.new,
                                PriceChange.old_text, PriceChange.new_text,
                                PriceChange.changed_by, PriceChange.reason)
                         .order_by(PriceChange.id)).all() == [
            ("price", 18_000, 19_000, None, None, user, "Impor katalog"),
            ("reorder_point", None, None, "0", "6", user, "Impor katalog"),
            ("shelf", None, None, None, "A2", user, "Impor katalog"),
            ("barcode", None, None, None, f"{new_code} (isi 12)", user, "Impor katalog")]
        assert stock.on_hand(s, old_id) == 12
        assert s.scalar(select(func.count()).select_from(StockMovement)) == 1


def test_a_name_with_control_characters_imported_again_is_unchanged(db):
    """ESC in a name is dropped as it is stored, but the import compared the raw text: every
    import of the same file said "1 diperbarui" and logged a name change from itself to itself."""
    with db.transaction() as s:
        user = make_user(s, "manajer", "manager", "1234").id
        make_product(s, sku="T-7", name="Keripik Esc@p", price=5_000)
    rows = spreadsheets.read_csv(b"sku,name,price\nT-7,Keripik \x1bEsc@p,5000\n")
    for _ in range(2):
        assert run_import(db, rows, user)["unchanged"] == 1
    assert count(db, PriceChange) == 0


def test_semicolon_csv_with_bom_and_xlsx_numbers_are_read():
    rows = spreadsheets.read_csv("\ufeffsku;name;price\nA;Kopi, bubuk;12.500\n".encode())
    assert rows == [{"sku": "A", "name": "Kopi, bubuk", "price": "12.500", "_line": 2, "_extra": False}]
    book = Workbook()
    sheet = book.active
    sheet.append(["SKU", "Name", "Price", "Barcodes", "Active"])
    sheet.append(["B", "Gula", 17500.0, 8991002101012, True])
    sheet.append([])
    sheet.append(["C", "Teh", 12.5, None, False])
    out = io.BytesIO()
    book.save(out)
    rows = spreadsheets.read_xlsx(out.getvalue())
    assert rows[0] | {"_line": 0} == {"sku": "B", "name": "Gula", "price": "17500",
                                      "barcodes": "8991002101012", "active": "ya", "_line": 0,
                                      "_extra": False}
    assert rows[1]["_line"] == 4 and rows[1]["price"] == "12.5" and rows[1]["active"] == "tidak"


def test_unreadable_files_and_limits(monkeypatch):
    for name, data, message in [("a.xlsx", b"not a zip", "bukan XLSX"),
                                ("a.csv", "sku\nä".encode("latin-1"), "UTF-8"),
                                ("a.txt", b"sku\n", "tidak didukung")]:
        with pytest.raises(ImportErrors, match=message):
            spreadsheets.read_file(name, data)
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    with pytest.raises(ImportErrors, match="lebih dari 3 baris"):
        spreadsheets.read_csv(b"sku\n1\n2\n3\n4\n")
    monkeypatch.setattr(spreadsheets, "MAX_BYTES", 10)
    with pytest.raises(ImportErrors, match="terlalu besar"):
        spreadsheets.read_csv(b"sku,name\n1,abcdef\n")


def test_five_thousand_rows_import_with_progress(db, backend):
    lines = [f"S-{n:05d},Barang massal {n},sembako,{1000 + n},,{ean13('21')}" for n in range(5000)]
    rows = csv_rows(*lines)
    calls = []
    with db.reading() as s:
        assert transfer.validate(s, rows, lambda d, t: calls.append(("check", d, t))) == []
    summary = run_import(db, rows, progress=lambda d, t: calls.append(("save", d, t)))
    assert summary["created"] == 5000 and count(db) == 5000
    assert calls[-1] == ("save", 5000, 5000) and ("check", 5000, 5000) in calls
    saved = [d for kind, d, _ in calls if kind == "save"]
    assert saved == sorted(saved)


# ---- screens and commands ----------------------------------------------------------------

@pytest.fixture
def as_manager(db, client):
    with db.transaction() as s:
        login(client, make_user(s, "manajer", "manager", "1234").id)
    return client


def upload(client, data: bytes, name="katalog.csv", **form):
    return client.post("/katalog/impor", data={"file": (io.BytesIO(data), name), **form},
                       content_type="multipart/form-data", headers={"HX-Request": "true"})



def test_upload_shows_progress_then_summary(db, as_manager):
    lines = [f"U-{n:04d},Barang unggah {n},sembako,{500 + n},," for n in range(1500)]
    response = upload(as_manager, "\n".join([HEADER, *lines]).encode())
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<progress" in body
    final = poll_until_finished(as_manager, body)
    assert "Impor selesai (1500 baris): 1500 barang baru" in final and "hx-trigger" not in final
    assert count(db) == 1500


def test_upload_with_errors_saves_nothing_and_lists_lines(db, as_manager):
    response = upload(as_manager, f"{HEADER}\nA,Satu,sembako,100,,\nB,Dua,sembako,x,,\n".encode())
    # Two rows may be checked before the answer is rendered: then it shows the end at once.
    final = poll_until_finished(as_manager, response.get_data(as_text=True))
    assert "Tidak ada yang disimpan" in final and "Baris 3: Harga jual" in final
    assert count(db) == 0


def test_check_only_upload_saves_nothing(db, as_manager):
    response = upload(as_manager, f"{HEADER}\nA,Satu,sembako,100,,\n".encode(), check_only="1")
    final = poll_until_finished(as_manager, response.get_data(as_text=True))
    assert "tanpa kesalahan" in final and count(db) == 0


@pytest.mark.parametrize("name, data, message", [
    ("katalog.pdf", b"%PDF", "tidak didukung"),
    ("katalog.csv", b"nama,harga\nx,1\n", "kolom &#39;sku&#39; tidak ada"),
])
def test_unusable_upload_is_refused_at_once(db, as_manager, name, data, message):
    response = upload(as_manager, data, name)   # a job finished at once, its problems listed
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<progress" not in body and "HX-Retarget" not in response.headers
    assert "Impor dibatalkan: 1 kesalahan" in body and message in body.split('class="import-errors"')[1]


def test_upload_limits_and_missing_file(as_manager, monkeypatch):
    assert as_manager.post("/katalog/impor", data={}, headers={"HX-Request": "true"}).status_code == 400
    monkeypatch.setattr(spreadsheets, "MAX_BYTES", 100)
    response = upload(as_manager, b"sku,name\n" + b"A,abc\n" * 20_000)
    assert response.status_code == 413 and "terlalu besar" in response.get_data(as_text=True)
    assert as_manager.get("/katalog/impor/" + "0" * 32).status_code == 404


def test_export_downloads(db, as_manager, catalog_of_all_kinds):
    page = as_manager.get("/katalog/impor").get_data(as_text=True)
    assert 'hx-encoding="multipart/form-data"' in page and "/katalog/ekspor.xlsx" in page
    csv_response = as_manager.get("/katalog/ekspor.csv")
    assert csv_response.data.startswith("\ufeffsku,name".encode())
    assert "attachment" in csv_response.headers["Content-Disposition"]
    xlsx = as_manager.get("/katalog/ekspor.xlsx")
    rows = spreadsheets.read_xlsx(xlsx.data)
    assert [r["sku"] for r in rows] == [r["sku"] for r in catalog_of_all_kinds]


def test_cli_export_dry_run_and_import(db, runner, tmp_path, catalog_of_all_kinds):
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"katalog.{fmt}"
        result = runner.invoke(args=["inventory", "export", str(path)])
        assert result.exit_code == 0 and "4 barang diekspor" in result.output
    wipe_catalog(db)
    dry = runner.invoke(args=["inventory", "import", str(tmp_path / "katalog.xlsx"), "--dry-run"])
    assert dry.exit_code == 0 and "4 baris diperiksa" in dry.output and count(db) == 0
    real = runner.invoke(args=["inventory", "import", str(tmp_path / "katalog.csv")])
    assert real.exit_code == 0 and "4 baru" in real.output
    assert exported(db) == catalog_of_all_kinds
    bad = tmp_path / "rusak.csv"
    bad.write_text("sku,name,business_unit,price\nZ-1,Baru,sembako,satu\n")
    failed = runner.invoke(args=["inventory", "import", str(bad)])
    assert failed.exit_code == 1 and "Baris 2: Harga jual" in failed.output and count(db) == 4
    assert runner.invoke(args=["inventory", "export", str(tmp_path / "k.pdf")]).exit_code == 2


def test_a_reorder_point_in_a_file_is_in_the_base_unit_and_a_decimal_says_so(db):
    """The product page reads Titik pesan ulang in kg; a file keeps grams (as the export writes
    it). A clerk's 10,5 (kg) was refused as not a whole number, with no word of grams."""
    header = "sku,name,business_unit,base_unit,weighed,price,reorder_point"
    errors = errors_of(db, csv_rows('B-1,Beras curah,sembako,gram,ya,13500,"10,5"', header=header))
    assert errors == ["Baris 2: Titik pesan ulang di berkas dalam satuan dasar, angka bulat: gram untuk "
                      "barang per kg, ml per liter (50 kg = 50000), bukan '10,5'."]
    run_import(db, csv_rows("B-1,Beras curah,sembako,gram,ya,13500,50000", header=header))
    assert [(r["sku"], r["reorder_point"]) for r in exported(db)] == [("B-1", 50_000)]
    errors = errors_of(db, csv_rows("B-1,Beras curah,sembako,gram,ya,13500,-5", header=header))
    assert errors[0].endswith("bukan '-5'.")
