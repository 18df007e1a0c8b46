"""The customer's pole display (2 lines x 20 characters, serial): last item and total.

Most pole displays accept the ESC/POS display subset: ESC @ resets, 0x0C clears
and homes the cursor, and 40 characters fill the two lines.  The port is opened
per message under a lock with a short time-out; every failure is a
``HardwareError`` that the till only logs, through ``show_or_log`` (a dead display never
stops a sale): a warning when a display starts failing, not again for each scan until it
has shown something once more.
"""
from __future__ import annotations

import logging
import threading
import unicodedata
import weakref
from urllib.parse import urlparse

from pos.hardware.addresses import serial_address
from pos.hardware.ports import HardwareError
from pos.hardware.serial_errors import port_reason
from pos.hardware.text import two_cols

WIDTH = 20
CLEAR = b"\x1b@\x0c"
_SECONDS = 0.5   # the port's read and write time-out

_log = logging.getLogger(__name__)
_failing: weakref.WeakSet = weakref.WeakSet()   # displays whose last show failed (logged then)
_failing_lock = threading.Lock()


def fit(text: str, width: int = WIDTH) -> str:
    """Printable ASCII only (displays have no Rupiah sign or accents, and a control byte in a
    name would be a command to the display), cut or padded to ``width``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = "".join(char for char in plain if " " <= char <= "~")
    return plain[:width].ljust(width)


def frame(top: str, bottom: str) -> bytes:
    return CLEAR + (fit(top) + fit(bottom)).encode("ascii")


def two_sides(left: str, right: str) -> str:
    """``left`` cut so that ``right`` ends at the last column."""
    return two_cols(left, right, WIDTH)


def show_or_log(device, top: str, bottom: str) -> None:
    """``top`` and ``bottom`` on the pole display ``device``; a failure is never raised, and is
    logged as a warning once per streak: when it starts, not for every scan while it lasts."""
    try:
        device.show(top, bottom)
    except HardwareError as error:
        with _failing_lock:
            first = device not in _failing
            _failing.add(device)
        if first:
            _log.warning("Layar pelanggan: %s (dicatat sekali sampai layar menjawab lagi)", error)
        return
    with _failing_lock:
        _failing.discard(device)


class SerialDisplay:
    def __init__(self, url: str):
        self.url = url  # for pos.hardware.presence
        self.port, self.baudrate = serial_address(url, "layar pelanggan serial")
        self._lock = threading.Lock()

    def show(self, top: str, bottom: str) -> None:
        import serial

        with self._lock:
            try:
                with serial.Serial(self.port, self.baudrate, timeout=_SECONDS,
                                   write_timeout=_SECONDS) as port:
                    port.write(frame(top, bottom))
            except (serial.SerialException, OSError, ValueError) as error:   # pyserial's words: detail
                reason = port_reason(error, self.port, _SECONDS)
                raise HardwareError(f"Layar pelanggan tidak menjawab: {reason}", str(error)) from error

    def status(self) -> str:
        """"siap", or what is wrong in the staff's words (pyserial's own are logged by the till)."""
        try:
            self.show("Gerai POS", "siap")
        except HardwareError as error:
            return error.summary
        return "siap"


class NoDisplay:
    """``POS_DISPLAY`` is empty: nothing to show, nothing to fail."""

    def show(self, top: str, bottom: str) -> None:
        return None

    def status(self) -> str:
        return "belum dipasang"


def build_display(url: str):
    if not url:
        return NoDisplay()
    if urlparse(url).scheme != "serial":
        raise HardwareError(f"Jenis layar pelanggan tidak dikenal: {url}")
    return SerialDisplay(url)   # its address checked as the device page checks it
