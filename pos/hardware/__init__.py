"""Devices at the counter, behind small ports, chosen by configuration.

``build_hardware(config)`` returns the ``Hardware`` bundle the app uses; tests
pass their own fakes to ``create_app(hardware=...)``.  Devices are opened
lazily and every failure is a ``HardwareError``, which views catch *after* the
sale has been committed: a device can never lose a sale.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

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
    from pos.hardware.escpos_printer import EscposReceiptPrinter
    from pos.hardware.fakes import RecordingPrinter

    scheme = urlparse(url).scheme
    if scheme == "dummy":
        return RecordingPrinter(columns=columns)
    return EscposReceiptPrinter.from_url(url, columns)


def build_hardware(config) -> Hardware:
    from pos.hardware.display import build_display
    from pos.hardware.scale import build_scale

    return Hardware(printer=build_printer(config["PRINTER"], config["RECEIPT_COLUMNS"]),
                    scale=build_scale(config["SCALE"]), display=build_display(config["DISPLAY"]))
