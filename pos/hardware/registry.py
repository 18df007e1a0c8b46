"""The devices of the gerai: the outlet's (``POS_PRINTER``, ``POS_DISPLAY``, ``POS_SCALE``) and
each till's own printer and pole display, built from their URLs on first use and kept.

A till with no URL of its own uses the outlet's device.  The outlet's bundle is read
from ``default()`` each time (tests and the device page may swap it), so nothing here
holds a stale device.  Building never touches hardware: devices open when used.
"""
from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections.abc import Callable
from urllib.parse import urlparse

from pos.hardware import Hardware, build_printer
from pos.hardware.display import build_display
from pos.hardware.ports import Display, HardwareError, ReceiptPrinter

PRINTER_SCHEMES = ("network", "usb", "serial", "file", "dummy")
DISPLAY_SCHEMES = ("serial",)


# What each kind of address looks like, for the refusal of one that is none of them.
EXAMPLES = {"network": "network://192.168.1.50:9100", "usb": "usb://0x0416:0x5011",
            "serial": "serial:///dev/ttyUSB0?baudrate=9600", "file": "file:///dev/usb/lp0",
            "dummy": "dummy://kasir1"}


def check_url(url: str, schemes: tuple[str, ...], what: str) -> str:
    """``url`` when it names one of ``schemes``; a ``HardwareError`` saying which otherwise.
    A ``file://`` address must name a device under /dev/ (``device_path``)."""
    try:
        parts = urlparse(url or "")
    except ValueError:   # "network://[::1": an unclosed IPv6 bracket
        parts = None
    if parts is None or parts.scheme not in schemes or len(url) > 200 or not (
            parts.netloc or parts.path or parts.scheme == "dummy"):
        raise HardwareError(f"Alamat {what} tidak dikenal: {url[:60]!r}. Contoh: "
                            + ", ".join(EXAMPLES.get(s, f"{s}://") for s in schemes) + ".")
    if parts.scheme == "file":
        from pos.hardware.escpos_printer import device_path

        device_path(url)
    if parts.scheme == "network":
        _check_network(url, parts)
    return url


def _check_network(url: str, parts) -> None:
    """A network printer needs a host and, when one is written, a port from 1 to 65535 (9100
    when none): a port out of range was stored and only ``pos doctor`` said so later."""
    try:
        port = parts.port
    except ValueError:
        port = 0
    if not parts.hostname or port == 0 or (port is None and parts.netloc.endswith(":")) \
            or not _host_ok(parts.hostname):
        raise HardwareError(f"Alamat printer jaringan {url[:60]!r} salah: tulis nama host atau IP "
                            "dan port 1 sampai 65535, misalnya network://192.168.1.50:9100.")


def _host_ok(host: str) -> bool:
    """A host of digits and dots is an IPv4 address (192.168.1.999 is none); a name is a name."""
    if not re.fullmatch(r"[0-9.]+", host):
        return True
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


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
                self._printers[url] = build_printer(url, self._columns)
            return self._printers[url]

    def display(self, url: str | None) -> Display:
        """The till's own pole display (``url``), or the outlet's."""
        if not url:
            return self.outlet.display
        with self._lock:
            if url not in self._displays:
                self._displays[url] = build_display(url)
            return self._displays[url]
