"""The season's realization (serapan) report: per farmer and type the allocation, redeemed,
left, rate and Rupiah, subtotals per kelompok tani, desa and totals; kg with sacks; the files
(kg and rates as numbers in the XLSX); the redemption report per receipt."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from pos.fertilizer import files, realization, receipts
from pos.fertilizer.models import RdkkFarmer
from pos.fertilizer.sacks import in_sacks, kg_with_sacks, sack_sizes
from pos.inventory.catalog.models import FertilizerType, PackUnit
from tests.fertilizer.conftest import DAY, SUPARMI, UREA_CODE, add_farmer, pay, scan, set_buyer
from tests.fertilizer.test_day_types import give_back

PROXY = dict(proxy_name="Sri Wahyuni", proxy_nik="6402104405900003", proxy_relation="keluarga")
UREA, NPK = FertilizerType.UREA, FertilizerType.NPK


@pytest.fixture
def sold(db, farm):
    """Darmo's last urea sack through his wife; two sacks to Suparmi, one returned; a farmer of
    another poktan and desa who took nothing; urea sold in 50 kg karung."""
    with db.transaction() as s:
        s.add(PackUnit(product_id=farm["urea"], name="karung 50 kg", qty=50_000))
        add_farmer(s, farm["season"], "6402100101800004", "Abdul Rahman", None, npk=(150_000, 0))
        s.execute(update(RdkkFarmer).where(RdkkFarmer.name == "Abdul Rahman")
                  .values(farmer_group="Poktan Sumber Rejeki", village="Batuah"))
    set_buyer(db, farm["till"], "6402101505700001", "Darmo Santoso", **PROXY)
    scan(db, farm["till"], UREA_CODE)
    first = pay(db, farm).sale
    set_buyer(db, farm["till"], SUPARMI, "Suparmi")
    scan(db, farm["till"], UREA_CODE, times=2)
    second = pay(db, farm).sale
    give_back(db, farm, second.id, 50_000)   # a return the same day
    return first, second


def test_kg_as_sacks():
    assert kg_with_sacks(12_487_500, 50_000) == "12.487,5 kg (249 karung + 37,5 kg)"
    assert kg_with_sacks(150_000, 50_000) == "150 kg (3 karung)"
    assert kg_with_sacks(37_500, 50_000) == "37,5 kg"   # under one sack: no "0 karung"
    assert kg_with_sacks(150_000, None) == "150 kg" and in_sacks(150_000, None) == ""


def test_sacks_given_back_keep_the_sign_of_their_kg():
    """A return's row read "-50 kg (1 karung) -Rp90.000": the sacks as if sold."""
    assert in_sacks(-50_000, 50_000) == "-1 karung"
    assert kg_with_sacks(-112_500, 50_000) == "-112,5 kg (-2 karung - 12,5 kg)"
    assert in_sacks(-37_500, 50_000) == "" and kg_with_sacks(-37_500, 50_000) == "-37,5 kg"


def test_realization_per_farmer_poktan_desa_and_total(db, farm, sold):
    with db.reading() as s:
        assert sack_sizes(s) == {UREA: 50_000}
        found = realization.realization(s, realization.season_named(s, " mt i  2026"))
    assert [g.name for g in found.groups] == ["Poktan Sumber Rejeki", "Poktan Tani Makmur"]
    lines = {(line.name, line.fertilizer): line for line in found.lines}
    darmo = lines[("Darmo Santoso", UREA)]
    assert darmo.nik == "6402********0001"   # masked
    assert (darmo.figures.allocated, darmo.figures.taken, darmo.figures.remaining) == (150_000, 150_000, 0)
    assert darmo.figures.rate_bp == 10_000 and darmo.figures.value == 90_000   # one sack sold here
    suparmi = lines[("Suparmi", UREA)].figures
    assert (suparmi.taken, suparmi.rate_bp, suparmi.value) == (50_000, 2_500, 90_000)   # 2 sold, 1 back
    assert lines[("Darmo Santoso", NPK)].figures.rate_bp == 0
    makmur = found.groups[1].totals
    assert makmur[UREA].allocated == 350_000 and makmur[UREA].taken == 200_000
    assert makmur[UREA].rate_bp == 5_714   # 57,142857...% in basis points, rounded
    assert found.totals[NPK] == realization.Figures(350_000, 0, 0)
    assert list(found.villages) == ["Batuah", "Loa Janan Ulu"]
    assert found.villages["Batuah"] == {NPK: realization.Figures(150_000, 0, 0)}
    assert found.total.value == 180_000


def test_realization_keeps_an_unlisted_farmer_who_redeemed_and_drops_one_who_did_not(db, farm, sold):
    with db.transaction() as s:
        s.execute(update(RdkkFarmer).values(listed=False))
    with db.reading() as s:
        found = realization.realization(s, realization.season_named(s, "MT I 2026"))
    assert sorted({(line.name, line.listed) for line in found.lines}) == [
        ("Darmo Santoso", False), ("Suparmi", False)]
    assert [line.fertilizer for line in found.lines if line.name == "Darmo Santoso"] == [UREA]


def test_an_unknown_season_is_refused_with_the_seasons_named(db, farm):
    with db.reading() as s, pytest.raises(realization.NotFound) as refused:
        realization.season_named(s, "MT II 2030")
    assert "Musim 'MT II 2030' tidak ada. Musim yang ada: MT I 2026." in refused.value.message


def test_realization_files_hold_numbers(db, farm, sold):
    with db.reading() as s:
        rows = realization.file_rows(realization.realization(s, realization.season_named(s, "MT I 2026")))
    book = files.xlsx_bytes(rows, realization.COLUMNS, realization.KINDS, "Realisasi")
    sheet = load_workbook(io.BytesIO(book)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == realization.COLUMNS
    cells = {c: sheet.cell(row=r, column=header.index(c) + 1)
             for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=4).value == "Suparmi"
             for c in header}
    assert cells["ditebus_kg"].value == 50 and cells["ditebus_kg"].data_type == "n"
    assert cells["serapan_persen"].value == 0.25 and cells["serapan_persen"].number_format == "0.00%"
    assert cells["nilai_rp"].value == 90_000 and cells["ditebus_karung"].value == "1 karung"
    assert cells["sisa_karung"].value == "3 karung"   # 150 kg left
    assert header[-1] == "sisa_karung"   # after the columns readers of older files know
    total = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "total" and r[5] == "Urea")
    assert total[6:13] == (350, 200, "4 karung", 150, 0.5714, 180_000, "3 karung")
    text = files.csv_text(rows + [{"baris": "petani", "alokasi_kg": 12_500, "serapan_persen": 4_567}],
                          realization.COLUMNS, realization.KINDS)
    assert ("subtotal kelompok,Poktan Tani Makmur,,,,Urea,350,200,4 karung,150,\"57,14\",180000,3 karung"
            in text)
    assert ",\"12,5\"," in text and "\"45,67\"" in text


def test_exact_numbers_for_the_xlsx():
    assert files.exact_kg(12_500) == "12.5" and files.exact_kg(150_000) == "150"
    assert files.exact_kg(1) == "0.001" and files.exact_kg(-1_500) == "-1.5"
    assert files.exact_share(4_567) == "0.4567" and files.exact_share(10_000) == "1.0000"


def test_redemptions_per_receipt(db, farm, sold):
    with db.reading() as s:
        rows = receipts.per_receipt(s, DAY, DAY)
    assert [(r.kind, r.receipt_no, r.name, r.grams, r.value, r.sacks) for r in rows] == [
        ("penebusan", sold[0].receipt_no, "Darmo Santoso", 50_000, 90_000, "1 karung"),
        ("penebusan", sold[1].receipt_no, "Suparmi", 100_000, 180_000, "2 karung"),
        ("retur", sold[1].receipt_no, "Suparmi", -50_000, -90_000, "-1 karung")]   # on its own day
    assert rows[2].number.startswith("R") and rows[2].number != sold[1].receipt_no
    assert rows[0].taker == "Sri Wahyuni (keluarga, NIK 6402104405900003)"
    assert rows[1].taker == "petani sendiri"
    assert rows[0].business_date == DAY and rows[0].nik == "6402101505700001"
    assert sum(r.grams for r in rows) == 100_000   # the report's net total
    with db.reading() as s:
        assert receipts.per_receipt(s, DAY.replace(day=1), DAY.replace(day=29)) == []


def test_serapan_is_basis_points_rounded_half_up():
    assert realization.Figures(20_000, 1).rate_bp == 1          # 0,005% -> 0,01%
    assert realization.Figures(30_000, 1).rate_bp == 0          # 0,0033% -> 0
    assert realization.Figures(350_000, 200_000).rate_bp == 5_714
    assert realization.Figures(0, 0).rate_bp is None            # no allocation: no rate


def test_a_whole_number_in_a_column_of_no_kind_stays_a_number():
    book = files.xlsx_bytes([{"gram": 50_000, "nama": "=1+1", "ya": True}], ["gram", "nama", "ya"], {}, "X")
    cells = list(load_workbook(io.BytesIO(book)).worksheets[0].iter_rows(min_row=2))[0]
    assert (cells[0].value, cells[0].data_type) == (50_000, "n")
    assert (cells[1].value, cells[1].data_type) == ("=1+1", "s")   # text, never a formula


def test_every_kind_of_cell_in_the_xlsx():
    """Each kind as a spreadsheet reads it: kg and rates exact numbers with their formats, Rupiah
    with the Rupiah format, whole numbers as numbers, text as text (a number in a text column
    too), empty cells empty; the sheet named as asked."""
    columns = ["kg", "kg_part", "kg_minus", "rate", "rp", "n", "teks", "angka_teks", "kosong", "nol",
               "kg_teks", "ya", "tidak"]
    kinds = {"kg": "kg", "kg_part": "kg", "kg_minus": "kg", "rate": "rate", "rp": "rupiah", "n": "int",
             "teks": "text", "angka_teks": "text", "kg_teks": "kg"}
    row = {"kg": 150_000, "kg_part": 12_500, "kg_minus": -1_500, "rate": 4_567, "rp": -90_000, "n": 7,
           "teks": "@SUM(A1)", "angka_teks": 640210, "kosong": None, "nol": "", "kg_teks": "1 karung",
           "ya": True, "tidak": False}
    book = load_workbook(io.BytesIO(files.xlsx_bytes([row], columns, kinds, "Penebusan per struk")))
    sheet = book.worksheets[0]
    assert book.sheetnames == ["Penebusan per struk"]
    assert [c.value for c in sheet[1]] == columns
    got = {c: (cell.value, cell.data_type, cell.number_format)
           for c, cell in zip(columns, sheet[2], strict=True)}
    assert got == {
        "kg": (150, "n", files.KG_WHOLE), "kg_part": (12.5, "n", files.KG_PART),
        "kg_minus": (-1.5, "n", files.KG_PART), "rate": (0.4567, "n", files.PERCENT),
        "rp": (-90_000, "n", files.RUPIAH), "n": (7, "n", "General"),
        "teks": ("@SUM(A1)", "s", "General"), "angka_teks": ("640210", "s", "General"),
        "kosong": (None, "n", "General"), "nol": (None, "n", "General"),
        "kg_teks": ("1 karung", "s", "General"),
        "ya": ("ya", "s", "General"), "tidak": ("tidak", "s", "General")}   # as the CSV says them
