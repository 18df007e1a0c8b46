"""``pos.hardware.presence``: is a device there, by its URL, without printing or waiting long."""
from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pos.hardware import build_printer
from pos.hardware.display import build_display
from pos.hardware.fakes import FailingPrinter, RecordingPrinter
from pos.hardware.presence import missing, url_missing
from pos.hardware.scale import build_scale
from tests.health_checks.conftest import unplugged_port


def test_device_files_and_serial_ports_by_path(tmp_path):
    port, serial = unplugged_port(), tmp_path / "ttyUSB0"
    assert "tidak ada" in url_missing(f"file://{port}")
    assert "tidak ada" in url_missing(f"serial://{serial}?baudrate=9600")
    serial.write_bytes(b"")
    assert url_missing(f"serial://{serial}?baudrate=9600") is None
    assert serial.read_bytes() == b""   # looked at, nothing written
    master, slave = os.openpty()        # /dev/pts/N: a character device, as a printer port is
    try:
        assert url_missing(f"file://{os.ttyname(slave)}") is None
    finally:
        os.close(master)
        os.close(slave)


def test_a_file_printer_that_is_no_device_under_dev_is_said_so(tmp_path):
    kept = tmp_path / "gerai.db"
    kept.write_bytes(b"SQLite format 3\x00")
    assert "hanya untuk perangkat di /dev/" in url_missing(f"file://{kept}")
    with kept.open("rb") as held:       # /dev/fd/N leads to the file itself
        assert "bukan perangkat printer" in url_missing(f"file:///dev/fd/{held.fileno()}")
    assert kept.read_bytes() == b"SQLite format 3\x00"


@contextmanager
def listening() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections while the block runs."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_a_network_printer_gets_one_short_connect(tmp_path):
    with listening() as port:
        assert url_missing(f"network://127.0.0.1:{port}") is None
    started = time.perf_counter()
    problem = url_missing(f"network://127.0.0.1:{port}")   # nobody listens any more
    assert problem.startswith(f"127.0.0.1:{port} tidak menjawab")
    assert time.perf_counter() - started < 1


def test_a_printer_named_on_a_lan_without_dns_is_reported_within_the_wait(monkeypatch):
    def stuck(*_args, **_kwargs):   # the shop's DNS server is gone: the look-up hangs
        time.sleep(3)
        raise socket.gaierror("Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    started = time.perf_counter()
    problem = url_missing("network://printer-kasir.lan:9100")
    assert time.perf_counter() - started < 1
    assert problem.startswith("nama printer-kasir.lan tidak dapat dicari") and "alamat IP" in problem


def test_a_printer_named_by_a_host_name_is_looked_up_and_connected(monkeypatch):
    with listening() as port:
        assert url_missing(f"network://localhost:{port}") is None
    unknown = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", lambda *_a, **_k: (_ for _ in ()).throw(unknown))
    assert url_missing("network://printer-salah:9100").startswith("nama printer-salah tidak dikenal")


def test_usb_printers_by_vendor_and_product(tmp_path):
    plugged = tmp_path / "1-1.2"
    plugged.mkdir()
    (plugged / "idVendor").write_text("0416\n")
    (plugged / "idProduct").write_text("5011\n")
    (tmp_path / "usb1").mkdir()   # a hub without ids is skipped
    assert url_missing("usb://0x0416:0x5011", usb_root=tmp_path) is None
    assert url_missing("usb://0x04b8:0x0202", usb_root=tmp_path) == "printer USB 04b8:0202 tidak tersambung"
    assert "Alamat printer USB 'usb://epson' salah" in url_missing("usb://epson", usb_root=tmp_path)
    assert "tidak dapat dibaca" in url_missing("usb://0x0416:0x5011", usb_root=tmp_path / "none")


def test_devices_carry_their_address_and_memory_ones_are_always_there(tmp_path):
    assert missing(build_printer(f"file://{unplugged_port()}", 32)) is not None
    assert missing(build_display(f"serial://{tmp_path / 'ttyUSB2'}")) is not None
    assert missing(build_scale(f"serial://{tmp_path / 'ttyUSB1'}?protocol=cas")) is not None
    for device in (build_printer("dummy://", 32), RecordingPrinter(), FailingPrinter(), build_display(""),
                   build_scale("")):
        assert missing(device) is None
