"""The member list as a file: CSV and XLSX round trips, "Baris N" errors and all or nothing,
the upload with its progress bar, and ``pos members import|export|list``."""
from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import delete, func, select

from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog.barcodes import with_check_digit
from pos.members import transfer
from pos.members.models import Member
from tests.factories import login, make_product, make_user, poll_until_finished

CARD = with_check_digit("290000000001")
HEADER = "nomor,nama,nik,telepon,kartu,tanggal_masuk,status"


def count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Member))


def exported(db) -> list[dict]:
    with db.reading() as s:
        return transfer.export_rows(s)


def read(data: bytes, name: str = "anggota.csv") -> list[dict]:
    return spreadsheets.read_file(name, data, transfer.IMPORT_COLUMNS, transfer.KEY)


def csv_rows(*lines: str, header: str = HEADER) -> list[dict]:
    return read("\n".join([header, *lines]).encode())


def run_import(db, rows):
    with db.transaction() as s:
        return transfer.import_rows(s, rows)


def errors_of(db, rows) -> list[str]:
    with pytest.raises(spreadsheets.ImportErrors) as caught:
        run_import(db, rows)
    return caught.value.errors


@pytest.fixture
def register(db):
    with db.transaction() as s:
        s.add_all([
            Member(number="AGT-0001", name="Budi Santoso", nik="6471011705850001", phone="081211110001",
                   card_barcode=CARD, joined_on=date(2025, 7, 21), address="Jl. Mawar 1, Samarinda"),
            Member(number="AGT-0002", name="=Sri Wahyuni", phone="085322220002", active=False,
                   joined_on=date(2025, 8, 1)),
            Member(number="AGT-0003", name="Ahmad, Rijali", nik="6472015708920003",
                   joined_on=date(1998, 3, 4)),
        ])
    return exported(db)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_on_an_empty_register_reproduces_it(db, register, fmt):
    assert [r["nomor"] for r in register] == ["AGT-0001", "AGT-0002", "AGT-0003"]
    assert register[0]["nik"] == "6471011705850001" and register[1]["status"] == "nonaktif"
    columns = transfer.IMPORT_COLUMNS
    data = (spreadsheets.to_csv(register, columns).encode("utf-8-sig") if fmt == "csv"
            else spreadsheets.to_xlsx(register, columns, "Anggota"))
    with db.transaction() as s:
        s.execute(delete(Member))
    summary = run_import(db, read(data, f"anggota.{fmt}"))
    assert summary == {"total": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert exported(db) == register
    assert run_import(db, read(data, f"anggota.{fmt}"))["unchanged"] == 3


def test_csv_export_has_the_full_nik_and_guards_formulas(register):
    text = spreadsheets.to_csv(register, transfer.IMPORT_COLUMNS)
    lines = text.splitlines()
    assert lines[0] == HEADER + ",alamat,batas_kasbon"
    assert lines[1] == f"AGT-0001,Budi Santoso,6471011705850001,081211110001,{CARD},21-07-2025,aktif," \
                       '"Jl. Mawar 1, Samarinda",'
    assert "'=Sri Wahyuni" in text and "04-03-1998" in text


def test_rows_update_by_number_and_empty_cells_keep_what_is_stored(db, register):
    rows = csv_rows("AGT-0001,,,0812 9999 0001,,,nonaktif",
                    "agt-0004,Hasnah Baharuddin,6471055708920004,+62 853 1111 2222,,2025-09-01,")
    assert run_import(db, rows) == {"total": 2, "created": 1, "updated": 1, "unchanged": 0}
    with db.reading() as s:
        budi, hasnah = (s.scalar(select(Member).where(Member.number == n)) for n in ("AGT-0001", "AGT-0004"))
        assert (budi.name, budi.nik, budi.phone, budi.card_barcode, budi.active) == (
            "Budi Santoso", "6471011705850001", "081299990001", CARD, False)
        assert (hasnah.phone, hasnah.joined_on, hasnah.active) == ("085311112222", date(2025, 9, 1), True)


def test_errors_are_numbered_by_spreadsheet_row_and_nothing_is_saved(db, register):
    with db.transaction() as s:
        make_product(s, barcodes_=[with_check_digit("899000000009")])
    before = exported(db)
    rows = csv_rows(
        "AGT-0010,Baris baik,,,,,",                            # row 2: fine, yet not saved
        "AGT-0011,Warga,647101170585000,,,,",                  # row 3: 15 digits
        "AGT-0012,Warga,6471013002850001,,,,",                 # row 4: 30 February
        "AGT-0010,Warga lagi,,,,,",                            # row 5: number twice in the file
        "AGT-0013,,,,,,",                                      # row 6: new member without a name
        "AGT-0014,Warga,6471011705850001,,,,",                 # row 7: NIK of AGT-0001
        f"AGT-0015,Warga,,,{with_check_digit('899000000009')},,",  # row 8: a product's barcode
        "AGT-0016,Warga,,0212345678,,,",                       # row 9: a landline
        "AGT-0017,Warga,,,,31-02-2025,",                       # row 10: no such date
        "AGT-0018,Warga,,,,,keluar",                           # row 11: unknown status
        ",Tanpa nomor,,,,,",                                   # row 12
        "",                                                    # row 13: blank, skipped
        "AGT-0019,Warga,,,,,,,extra",                          # row 14: more cells than the header
        "AGT-0020,Warga,6472015708920005,,,,",                 # row 15: fine
        "AGT-0021,Warga,6472015708920005,,,,",                 # row 16: NIK also in row 15
    )
    errors = errors_of(db, rows)
    expected = {3: "NIK harus 16 angka (tertulis 15)", 4: "tanggal lahir 30-02-85",
                5: "nomor AGT-0010 sudah ada di baris 2", 6: "nama wajib diisi untuk anggota baru",
                7: "NIK 6471011705850001 sudah dipakai anggota AGT-0001",
                8: "sudah dipakai sebagai barcode barang Barang Uji", 9: "Nomor HP tidak dikenali",
                10: "tidak ada di kalender", 11: "Status harus aktif atau nonaktif",
                12: "Nomor anggota wajib diisi", 14: "lebih banyak kolom",
                16: "juga ada di baris 15"}
    for line, text in expected.items():
        assert any(e.startswith(f"Baris {line}: ") and text in e for e in errors), (line, errors)
    assert not any(e.startswith(("Baris 2:", "Baris 13:", "Baris 15:")) for e in errors)
    assert exported(db) == before


def test_an_xlsx_file_with_numbers_typed_as_numbers(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nomor", "Nama", "NIK", "Telepon", "Tanggal masuk"])
    sheet.append(["AGT-0001", "Budi", 6471011705850001, 81211110001, "21-07-2025"])
    sheet.append(["AGT-0002", "Sri", 6471013002850001, None, None])       # row 3: 30 February
    out = io.BytesIO()
    book.save(out)
    rows = read(out.getvalue(), "anggota.xlsx")
    assert rows[0]["nik"] == "6471011705850001"
    errors = errors_of(db, rows)
    assert len(errors) == 1 and errors[0].startswith("Baris 3: NIK tidak sah: tanggal lahir")
    assert count(db) == 0
    assert run_import(db, rows[:1])["created"] == 1
    with db.reading() as s:   # the spreadsheet dropped the phone's leading 0: it is put back
        assert s.scalar(select(Member.phone)) == "081211110001"


def test_an_xlsx_card_or_nik_stored_as_a_number_is_read_only_when_nothing_was_lost(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nomor", "Nama", "NIK", "Kartu"])
    sheet.append(["AGT-0001", "Budi", 6471011705850001, 12345678905])   # card 012345678905
    sheet.append(["AGT-0002", "Sri", "6471014405850010", int(CARD)])
    out = io.BytesIO()
    book.save(out)
    rows = read(out.getvalue(), "anggota.xlsx")
    assert [(r["nik"], r["kartu"]) for r in rows] == [("6471011705850001", "012345678905"),
                                                      ("6471014405850010", CARD)]
    sheet.append(["AGT-0003", "Ani", 6471014405850010, 1234])   # a 16th digit 0: maybe cut
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(spreadsheets.ImportErrors) as caught:
        read(out.getvalue(), "anggota.xlsx")
    nik, card = caught.value.errors
    assert nik.startswith("Baris 4: kolom nik berisi 6471014405850010 yang tersimpan sebagai angka")
    assert card.startswith("Baris 4: kolom kartu berisi 1234 yang tersimpan sebagai angka")
    assert "15 angka dengan tepat" in nik and "Format kolom kartu sebagai Teks" in card


def test_an_xlsx_date_cell_is_read_as_the_date_it_shows(db):
    """Excel turns a typed 15-01-2026 into a date cell; it was refused as not a date."""
    from datetime import date, datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Nomor", "Nama", "Tanggal masuk"])
    sheet.append(["AGT-0001", "Budi", datetime(2026, 1, 15)])
    sheet.append(["AGT-0002", "Sri", date(2025, 7, 21)])
    out = io.BytesIO()
    book.save(out)
    rows = read(out.getvalue(), "anggota.xlsx")
    assert [r["tanggal_masuk"] for r in rows] == ["15-01-2026", "21-07-2025"]
    assert run_import(db, rows)["created"] == 2
    with db.reading() as s:
        assert sorted(s.scalars(select(Member.joined_on))) == [date(2025, 7, 21), date(2026, 1, 15)]


@pytest.mark.parametrize("header, message", [
    ("nama,nik", "kolom 'nomor' tidak ada"),
    ("nomor,nama,harga", "tidak dikenal atau ganda: harga"),
])
def test_bad_headers_are_refused(header, message):
    with pytest.raises(spreadsheets.ImportErrors) as caught:
        csv_rows("AGT-1,Budi,1", header=header)
    assert message in caught.value.errors[0]


def test_cli_export_dry_run_import_and_list(db, runner, register, tmp_path):
    for name in ("anggota.csv", "anggota.xlsx"):
        result = runner.invoke(args=["members", "export", str(tmp_path / name)])
        assert result.exit_code == 0 and "3 anggota diekspor" in result.output
    assert "6471011705850001" in (tmp_path / "anggota.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "baru.csv").write_text(f"{HEADER}\nAGT-0009,Nurhaedah,,0811 2222 3333,,01-09-2025,\n")
    dry = runner.invoke(args=["members", "import", str(tmp_path / "baru.csv"), "--dry-run"])
    assert dry.exit_code == 0 and "diperiksa (tidak disimpan)" in dry.output and count(db) == 3
    real = runner.invoke(args=["members", "import", str(tmp_path / "baru.csv")])
    assert real.exit_code == 0 and "1 baru" in real.output and count(db) == 4
    again = runner.invoke(args=["members", "import", str(tmp_path / "anggota.xlsx")])
    assert again.exit_code == 0 and "3 tidak berubah" in again.output
    listed = json.loads(runner.invoke(args=["members", "list", "--json"]).output)
    assert [m["number"] for m in listed] == ["AGT-0001", "AGT-0002", "AGT-0003", "AGT-0009"]
    assert set(listed[0]) == {"number", "name", "nik", "phone", "card_barcode", "joined_on", "status"}
    assert listed[0]["nik"] == "6471********0001" and listed[0]["joined_on"] == "2025-07-21"
    assert listed[1]["status"] == "nonaktif" and listed[1]["nik"] == ""
    assert listed[3]["phone"] == "081122223333"
    shown = runner.invoke(args=["members", "list"]).output.splitlines()   # dates as the screens show them
    assert shown[0].split() == ["Nomor", "Nama", "NIK", "HP", "Masuk", "Status"]
    assert "21-07-2025" in shown[1] and "2025-07-21" not in shown[1]
    assert len({line.index(" aktif") if " aktif" in line else line.index("nonaktif") - 1
                for line in shown[1:]}) == 1   # the status column lines up


def test_cli_import_with_errors_exits_non_zero_and_saves_nothing(db, runner, tmp_path):
    (tmp_path / "salah.csv").write_text(f"{HEADER}\nAGT-1,Budi,,,,,\nAGT-2,Sri,123,,,,\n")
    result = runner.invoke(args=["members", "import", str(tmp_path / "salah.csv")])
    assert result.exit_code != 0 and "Baris 3: NIK harus 16 angka" in result.output
    assert count(db) == 0
    bad = runner.invoke(args=["members", "export", str(tmp_path / "anggota.pdf")])
    assert bad.exit_code != 0


@pytest.fixture
def as_manager(db, client):
    with db.transaction() as s:
        login(client, make_user(s, "manajer", "manager", "1234").id)
    return client


def upload(client, data: bytes, name="anggota.csv", **form):
    return client.post("/anggota/impor", data={"file": (io.BytesIO(data), name), **form},
                       content_type="multipart/form-data", headers={"HX-Request": "true"})



def test_upload_shows_progress_then_summary(db, as_manager):
    lines = [f"W-{n:04d},Warga {n},,08{n:010d},,,"[:60] for n in range(1, 1201)]
    response = upload(as_manager, "\n".join([HEADER, *lines]).encode())
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<progress" in body and "/anggota/impor/" in body
    final = poll_until_finished(as_manager, body)
    assert "Impor selesai (1200 baris): 1200 anggota baru" in final
    assert count(db) == 1200


def test_upload_with_errors_saves_nothing_and_lists_lines(db, as_manager):
    response = upload(as_manager, f"{HEADER}\nA-1,Satu,,,,,\nA-2,Dua,,,,,pensiun\n".encode())
    # Two rows may be checked before the answer is rendered: then it shows the end at once.
    final = poll_until_finished(as_manager, response.get_data(as_text=True))
    assert "Tidak ada yang disimpan" in final and "Baris 3: Status harus aktif atau nonaktif" in final
    assert count(db) == 0


def test_check_only_upload_saves_nothing(db, as_manager):
    response = upload(as_manager, f"{HEADER}\nA-1,Satu,,,,,\n".encode(), check_only="1")
    final = poll_until_finished(as_manager, response.get_data(as_text=True))
    assert "tanpa kesalahan" in final and count(db) == 0


def test_exports_download_with_the_full_nik(db, as_manager, register):
    csv_body = as_manager.get("/anggota/ekspor.csv")
    assert csv_body.status_code == 200 and "attachment" in csv_body.headers["Content-Disposition"]
    assert "6471011705850001" in csv_body.get_data().decode("utf-8-sig")
    xlsx = as_manager.get("/anggota/ekspor.xlsx")
    rows = read(xlsx.get_data(), "anggota.xlsx")
    assert [r["nik"] for r in rows] == ["6471011705850001", "", "6472015708920003"]
