"""A pretend weighing scale on a pseudo-terminal, for tests and for demos without a scale.

``ScaleSimulator`` opens a pty pair and plays the scale on the master side: it answers
each request (Toledo 8217 ``W``) or streams a frame every ``interval`` seconds (CAS).
Point ``POS_SCALE`` (or a ``SerialScale``) at ``.port`` with 8N1 settings: parity on
ptys breaks after the first reconfigure (pyserial issue #196).  Frames come from the
builders in ``scale_protocols``, so what the simulator says is what the parser reads.

``backlog`` plays what sits between a scale and the port (a USB-serial adapter's FIFO, a
socat relay): while the port's own input queue holds ``queue`` bytes or more (nobody reads),
frames are held there, the oldest kept, up to ``backlog`` bytes; once the queue has room (the
reader flushed it) they arrive first, in one burst, as they do from a real adapter.

    with ScaleSimulator("cas") as sim:
        sim.set(1234)
        SerialScale.from_url(f"serial://{sim.port}?protocol=cas").read_stable_grams()
"""
from __future__ import annotations

import fcntl
import os
import select
import struct
import termios
import threading
import time
import tty

from pos.hardware.scale_protocols import PROTOCOLS, Reading


class ScaleSimulator:
    """Controls: ``set()``, ``silent`` (answer nothing), ``garbage`` (answer these bytes)."""

    def __init__(self, protocol: str = "toledo8217", interval: float = 0.05, backlog: int = 0,
                 queue: int = 64):
        self.protocol = PROTOCOLS[protocol]
        self.interval = interval
        self.backlog, self.queue = backlog, queue
        self._held = b""
        self.reading = Reading(grams=0, stable=True)
        self.silent = False
        self.garbage: bytes | None = None
        self.requests = 0
        self._master, self._slave = os.openpty()
        # Raw mode before any client opens the slave: no echo, no CR/LF translation.
        # The simulator keeps the slave open so the master never sees EIO between clients.
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)  # a client that stops reading must not hang us
        self.port = os.ttyname(self._slave)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scale-sim", daemon=True)
        self._thread.start()

    def set(self, grams: int, stable: bool = True, overload: bool = False,
            net: bool = False) -> None:
        self.reading = Reading(grams=grams, stable=stable, overload=overload,
                               underload=grams < 0, net=net)

    def stop(self) -> None:
        """Stop answering and remove the pty, like pulling the scale's cable."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._thread.join(timeout=2)
        os.close(self._master)
        os.close(self._slave)

    def __enter__(self) -> ScaleSimulator:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _run(self) -> None:
        due = time.monotonic()
        while not self._stopped.is_set():
            ready, _, _ = select.select([self._master], [], [], self.interval / 5)
            received = self._receive() if ready else b""
            if self._held and self._queued() < self.queue:   # room again: the held burst first
                self._write(self._held)
                self._held = b""
            if self.protocol.request is not None:
                for _ in range(received.count(self.protocol.request)):
                    self.requests += 1
                    self._reply()
            elif time.monotonic() >= due:
                due += self.interval
                self._reply()

    def _receive(self) -> bytes:
        try:
            return os.read(self._master, 1024)
        except OSError:  # nothing there after all, or the pty is going away
            return b""

    def _reply(self) -> None:
        if self.silent:
            return
        data = self.garbage if self.garbage is not None else self.protocol.build(self.reading)
        if self.backlog and (self._held or self._queued() >= self.queue):
            if len(self._held) + len(data) <= self.backlog:   # full: newer frames are lost
                self._held += data
            return
        self._write(data)

    def _queued(self) -> int:
        """Bytes in the port's input queue that no reader has taken yet."""
        try:
            return struct.unpack("i", fcntl.ioctl(self._slave, termios.FIONREAD, b"\0" * 4))[0]
        except OSError:
            return 0

    def _write(self, data: bytes) -> None:
        try:
            os.write(self._master, data)
        except OSError:  # buffer full because nobody reads: a real scale drops it too
            pass
