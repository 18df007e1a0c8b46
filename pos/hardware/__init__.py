"""Devices at the counter, behind small ports, chosen by configuration.

``build_hardware(config)`` returns the ``Hardware`` bundle the app uses; tests
pass their own fakes to ``create_app(hardware=...)``.  Devices are opened
lazily and every failure is a ``HardwareError``, which views catch *after* the
sale has been committed: a device can never lose a sale.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlparse

from pos.hardware.misconfigured import Misconfigured  # noqa: F401  (a public name)
from pos.hardware.ports import (  # noqa: F401  (the package's public names)
    Display,
    HardwareError,
    Label,
    Receipt,
    ReceiptPrinter,
    Scale,
)


def _no_scale():
    from pos.hardware.scale import NoScale

    return NoScale()


def _no_display():
    from pos.hardware.display import NoDisplay

    return NoDisplay()


@dataclass
class Hardware:
    printer: ReceiptPrinter
    scale: Scale = field(default_factory=_no_scale)
    display: Display = field(default_factory=_no_display)  # customer pole display


def build_printer(url: str, columns: int) -> ReceiptPrinter:
    """The printer ``url`` names; a ``HardwareError`` for an address the device page would refuse
    (``registry.check_url``), from ``POS_PRINTER`` as from a till's own."""
    from pos.hardware.addresses import PRINTER_SCHEMES, check_url
    from pos.hardware.escpos_printer import EscposReceiptPrinter
    from pos.hardware.fakes import RecordingPrinter

    check_url(url, PRINTER_SCHEMES, "printer")
    scheme = urlparse(url).scheme
    if scheme == "dummy":
        return RecordingPrinter(columns=columns, url=url)
    return EscposReceiptPrinter.from_url(url, columns)


def records_only(printer: object) -> bool:
    """A ``dummy://`` printer (the installer's, until a real one is set): it keeps receipts in
    memory and nothing comes out on paper, so no screen may say one printed."""
    return urlparse(getattr(printer, "url", None) or "").scheme == "dummy"


def not_printed(printer: object, what: str) -> str | None:
    """"<what> tidak dicetak: printer belum diatur (Perangkat)." when ``printer`` only records
    (``records_only``): what a screen says instead of "… dicetak."; None for a real printer."""
    return f"{what} tidak dicetak: printer belum diatur (Perangkat)." if records_only(printer) else None


NO_DRAWER = "printer belum diatur di Perangkat"


def no_drawer(printer: object) -> str | None:
    """Why a drawer kicked on ``printer`` without an error did not open, for its record: a
    ``dummy://`` printer (``records_only``) has no drawer to answer (``NO_DRAWER``). The same
    words for every opening at the till (a cash sale, a cash refund, Kas masuk/keluar, Buka
    laci); None for a real printer."""
    return NO_DRAWER if records_only(printer) else None


def build_hardware(config) -> Hardware:
    from pos.hardware.display import build_display
    from pos.hardware.scale import build_scale

    return Hardware(
        printer=_built("POS_PRINTER", lambda: build_printer(config["PRINTER"], config["RECEIPT_COLUMNS"])),
        scale=_built("POS_SCALE", lambda: build_scale(config["SCALE"])),
        display=_built("POS_DISPLAY", lambda: build_display(config["DISPLAY"])))


def _built(setting: str, build):
    try:
        try:
            return build()
        except ValueError as unreadable:   # "network://[::1": the address cannot be parsed
            raise HardwareError("alamat tidak dikenal", str(unreadable)) from unreadable
    except HardwareError as error:
        device = Misconfigured(setting, error)
        logging.getLogger(__name__).error("%s Server tetap berjalan tanpa perangkat ini.",
                                          device.message.rstrip(".") + ".")   # one stop, not ".;"
        return device
