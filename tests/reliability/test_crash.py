"""Crash: the production server under four tills' load (scans, cash checkouts with an
idempotency key, returns with a manager's PIN, shift closes, a day close) is killed with
SIGKILL at random moments, several rounds, and started again on the same database.

Afterwards, with plain SQL (``crash_checks``): every sale a till saw confirmed exists with
its lines and payment, no sale is partial, receipt and return numbers have no gaps, on hand
equals the movements for every product and batch, each closed day is in the ledger outbox
once, SQLite's ``PRAGMA integrity_check`` is ok, ``pos inventory verify`` passes and
``pos doctor`` finds no error.

On PostgreSQL the outlet's database lives on a server of the test's own
(``pg_cluster.private``: ``make test`` runs other workers against the shared server, which
must not go down under them).  Under load, one round crashes and restarts that server
(``pg_ctl stop -m immediate``: every backend ends at once, no checkpoint; the start replays
the WAL), another ends every connection the app has (``pg_terminate_backend``); each time
the app serves on for a moment before it is killed too.  A crash of PostgreSQL may lose the
last scans (cart edits commit without waiting for the disk: ``db.transaction(durable=False)``);
the tills pay as the pay panel does, with the total they show (``expected_total``), so such a
cart is refused ("Isi keranjang berubah") and never sold short of what the cashier saw.
"""
from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from tests.reliability import crash_checks, pg_cluster
from tests.reliability.crash_server import CASHIERS, cli, running, seed
from tests.reliability.crash_tills import Manager, Till

JOIN_TIMEOUT = 60.0
TAIL_SECONDS = 15.0   # the most the load goes on after the last restart
ENOUGH_SALES = 20


def load_and_kill(outlet, log, *, rounds: int, seed_: int, between=None) -> dict:
    """Four tills and the manager against the server, killed ``rounds`` times at a random
    moment 0.5-2 s into each round's load and started again; then a last stretch of load so
    every till catches up.  Returns what the tills saw."""
    rng = random.Random(seed_)
    up, stop = threading.Event(), threading.Event()
    with running(outlet, log) as server:
        up.set()
        tills = [Till(cashier, outlet.tills[cashier], outlet.products, seed_ * 10 + n, server.port,
                      up, stop) for n, cashier in enumerate(CASHIERS)]
        manager = Manager(server.port, outlet.open_day.isoformat(), rng.uniform(0.5, 3.0), up, stop)
        threads = [threading.Thread(target=t.run, daemon=True) for t in [*tills, manager]]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            for round_no in range(rounds):
                time.sleep(rng.uniform(0.5, 2.0))
                if between is not None:
                    between(round_no)
                up.clear()
                server.kill()
                server.start()
                up.set()
            # the tills sign in, post cut payments again and sell on a little: at least a
            # second, until the day is closed and the load has made enough sales, a return and
            # a shift close to judge (on a loaded machine the rounds may have cut them all)
            deadline, least = time.monotonic() + TAIL_SECONDS, time.monotonic() + 1.0
            while time.monotonic() < deadline and not manager.errors and (
                    time.monotonic() < least or not manager.closed
                    or sum(len(t.sales) for t in tills) < ENOUGH_SALES
                    or not any(t.returns for t in tills) or not any(t.shift_closes for t in tills)):
                time.sleep(0.1)
        finally:
            stop.set()
            up.set()
            for thread in threads:
                thread.join(timeout=JOIN_TIMEOUT)
        assert not any(thread.is_alive() for thread in threads), "a till did not stop"
        loaded = time.monotonic() - started
    errors = [e for t in tills for e in t.errors] + manager.errors
    assert not errors, errors
    assert manager.closed, manager.answers
    return {"rounds": rounds, "starts": server.starts, "kills": rounds,
            "sales": [s for t in tills for s in t.sales],
            "returns": [r for t in tills for r in t.returns],
            "repaid": sum(t.repaid for t in tills), "cuts": sum(t.cuts for t in tills),
            "failures": [f for t in tills for f in t.browser.failures] + manager.failures,
            "shift_closes": sum(t.shift_closes for t in tills), "seconds": round(loaded, 1)}


def verify(outlet, seen: dict) -> None:
    problems, counts = crash_checks.everything(outlet.url, seen["sales"], seen["returns"],
                                               outlet.open_day)
    print(f"\ncrash {outlet.url.split(':')[0]}: rounds {seen['rounds']}, kills {seen['kills']}, "
          f"confirmed sales {len(seen['sales'])} ({seen['repaid']} after a cut payment was posted "
          f"again), returns {len(seen['returns'])}, shift closes {seen['shift_closes']}, "
          f"requests cut {seen['cuts']} ({len(seen['failures'])} of them 5xx), load {seen['seconds']} s; "
          f"in the database {counts}")
    assert not problems, problems
    assert len(seen["sales"]) >= 8, "too little load to judge"   # the load really ran
    assert seen["cuts"] >= 1, "no request was cut by a kill"
    assert seen["returns"] and seen["shift_closes"], "no return or shift close got its approval"
    doctor = cli(outlet, "doctor")
    assert doctor.returncode in (0, 1), doctor.stdout + doctor.stderr


def test_crash_sqlite(tmp_path):
    outlet = seed(f"sqlite:///{tmp_path / 'pos.db'}", tmp_path / "instance")
    seen = load_and_kill(outlet, tmp_path / "server.log", rounds=4, seed_=14)
    verify(outlet, seen)
    # nothing but the kills stops a request: no 5xx ("database is locked") on a live server
    assert not seen["failures"], seen["failures"]


@pytest.mark.postgres
def test_crash_postgresql(tmp_path):
    with pg_cluster.private() as server:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text('CREATE DATABASE "gerai_crash"'))
        finally:
            admin.dispose()
        outlet = seed(server.url("gerai_crash"), tmp_path / "instance")
        ended: list[int] = []

        def crash_the_database(round_no: int) -> None:
            """First round: PostgreSQL crashes and restarts under the load.  Second: every
            backend serving the app ends, mid-transaction or not.  Each time the app goes on
            for a moment (failing, then on new connections) before it is killed."""
            if round_no == 0:
                server.crash_restart()
            elif round_no == 1:
                admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
                try:
                    with admin.connect() as conn:
                        ended.extend(conn.execute(text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = 'gerai_crash' AND pid <> pg_backend_pid()")).scalars())
                finally:
                    admin.dispose()
            time.sleep(0.5)

        seen = load_and_kill(outlet, tmp_path / "server.log", rounds=3, seed_=15,
                             between=crash_the_database)
        assert server.restarts == 1, "PostgreSQL was not restarted"
        # a backend that closed by itself between the listing and the call answers False
        assert any(ended), "no backend of the app was ended"
        verify(outlet, seen)
        # while the database was away the tills were told so (503), never a bare 500
        assert not [f for f in seen["failures"] if not f.endswith(" 503")], seen["failures"]
