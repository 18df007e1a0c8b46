"""Reliability: a flood of wrong PINs beside a till that keeps selling.

Six clients post wrong PINs to /masuk as fast as they get answers while the till
checks out one sale after another.  A login hashes its PIN with no transaction
open (one hash at a time) and a failure writes nothing, so no checkout waits for a
login and none fails with "database is locked"; once an address is over its rate
it is answered a second late without any hash.  The app allows 3 attempts a minute
per address here (10 by default) so that both kinds of flood, hashed and refused,
happen within the test.  Runs in ``make test`` (a reliability test, not a benchmark).
"""
from __future__ import annotations

import threading
import time
import uuid

import pytest

from pos.inventory.catalog.lookup import lookup_barcode
from pos.sales import cart, checkout
from pos.sales.models import PaymentMethod
from pos.sales.pricing import TaxSettings
from tests.app_reuse import strong_hashes
from tests.factories import make_product, make_till, make_user, open_shift

TAX = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
SAMPLES = 150  # p99 is then the second slowest, not the single slowest
BLOCK = 30
FLOODERS = 6
# Seconds: a quiet p99 below this is noise, not a baseline.  A checkout ends in an fsync
# (synchronous=FULL), which alone varies by several ms on a busy 2-core machine; the stall
# this test guards against (the PIN hashed inside the write lock) gave a p99 near 100 ms.
FLOOR = 0.010
pytestmark = pytest.mark.serial  # a latency ratio: make test runs it with nothing beside it


@pytest.fixture
def backend():
    """The stall was SQLite's one write lock held for the PIN hash: SQLite."""
    return "sqlite"


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, (len(ordered) * 99) // 100)]


@pytest.mark.serial   # it judges latency: beside another worker's tests the p99 is theirs (51.9 ms once)
def test_a_wrong_pin_flood_does_not_slow_or_fail_checkouts(app_factory):
    with strong_hashes():   # each wrong PIN costs what it costs at the gerai
        flood_beside_checkouts(app_factory)


def flood_beside_checkouts(app_factory):
    app = app_factory(LOGIN_ATTEMPTS_PER_MINUTE=3)
    db = app.extensions["pos_db"]
    with db.transaction() as s:
        user = make_user(s, "kasir1", "cashier", "1111")
        assert user.pin_hash.startswith("scrypt:32768:")      # what a login hashes at the gerai
        till, cashier = make_till(s).id, user.id
        make_user(s, "kasir2", "cashier", "2222")
        make_product(s, name="Indomie Goreng", price=3_500, on_hand=10_000, barcodes_=["8998866200301"])
        make_product(s, name="Gula Pasir", price=18_500, on_hand=10_000, barcodes_=["8991002101012"])

    def sell() -> float:
        with db.transaction() as s:
            for code in ("8998866200301", "8991002101012"):
                cart.add(s, till, lookup_barcode(s, code))
        started = time.perf_counter()
        with db.transaction() as s:
            open_shift(s, till, cashier)
            checkout.checkout(s, till_id=till, cashier_id=cashier, idempotency_key=str(uuid.uuid4()),
                              tenders=[checkout.Tender(PaymentMethod.CASH, 50_000)], outlet_code="TST01",
                              timezone="Asia/Makassar", tax=TAX)
        return time.perf_counter() - started

    for _ in range(5):
        sell()  # warm caches and compiled statements

    flooding, stop, answers, errors = threading.Event(), threading.Event(), [], []
    asking = [False] * FLOODERS  # which flooder has a request in flight

    def flood(n: int) -> None:
        client = app.test_client()
        names = ("kasir2", "kasir1", f"tebak{n}")
        try:
            while flooding.wait() and not stop.is_set():
                asking[n] = True
                response = client.post("/masuk", data={"username": names[len(answers) % 3], "pin": "0000"},
                                       environ_base={"REMOTE_ADDR": f"10.9.0.{n}"})
                answers.append(response.status_code)
                asking[n] = False
        except Exception as error:  # any failure of the login side is a finding too
            errors.append(error)

    threads = [threading.Thread(target=flood, args=(n,), daemon=True) for n in range(FLOODERS)]
    for thread in threads:
        thread.start()
    quiet, busy = [], []
    try:
        # Quiet and flooded blocks take turns, quiet first, so both see the same load from
        # the rest of the machine; a failed checkout raises.
        for _ in range(SAMPLES // BLOCK):
            deadline = time.monotonic() + 30
            while any(asking):  # quiet means quiet: no login still being answered
                assert time.monotonic() < deadline and not errors, errors or "a login never ended"
                time.sleep(0.005)
            quiet += [sell() for _ in range(BLOCK)]
            seen = len(answers)
            flooding.set()
            while len(answers) < seen + 2:  # the flood is in full swing again
                assert time.monotonic() < deadline and not errors, errors or "the flood stopped"
                time.sleep(0.005)
            busy += [sell() for _ in range(BLOCK)]
            flooding.clear()
    finally:
        stop.set()
        flooding.set()
        for thread in threads:
            thread.join(timeout=10)

    assert errors == []
    assert set(answers) == {422, 429}  # wrong PINs hashed, then an address over its rate
    assert len(answers) >= 2 * SAMPLES // BLOCK  # the flood really ran beside the checkouts
    limit = 2 * max(p99(quiet), FLOOR)
    assert p99(busy) <= limit, (f"checkout p99 {p99(busy) * 1000:.1f} ms during the flood, "
                                f"quiet {p99(quiet) * 1000:.1f} ms")
