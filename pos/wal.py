"""The WAL checkpointer: copies SQLite's write-ahead log into the database off the request path.

Started by ``pos.db`` for an outlet's file database (``SQLITE_BACKGROUND_CHECKPOINT``); the
connections it opens are its own raw ``sqlite3`` ones, never the app's pool.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path


class Checkpointer(threading.Thread):
    """Copies the WAL into the database off the request path once it has grown by ``pages``
    pages (SQLite's autocheckpoint size), then starts the WAL anew itself.

    A checkpoint costs two fsyncs: after every sale it would double a quiet shop's.  The write
    that starts a WAL anew syncs its header; so that it never falls on a till, a read kept open
    (``pin``) stops other writers from restarting the WAL, and is let go only while this thread
    holds the write lock and writes ``user_version`` back unchanged at synchronous=NORMAL;
    ``journal_size_limit=0`` cuts the file to that frame, so its size tells what came since.
    That write takes the app's writer lock (``pos.db.writer_lock``) like a till does, so a
    till behind it is not left to SQLite's sleeping busy handler."""

    def __init__(self, path: str, lock: threading.RLock, interval: float = 0.5, pages: int = 1000):
        super().__init__(name="pos-wal-checkpoint", daemon=True)
        self.path, self.lock, self.interval, self.pages = path, lock, interval, pages
        self.stopped = threading.Event()

    def stop(self) -> None:
        """End the thread and close its connections (the engine was disposed: a restore, a
        test's app, a command's end); it held the file open, two descriptors, until the file went."""
        self.stopped.set()

    def _waits(self) -> bool:
        """Sleep one interval; False once stopped."""
        return not self.stopped.wait(self.interval)

    def run(self) -> None:
        import sqlite3

        while not Path(self.path).exists():   # not made yet (pos init): never made here, empty
            if not self._waits():
                return
        try:
            conn, pin = (sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=1,
                                         isolation_level=None) for _ in "cp")
        except sqlite3.Error:
            return   # gone again before it could be opened
        try:
            for pragma in ("busy_timeout=1000", "synchronous=NORMAL", "journal_size_limit=0",
                           "wal_autocheckpoint=0"):  # its own commit must not checkpoint, pin let go
                conn.execute(f"PRAGMA {pragma}")
            frame = conn.execute("PRAGMA page_size").fetchone()[0] + 24
        except sqlite3.Error as error:   # a damaged file: one line, where a traceback was
            from pos.errors import damage
            logging.getLogger(__name__).warning("Checkpoint WAL berhenti: %s tidak dapat dibaca (%s).",
                                                self.path, damage(error) or error)
            conn.close()
            pin.close()
            return
        wal, step, last, retry = Path(f"{self.path}-wal"), self.pages * frame, -1, False
        since = -step  # the first round starts the WAL anew at once
        while Path(self.path).exists() and not self.stopped.is_set():
            size = _size(wal)
            try:
                if size - since >= step or (retry and size == last):  # grown, or quiet after a miss
                    _restart(conn, pin, self.lock)
                    since = _size(wal)
                    retry = since > 32 + frame  # a till wrote first: again at the next quiet moment
            except sqlite3.Error:
                pass  # busy, disk full or file gone; the next round tries again
            last = _size(wal)
            self._waits()
        conn.close()
        pin.close()


def _restart(conn, pin, lock) -> None:
    """Checkpoint, then write ``user_version`` back: the WAL starts anew here when it was all
    copied and no till wrote meanwhile (else the frame is appended, and nothing is lost)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        return  # not WAL yet (a new file): there, a read held open would block every commit
    _hold(pin)  # a snapshot of now: the checkpoint may copy every frame
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    if not lock.acquire(timeout=1):  # a long write: the next quiet round tries again
        return
    try:
        _rewrite_version(conn, pin)
    finally:
        lock.release()


def _rewrite_version(conn, pin) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        if pin.in_transaction:  # no till can write now: this write may restart the WAL
            pin.execute("COMMIT")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute(f"PRAGMA user_version={version}")
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        _hold(pin)


def _hold(pin) -> None:
    """A fresh read transaction on ``pin``: a WAL frame it may see is never overwritten."""
    if pin.in_transaction:
        pin.execute("COMMIT")
    pin.execute("BEGIN")
    pin.execute("SELECT count(*) FROM sqlite_master").fetchall()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
