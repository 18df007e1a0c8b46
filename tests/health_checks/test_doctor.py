"""``pos doctor``: the same checks for a person at the mini-PC, each problem with its fix, in
Indonesian; exit code 0 all well, 1 a warning, 2 an error (``--json``: the /healthz keys)."""
from __future__ import annotations

import json
import shutil
from datetime import timedelta

from pos.backup import record
from pos.clock import utcnow
from pos.hardware import build_hardware
from tests.health_checks.conftest import stuck_ledger, unplugged_port


def doctor(app, *args):
    return app.test_cli_runner().invoke(args=["doctor", *args])


def test_all_well_exits_0(healthy):
    app, _ = healthy()
    result = doctor(app)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Gerai POS TST01: pemeriksaan ")
    assert "OK          Basis data: sqlite" in result.output or "postgresql" in result.output
    assert "Masalah:" not in result.output and result.output.rstrip().endswith("Semua baik.")


def test_each_problem_is_shown_with_its_fix_and_exits_1(healthy, tmp_path):
    free, port = shutil.disk_usage(tmp_path).free, unplugged_port()
    app, _ = healthy(PRINTER=f"file://{port}", DISK_WARN_BYTES=free + 2**30)
    app.extensions["pos_hardware"] = build_hardware(app.config)   # the real adapters, as `pos` has
    stuck_ledger(app, hours=50)
    record.succeeded(app.instance_path, utcnow() - timedelta(days=2, hours=5), tmp_path / "gerai-x.db.gz")
    result = doctor(app)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()

    def block(title: str) -> str:
        start = next(i for i, line in enumerate(lines) if line.startswith(f"PERINGATAN  {title}"))
        return "\n".join(lines[start:start + 3])

    printer = block("Printer KASIR-1: tidak ditemukan")
    assert f"{port} tidak ada" in printer
    assert "Perbaikan: Periksa kabel dan daya printer" in printer
    assert f'(PRINTER = "file://{port}" di {app.instance_path}/pos.cfg;' in printer
    ledger = block("Buku besar koperasi: 1 menunggu")
    assert "yang tertua sudah 2 hari 2 jam" in ledger and "pos ledger push" in ledger
    backup = block("Cadangan")
    assert "Cadangan terakhir sudah 2 hari 5 jam yang lalu." in backup and "pos backup" in backup
    disk = block("Ruang disk")
    assert "Ruang disk menipis" in disk and "Perbaikan: Kosongkan ruang" in disk
    assert result.output.rstrip().endswith("4 peringatan, 0 galat.")


def test_a_full_disk_exits_2_and_says_selling_stops(healthy, tmp_path):
    app, _ = healthy(DISK_ERROR_BYTES=shutil.disk_usage(tmp_path).free + 2**30)
    result = doctor(app)
    assert result.exit_code == 2
    assert "GALAT       Ruang disk" in result.output and "Disk hampir penuh" in result.output
    assert result.output.rstrip().endswith(
        "0 peringatan, 1 galat. Penjualan tidak dapat disimpan sampai galat diperbaiki.")


def test_json_has_the_healthz_keys_with_details(healthy):
    port = unplugged_port()
    app, _ = healthy(PRINTER=f"file://{port}")
    app.extensions["pos_hardware"] = build_hardware(app.config)
    result = doctor(app, "--json")
    assert result.exit_code == 1
    body = json.loads(result.output)
    assert body["status"] == "warn" and body["outlet"] == "TST01"
    assert body["printers"][0]["url"] == f"file://{port}"
    assert "fix" in body["printers"][0] and body["disk"]["level"] == "ok"
    assert body["clock"]["now"].endswith("+00:00")   # UTC, its zone said


def test_a_setting_that_names_no_device_is_shown_with_its_name(healthy):
    app, _ = healthy(PRINTER="lp0", SCALE="serial:///dev/ttyS9?protocol=nope")
    app.extensions["pos_hardware"] = build_hardware(app.config)   # starts: the devices say why not
    result = doctor(app)
    assert result.exit_code == 1, result.output
    assert "Printer KASIR-1 tidak dapat dipakai: Setelan POS_PRINTER salah: Alamat printer tidak dikenal: " \
           "'lp0'. Contoh: network://" in result.output
    assert "Timbangan gerai tidak dapat dipakai: Setelan POS_SCALE salah: Protokol timbangan tidak " \
           "dikenal: nope." in result.output
    assert "Periksa kabel" not in result.output   # a wrong setting is corrected, not looked for
    assert "Perbaikan: Perbaiki alamat printer (PRINTER = \"lp0\" di " in result.output
