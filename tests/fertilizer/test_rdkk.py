"""Importing a season's e-RDKK list: all rows or none, "Baris N" errors, re-imports that never
lose what farmers took, seasons that never overlap; the CLI command and the upload screen."""
from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import func, select

from pos.fertilizer import farmers
from pos.fertilizer.models import RdkkAllocation, RdkkFarmer, RdkkSeason
from pos.fertilizer.rdkk import COLUMNS, KEY, RdkkFile
from pos.inventory.catalog.models import FertilizerType
from pos.inventory.catalog.spreadsheets import ImportErrors, read_csv, to_xlsx
from tests.factories import login, make_user, poll_until_finished
from tests.fertilizer.conftest import SUPARMI, UREA_CODE, pay, scan, set_buyer

HEADER = ",".join(COLUMNS)
GOOD = [
    "6402101505700001,Darmo Santoso,Poktan Tani Makmur,Loa Janan Ulu,padi,5221870010000001,"
    "150,200,,,\"12,5\"",
    "6402102003750002,Suparmi,Poktan Tani Makmur,Loa Janan Ulu,Padi,,200,250,0,0,0",
    "6402100707650007,La Ode Hamid,Poktan Sumber Rezeki,Loa Janan Ulu,kakao,5221870010000007,,,150.5,,",
]
FROM, TO = date(2026, 10, 1), date(2027, 3, 31)


def csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def load(db, data: bytes, season="MT I 2026", starts_on=FROM, ends_on=TO, remove_missing=False):
    rows = read_csv(data, COLUMNS, KEY)
    with db.transaction() as s:
        return RdkkFile(season, starts_on, ends_on, "erdkk.csv",
                        remove_missing=remove_missing).import_rows(s, rows)


def allocations(db) -> dict[tuple[str, str], tuple[int, int]]:
    with db.reading() as s:
        return {(nik, kind.value): (a, t) for nik, kind, a, t in s.execute(
            select(RdkkFarmer.nik, RdkkAllocation.fertilizer, RdkkAllocation.allocated_grams,
                   RdkkAllocation.taken_grams)
            .join(RdkkAllocation, RdkkAllocation.farmer_id == RdkkFarmer.id))}


def test_a_good_list_makes_the_season_its_farmers_and_exact_grams(db):
    assert load(db, csv(*GOOD)) == {"total": 3, "created": 3, "updated": 0, "unchanged": 0,
                                    "removed": 0, "notices": []}
    found = allocations(db)
    assert found[("6402101505700001", "urea")] == (150_000, 0)
    assert found[("6402101505700001", "organik")] == (12_500, 0)
    assert found[("6402100707650007", "npk_kakao")] == (150_500, 0)
    assert ("6402102003750002", "za") not in found  # 0 kg: no allocation row
    with db.reading() as s:
        season = s.scalars(select(RdkkSeason)).one()
        assert (season.name, season.starts_on, season.ends_on, season.source_file) == (
            "MT I 2026", FROM, TO, "erdkk.csv")
        farmer = s.scalars(select(RdkkFarmer).where(RdkkFarmer.nik == "6402102003750002")).one()
        assert (farmer.commodity, farmer.kartu_tani, farmer.farmer_group) == (
            "padi", None, "Poktan Tani Makmur")


def test_every_bad_row_is_reported_and_nothing_is_saved(db):
    bad = csv(GOOD[0],
              "6402101505700009,Ganda,,,padi,,1,,,,",          # fine
              "1234,Salah NIK,,,padi,,1,,,,",                  # bad NIK
              "6402101505700001,Dobel,,,padi,,1,,,,",          # NIK twice
              "6402102207810013,Abdul,,,sawit,,1,,,,",          # not a programme commodity
              "6402104301860014,Dewi,,,padi,,-5,,,,",           # negative
              "6402100909720015,Yusuf,,,padi,,9000,,,,",        # absurd
              "6402100404690011,,,,padi,5221870010000001,1,,,,")  # no name, card twice
    with pytest.raises(ImportErrors) as failed:
        load(db, bad)
    errors = failed.value.errors
    assert any(e.startswith("Baris 4: NIK harus 16 angka") for e in errors), errors
    assert ("Baris 5: NIK 6402101505700001 juga ada di baris 2; gabungkan alokasinya dalam satu baris."
            in errors)
    assert any(e.startswith("Baris 6: komoditas 'sawit' tidak dikenal") for e in errors)
    assert "Baris 7: urea_kg tidak boleh negatif (-5)." in errors
    assert any(e.startswith("Baris 8: urea_kg 9000 kg tidak wajar") for e in errors)
    assert "Baris 9: nama wajib diisi." in errors
    assert "Baris 9: kartu_tani 5221870010000001 juga ada di baris 2." in errors
    assert not any(e.startswith("Baris 3") for e in errors)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(RdkkSeason)) == 0
        assert s.scalar(select(func.count()).select_from(RdkkFarmer)) == 0


def test_a_new_season_needs_dates_and_may_not_overlap_another(db):
    with pytest.raises(ImportErrors, match="Musim MT II 2027 baru: isi tanggal mulai"):
        load(db, csv(*GOOD), "MT II 2027", None, None)
    load(db, csv(*GOOD))
    with pytest.raises(ImportErrors, match="bertumpuk dengan musim MT I 2026"):
        load(db, csv(*GOOD), "MT II 2027", date(2027, 3, 31), date(2027, 9, 30))
    assert load(db, csv(*GOOD), "MT II 2027", date(2027, 4, 1), date(2027, 9, 30))["created"] == 3
    # an existing season is re-imported without dates
    assert load(db, csv(*GOOD), "MT I 2026", None, None)["unchanged"] == 3


def _take(db, nik: str, kind: str, grams: int) -> None:
    with db.transaction() as s:
        farmer = s.scalars(select(RdkkFarmer).where(RdkkFarmer.nik == nik)).one()
        allocation = s.scalars(select(RdkkAllocation).where(
            RdkkAllocation.farmer_id == farmer.id,
            RdkkAllocation.fertilizer == FertilizerType(kind))).one()
        allocation.taken_grams = grams


def test_a_re_import_replaces_the_list_but_keeps_what_was_taken(db):
    load(db, csv(*GOOD))
    _take(db, "6402101505700001", "urea", 100_000)
    changed = GOOD[0].replace(",150,200,", ",175,200,")
    summary = load(db, csv(changed, GOOD[1]), "MT I 2026", None, None, remove_missing=True)
    assert summary == {"total": 2, "created": 0, "updated": 1, "unchanged": 1, "removed": 1,
                       "notices": ["1 petani keluar dari daftar: La Ode Hamid."]}
    found = allocations(db)
    assert found[("6402101505700001", "urea")] == (175_000, 100_000)
    assert not any(nik == "6402100707650007" for nik, _ in found)  # dropped, never redeemed


def test_a_re_import_that_would_lose_taken_grams_is_refused(db):
    load(db, csv(*GOOD))
    _take(db, "6402101505700001", "urea", 100_000)
    with pytest.raises(ImportErrors) as missing:
        load(db, csv(GOOD[1]), "MT I 2026", None, None, remove_missing=True)
    assert missing.value.errors == [
        "NIK 6402101505700001: sudah menebus 100 kg Urea musim MT I 2026 tetapi tidak ada di berkas."]
    with pytest.raises(ImportErrors) as below:
        load(db, csv(GOOD[0].replace(",150,200,", ",75,200,")), "MT I 2026", None, None, remove_missing=True)
    assert below.value.errors == [
        "Baris 2: alokasi Urea 75 kg kurang dari yang sudah ditebus (100 kg)."]
    assert allocations(db)[("6402101505700001", "urea")] == (150_000, 100_000)


def test_a_kartu_tani_that_is_another_farmers_nik_is_refused(db):
    """The till finds a farmer by NIK or Kartu Tani: Zainal's card, Suparmi's NIK, would have
    drawn on her quota."""
    zainal = "6402105505900050,Zainal Kartu,Poktan Tani Makmur,Loa Janan Ulu,padi,6402102003750002,300,,,,"
    with pytest.raises(ImportErrors) as refused:
        load(db, csv(*GOOD, zainal))
    assert refused.value.errors == ["Baris 5: kartu_tani 6402102003750002 sama dengan NIK baris 3."]
    card_first = GOOD[0].replace("5221870010000001", "6402100707650007")   # La Ode's NIK, row 4
    with pytest.raises(ImportErrors) as refused:
        load(db, csv(card_first, *GOOD[1:]))
    assert refused.value.errors == ["Baris 4: NIK 6402100707650007 sama dengan kartu_tani baris 2."]


def test_a_refused_re_import_lists_its_problems_in_row_order(db):
    load(db, csv(*GOOD))
    _take(db, "6402101505700001", "urea", 100_000)
    _take(db, "6402100707650007", "npk_kakao", 50_000)
    below = GOOD[0].replace(",150,200,", ",75,200,")
    nameless = GOOD[1].replace("Suparmi", "")
    with pytest.raises(ImportErrors) as refused:
        load(db, csv(nameless, below), "MT I 2026", None, None)
    assert refused.value.errors == [
        "Baris 2: nama wajib diisi.",
        "Baris 3: alokasi Urea 75 kg kurang dari yang sudah ditebus (100 kg).",
        "NIK 6402100707650007: sudah menebus 50 kg NPK Kakao musim MT I 2026 tetapi tidak ada di "
        "berkas."]


def test_cli_import_dry_run_saves_nothing_then_imports(runner, db, tmp_path):
    path = tmp_path / "erdkk.csv"
    path.write_bytes(csv(*GOOD))
    args = ["fertilizer", "import-rdkk", str(path), "--season", "MT I 2026", "--from", "2026-10-01",
            "--to", "31-03-2027"]
    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "3 petani diperiksa (tidak disimpan): 3 baru" in result.output
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(RdkkSeason)) == 0
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Musim MT I 2026: 3 petani diimpor: 3 baru" in result.output
    path.write_bytes(csv(GOOD[0], "1234,X,,,padi,,,,,,"))
    result = runner.invoke(args=[*args, "--remove-missing"])
    assert result.exit_code == 1
    assert "Baris 3: NIK harus 16 angka" in result.output
    assert "1 kesalahan; tidak ada yang disimpan." in result.output


def test_cli_import_of_a_new_season_without_dates_names_the_options(runner, db, tmp_path):
    """It said "isi tanggal mulai dan tanggal akhir", words no option of the command has."""
    path = tmp_path / "erdkk.csv"
    path.write_bytes(csv(*GOOD))
    args = ["fertilizer", "import-rdkk", str(path), "--season", "MT II 2027"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert ("Musim MT II 2027 baru: isi tanggal mulai (--from) dan tanggal akhir (--to)."
            in result.output)
    result = runner.invoke(args=[*args, "--from", "01-04-2027"])
    assert result.exit_code == 1
    assert "Musim: isi tanggal mulai (--from) dan tanggal akhir (--to) bersama-sama." in result.output
    result = runner.invoke(args=[*args, "--from", "01-04-2027", "--to", "01-03-2027"])
    assert "Musim: tanggal akhir (--to) sebelum tanggal mulai (--from)." in result.output


def _with_xml(data: bytes, old: str, new: str) -> bytes:
    import zipfile

    source, copy = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info).replace(old.encode(), new.encode()))
    return copy.getvalue()


def test_an_xlsx_nik_stored_as_an_inexact_number_is_refused(db):
    from openpyxl import Workbook

    from pos.inventory.catalog.spreadsheets import read_xlsx

    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append([6402101505700001, "Darmo", "Poktan", "Loa Janan", "padi", 5221870010000001, 150])
    sheet.append([6402102003750002, "Suparmi", "Poktan", "Loa Janan", "padi", None, 200])
    sheet.append([6402100707650010, "La Ode", "Poktan", "Loa Janan", "padi", None, 200])
    out = BytesIO()
    book.save(out)
    with pytest.raises(ImportErrors) as caught:   # row 3 as a spreadsheet writes a double
        read_xlsx(_with_xml(out.getvalue(), "<v>6402102003750002</v>", "<v>6.402102003750002E+15</v>"),
                  COLUMNS, KEY)
    assert [e.split(" yang ")[0] for e in caught.value.errors] == [
        "Baris 3: kolom nik berisi 6402102003750002", "Baris 4: kolom nik berisi 6402100707650010"]
    sheet.delete_rows(3, 2)
    out = BytesIO()
    book.save(out)
    [row] = read_xlsx(out.getvalue(), COLUMNS, KEY)
    assert (row["nik"], row["kartu_tani"]) == ("6402101505700001", "5221870010000001")


def finished(client, response) -> str:
    """The import's outcome as the page shows it, polled while it runs."""
    return poll_until_finished(client, response.get_data(as_text=True))


def test_the_screen_uploads_a_list_and_searches_its_farmers(app, client, db):
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "2222").id
    login(client, manager)
    rows = [GOOD[0].replace(',"12,5"', ",12.5"), GOOD[1]]  # XLSX numbers arrive with a point
    book = to_xlsx([dict(zip(COLUMNS, row.split(","), strict=True)) for row in rows], COLUMNS, "RDKK")
    response = client.post("/pupuk/impor", data={
        "season": "MT I 2026", "from": "01-10-2026", "to": "31-03-2027",
        "file": (BytesIO(book), "erdkk.xlsx")}, headers={"HX-Request": "true"},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    done = finished(client, response)
    assert "Impor selesai (2 baris): 2 petani baru" in done
    # the season just imported is listed beside it, without a reload
    seasons = done.split('id="rdkk-seasons"', 1)[1]
    assert seasons.startswith(' hx-swap-oob="true"') and "MT I 2026" in seasons
    assert allocations(db)[("6402101505700001", "organik")] == (12_500, 0)
    page = client.get("/pupuk?q=darmo").get_data(as_text=True)
    assert "Darmo Santoso" in page and "Suparmi" not in page
    assert "6402********0001" in page and "6402101505700001" not in page
    assert "150 kg / 0 kg /" in re.sub(r"<[^>]+>", "", page)   # no sack pack here: kg alone
    tail = client.get("/pupuk?q=0001").get_data(as_text=True)   # the digits the list shows
    assert "Darmo Santoso" in tail and "Suparmi" not in tail
    part = client.get("/pupuk?q=5221870010000001", headers={"HX-Request": "true"})
    assert part.get_data(as_text=True).lstrip().startswith('<div id="farmers">')
    assert "Darmo Santoso" in part.get_data(as_text=True)
    refused = client.post("/pupuk/impor", data={"season": "MT II 2027",
                                                "file": (BytesIO(book), "erdkk.xlsx")},
                          headers={"HX-Request": "true"}, content_type="multipart/form-data")
    answer = finished(client, refused)
    assert "Impor dibatalkan: 1 kesalahan" in answer and "rdkk-seasons" not in answer
    assert "Musim MT II 2027 baru: isi tanggal mulai dan tanggal akhir." in answer


# ---------------------------------------------------------------- an existing season's dates

SOLD_OUTSIDE = ("Musim MT I 2026 berlaku 01-10-2026 s.d. 31-03-2027; tanggalnya tidak dapat diubah "
                "menjadi 01-12-2026 s.d. 05-12-2026 karena 1 penebusan pupuk musim ini (30-11-2026) "
                "jatuh di luar tanggal itu. Kosongkan tanggal mulai dan tanggal akhir untuk tetap "
                "memakai tanggal musim ini.")
MOVED = ("Tanggal musim MT I 2026 berubah dari 01-10-2026 s.d. 31-03-2027 menjadi 01-11-2026 s.d. "
         "28-02-2027.")


def sell_to_suparmi(db, farm) -> None:
    """A 50 kg sack of urea to Suparmi on 30-11-2026, a redemption of season MT I 2026."""
    set_buyer(db, farm["till"], SUPARMI)
    scan(db, farm["till"], UREA_CODE)
    pay(db, farm)


def season_dates(db) -> tuple[date, date]:
    with db.reading() as s:
        season = s.scalars(select(RdkkSeason).where(RdkkSeason.name == "MT I 2026")).one()
        return season.starts_on, season.ends_on


def test_a_re_import_with_dates_that_leave_a_redemption_outside_is_refused(db, farm):
    """Re-importing the unchanged list "with dates" moved the season past the day fertiliser
    was sold (and off today): refused now, naming its dates and how to keep them."""
    sell_to_suparmi(db, farm)
    with pytest.raises(ImportErrors) as refused:
        load(db, csv(*GOOD), "MT I 2026", date(2026, 12, 1), date(2026, 12, 5))
    assert refused.value.errors == [SOLD_OUTSIDE]
    assert season_dates(db) == (FROM, TO)
    assert allocations(db)[(SUPARMI, "urea")] == (200_000, 50_000)
    # dates around every redemption correct the season, and the outcome says so
    summary = load(db, csv(*GOOD), "MT I 2026", date(2026, 11, 1), date(2027, 2, 28))
    assert summary["notices"] == [MOVED]
    assert season_dates(db) == (date(2026, 11, 1), date(2027, 2, 28))
    # its own dates, or none, change nothing and say nothing
    assert load(db, csv(*GOOD), "MT I 2026", date(2026, 11, 1), date(2027, 2, 28))["notices"] == []
    assert load(db, csv(*GOOD), "MT I 2026", None, None)["notices"] == []
    assert season_dates(db) == (date(2026, 11, 1), date(2027, 2, 28))


def test_cli_re_import_with_other_dates_is_refused_or_says_the_change(runner, db, farm, tmp_path):
    sell_to_suparmi(db, farm)
    path = tmp_path / "erdkk.csv"
    path.write_bytes(csv(*GOOD))
    args = ["fertilizer", "import-rdkk", str(path), "--season", "MT I 2026"]
    for dry_run in (["--dry-run"], []):
        result = runner.invoke(args=[*args, "--from", "01-12-2026", "--to", "05-12-2026", *dry_run])
        assert result.exit_code == 1
        assert SOLD_OUTSIDE in " ".join(result.output.split())
        assert season_dates(db) == (FROM, TO)
    result = runner.invoke(args=[*args, "--from", "01-11-2026", "--to", "28-02-2027", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "diperiksa (tidak disimpan)" in result.output and MOVED in result.output
    assert season_dates(db) == (FROM, TO)
    result = runner.invoke(args=[*args, "--from", "01-11-2026", "--to", "28-02-2027"])
    assert result.exit_code == 0, result.output
    assert "Musim MT I 2026: 3 petani diimpor" in result.output and MOVED in result.output
    assert season_dates(db) == (date(2026, 11, 1), date(2027, 2, 28))
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and "Tanggal musim" not in result.output, result.output


def test_the_screen_refuses_or_states_a_change_of_an_existing_seasons_dates(app, client, db, farm):
    sell_to_suparmi(db, farm)
    login(client, farm["manager"])

    def upload(start: str, end: str, check_only: bool = False) -> str:
        form = {"season": "MT I 2026", "from": start, "to": end,
                "file": (BytesIO(csv(*GOOD)), "erdkk.csv")}
        response = client.post("/pupuk/impor", data=dict(form, **({"check_only": "1"} if check_only else {})),
                               headers={"HX-Request": "true"}, content_type="multipart/form-data")
        assert response.status_code == 200, response.get_data(as_text=True)
        return finished(client, response)

    for check_only in (True, False):
        refused = upload("01-12-2026", "05-12-2026", check_only)
        assert "Impor dibatalkan: 1 kesalahan" in refused and SOLD_OUTSIDE in refused
        assert season_dates(db) == (FROM, TO)
    checked = upload("01-11-2026", "28-02-2027", check_only=True)
    assert "Berkas sudah diperiksa: 3 baris tanpa kesalahan" in checked and MOVED in checked
    assert season_dates(db) == (FROM, TO)
    done = upload("01-11-2026", "28-02-2027")
    assert "Impor selesai (3 baris)" in done and MOVED in done
    assert season_dates(db) == (date(2026, 11, 1), date(2027, 2, 28))
    again = upload("01-11-2026", "28-02-2027")
    assert "Impor selesai (3 baris)" in again and "Tanggal musim" not in again


def test_a_farmer_is_found_by_a_name_group_or_village_in_any_script_and_case(db):
    """SQLite's lower() knows ASCII letters only: ``Ташкент`` was never found (``Budi`` was)."""
    load(db, csv(GOOD[0], "6402102003750009,Budi Ташкент 田中,Поктан Ласточка,ข้าวหอม,padi,,"
                          "100,,,,"))
    with db.reading() as s:
        season = s.scalars(select(RdkkSeason)).one().id

        def names(text):
            return [f.farmer.name for f in farmers.search(s, season, text, 10)]

        for typed in ("Budi", "田中", "Ташкент", "ташкент", "ТАШКЕНТ", "budi ташкент", "ласточка",
                      "ข้าวหอม"):
            assert names(typed) == ["Budi Ташкент 田中"], typed
        assert names("Москва") == [] and names("darmo") == ["Darmo Santoso"]
