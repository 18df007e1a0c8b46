"""Real receipt printers through python-escpos, for any of its transports.

The bytes come from ``escpos_render``; this module opens the device (network,
USB, serial or a device file), sends them and turns every failure into a
``HardwareError``.
"""
from __future__ import annotations

import logging
import os
import stat
import threading
from typing import BinaryIO
from urllib.parse import urlparse

from pos.hardware.addresses import device_path, serial_address, usb_address
from pos.hardware.escpos_render import ENCODING, generic_profile, write_label, write_receipt
from pos.hardware.ports import HardwareError, Label, Receipt
from pos.hardware.presence import cannot_open

_log = logging.getLogger(__name__)


def _network_printer():
    """escpos's Network printer, but one that closes its socket when the connect fails
    (escpos 3.1 leaves it open, which leaks a descriptor per refused print)."""
    import socket

    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Network

    class ClosingNetwork(Network):
        def open(self, raise_not_found: bool = True) -> None:
            if self._device:
                self.close()
            try:
                self.device = socket.create_connection((self.host, self.port), self.timeout)
            except OSError as error:
                self.device = None
                raise DeviceNotFoundError(f"Could not open socket for {self.host}: {error}") from error

    return ClosingNetwork


# Seconds a network printer has to answer DLE EOT 4 (its paper sensor) before a receipt: one
# that answers does so in milliseconds; one that does not is printed on (not taken as out of paper).
PAPER_WAIT = 0.5
PAPER_OUT = "Kertas printer habis. Isi kertas baru, lalu tekan Cetak ulang."


class _Said(HardwareError):
    """A failure already in the staff's words, raised as it is (not under "Printer tidak menjawab")."""


# DLE EOT 4's answer (Epson's paper roll sensor status): bits 1 and 4 always set, bits 0 and 7
# always clear; bits 2-3 the near-end sensor, bits 5-6 the roll-end sensor.
STATUS_FIXED_MASK, STATUS_FIXED_BITS = 0x93, 0x12
ROLL_END = 0x60
NOT_ESCPOS = "Alamat ini bukan printer ESC/POS (jawabannya tidak dikenal): periksa IP dan port."


def paper_out(printer) -> bool | None:
    """Whether a network printer's paper sensor says its roll is out (DLE EOT 4, read here: escpos's
    ``paper_status`` takes any byte matching none of its masks, an HTTP server's "H", as no paper);
    None when it did not answer within ``PAPER_WAIT``. An answer that is no status byte (its fixed
    bits wrong) is refused in the staff's words, its bytes logged. Opens the connection (escpos
    opens on first use)."""
    from escpos.constants import RT_STATUS_PAPER

    device = printer.device
    device.settimeout(PAPER_WAIT)
    try:
        answer = printer.query_status(RT_STATUS_PAPER)
    except TimeoutError:
        return None
    finally:
        device.settimeout(printer.timeout)
    if not answer:   # nothing read: as escpos, taken as paper there (the receipt's send will tell)
        return False
    if answer[0] & STATUS_FIXED_MASK != STATUS_FIXED_BITS:
        _log.warning("Printer %s menjawab DLE EOT 4 dengan %r: bukan status ESC/POS",
                     getattr(printer, "host", "?"), answer[:16])
        raise _Said(NOT_ESCPOS)
    return answer[0] & ROLL_END == ROLL_END


def open_device(path: str) -> BinaryIO:
    """``path`` opened for writing when it is a character device (a printer port such as
    /dev/usb/lp0); never creates a file, never truncates one, never waits on a pipe."""
    if not stat.S_ISCHR(os.stat(path).st_mode):   # FileNotFoundError: unplugged
        raise HardwareError(f"{path} bukan perangkat printer (bukan character device)")
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISCHR(os.fstat(fd).st_mode):   # swapped since the look above
            raise HardwareError(f"{path} bukan perangkat printer (bukan character device)")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "wb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def _device_file_printer():
    """escpos's File printer, but opened by ``open_device``: escpos opens its file with
    mode "wb", which creates or empties whatever file the URL names."""
    from escpos.printer import File

    class DeviceFile(File):
        def open(self, raise_not_found: bool = True) -> None:
            if self._device:
                self.close()
            self.device = None
            self.device = open_device(self.devfile)

    return DeviceFile


def _not_found(error: Exception) -> bool:
    """The device is not there: a refused or unrouted connection, no such USB device or port."""
    from escpos.exceptions import DeviceNotFoundError

    return isinstance(error, (DeviceNotFoundError, ConnectionRefusedError, FileNotFoundError))


class EscposReceiptPrinter:
    """A real printer: network://host:port, usb://0x0416:0x5011, serial:///dev/ttyUSB0?baudrate=9600,
    file:///dev/usb/lp0.

    The device is opened per receipt (escpos opens lazily on first write), under a
    lock because several tills share this one server process.
    """

    def __init__(self, factory, columns: int, url: str | None = None):
        self._factory, self.columns = factory, columns
        self.url = url  # where it is, for pos.hardware.presence (which never opens it)
        self._lock = threading.Lock()
        # A network printer answers its status over the same connection: asked for paper before
        # each receipt, until it once leaves the question unanswered (then not again: each
        # receipt would wait ``PAPER_WAIT`` for nothing). USB, serial and file are not asked.
        self._asks_paper = (url or "").startswith("network:")

    @classmethod
    def from_url(cls, url: str, columns: int = 32) -> EscposReceiptPrinter:
        parts = urlparse(url)
        if parts.scheme == "network":
            def factory(profile):
                return _network_printer()(parts.hostname, port=parts.port or 9100, timeout=3,
                                          profile=profile, magic_encode_args=ENCODING)
        elif parts.scheme == "serial":
            devfile, baudrate = serial_address(url, "printer serial")

            def factory(profile):
                from escpos.printer import Serial
                return Serial(devfile=devfile, baudrate=baudrate,
                              timeout=2, profile=profile, magic_encode_args=ENCODING)
        elif parts.scheme == "usb":
            usb = usb_address(url)

            def factory(profile):
                from escpos.printer import Usb
                return Usb(usb.vendor, usb.product, timeout=2000, in_ep=usb.in_ep, out_ep=usb.out_ep,
                           profile=profile, magic_encode_args=ENCODING)
        elif parts.scheme == "file":
            path = device_path(url)

            def factory(profile):
                return _device_file_printer()(devfile=path, profile=profile, magic_encode_args=ENCODING)
        else:
            raise HardwareError(f"Jenis printer tidak dikenal: {url}")
        return cls(factory, columns, url)

    def print_receipt(self, receipt: Receipt) -> None:
        def action(printer) -> None:
            self._paper_check(printer)
            write_receipt(printer, receipt)

        self._run(action, "Printer tidak menjawab", reach="{}")

    def _paper_check(self, printer) -> None:
        """Refuse the receipt (nothing sent, no drawer kicked) when the printer says it has no
        paper: it would take the bytes and print nothing, and the till say "Struk tercetak."."""
        if not self._asks_paper:
            return
        out = paper_out(printer)
        if out is None:
            self._asks_paper = False
            _log.info("Printer %s tidak menjawab pertanyaan kertas (DLE EOT 4): tidak ditanya lagi",
                      self.url)
        elif out:
            raise _Said(PAPER_OUT)

    def open_drawer(self) -> None:
        self._run(lambda printer: (printer.hw("INIT"), printer.cashdraw(2)), "Laci tidak terbuka")

    def status(self) -> str:
        """"siap", or what is wrong in the staff's words (the library's own go to the log)."""
        try:
            self._run(lambda printer: printer.open(), "Printer tidak terhubung", reach="{}")
        except HardwareError as error:
            return error.summary
        return "siap"

    def _run(self, action, failure: str, reach: str | None = None) -> None:
        """Open the device, do ``action``, close it; any failure becomes ``HardwareError``
        saying ``failure``, with escpos's own words as its detail (logged here; our own, from
        ``open_device``, follow ``failure``). With ``reach`` ("{}" or "Label belum tercetak:
        {}"), a device that could not be found or opened says so as ``pos doctor`` does, with
        what to do (``presence.cannot_open``), not escpos's English with decimal USB ids."""
        problem = None
        with self._lock:
            printer = None
            try:
                printer = self._factory(generic_profile(self.columns))
                action(printer)
            except Exception as error:  # any device or escpos failure, by design
                problem = error
            finally:
                if printer is not None:
                    try:
                        printer.close()
                    except Exception:  # closing a dead device must not mask the first error
                        pass
        if problem is None:
            return
        _log.warning("%s (%s): %s", failure, self.url or "printer", problem)
        if isinstance(problem, _Said):
            raise HardwareError(problem.summary) from problem
        if isinstance(problem, HardwareError):   # ours, in Indonesian: "… bukan perangkat printer"
            raise HardwareError(f"{failure}: {problem}") from problem
        summary = reach.format(cannot_open(self.url)) if reach and self.url and _not_found(problem) \
            else failure
        raise HardwareError(summary, str(problem)) from problem

    def print_labels(self, labels: list[Label]) -> None:
        """Send a whole label job on one connection."""
        def action(printer) -> None:
            for label in labels:
                write_label(printer, label)

        self._run(action, "Label belum tercetak", reach="Label belum tercetak: {}")
