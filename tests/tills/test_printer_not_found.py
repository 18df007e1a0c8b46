"""A printer that is not there, said in one wording everywhere staff read it: Cetak uji showed
"Printer tidak terhubung: Device not found (Unable to open USB printer on (1046, 20497): USB device
not found …)" (escpos's English, the ids in decimal, no advice) where ``pos doctor`` said
"Printer KASIR-3 tidak ditemukan: /dev/nonexistent tidak ada (kabel tercabut …)" and what to do.
The library's own words go to the log (and the job's record), never on screen."""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from pos.hardware import Hardware, HardwareError
from pos.hardware.escpos_printer import EscposReceiptPrinter
from pos.hardware.fakes import RecordingPrinter
from pos.hardware.ports import Receipt
from pos.hardware.presence import cannot_open
from pos.hardware.registry import Devices
from pos.health_checks.devices import TillDevices, device_checks
from pos.sales.models import PrintJob
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
GONE = "serial:///dev/nonexistent"
SAID = ("Printer tidak ditemukan: /dev/nonexistent tidak ada (kabel tercabut, perangkat mati, atau "
        "namanya berubah). Periksa kabel dan daya printer")
ENGLISH = ("Device not found", "Unable to open", "Errno", "could not open port", "1046", "20497")
SLIP = Receipt(receipt_no="CETAK-UJI", lines=["Gerai"], columns=32)


def english_in(text: str) -> list[str]:
    """The library's words in ``text``, each as a whole word (an asset's ``?v=`` digest may
    hold the digits ``1046``)."""
    return [word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


@pytest.mark.parametrize("url, said", [
    (GONE, SAID),
    ("file:///dev/nonexistent", "Printer tidak ditemukan: /dev/nonexistent tidak ada (kabel tercabut"),
    ("usb://0x0416:0x5011", "Printer tidak ditemukan: printer USB 0416:5011 tidak"),   # hexadecimal
])
def test_a_printer_that_is_not_there_is_said_in_indonesian_with_what_to_do(url, said, caplog):
    printer = EscposReceiptPrinter.from_url(url)
    with caplog.at_level(logging.WARNING), pytest.raises(HardwareError) as failed:
        printer.print_receipt(SLIP)
    summary = failed.value.summary
    assert summary.startswith(said) and "Periksa kabel" in summary, summary
    assert not english_in(summary)
    assert failed.value.detail and failed.value.detail in caplog.text   # escpos's words: in the log
    assert printer.status() == summary   # the device page's state of the printer, the same words


def test_doctor_and_the_test_print_say_it_in_the_same_words(tmp_path):
    registry = Devices(lambda: Hardware(printer=RecordingPrinter()), 32)
    check, = [c for c in device_checks([TillDevices("KASIR-3", GONE, None)], registry,
                                       {"PRINTER": "dummy://", "DISPLAY": "", "SCALE": ""}, tmp_path)
              if c.key == "printers"]
    printed = cannot_open(GONE)
    assert check.problem == "Printer KASIR-3" + printed[len("Printer"):printed.index(". ") + 1]
    fix = printed[printed.index(". ") + 2:]
    assert check.fix == fix.rstrip(".") + " (halaman Perangkat atau pos till set-devices)."


@pytest.fixture
def gone(app, db, client, printer):
    """KASIR-1 whose own printer is not there; a manager signed in at it, sugar to sell."""
    with db.transaction() as s:
        till = make_till(s)
        till.printer = GONE
        boss = make_user(s, "bos", "manager", "9999")
        make_product(s, name="Gula Pasir 1 kg", price=18_000, barcodes_=["8991234567891"])
    login(client, boss.id, till.id)
    return dict(till=till.id, boss=boss.id)


def test_cetak_uji_on_a_printer_that_is_not_there(app, client, gone, caplog):
    with caplog.at_level(logging.WARNING):
        tested = client.post("/perangkat/cetak-uji", data={"till_id": gone["till"]}, headers=HX)
    html = tested.get_data(as_text=True)
    assert tested.status_code == 503 and SAID in html, html
    assert not english_in(html)
    assert "Device not found" in caplog.text   # the library's words: in the log only
    page = client.get("/perangkat").get_data(as_text=True)
    assert not english_in(page)


def test_a_sale_and_its_retry_on_a_printer_that_is_not_there(app, db, client, gone):
    client.post("/kasir/pindai", data={"code": "8991234567891"}, headers=HX)
    sold = client.post("/kasir/bayar", headers=HX, data={
        "tendered": "20000", "idempotency_key": "5d0b5d38-62a8-4b5e-9a3c-2a5f1f3c0101"})
    html = sold.get_data(as_text=True)
    assert sold.status_code == 200 and "Struk" in html and "belum tercetak: " + SAID in html, html
    assert not english_in(html)
    with db.reading() as s:
        job = s.scalars(select(PrintJob)).one()
    assert job.last_error.startswith("Printer tidak ditemukan: /dev/nonexistent tidak ada")
    assert len(job.last_error) <= 200
    retried = client.post(f"/perangkat/struk/{job.id}/cetak", headers=HX)
    assert retried.status_code == 503 and "Struk belum tercetak: Printer tidak ditemukan" in \
        retried.get_data(as_text=True)
    assert not english_in(retried.get_data(as_text=True))
    status = client.get(f"/kasir/cetak/{job.id}", headers=HX)
    assert not english_in(status.get_data(as_text=True))
    listed = client.get("/perangkat").get_data(as_text=True)
    assert "Printer tidak ditemukan: /dev/nonexistent" in listed and not english_in(listed)
