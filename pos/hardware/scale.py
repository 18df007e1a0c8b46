"""The weighing scale on a serial line: pyserial transport around the pure protocol parsers.

``build_scale(url)`` turns ``POS_SCALE`` into a scale object: ``NoScale`` when it is
empty, else a ``SerialScale`` for ``serial:///dev/ttyUSB1?baudrate=9600&bytesize=7&
parity=E&protocol=toledo8217`` (or any pyserial URL: ``loop://``, ``socket://host:port``,
``rfc2217://``).  Options: protocol (toledo8217 | cas), baudrate (9600), bytesize (8),
parity (N/E/O), stopbits (1/1.5/2), timeout in seconds (0.5).

Like the receipt printer, the port opens lazily on first read, I/O holds a lock (all
tills share this server process), and every failure is a ``HardwareError`` (a port's, said
in Indonesian by ``serial_errors``; the library's own words go to the log).  After an
I/O failure the port is closed, so an unplugged and replugged scale works again on the
next read.

A read answers with the weight on the scale now.  Flushing the port's input queue is not
enough: bytes held upstream (a USB-serial adapter's FIFO, a socat relay) arrive right after
the flush, old frames from when the queue filled up.  So after the flush the line is read
until it goes quiet (``QUIET``, at most ``SETTLE``) and that is dropped; only then is the
request sent (8217) or are frames taken (CAS), and a streaming scale's answer is the first of
two identical frames in a row, read within the port's time-out (then its newest frame; two
stable frames that disagree mean the weight has not settled).
"""
from __future__ import annotations

import logging
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import serial

from pos.hardware.addresses import serial_address
from pos.hardware.ports import HardwareError
from pos.hardware.scale_protocols import (
    PROTOCOLS,
    Reading,
    ScaleError,
    ScaleGarbage,
    ScaleProtocol,
    ScaleSilent,
    ScaleUnstable,
    stable_grams,
    thousandths,
)
from pos.hardware.serial_errors import port_reason

_log = logging.getLogger(__name__)
_OWN_OPTIONS = {"protocol", "baudrate", "bytesize", "parity", "stopbits", "timeout"}
_STOPBITS = {"1": serial.STOPBITS_ONE, "1.5": serial.STOPBITS_ONE_POINT_FIVE,
             "2": serial.STOPBITS_TWO}
QUIET = 0.05   # seconds without a byte after the flush: what was held upstream has arrived
SETTLE = 0.25  # seconds at most spent on that (a scale streaming without pause is never quiet)


class ScaleUnavailable(ScaleError):
    """The port cannot be opened, read or written (unplugged, wrong path, no permission)."""

    message = "Timbangan tidak terhubung. Periksa kabel USB/serial timbangan."


class ScaleNotInstalled(ScaleError):
    message = "Timbangan belum dipasang."


class SerialScale:
    """A scale behind a pyserial port object that has not been opened yet."""

    def __init__(self, port: serial.SerialBase, protocol: ScaleProtocol, url: str | None = None):
        self._port, self.protocol = port, protocol
        self.url = url  # for pos.hardware.presence
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str) -> SerialScale:
        parts = urlsplit(url)
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        name = options.get("protocol", "toledo8217")
        if name not in PROTOCOLS:
            raise HardwareError(f"Protokol timbangan tidak dikenal: {name}")
        if parts.scheme == "serial":   # a device path and a baud rate, as a printer's or display's
            serial_address(url, "timbangan serial", _OWN_OPTIONS)
        try:
            port = serial.serial_for_url(_pyserial_url(parts, options), do_not_open=True,
                                         **_port_settings(options))
        except (ValueError, KeyError, serial.SerialException) as error:
            raise HardwareError(f"Setelan timbangan salah ({url}): {error}") from error
        return cls(port, PROTOCOLS[name], url)

    def read(self) -> Reading:
        """One reading as the scale reports it now; ScaleError if there is none to be had."""
        with self._lock:
            chunks = self._exchange()
        return self._reading(chunks)

    def status(self) -> str:
        """One reading described for people; never raises."""
        try:
            reading = self.read()
        except HardwareError as error:
            return str(error)
        state = "stabil" if reading.stable else "belum stabil"
        return f"siap: {reading.grams} g, {state}"

    def read_stable_grams(self, tare_grams: int = 0) -> int:
        """Grams to sell (after ``tare_grams``), or the ScaleError to show the cashier."""
        return stable_grams(self.read(), tare_grams)

    def close(self) -> None:
        with self._lock:
            self._port.close()

    def _exchange(self) -> list[bytes]:
        """The raw chunks, each up to a terminator; any port failure -> ScaleUnavailable."""
        try:
            if not self._port.is_open:
                self._port.open()
            self._port.reset_input_buffer()  # a reply must answer *this* read
            self._drain()
            if self.protocol.request is None:
                return self._stream_chunks()
            self._port.write(self.protocol.request)
            return [self._read_chunk()]
        except Exception as error:  # any device failure, by design (pyserial, OS, termios)
            self._port.close()  # so the next read reopens a replugged device
            _log.warning("Timbangan (%s): %r", self.url or self._port.port, error)  # the library's words
            reason = port_reason(error, self._port.port, self._port.timeout or 0)
            raise ScaleUnavailable(f"{ScaleUnavailable.message} ({reason})") from error

    def _drain(self) -> None:
        """Read and drop what arrives until the line is quiet: bytes held upstream of the flushed
        queue come in one burst, and they are old (a late 8217 reply, CAS frames from minutes ago)."""
        begin = last = time.monotonic()
        while (now := time.monotonic()) - last < QUIET and now - begin < SETTLE:
            waiting = self._port.in_waiting
            if waiting:
                self._port.read(waiting)
                last = time.monotonic()
            else:
                time.sleep(0.005)

    def _stream_chunks(self) -> list[bytes]:
        """Chunks until the last two are the same complete frame, silence, or the port's time-out
        (the first chunk may be the tail of a frame already on the wire)."""
        chunks: list[bytes] = []
        begin = time.monotonic()
        while True:
            chunk = self._read_chunk()
            if not chunk:
                break
            chunks.append(chunk)
            complete = [self._start(c) for c in chunks[-2:] if c.endswith(self.protocol.terminator)]
            if len(complete) == 2 and complete[0] == complete[1]:
                break
            if time.monotonic() - begin >= (self._port.timeout or 0):
                break
        return chunks

    def _read_chunk(self) -> bytes:
        return self._port.read_until(self.protocol.terminator, size=self.protocol.max_frame)

    def _reading(self, chunks: list[bytes]) -> Reading:
        """The newest complete frame's reading; two stable ones that disagree: ScaleUnstable."""
        if not chunks or not chunks[0]:
            raise ScaleSilent()
        complete = [self._start(c) for c in chunks if c.endswith(self.protocol.terminator)]
        if not complete:
            raise ScaleGarbage()
        reading = self.protocol.parse(complete[-1])
        if len(complete) > 1 and complete[-2] != complete[-1] and reading.stable:
            try:
                before = self.protocol.parse(complete[-2])
            except ScaleGarbage:  # the tail of a frame cut by the flush
                return reading
            if before.stable and before.grams != reading.grams:
                raise ScaleUnstable()
        return reading

    def _start(self, chunk: bytes) -> bytes:
        """``chunk`` from its frame's start byte on (line noise before the frame skipped)."""
        start = self.protocol.start
        return chunk[chunk.rindex(start):] if start is not None and start in chunk else chunk


def _pyserial_url(parts, options: dict[str, str]) -> str:
    """The URL pyserial understands: a device path, or its own scheme without our options."""
    if parts.scheme in ("", "serial"):
        return parts.path
    rest = urlencode({k: v for k, v in options.items() if k not in _OWN_OPTIONS})
    # built by hand: urlunsplit drops the "//" of "loop://" when there is no host
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{rest}" if rest else "")


def _port_settings(options: dict[str, str]) -> dict:
    return {
        "baudrate": int(options.get("baudrate", 9600)),
        "bytesize": int(options.get("bytesize", 8)),
        "parity": options.get("parity", "N").upper(),
        "stopbits": _STOPBITS[options.get("stopbits", "1")],
        # thousandths() reads "0.5" as 500 ms with integer maths, as for weights
        "timeout": _milliseconds(options.get("timeout", "0.5")) / 1000,
    }


def _milliseconds(seconds: str) -> int:
    try:
        return thousandths(seconds)
    except ScaleGarbage:
        raise ValueError(f"timeout={seconds!r}") from None


class NoScale:
    """``POS_SCALE`` is empty: the gerai has no scale (yet)."""

    installed = False  # the till asks for a typed weight instead, where a manager allows it

    def status(self) -> str:
        return "belum dipasang"

    def read(self) -> Reading:
        raise ScaleNotInstalled()

    def read_stable_grams(self, tare_grams: int = 0) -> int:
        raise ScaleNotInstalled()

    def close(self) -> None:
        pass


def build_scale(url: str) -> SerialScale | NoScale:
    return NoScale() if not url else SerialScale.from_url(url)
