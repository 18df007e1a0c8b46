"""Which till has its dynamic QRIS open on the pay panel, and for what amount (in memory).

The pay view notes it when the till asks for the QR (``/kasir/qris``); the customer screen
shows the QRIS only while the note is fresh and its amount is still the cart's total, so a
changed cart, a finished sale or a restart never shows a stale code.  One server process
serves a gerai (waitress with threads), so memory is the right place: nothing is written
and the till's request never waits for a lock.  Thread-safe; pure (no Flask).
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

FRESH = timedelta(minutes=10)


class QrisShown:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._asked: dict[int, tuple[int, datetime]] = {}

    def note(self, till_id: int, amount: int, now: datetime) -> None:
        with self._lock:
            self._asked[till_id] = (amount, now)

    def forget(self, till_id: int) -> None:
        with self._lock:
            self._asked.pop(till_id, None)

    def asked(self, till_id: int, amount: int, now: datetime) -> bool:
        """The till asked for the QRIS of exactly ``amount`` less than ``FRESH`` ago."""
        with self._lock:
            found = self._asked.get(till_id)
        return found is not None and found[0] == amount and now - found[1] < FRESH


def of(extensions: dict) -> QrisShown:
    """The app's one record (``app.extensions``), made on first use."""
    return extensions.setdefault("pos_qris_shown", QrisShown())
