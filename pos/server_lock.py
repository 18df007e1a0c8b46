"""Whether the till server runs on this instance: a lock file it holds while it lives.

A server (``create_app`` outside tests and ``pos`` commands) holds a shared ``flock`` on
``<instance>/server.lock`` for as long as its process lives; the kernel lets go of it when the
process ends, however it ends (stopped, crashed, killed, a power cut). ``pos restore`` takes it
exclusively without waiting, so it refuses to write over a database a running server is using
(a till mid-sale, receipt numbers in memory), and a server started while a restore runs waits
for the restore to finish."""
from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pos.text import os_reason

NAME = "server.lock"
HUB_NAME = "hub-server.lock"   # ``pos ledger-hub serve``'s, which ``pos ledger-hub restore`` takes


class ServerRunning(Exception):
    """The lock is held: a server is running on this instance."""


def _open(instance: str | Path, name: str) -> int:
    # read-only is enough for flock, so a lock file another user made (0644) still opens
    return os.open(Path(instance) / name, os.O_RDONLY | os.O_CREAT, 0o644)


def hold(instance: str | Path, name: str = NAME) -> int | None:
    """Take the server's lock for the life of this process; returns its descriptor (kept open:
    closing it lets go). Waits while a restore holds it. A lock file that cannot be opened
    never stops the tills: the server starts without it, and says so."""
    try:
        fd = _open(instance, name)
    except OSError as error:
        print(f"Peringatan: {Path(instance) / name} tidak dapat dibuka ({os_reason(error)}); "
              "pos restore tidak dapat memeriksa bahwa server ini berjalan.", file=sys.stderr, flush=True)
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        print("Menunggu pemulihan cadangan selesai…", file=sys.stderr, flush=True)
        fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


@contextmanager
def alone(instance: str | Path, name: str = NAME) -> Iterator[None]:
    """No server runs on ``instance`` inside, and none starts until the block ends;
    ``ServerRunning`` when one is running."""
    fd = _open(instance, name)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServerRunning() from None
        yield
    finally:
        os.close(fd)  # lets go of the lock
