"""What the rest of the app may ask of devices: plain data, small Protocols, one error.

The hardware package imports nothing from the domain packages: it receives a
``Receipt`` (ready-laid-out text) or ``Label`` rows and sends them to a device.
Every module of the package imports its shared names from here, never from the
package itself, so the package has no import circle.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class HardwareError(Exception):
    """A device failed; deliberately not a PosError (it never rolls a sale back).

    ``summary`` is the sentence for the cashier, in Indonesian; ``detail`` the device's or
    library's own words (often English, for the log and a manager), when there are any.
    ``str()`` gives both."""

    def __init__(self, summary: str = "", detail: str | None = None):
        super().__init__(f"{summary}: {detail}" if detail else summary)
        self.summary, self.detail = summary, detail


@dataclass(frozen=True)
class Receipt:
    """A receipt laid out to the paper's column width."""

    receipt_no: str
    lines: list[str]
    columns: int
    open_drawer: bool = False
    qr_payload: str | None = None
    copy: bool = False
    emphasis: set[int] = field(default_factory=set)  # line indexes printed bold

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Label:
    """What one label shows: the name, the price as text and the EAN-13 to scan."""

    name: str
    price_text: str
    code: str
    unit_text: str = ""


class Scale(Protocol):
    def read_stable_grams(self, tare_grams: int = 0) -> int:
        """Net grams of a settled, positive weight, or a ``HardwareError`` saying why not."""

    def status(self) -> str:
        """A one-line state for people; never raises."""


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> None:
        """Print or raise ``HardwareError``; never anything else."""

    def open_drawer(self) -> None:
        """Kick the cash drawer wired to the printer, or raise ``HardwareError``."""

    def status(self) -> str:
        """A one-line state for people ("siap", or what is wrong); never raises."""


class Display(Protocol):
    def show(self, top: str, bottom: str) -> None:
        """Show two lines to the customer, or raise ``HardwareError``."""

    def status(self) -> str:
        """A one-line state for people; never raises."""


class LabelPrinter(Protocol):
    def print_labels(self, labels: list[Label]) -> None:
        """Print each label (name, price, EAN-13) or raise ``HardwareError``; never anything else."""
