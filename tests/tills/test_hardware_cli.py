"""`pos hardware status` and `test-print` name each till's own printer: with KASIR-1's printer
unplugged they said "printer network://… siap" (the outlet's) where `pos doctor` said "Printer
KASIR-1: tidak ditemukan", and test-print printed only on the outlet's printer."""
from __future__ import annotations

import json

from pos.hardware.fakes import RecordingPrinter
from tests.factories import make_till

GONE = "serial:///dev/nonexistent"


def two_tills(db):
    with db.transaction() as s:
        own = make_till(s, "KASIR-1")
        make_till(s, "KASIR-2")
        own.printer = GONE


def test_status_lists_each_tills_printer_and_display(app, db):
    two_tills(db)
    runner = app.test_cli_runner()
    said = runner.invoke(args=["hardware", "status"]).output
    kasir1 = next(line for line in said.splitlines() if line.startswith("KASIR-1") and "printer" in line)
    assert GONE in kasir1 and "Printer tidak ditemukan: /dev/nonexistent tidak ada" in kasir1
    kasir2 = next(line for line in said.splitlines() if line.startswith("KASIR-2") and "printer" in line)
    assert "(gerai)" in kasir2 and "siap" in kasir2
    assert any(line.startswith("KASIR-1") and "display" in line for line in said.splitlines())
    devices = json.loads(runner.invoke(args=["hardware", "status", "--json"]).output)
    assert set(devices) >= {"printer", "scale", "display", "tills"}
    (one,) = [t for t in devices["tills"] if t["till"] == "KASIR-1"]
    assert one["printer"]["own"] and one["printer"]["configured"] == GONE
    assert one["printer"]["status"].startswith("Printer tidak ditemukan")


def test_test_print_on_a_tills_own_printer(app, db, printer):
    two_tills(db)
    runner = app.test_cli_runner()
    gone = runner.invoke(args=["hardware", "test-print", "--till", "kasir-1"])
    assert gone.exit_code != 0 and "Printer tidak ditemukan: /dev/nonexistent" in gone.output
    assert not printer.receipts                        # not the outlet's printer instead
    own = RecordingPrinter()
    app.extensions["pos_devices"]._printers[GONE] = own
    assert runner.invoke(args=["hardware", "test-print", "--till", "KASIR-1"]).exit_code == 0
    assert own.receipts[-1].receipt_no == "CETAK-UJI" and not printer.receipts
    assert runner.invoke(args=["hardware", "test-print", "--till", "KASIR-2"]).exit_code == 0
    assert printer.receipts[-1].receipt_no == "CETAK-UJI"     # KASIR-2 has the outlet's
    unknown = runner.invoke(args=["hardware", "test-print", "--till", "KASIR-9"])
    assert unknown.exit_code != 0 and "Kasir KASIR-9 tidak ada" in unknown.output
