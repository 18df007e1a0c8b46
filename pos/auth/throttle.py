"""Login attempts per client address and per user, counted in this process's memory.

Why memory and not a table: a failed login then writes nothing to the database, so a
flood of wrong PINs never queues for SQLite's one write lock in front of a checkout.
Gerai POS runs as one waitress process with threads, so one lock-protected guard sees
every attempt; a restart forgets counts and locks (it needs the mini-PC itself).
Every table is bounded: counts older than their window are forgotten, and past
``limit`` keys the stalest are dropped, so an attacker cannot grow it without bound.

The rules (``pos/config.py`` names the settings):

- an address may try ``per_minute`` logins a minute, any user name; more are refused
  before a PIN is even hashed (``LOGIN_ATTEMPTS_PER_MINUTE``). A PIN (or the hub's
  password) that turns out right gives its attempt back (``give_back``): only refused ones
  use up the minute, so tills sharing an address (every till on the mini-PC itself is
  127.0.0.1) never wait for their own sign-ins and manager approvals;
- ``max_attempts`` wrong PINs for one user from one address within ``lock_seconds``
  lock that address out of that user for ``lock_seconds``; other tills keep working
  (``LOGIN_MAX_ATTEMPTS``, ``LOGIN_LOCK_SECONDS``);
- ``per_user`` wrong PINs for one user from all addresses together lock the user
  everywhere for ``lock_seconds`` (``LOGIN_MAX_ATTEMPTS_PER_USER``);
- one PIN hash at a time (``hash_slot``): a hash takes a core for about 100 ms, and the
  mini-PC has two, so a flood of logins can never take both from the tills;
- a refused address waits ``tarpit_seconds`` for its answer (``tarpit``): a client that
  keeps asking is slowed to one request a second, and a sleeping thread uses no CPU. At
  most ``tarpit_slots`` answers wait at once (``LOGIN_TARPIT_SLOTS``: the server's threads
  less two); past them a refusal is answered at once, so a flood from more clients than
  the server has threads never holds every thread away from the tills.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

_MINUTE = 60


class _Tally:
    """Recent events (their times) and, once too many, a lock until a moment; for a user, the
    PIN (its stored hash) the wrong PINs were tried against."""

    __slots__ = ("times", "locked_until", "pin")

    def __init__(self) -> None:
        self.times: deque = deque()
        self.locked_until = 0
        self.pin: str | None = None

    def forget_before(self, moment) -> None:
        while self.times and self.times[0] <= moment:
            self.times.popleft()

    def stale(self, now, window: int) -> bool:
        return now >= self.locked_until and (not self.times or self.times[-1] <= now - window)


class _Table:
    """Tallies by key, at most ``limit`` of them (stale ones go first, then the oldest)."""

    def __init__(self, limit: int, window: int):
        self.limit, self.window = limit, window
        self.rows: OrderedDict[Hashable, _Tally] = OrderedDict()

    def get(self, key: Hashable) -> _Tally | None:
        return self.rows.get(key)

    def take(self, key: Hashable, now) -> _Tally:
        tally = self.rows.get(key)
        if tally is None:
            if len(self.rows) >= self.limit:
                self._make_room(now)
            tally = self.rows[key] = _Tally()
        self.rows.move_to_end(key)
        return tally

    def drop(self, key: Hashable) -> None:
        self.rows.pop(key, None)

    def _make_room(self, now) -> None:
        for key in [k for k, t in self.rows.items() if t.stale(now, self.window)]:
            del self.rows[key]
        while len(self.rows) >= self.limit:
            self.rows.popitem(last=False)


class LoginGuard:
    """Thread-safe login throttle and lockout; ``now`` comes from ``clock`` (seconds)."""

    def __init__(self, *, per_minute: int, max_attempts: int, per_user: int, lock_seconds: int,
                 limit: int = 10_000, hash_slots: int = 1, tarpit_seconds: int = 1,
                 tarpit_slots: int = 6, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.per_minute, self.max_attempts, self.per_user = per_minute, max_attempts, per_user
        self.lock_seconds, self.tarpit_seconds, self.clock = lock_seconds, tarpit_seconds, clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._hashing = threading.BoundedSemaphore(hash_slots)
        self._tarpit = threading.BoundedSemaphore(tarpit_slots)
        self._addresses = _Table(limit, _MINUTE)
        self._pairs = _Table(limit, lock_seconds)
        self._users = _Table(limit, lock_seconds)

    @classmethod
    def from_config(cls, config) -> LoginGuard:
        return cls(per_minute=config["LOGIN_ATTEMPTS_PER_MINUTE"],
                   max_attempts=config["LOGIN_MAX_ATTEMPTS"],
                   per_user=config["LOGIN_MAX_ATTEMPTS_PER_USER"],
                   lock_seconds=config["LOGIN_LOCK_SECONDS"],
                   tarpit_slots=config["LOGIN_TARPIT_SLOTS"])

    def admit(self, address: str) -> int:
        """Count one attempt from ``address``: 0 when it may go on, else seconds to wait."""
        now = self.clock()
        with self._lock:
            tally = self._addresses.take(address, now)
            tally.forget_before(now - _MINUTE)
            if len(tally.times) >= self.per_minute:
                return max(1, math.ceil(tally.times[0] + _MINUTE - now))
            tally.times.append(now)
            return 0

    def give_back(self, address: str) -> None:
        """A right PIN or password from ``address``: the attempt ``admit`` counted for it no
        longer counts (the newest; an address with none counted gets nothing to spend)."""
        with self._lock:
            tally = self._addresses.get(address)
            if tally is not None and tally.times:
                tally.times.pop()

    def tarpit(self) -> bool:
        """Hold a refused client's answer back a while (no CPU, no lock held), unless
        ``tarpit_slots`` answers are already held back; whether this one was."""
        if not self._tarpit.acquire(blocking=False):
            return False
        try:
            self._sleep(self.tarpit_seconds)
        finally:
            self._tarpit.release()
        return True

    @contextmanager
    def hash_slot(self, wait_seconds: int = 2) -> Iterator[bool]:
        """Wait up to ``wait_seconds`` for the turn to hash a PIN; yields whether it came."""
        free = self._hashing.acquire(timeout=wait_seconds)
        try:
            yield free
        finally:
            if free:
                self._hashing.release()

    def locked(self, user_id: int, address: str, pin: str | None = None) -> bool:
        """Is ``user_id`` locked for ``address``, or everywhere?  With ``pin``, the user's
        stored PIN hash now: a lock its wrong PINs made against another PIN is lifted (a new
        PIN was given, by the Staf screen or by ``pos user pin`` in another process)."""
        if pin is not None and self._pin_changed(user_id, pin):
            self.unlock(user_id)
        now = self.clock()
        with self._lock:
            return any(tally is not None and now < tally.locked_until
                       for tally in (self._pairs.get((user_id, address)), self._users.get(user_id)))

    def _pin_changed(self, user_id: int, pin: str) -> bool:
        with self._lock:
            tally = self._users.get(user_id)
            return tally is not None and tally.pin is not None and tally.pin != pin

    def failed(self, user_id: int, address: str, pin: str | None = None) -> None:
        """A wrong PIN for an existing user (``pin``: the stored hash it was tried against):
        count it for the pair and for the user."""
        now = self.clock()
        with self._lock:
            for tally, most in ((self._pairs.take((user_id, address), now), self.max_attempts),
                                (self._users.take(user_id, now), self.per_user)):
                tally.forget_before(now - self.lock_seconds)
                tally.times.append(now)
                tally.pin = pin
                if len(tally.times) >= most:
                    tally.times.clear()
                    tally.locked_until = now + self.lock_seconds

    def succeeded(self, user_id: int, address: str) -> None:
        """A right PIN from ``address`` clears that address's count for the user."""
        with self._lock:
            self._pairs.drop((user_id, address))

    def lock_left(self, user_id: int) -> int:
        """Seconds until ``user_id`` may sign in again from everywhere (0: not locked): the
        longest of the user's own lock and those of single addresses."""
        now = self.clock()
        with self._lock:
            ends = [t.locked_until for key, t in self._pairs.rows.items() if key[0] == user_id]
            user = self._users.get(user_id)
            ends.append(user.locked_until if user is not None else 0)
        return max(0, math.ceil(max(ends) - now))

    def locked_users(self) -> set[int]:
        """Every user locked out now, from everywhere or from one address (the staff list), in
        one pass over the tallies where ``lock_left`` per user would make one per user."""
        now = self.clock()
        with self._lock:
            pairs = {key[0] for key, t in self._pairs.rows.items() if now < t.locked_until}
            return pairs | {user for user, t in self._users.rows.items() if now < t.locked_until}

    def unlock(self, user_id: int) -> bool:
        """Forget ``user_id``'s wrong PINs and lift their locks (a new PIN was given); whether a
        lock stood."""
        now = self.clock()
        with self._lock:
            keys = [key for key in self._pairs.rows if key[0] == user_id]
            tallies = [self._pairs.rows[key] for key in keys] + [self._users.get(user_id)]
            stood = any(t is not None and now < t.locked_until for t in tallies)
            for key in keys:
                self._pairs.drop(key)
            self._users.drop(user_id)
        return stood

    def sizes(self) -> tuple[int, int, int]:
        """How many addresses, pairs and users are tracked (for tests and monitoring)."""
        with self._lock:
            return len(self._addresses.rows), len(self._pairs.rows), len(self._users.rows)
