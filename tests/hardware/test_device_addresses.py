"""``usb://`` and ``serial://`` addresses: read by one function (``pos.hardware.addresses``) for the
device page's check, the builders and ``pos doctor``. ``usb://zz`` was saved from the device page
and taken from POS_PRINTER at start; only ``pos doctor`` said so later, and told to check the cable."""
from __future__ import annotations

import pytest

from pos.hardware import Hardware, HardwareError, Misconfigured, Receipt, build_hardware, build_printer
from pos.hardware.addresses import DISPLAY_SCHEMES, PRINTER_SCHEMES, UsbAddress, check_url, usb_address
from pos.hardware.display import build_display
from pos.hardware.fakes import RecordingPrinter
from pos.hardware.presence import url_missing
from pos.hardware.registry import Devices
from pos.hardware.scale import build_scale
from pos.health_checks.devices import TillDevices, device_checks

CONFIG = {"PRINTER": "dummy://", "RECEIPT_COLUMNS": 32, "SCALE": "", "DISPLAY": ""}


@pytest.mark.parametrize("url, said", [
    ("usb://zz", "Alamat printer USB 'usb://zz' salah: tulis hanya id vendor:produk"),
    ("usb://0x0416", "id vendor:produk"),
    ("usb://0x10000:0x5011", "0000 sampai ffff"),          # above 16 bits
    ("usb://0x0416:0x5011:3", "tulis hanya id vendor:produk"),
    ("usb://0x0416:0x5011/lp0", "tulis hanya id vendor:produk"),
    ("usb://0x0416:0x5011#1", "tulis hanya id vendor:produk"),
    ("usb://0x0416:0x5011?interface=0", "pilihan 'interface' tidak dikenal (yang dipakai: in_ep, out_ep)"),
    ("usb://0x0416:0x5011?in_ep=0x81&in_ep=0x82", "pilihan ditulis dua kali"),
    ("usb://0x0416:0x5011?in_ep=0x01", "in_ep harus 0x81 sampai 0x8f"),
    ("usb://0x0416:0x5011?out_ep=0x81", "out_ep harus 0x01 sampai 0x0f"),
    ("usb://0x0416:0x5011?out_ep=zz", "out_ep harus"),
    ("serial://ttyUSB0?baudrate=9600", "tulis jalur perangkatnya sesudah serial:// (tiga garis miring)"),
    ("serial:///?baudrate=9600", "tulis jalur perangkatnya"),
    ("serial:///dev/ttyUSB0?baudrate=abc", "baudrate harus bilangan bulat 50 sampai 4000000"),
    ("serial:///dev/ttyUSB0?baudrate=0", "baudrate harus bilangan bulat"),
    ("serial:///dev/ttyUSB0?baudrate=9600&protocol=cas", "pilihan 'protocol' tidak dikenal"),
])
def test_a_malformed_address_is_refused_with_an_example(url, said):
    with pytest.raises(HardwareError, match="Alamat printer") as refused:
        check_url(url, PRINTER_SCHEMES, "printer")
    assert said in str(refused.value)
    assert "usb://0x0416:0x5011" in str(refused.value) or "serial:///dev/ttyUSB0" in str(refused.value)
    with pytest.raises(HardwareError) as built:   # the builder reads it with the same function
        build_printer(url, 32)
    assert str(built.value) == str(refused.value)


@pytest.mark.parametrize("url, read", [
    ("usb://0x0416:0x5011", UsbAddress(0x0416, 0x5011, 0x82, 0x01)),
    ("usb://04b8:0202", UsbAddress(0x04B8, 0x0202)),                     # as lsusb writes them
    ("usb://0X04B8:0x0E28?in_ep=0x81&out_ep=0x03", UsbAddress(0x04B8, 0x0E28, 0x81, 0x03)),
    ("usb://0x0416:0x5011/", UsbAddress(0x0416, 0x5011)),
])
def test_a_good_usb_address_is_read_as_escpos_takes_it(url, read):
    assert check_url(url, PRINTER_SCHEMES, "printer") == url
    assert usb_address(url) == read
    assert build_printer(url, 32).url == url


def test_a_serial_display_and_scale_are_checked_alike():
    assert check_url("serial:///dev/ttyUSB0?baudrate=115200", DISPLAY_SCHEMES, "layar pelanggan")
    for bad in ("serial://ttyUSB0", "serial:///dev/ttyUSB0?baudrate=96OO"):
        with pytest.raises(HardwareError, match="Alamat layar pelanggan serial .* salah"):
            check_url(bad, DISPLAY_SCHEMES, "layar pelanggan")
        with pytest.raises(HardwareError, match="Alamat layar pelanggan serial .* salah"):
            build_display(bad)
        with pytest.raises(HardwareError, match="Alamat timbangan serial .* salah"):
            build_scale(bad + ("&" if "?" in bad else "?") + "protocol=cas")
    assert build_scale("serial:///dev/ttyUSB1?baudrate=9600&bytesize=7&parity=E&protocol=toledo8217").url


def test_a_bad_usb_or_serial_setting_is_refused_at_start_as_on_the_device_page():
    """POS_PRINTER=usb://zz gave a printer whose every print failed as "not connected"."""
    hardware = build_hardware({**CONFIG, "PRINTER": "usb://zz",
                               "DISPLAY": "serial:///dev/ttyUSB0?baudrate=fast"})
    assert isinstance(hardware.printer, Misconfigured)
    assert hardware.printer.status().startswith("Setelan POS_PRINTER salah: Alamat printer USB 'usb://zz' "
                                                "salah")
    assert "baudrate harus" in hardware.display.status()
    network = build_hardware({**CONFIG, "PRINTER": "network://192.168.1.50:99999"}).printer
    assert "port 1 sampai 65535" in network.status()   # as the device page says


def test_doctor_tells_to_correct_a_malformed_address_not_to_check_the_cable(tmp_path):
    """A till's usb://zz stored before the check: the till still sells (its receipt waits) and
    pos doctor names the address and says to correct it."""
    registry = Devices(lambda: Hardware(printer=RecordingPrinter()), 32)
    printer = registry.printer("usb://zz")
    assert isinstance(printer, Misconfigured)
    with pytest.raises(HardwareError, match="Alamat printer USB 'usb://zz' salah"):
        printer.print_receipt(Receipt(receipt_no="GRI-1", lines=["Gerai"], columns=32))
    checks = device_checks([TillDevices("KASIR-2", "usb://zz", None)], registry, CONFIG, tmp_path)
    check = checks[0]
    assert (check.title, check.summary) == ("Printer KASIR-2", "alamat salah")
    assert "Alamat printer USB 'usb://zz' salah" in check.problem and "usb://0x0416:0x5011" in check.problem
    assert check.fix.startswith("Perbaiki alamat printer (halaman Perangkat")
    assert "Periksa kabel" not in check.fix
    outlet = device_checks([TillDevices("KASIR-1", None, None)],
                           Devices(lambda: build_hardware({**CONFIG, "PRINTER": "usb://0x04:zz"}), 32),
                           {**CONFIG, "PRINTER": "usb://0x04:zz"}, tmp_path)[0]
    assert outlet.summary == "alamat salah" and "Periksa kabel" not in outlet.fix
    assert "lalu mulai ulang server" in outlet.fix
    assert url_missing("usb://zz").startswith("Alamat printer USB 'usb://zz' salah")


@pytest.mark.parametrize("url", [
    "network://a b:9100", "network://host_name!:9100", "network://user@10.0.0.1:9100",
    "network://10.0.0.1:9100/path?x=1", "network://10.0.0.1:9100/lp", "network://10.0.0.1:9100?x=1",
    "network://10.0.0.1:9100#1", "network://-printer:9100", "network://printer-.toko:9100",
    "network://" + "a" * 64 + ".toko:9100", "network://kasir..toko:9100", "network://[::1]x:9100",
])
def test_a_network_printer_needs_a_real_host_and_nothing_else(url):
    """network://a b:9100 and network://user@10.0.0.1:9100 were saved; only a bad IPv4 was refused."""
    with pytest.raises(HardwareError, match="tulis nama host atau IP dan port 1 sampai 65535") as refused:
        check_url(url, PRINTER_SCHEMES, "printer")
    assert str(refused.value).startswith("Alamat printer jaringan")
    stored = build_hardware({**CONFIG, "PRINTER": url}).printer   # stored before: refused at start too
    assert isinstance(stored, Misconfigured) and "port 1 sampai 65535" in stored.status()
    assert isinstance(Devices(lambda: Hardware(printer=RecordingPrinter()), 32).printer(url), Misconfigured)
    for unreadable in ("network://[zz::1]:9100", "network://[10.0.0.1]:9100"):   # no IPv6 in brackets
        with pytest.raises(HardwareError, match="Alamat printer"):
            check_url(unreadable, PRINTER_SCHEMES, "printer")


@pytest.mark.parametrize("url", [
    "network://192.168.1.50:9100", "network://192.168.1.50", "network://printer-1.toko.lan:9100",
    "network://PRINTER:9100", "network://[::1]:9100", "network://[fe80::1]", "network://10.0.0.1:9100/",
    "network://xn--kasir-3ya.local:9100",
])
def test_a_good_network_address_is_kept(url):
    assert check_url(url, PRINTER_SCHEMES, "printer") == url
    assert build_printer(url, 32).url == url


@pytest.mark.parametrize("url", ["file:///dev/usb/lp0?x=1", "file:///dev/usb/lp0#1",
                                 "file://user@localhost/dev/usb/lp0"])
def test_a_device_file_address_has_no_options(url):
    with pytest.raises(HardwareError, match="hanya untuk perangkat di /dev/"):
        check_url(url, PRINTER_SCHEMES, "printer")
