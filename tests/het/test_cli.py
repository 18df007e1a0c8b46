"""``pos het set / list / import``: a ceiling from a date, the list in force and scheduled
(text and JSON), and a schedule file imported all or nothing with "Baris N" errors."""
from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from pos.het import service
from pos.het.models import CeilingPrice
from tests.factories import make_product


@pytest.fixture
def goods(db):
    with db.transaction() as s:
        make_product(s, sku="UREA", name="Pupuk Urea Subsidi", price=2_250, cost=1_500,
                     base_unit="gram", business_unit="pupuk", on_hand=0)
        make_product(s, sku="SPHP", name="Beras SPHP 5 kg", price=62_500, cost=52_500,
                     on_hand=0)


def rows(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(CeilingPrice))


def het(db, sku, day, zone=None):
    with db.reading() as s:
        return service.ceiling(s, service.product_by_sku(s, sku).id, day, zone)


def test_set_accepts_rupiah_as_typed_and_both_date_forms(db, runner, goods):
    done = runner.invoke(args=["het", "set", "UREA", "--price", "Rp2.250", "--from", "2024-01-01"])
    assert done.exit_code == 0, done.output
    assert "HET Pupuk Urea Subsidi: Rp2.250/kg mulai 01-01-2024, semua zona." in done.output
    done = runner.invoke(args=["het", "set", "UREA", "--price", "1.800", "--from", "22-10-2025",
                               "--note", "Kepmentan 1117/2025"])
    assert done.exit_code == 0, done.output
    done = runner.invoke(args=["het", "set", "SPHP", "--price", "65500", "--from", "2025-01-01",
                               "--zone", "2"])
    assert "zona 2." in done.output
    assert (het(db, "UREA", date(2025, 10, 21)), het(db, "UREA", date(2025, 10, 22))) == (2_250, 1_800)
    assert (het(db, "SPHP", date(2025, 6, 1), "2"), het(db, "SPHP", date(2025, 6, 1), "1")) == (65_500, None)


def test_set_for_another_zone_than_the_outlets_is_kept_and_said_not_to_apply_here(app, db, runner, goods):
    app.config["HET_ZONE"] = "2"
    set_sphp = ["het", "set", "SPHP", "--from", "2025-01-01", "--price"]
    other = runner.invoke(args=[*set_sphp, "67500", "--zone", "3"])
    assert other.exit_code == 0 and het(db, "SPHP", date(2025, 6, 1), "3") == 67_500
    assert ("Catatan: Zona gerai ini 2: HET zona 3 tidak berlaku di gerai ini dan tidak tampil di "
            "jadwalnya. Lihat dengan 'pos het list --zone 3'.") in other.output
    own = runner.invoke(args=[*set_sphp, "65500", "--zone", "2"])
    assert own.exit_code == 0 and "Catatan" not in own.output


@pytest.mark.parametrize("args, message", [
    (["NOPE", "--price", "100", "--from", "2025-01-01"], "SKU 'NOPE' tidak ditemukan"),
    (["UREA", "--price", "-100", "--from", "2025-01-01"], "tidak valid"),
    (["UREA", "--price", "0", "--from", "2025-01-01"], "lebih dari nol"),
    (["UREA", "--price", "100", "--from", "2025-02-30"], "tidak ada"),
    (["UREA", "--price", "100", "--from", "kemarin"], "tidak dikenali"),
    (["UREA", "--price", "100", "--from", "2025-01-01", "--zone", "zona 1"], "tidak sah"),
])
def test_set_refuses_bad_input_and_changes_nothing(db, runner, goods, args, message):
    done = runner.invoke(args=["het", "set", *args])
    assert done.exit_code != 0 and message in done.output
    assert rows(db) == 0


def test_list_in_force_and_scheduled_with_json(db, runner, goods):
    for sku, price, day, zone in (("UREA", "2250", "2024-01-01", ""), ("UREA", "1800", "2025-10-22", ""),
                                  ("SPHP", "62500", "2025-01-01", "1"), ("SPHP", "60000", "2025-01-01", "2")):
        assert runner.invoke(args=["het", "set", sku, "--price", price, "--from", day,
                                   "--zone", zone]).exit_code == 0
    listed = runner.invoke(args=["het", "list", "--json", "--date", "2025-10-01", "--zone", "2"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert data == [
        {"sku": "SPHP", "name": "Beras SPHP 5 kg", "zone": "2", "price": 60_000, "per": "pcs",
         "effective_from": "2025-01-01", "in_force": True, "catalog_price": 62_500, "above": True,
         "note": None},
        {"sku": "UREA", "name": "Pupuk Urea Subsidi", "zone": None, "price": 2_250, "per": "kg",
         "effective_from": "2024-01-01", "in_force": True, "catalog_price": 2_250, "above": False,
         "note": None},
        {"sku": "UREA", "name": "Pupuk Urea Subsidi", "zone": None, "price": 1_800, "per": "kg",
         "effective_from": "2025-10-22", "in_force": False, "catalog_price": 2_250, "above": True,
         "note": None}]
    after = json.loads(runner.invoke(args=["het", "list", "--json", "--date", "2025-10-22"]).stdout)
    assert [(d["sku"], d["price"], d["in_force"]) for d in after] == [("UREA", 1_800, True)]
    text = runner.invoke(args=["het", "list", "--date", "01-10-2025", "--zone", "2"]).output
    assert "HET pada 01-10-2025, zona 2" in text and "mulai 22-10-2025  HARGA JUAL DI ATAS HET" in text


GOOD = ("sku,zona,het,berlaku_mulai,catatan\n"
        "UREA,,2.250,01-01-2024,HET lama\n"
        "UREA,,Rp1.800,2025-10-22,Kepmentan 1117/2025\n"
        "SPHP,1,62500,2025-01-01,\n"
        "SPHP,2,65500,2025-01-01,\n")


def test_import_dry_run_then_real_then_again_unchanged(db, runner, goods, tmp_path):
    path = tmp_path / "het.csv"
    path.write_text(GOOD)
    dry = runner.invoke(args=["het", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "4 baris diperiksa (tidak disimpan)" in dry.output
    assert rows(db) == 0
    real = runner.invoke(args=["het", "import", str(path)])
    assert real.exit_code == 0 and "4 baris diimpor: 4 baru" in real.output, real.output
    assert het(db, "UREA", date(2025, 10, 22)) == 1_800 and het(db, "SPHP", date(2025, 2, 1), "2") == 65_500
    again = runner.invoke(args=["het", "import", str(path)])
    assert "0 baru, 0 diperbarui, 4 tidak berubah" in again.output


def test_import_xlsx(db, runner, goods, tmp_path):
    book = Workbook()
    sheet = book.active
    for line in GOOD.splitlines():
        sheet.append(line.split(","))
    sheet.append(["UREA", "3", 1700, date(2026, 1, 1), None])  # typed as a number and a date
    out = io.BytesIO()
    book.save(out)
    (tmp_path / "het.xlsx").write_bytes(out.getvalue())
    done = runner.invoke(args=["het", "import", str(tmp_path / "het.xlsx")])
    assert done.exit_code == 0, done.output
    assert het(db, "UREA", date(2026, 1, 1), "3") == 1_700


def test_a_bad_file_saves_nothing_and_names_each_row(db, runner, goods, tmp_path):
    path = tmp_path / "het.csv"
    path.write_text("sku,zona,het,berlaku_mulai,catatan\n"
                    "UREA,,1800,2025-10-22,\n"          # row 2: good
                    "NOPE,,1800,2025-10-22,\n"          # row 3: unknown SKU
                    "UREA,,-5,2025-10-22,\n"            # row 4: negative
                    "UREA,,1800,31-02-2025,\n"          # row 5: no such date
                    "UREA,zona satu,1800,2025-10-23,\n"  # row 6: bad zone
                    "UREA,,0,2025-10-24,\n"             # row 7: zero
                    "UREA,,1900,22-10-2025,\n")         # row 8: same as row 2
    done = runner.invoke(args=["het", "import", str(path)])
    assert done.exit_code != 0 and "6 kesalahan; tidak ada yang disimpan" in done.output
    for line, text in ((3, "SKU 'NOPE' tidak ditemukan"), (4, "het tidak valid"), (5, "tidak ada"),
                       (6, "tidak sah"), (7, "lebih dari nol"), (8, "juga ada di baris 2")):
        assert f"Baris {line}: " in done.output and text in done.output, (line, done.output)
    assert "Baris 2:" not in done.output
    assert rows(db) == 0
