"""What the rest of the app may ask of devices, as plain data and small Protocols.

The hardware package imports nothing from the domain packages: it receives a
``Receipt`` (ready-laid-out text) and sends it to a device.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


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


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> None:
        """Print or raise ``HardwareError``; never anything else."""
