"""Recording devices: the ``dummy://`` printer of a gerai with no printer yet, and test fakes.

``RecordingPrinter`` renders real ESC/POS bytes through python-escpos's Dummy
printer and keeps the last receipts in memory, so the screen can show what
would have printed and tests can assert on both text and bytes.
"""
from __future__ import annotations

import threading
from collections import deque

from pos.hardware.escpos_render import render_escpos, render_labels
from pos.hardware.ports import HardwareError, Label, Receipt


class RecordingPrinter:
    def __init__(self, columns: int = 32, keep: int = 50, url: str | None = None):
        self.columns = columns
        # The dummy:// address it was built from (a gerai without a printer: ``records_only``);
        # None for a test's fake, which stands for a real printer.
        self.url = url
        self.receipts: deque[Receipt] = deque(maxlen=keep)
        self.raw: deque[bytes] = deque(maxlen=keep)
        self.drawer_opens = 0
        self._lock = threading.Lock()
        # Label jobs kept apart from receipts: one entry per label, one byte string per job.
        self.labels: deque[Label] = deque(maxlen=keep * 20)
        self.label_raw: deque[bytes] = deque(maxlen=keep)

    def print_receipt(self, receipt: Receipt) -> None:
        data = render_escpos(receipt)
        with self._lock:
            self.receipts.append(receipt)
            self.raw.append(data)

    def print_labels(self, labels: list[Label]) -> None:
        data = render_labels(labels, self.columns)
        with self._lock:
            self.labels.extend(labels)
            self.label_raw.append(data)

    def open_drawer(self) -> None:
        with self._lock:
            self.drawer_opens += 1

    def status(self) -> str:
        return "siap (printer rekaman, tidak ada kertas)"


class FailingPrinter:
    """A printer that is off, out of paper or unplugged."""

    def __init__(self, message: str = "Printer tidak terhubung", detail: str | None = None):
        self.message, self.detail = message, detail   # ``detail``: the library's own words
        self.attempts = 0

    def print_receipt(self, receipt: Receipt) -> None:
        self.attempts += 1
        raise HardwareError(self.message, self.detail)

    def open_drawer(self) -> None:
        self.attempts += 1
        raise HardwareError(self.message, self.detail)

    def status(self) -> str:
        return self.message

    def print_labels(self, labels: list[Label]) -> None:
        self.attempts += 1
        raise HardwareError(self.message)
