"""A device setting that cannot be used (a typo in pos.env): the server still starts and sells,
as with the device unplugged, and every use, status and ``pos doctor`` names the setting."""
from __future__ import annotations

import logging

import pytest

import pos
from pos.hardware import HardwareError, Label, Misconfigured, Receipt, build_hardware

BAD = {"PRINTER": "bogus://x", "RECEIPT_COLUMNS": 32,
       "SCALE": "serial:///dev/ttyS9?protocol=nope", "DISPLAY": "usb://1"}


def test_each_bad_setting_gives_a_device_that_says_which(caplog):
    with caplog.at_level(logging.ERROR, logger="pos.hardware"):
        hardware = build_hardware(BAD)
    assert hardware.printer.status().startswith("Setelan POS_PRINTER salah: Alamat printer tidak dikenal: "
                                                "'bogus://x'. Contoh: network://192.168.1.50:9100, ")
    assert hardware.scale.status() == "Setelan POS_SCALE salah: Protokol timbangan tidak dikenal: nope"
    assert hardware.display.status() == ("Setelan POS_DISPLAY salah: Jenis layar pelanggan tidak "
                                         "dikenal: usb://1")
    receipt = Receipt(receipt_no="GRI-1", lines=["Gerai"], columns=32)
    label = Label(name="Gula 1 kg", price_text="Rp17.500", code="2000000000015")
    for use, setting in ((lambda: hardware.printer.print_receipt(receipt), "POS_PRINTER"),
                         (lambda: hardware.printer.print_labels([label]), "POS_PRINTER"),
                         (hardware.printer.open_drawer, "POS_PRINTER"),
                         (lambda: hardware.scale.read_stable_grams(0), "POS_SCALE"),
                         (lambda: hardware.display.show("Total", "Rp17.500"), "POS_DISPLAY")):
        with pytest.raises(HardwareError, match=f"^Setelan {setting} salah: "):
            use()
    assert hardware.scale.installed is False        # the till asks for a typed weight instead
    assert [r.getMessage().split(" salah")[0] for r in caplog.records] == [
        "Setelan POS_PRINTER", "Setelan POS_SCALE", "Setelan POS_DISPLAY"]
    logged = caplog.records[0].getMessage()
    assert logged.startswith("Setelan POS_PRINTER salah: Alamat printer tidak dikenal: 'bogus://x'. Contoh: ")
    assert logged.endswith("dummy://kasir1. Server tetap berjalan tanpa perangkat ini.")
    # a message ending in its own stop gets no second one ("… r.txt'.; server tetap …")
    from pos.hardware import _built

    caplog.clear()
    with caplog.at_level(logging.ERROR):
        _built("POS_PRINTER", lambda: (_ for _ in ()).throw(HardwareError("Folder /x tidak ada.")))
    assert caplog.records[-1].getMessage().endswith("Folder /x tidak ada. Server tetap berjalan tanpa "
                                                   "perangkat ini.")


def test_good_settings_give_their_devices():
    hardware = build_hardware({"PRINTER": "dummy://", "RECEIPT_COLUMNS": 32, "SCALE": "", "DISPLAY": ""})
    assert not any(isinstance(d, Misconfigured) for d in (hardware.printer, hardware.scale, hardware.display))


def test_the_app_starts_with_a_bad_printer_setting(tmp_path):
    app = pos.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}", "INSTANCE_PATH": str(tmp_path),
                          "PRINTER": "lp0", "TESTING": True, "PRINT_IN_BACKGROUND": False})
    printer = app.extensions["pos_hardware"].printer
    assert isinstance(printer, Misconfigured) and printer.status().startswith("Setelan POS_PRINTER salah")


def test_an_address_that_cannot_be_parsed_is_a_bad_setting_too():
    hardware = build_hardware({"PRINTER": "network://[::1", "RECEIPT_COLUMNS": 32, "SCALE": "",
                               "DISPLAY": "serial://[x"})
    assert hardware.printer.status().startswith("Setelan POS_PRINTER salah: Alamat printer tidak dikenal")
    assert hardware.display.status().startswith("Setelan POS_DISPLAY salah: alamat tidak dikenal")
