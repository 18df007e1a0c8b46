"""``pos ledger simkopdes``: the outlet's data as CSV files named after the SIMKOPDES data
dictionary's tables, with its field names, agreeing with the outlet's own reports."""
from __future__ import annotations

import csv
import json
import shutil
from datetime import date, timedelta

import pytest

from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.hardware.fakes import RecordingPrinter
from pos.ledger import simkopdes
from pos.members.accounts.models import SavingKind
from pos.units import BaseUnit
from tests.conftest import build_app


@pytest.fixture
def outlet(tmp_path, demo_history_template):
    shutil.copyfile(demo_history_template, tmp_path / "pos.db")
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32), CLI=True)
    yield app
    get_db(app).engine.dispose()


def read(path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_the_export_writes_the_dictionary_tables_and_agrees_with_the_reports(outlet, tmp_path):
    today = business_date(utcnow(), outlet.config["TIMEZONE"])
    first, last = today - timedelta(days=14), today - timedelta(days=1)
    runner = outlet.test_cli_runner()
    out = tmp_path / "simkopdes"
    result = runner.invoke(args=["ledger", "simkopdes", "--from", first.isoformat(), "--to", last.isoformat(),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in simkopdes.TABLES)
    tables = {}
    for table, fields in simkopdes.TABLES.items():
        header, rows = read(out / f"{table}.csv")
        assert header == list(fields)
        assert f"{table}.csv  {len(rows)} baris" in result.output
        tables[table] = rows
    sales, goods = tables["transaksi_penjualan"], tables["barang_keluar_produk"]
    days = [(first + timedelta(days=n)).isoformat() for n in range(14)]
    reports = [json.loads(runner.invoke(args=["report", "day", "--date", day, "--json"]).output)
               for day in days]
    paid = [s for s in sales if s["status_transaksi"] == "Paid"]
    refunded = [s for s in sales if s["status_transaksi"] == "Refunded"]
    assert len(paid) == sum(r["sale_count"] for r in reports) > 0
    assert sum(int(s["total_pembayaran"]) for s in paid) == sum(r["total"] for r in reports)
    # the returns booked in the range, each the money paid back as a negative total: the file's
    # sum is the days' Total setelah retur (the returns had been left out: Rp19.053.020 against
    # Rp18.752.490 in a tester's fortnight)
    back = [r["returns"] for r in reports]
    assert len(refunded) == sum(b["count"] for b in back) > 0
    given = sum(b["amount"] + b["rounding"] for b in back)
    assert sum(int(s["total_pembayaran"]) for s in refunded) == -given
    assert sum(int(s["total_pembayaran"]) for s in sales) == sum(
        r["total"] - r["returns"]["amount"] - r["returns"]["rounding"] for r in reports)
    assert all(s["transaksi_sample_id"].startswith("R-") for s in refunded)
    assert [s["tanggal_dibuat"] for s in sales] == sorted(s["tanggal_dibuat"] for s in sales)
    assert {s["koperasi_ref"] for s in sales} == {"TST01"}
    methods = {m for s in sales for m in s["metode_pembayaran"].split("+")}
    assert methods <= {"Cash", "QRIS", "Transfer", "Kasbon"} and "Cash" in methods
    by_receipt: dict[str, int] = {}
    for line in goods:
        by_receipt[line["transaksi_sample_id"]] = by_receipt.get(line["transaksi_sample_id"], 0) \
            + int(line["total_nilai"])
    assert set(by_receipt) == {s["transaksi_sample_id"] for s in sales}
    # total_nilai is what the line was sold for: the gross (list prices) less the discounts;
    # a returned line's is its worth given back, negative, as its count
    sold = [g for g in goods if g["status"] == "Sales"]
    returned = [g for g in goods if g["status"] == "Return"]
    assert {g["status_transaksi"] for g in sold} == {"Paid"}
    assert {g["status_transaksi"] for g in returned} == {"Refunded"}
    assert sum(int(g["total_nilai"]) for g in sold) == sum(r["gross"] - r["discount"] for r in reports)
    assert sum(int(g["total_nilai"]) for g in returned) == -sum(b["amount"] for b in back)
    assert all(float(g["jumlah_keluar"]) < 0 < int(g["harga"]) for g in returned)
    # harga is the price after the discounts: harga x jumlah_keluar is total_nilai (within the
    # half Rupiah per kg a weighed line's rounding leaves), never the list price of a discounted line
    for line in goods:
        count = float(line["jumlah_keluar"])
        assert abs(int(line["harga"]) * count - int(line["total_nilai"])) <= max(1, count / 2), line
    assert simkopdes.sold_at(13_034, 1, BaseUnit.PCS, 13_720) == 13_034
    assert simkopdes.sold_at(28_750, 2_500, BaseUnit.GRAM, 12_000) == 11_500     # Rp28.750 for 2,5 kg
    assert any(s["nama_pelanggan"] for s in sales) and any(not s["nama_pelanggan"] for s in sales)
    products = {p["produk_sample_id"]: p for p in tables["produk_koperasi"]}
    assert {g["produk_sample_id"] for g in goods} <= set(products)
    assert {p["unit"] for p in products.values()} <= {"pcs", "kg", "liter"}
    members = tables["anggota_koperasi"]
    assert members and all("*" in m["nik"] for m in members if m["nik"])
    assert {m["jenis_kelamin"] for m in members} <= {"PEREMPUAN", "LAKI-LAKI", ""}
    savings = tables["simpanan_anggota"]
    assert {s["anggota_ref"] for s in savings} <= {m["anggota_ref"] for m in members}
    assert all(s["periode_pembayaran"].startswith("Simpanan ") for s in savings)
    # the demo's one withdrawal (AGT-0002's sukarela) goes out as a negative line
    signs = {(s["status"], int(s["jumlah_simpanan"]) > 0) for s in savings}
    assert signs == {("PAID", True), ("WITHDRAWN", False)}


def test_full_nik_and_a_backwards_range(outlet, tmp_path):
    runner = outlet.test_cli_runner()
    out = tmp_path / "full"
    result = runner.invoke(args=["ledger", "simkopdes", "--from", "2026-01-01", "--to", "2026-01-02",
                                 "--out", str(out), "--full-nik", "--koperasi-ref", "KOP-539EF09CDAAD"])
    assert result.exit_code == 0, result.output
    _, members = read(out / "anggota_koperasi.csv")
    assert any(len(m["nik"]) == 16 and m["nik"].isdigit() for m in members)
    assert {m["koperasi_ref"] for m in members} == {"KOP-539EF09CDAAD"}
    assert read(out / "transaksi_penjualan.csv")[1] == []
    backwards = runner.invoke(args=["ledger", "simkopdes", "--from", "2026-01-02", "--to", "2026-01-01",
                                    "--out", str(tmp_path / "x")])
    assert backwards.exit_code != 0 and "Tanggal awal harus sebelum" in backwards.output
    assert not (tmp_path / "x").exists()


def test_quantities_and_saving_periods_are_written_as_the_dictionary_shows_them():
    assert simkopdes.quantity(1250, BaseUnit.GRAM) == "1.250"
    assert simkopdes.quantity(3, BaseUnit.PCS) == "3"
    assert simkopdes.quantity(500, BaseUnit.ML) == "0.500"
    assert simkopdes.saving_period(SavingKind.WAJIB, date(2026, 4, 1)) == "Simpanan Wajib - April 2026"
    assert simkopdes.saving_period(SavingKind.POKOK, None) == "Simpanan Pokok"
    assert simkopdes.saving_period(SavingKind.SUKARELA, None) == "Simpanan Sukarela"


def test_a_folder_that_cannot_be_written_is_one_line_not_a_traceback(outlet, tmp_path, monkeypatch):
    """A flashdisk gone read-only gave a Python traceback (OSError: [Errno 30] ...)."""
    import errno
    from pathlib import Path

    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "open", read_only)
    result = outlet.test_cli_runner().invoke(args=["ledger", "simkopdes", "--from", "2026-01-01",
                                                   "--to", "2026-01-02", "--out", str(tmp_path / "sk")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Galat: Berkas SIMKOPDES tidak dapat ditulis ke " in result.output
    assert "transaksi_penjualan.csv: disknya hanya dapat dibaca" in result.output
