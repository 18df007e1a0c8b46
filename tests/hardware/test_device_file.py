"""``file://`` printers: only a character device under /dev/ (a printer port such as
/dev/usb/lp0) is printed on; any other file is refused before it is opened, and no file is
ever created or emptied (escpos's own File printer opens with mode "wb")."""
from __future__ import annotations

import os
import select
import threading
import time
import tty

import pytest

from pos.hardware import HardwareError, Receipt, build_printer
from pos.hardware.addresses import PRINTER_SCHEMES, check_url
from pos.hardware.escpos_printer import EscposReceiptPrinter, _device_file_printer, open_device

RECEIPT = Receipt(receipt_no="CETAK-UJI", lines=["Gerai Koperasi", "Halaman uji"], columns=32)
KEPT = b"SQLite format 3\x00 the outlet's sales"


@pytest.fixture
def database(tmp_path):
    """A file the printer must never touch (it stands for the outlet's database)."""
    path = tmp_path / "gerai.db"
    path.write_bytes(KEPT)
    return path


@pytest.mark.parametrize("url", [
    "file:///tmp/x.txt", "file:///var/lib/gerai/gerai.db", "file:///dev/../etc/gerai.cfg",
    "file:///dev/shm/gerai.db", "file://server/dev/usb/lp0", "file:///dev",
])
def test_a_file_printer_outside_dev_is_refused_when_set_and_when_built(url):
    with pytest.raises(HardwareError, match=r"^Printer file:// hanya untuk perangkat di /dev/"):
        check_url(url, PRINTER_SCHEMES, "printer")
    with pytest.raises(HardwareError, match=r"^Printer file:// hanya untuk perangkat di /dev/"):
        build_printer(url, 32)


def test_a_device_under_dev_may_be_set():
    assert check_url("file:///dev/usb/lp0", PRINTER_SCHEMES, "printer") == "file:///dev/usb/lp0"
    assert check_url("dummy://", PRINTER_SCHEMES, "printer") == "dummy://"


def test_a_path_in_the_setting_is_refused_from_the_database_too(database):
    """A till row written before addresses were checked: nothing is printed there."""
    printer = build_printer("file:///dev/usb/lp0", 32)
    assert isinstance(printer, EscposReceiptPrinter)
    with pytest.raises(HardwareError, match="hanya untuk perangkat"):
        build_printer(f"file://{database}", 32)
    assert database.read_bytes() == KEPT


def test_a_link_under_dev_to_an_ordinary_file_is_neither_opened_nor_emptied(database):
    with database.open("rb") as held:   # /dev/fd/N passes for a device by its name only
        printer = build_printer(f"file:///dev/fd/{held.fileno()}", 32)
        with pytest.raises(HardwareError, match="bukan perangkat printer"):
            printer.print_receipt(RECEIPT)
        assert "bukan perangkat printer" in printer.status()
    assert database.read_bytes() == KEPT


def test_opening_never_creates_nor_empties_a_file(database, tmp_path):
    with pytest.raises(HardwareError, match="bukan perangkat printer"):
        open_device(str(database))
    absent = tmp_path / "lp0"
    with pytest.raises(FileNotFoundError):
        open_device(str(absent))
    assert not absent.exists() and database.read_bytes() == KEPT
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)                      # no reader: refused at once, no wait
    with pytest.raises(HardwareError, match="bukan perangkat printer"):
        open_device(str(fifo))
    # escpos's File printer with the path given straight (no URL check): still refused
    printer = EscposReceiptPrinter(
        lambda profile: _device_file_printer()(devfile=str(database), profile=profile), 32)
    with pytest.raises(HardwareError):
        printer.print_receipt(RECEIPT)
    assert database.read_bytes() == KEPT


def test_a_receipt_reaches_a_printer_port():
    """A pty's /dev/pts/N is a character device under /dev/, as /dev/usb/lp0 is."""
    master, slave = os.openpty()
    tty.setraw(slave)
    got, done = bytearray(), threading.Event()

    def drain() -> None:             # as the printer does: read whatever arrives
        while not done.is_set():
            if select.select([master], [], [], 0.05)[0]:
                got.extend(os.read(master, 65536))

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        url = f"file://{os.ttyname(slave)}"
        assert check_url(url, PRINTER_SCHEMES, "printer") == url
        printer = build_printer(url, 32)
        assert printer.status() == "siap"
        printer.print_receipt(RECEIPT)
        deadline = time.monotonic() + 5
        while b"Halaman uji" not in got and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        done.set()
        reader.join(2)
        os.close(master)
        os.close(slave)
    assert bytes(got).startswith(b"\x1b@") and b"Gerai Koperasi" in got
