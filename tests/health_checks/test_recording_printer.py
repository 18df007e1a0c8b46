"""``dummy://`` (the installer's printer until a real one is set, and the default) records
receipts in memory and prints nothing: ``pos doctor``, ``/healthz`` and the manager's home page
warn so, with how to set a real printer, where it said "Printer KASIR-1: siap"."""
from __future__ import annotations

import json

from pos.db import get_db
from pos.tills.models import Till
from tests.health_checks.test_home import home, items

PROBLEM = ("Printer KASIR-1 hanya printer rekaman (dummy://): struk dicatat di memori, tidak ada yang "
           "tercetak di kertas, dan laci kasir tidak terbuka.")


def test_the_outlets_recording_printer_is_a_warning_with_how_to_set_a_real_one(healthy):
    app, ids = healthy(PRINTER="dummy://")
    doctor = app.test_cli_runner().invoke(args=["doctor"])
    assert doctor.exit_code == 1, doctor.output
    assert "PERINGATAN  Printer KASIR-1: printer rekaman, tidak mencetak" in doctor.output
    assert "siap" not in doctor.output.split("Printer KASIR-1")[1].split("\n")[0]
    printer = json.loads(app.test_cli_runner().invoke(args=["doctor", "--json"]).output)["printers"][0]
    assert printer["level"] == "warn" and printer["problem"] == PROBLEM
    assert printer["fix"] == (
        f'Colok printer struk lalu setel alamatnya (PRINTER = "usb://0x0416:0x5011" di {app.instance_path}/'
        "pos.cfg; atau alamat sendiri untuk kasir ini di halaman Perangkat); alamat lain: "
        "network://IP:9100, file:///dev/usb/lp0. Sesudah itu mulai ulang server, lalu coba Cetak uji di "
        "halaman Perangkat.")
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "warn" and body["selling"] is True and body["printers"][0]["level"] == "warn"
    shown = items(home(app, ids["manager"], ids["till"]))
    assert [(id_, kind) for id_, kind, _ in shown] == [("health-printers-KASIR-1", "warn")]
    assert PROBLEM in shown[0][2]


def test_a_tills_own_recording_printer_is_set_on_the_devices_page(healthy):
    app, ids = healthy()
    with get_db(app).transaction() as s:
        s.get(Till, ids["till"]).printer = "dummy://"
    printer = json.loads(app.test_cli_runner().invoke(args=["doctor", "--json"]).output)["printers"][0]
    assert printer["level"] == "warn" and printer["own"] is True
    assert printer["fix"].startswith("Colok printer struk lalu setel alamatnya (halaman Perangkat atau pos "
                                     "till set-devices); ")
    assert printer["fix"].endswith(" Lalu coba Cetak uji di halaman Perangkat.")
