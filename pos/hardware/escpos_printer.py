"""Receipts as ESC/POS bytes through python-escpos, for any of its transports.

A generic profile per paper width (58 mm: 32 columns, 80 mm: 48) keeps cut, QR
and barcodes working and keeps escpos from printing to stdout; ESC @ is sent
first because escpos does not send it by itself.
"""
from __future__ import annotations

import copy
import threading
from urllib.parse import parse_qs, urlparse

from pos.hardware import HardwareError
from pos.hardware.ports import Receipt

_PROFILES: dict[int, object] = {}


def generic_profile(columns: int):
    """A copy of escpos's default profile with the media width of 58 or 80 mm paper."""
    if columns not in _PROFILES:
        from escpos.capabilities import CAPABILITIES, Profile

        pixels, mm = (576, 80) if columns >= 48 else (384, 58)

        class GenericProfile(Profile):
            def __init__(self):
                data = copy.deepcopy(CAPABILITIES["profiles"]["default"])
                data["media"] = {"dpi": 203, "width": {"mm": mm, "pixels": pixels}}
                self.profile_data = data
                super().__init__(columns=columns, features=data["features"])

        _PROFILES[columns] = GenericProfile()
    return _PROFILES[columns]


def write_receipt(printer, receipt: Receipt) -> None:
    """Send ``receipt`` to an escpos printer object."""
    printer.hw("INIT")
    for index, line in enumerate(receipt.lines):
        printer.set(bold=index in receipt.emphasis)
        printer.textln(line)
    printer.set_with_default()
    if receipt.qr_payload:
        printer.qr(receipt.qr_payload, size=4, native=True, center=True)
    printer.textln("")
    printer.cut()
    if receipt.open_drawer:
        printer.cashdraw(2)


def render_escpos(receipt: Receipt) -> bytes:
    from escpos.printer import Dummy

    dummy = Dummy(profile=generic_profile(receipt.columns),
                  magic_encode_args={"encoding": "CP437"})
    write_receipt(dummy, receipt)
    return dummy.output


_ENCODING = {"encoding": "CP437"}


class EscposReceiptPrinter:
    """A real printer: network://host:port, serial:///dev/ttyUSB0?baudrate=9600, file:///dev/usb/lp0.

    The device is opened per receipt (escpos opens lazily on first write), under a
    lock because several tills share this one server process.
    """

    def __init__(self, factory, columns: int):
        self._factory, self.columns = factory, columns
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, columns: int = 32) -> "EscposReceiptPrinter":
        parts = urlparse(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if parts.scheme == "network":
            def factory(profile):
                from escpos.printer import Network
                return Network(parts.hostname, port=parts.port or 9100, timeout=3,
                               profile=profile, magic_encode_args=_ENCODING)
        elif parts.scheme == "serial":
            def factory(profile):
                from escpos.printer import Serial
                return Serial(devfile=parts.path, baudrate=int(query.get("baudrate", 9600)),
                              timeout=2, profile=profile, magic_encode_args=_ENCODING)
        elif parts.scheme == "file":
            def factory(profile):
                from escpos.printer import File
                return File(devfile=parts.path, profile=profile, magic_encode_args=_ENCODING)
        else:
            raise HardwareError(f"Jenis printer tidak dikenal: {url}")
        return cls(factory, columns)

    def print_receipt(self, receipt: Receipt) -> None:
        with self._lock:
            printer = None
            try:
                printer = self._factory(generic_profile(receipt.columns))
                write_receipt(printer, receipt)
            except Exception as error:  # any device or escpos failure, by design
                raise HardwareError(f"Struk belum tercetak: {error}") from error
            finally:
                if printer is not None:
                    try:
                        printer.close()
                    except Exception:  # closing a dead device must not mask the first error
                        pass
