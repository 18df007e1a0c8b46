"""Recording devices: the ``dummy://`` printer of a gerai with no printer yet, and test fakes.

``RecordingPrinter`` renders real ESC/POS bytes through python-escpos's Dummy
printer and keeps the last receipts in memory, so the screen can show what
would have printed and tests can assert on both text and bytes.
"""
from __future__ import annotations

import threading
from collections import deque

from pos.hardware import HardwareError
from pos.hardware.ports import Receipt


class RecordingPrinter:
    def __init__(self, columns: int = 32, keep: int = 50):
        self.columns = columns
        self.receipts: deque[Receipt] = deque(maxlen=keep)
        self.raw: deque[bytes] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def print_receipt(self, receipt: Receipt) -> None:
        from pos.hardware.escpos_printer import render_escpos

        data = render_escpos(receipt)
        with self._lock:
            self.receipts.append(receipt)
            self.raw.append(data)


class FailingPrinter:
    """A printer that is off, out of paper or unplugged."""

    def __init__(self, message: str = "Printer tidak terhubung"):
        self.message = message
        self.attempts = 0

    def print_receipt(self, receipt: Receipt) -> None:
        self.attempts += 1
        raise HardwareError(self.message)
