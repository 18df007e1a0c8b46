"""The devices of the gerai: the outlet's (``POS_PRINTER``, ``POS_DISPLAY``, ``POS_SCALE``) and
each till's own printer and pole display, built from their URLs on first use and kept.

A till with no URL of its own uses the outlet's device.  The outlet's bundle is read
from ``default()`` each time (tests and the device page may swap it), so nothing here
holds a stale device.  Building never touches hardware: devices open when used.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

from pos.hardware import Hardware, Misconfigured, build_printer
from pos.hardware.display import build_display
from pos.hardware.ports import Display, HardwareError, ReceiptPrinter

TillUrls = Callable[[int], tuple[str | None, str | None]]


class Devices:
    """``till_urls(till_id)`` gives a till's (printer URL, display URL); they are kept for
    ``ttl`` seconds, so a change made from the command line reaches the server within it
    (the device page calls ``forget`` at once)."""

    def __init__(self, default: Callable[[], Hardware], columns: int,
                 till_urls: TillUrls | None = None, ttl: float = 60):
        self._default, self._columns = default, columns
        self._till_urls, self._ttl = till_urls, ttl
        self._printers: dict[str, ReceiptPrinter] = {}
        self._displays: dict[str, Display] = {}
        self._urls: dict[int, tuple[float, tuple[str | None, str | None]]] = {}
        self._lock = threading.Lock()

    def urls(self, till_id: int | None) -> tuple[str | None, str | None]:
        """The till's own (printer, display) URLs; (None, None) for the outlet's devices."""
        if till_id is None or self._till_urls is None:
            return None, None
        now = time.monotonic()
        with self._lock:
            kept = self._urls.get(till_id)
        if kept is not None and now - kept[0] < self._ttl:
            return kept[1]
        found = self._till_urls(till_id)
        with self._lock:
            self._urls[till_id] = (now, found)
        return found

    def forget(self, till_id: int | None = None) -> None:
        with self._lock:
            if till_id is None:
                self._urls.clear()
            else:
                self._urls.pop(till_id, None)

    def till_printer(self, till_id: int | None) -> ReceiptPrinter:
        return self.printer(self.urls(till_id)[0])

    def till_display(self, till_id: int | None) -> Display:
        return self.display(self.urls(till_id)[1])

    @property
    def outlet(self) -> Hardware:
        return self._default()

    def printer(self, url: str | None) -> ReceiptPrinter:
        """The till's own printer (``url``), or the outlet's."""
        if not url:
            return self.outlet.printer
        with self._lock:
            if url not in self._printers:
                self._printers[url] = _built(lambda: build_printer(url, self._columns), "printer")
            return self._printers[url]

    def display(self, url: str | None) -> Display:
        """The till's own pole display (``url``), or the outlet's."""
        if not url:
            return self.outlet.display
        with self._lock:
            if url not in self._displays:
                self._displays[url] = _built(lambda: build_display(url), "layar pelanggan")
            return self._displays[url]


def _built(build, what: str):
    """The device a till's own address names; a ``Misconfigured`` one saying why when the address
    was stored before it was checked as now (``usb://zz``): the till still sells, its receipts
    wait unprinted, and the device page and ``pos doctor`` say which address to correct."""
    try:
        return build()
    except HardwareError as error:
        return Misconfigured(f"alamat {what} kasir ini", error)
