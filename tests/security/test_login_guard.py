"""Login throttling and lockout: per client address, per (user, address), a per-user ceiling,
and one answer for an unknown name, a wrong PIN and a locked account."""
from __future__ import annotations

import re
import threading

import pytest

from pos.auth import service
from pos.auth.service import LOGIN_REFUSED
from pos.auth.throttle import LoginGuard
from tests.auth.test_auth import error_text, post_login, session_token, session_uid
from tests.factories import make_user

A, B, C, D, E = "10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14", "10.0.0.15"
_TOKEN = re.compile(r'(X-CSRFToken": "|name="csrf_token" value=")[^"]*')


@pytest.fixture
def backend():
    """Counting happens in memory; the database only answers who the user is: SQLite."""
    return "sqlite"


class Clock:
    def __init__(self):
        self.now = 1000

    def __call__(self):
        return self.now


def guard(clock, **overrides) -> LoginGuard:
    settings = dict(per_minute=10, max_attempts=5, per_user=20, lock_seconds=300, clock=clock)
    settings.update(overrides)
    return LoginGuard(**settings)


# --- The guard itself, on a clock the test moves ----------------------------------------------

def test_five_failures_lock_the_pair_for_exactly_the_lock_time():
    clock = Clock()
    g = guard(clock)
    for _ in range(4):
        g.failed(7, A)
    assert not g.locked(7, A)
    g.failed(7, A)
    assert g.locked(7, A) and not g.locked(7, B) and not g.locked(8, A)
    clock.now += 299
    assert g.locked(7, A)
    clock.now += 1
    assert not g.locked(7, A)


def test_a_right_pin_clears_the_count_of_its_address_only():
    clock = Clock()
    g = guard(clock)
    for _ in range(4):
        g.failed(7, A)
        g.failed(7, B)
    g.succeeded(7, A)
    g.failed(7, A)
    g.failed(7, B)
    assert not g.locked(7, A) and g.locked(7, B)


def test_failures_older_than_the_lock_time_are_forgotten():
    clock = Clock()
    g = guard(clock)
    for _ in range(4):
        g.failed(7, A)
    clock.now += 301
    g.failed(7, A)
    assert not g.locked(7, A)


def test_the_per_user_ceiling_locks_every_address():
    clock = Clock()
    g = guard(clock)
    for address in (A, B, C):
        for _ in range(5):
            g.failed(7, address)
    assert not g.locked(7, E)  # 15 < 20: the cashier at E still gets in
    for _ in range(4):
        g.failed(7, D)
    assert not g.locked(7, E)
    g.failed(7, D)  # the 20th
    assert g.locked(7, E) and not g.locked(8, E)
    clock.now += 300
    assert not g.locked(7, E)


def test_the_staff_list_knows_who_is_locked_out_from_one_address_or_everywhere():
    clock = Clock()
    g = guard(clock)
    for _ in range(5):
        g.failed(7, A)          # locked at A only
    for address in (A, B, C, D):
        for _ in range(5 if address != A else 0):
            g.failed(9, address)
    for _ in range(5):
        g.failed(9, E)          # the 20th: locked everywhere
    for _ in range(4):
        g.failed(8, A)          # not yet
    assert g.locked_users() == {7, 9} == {u for u in (7, 8, 9) if g.lock_left(u)}
    clock.now += 300
    assert g.locked_users() == set()


def test_an_address_may_try_per_minute_times_a_minute():
    clock = Clock()
    g = guard(clock)
    assert all(g.admit(A) == 0 for _ in range(10))
    wait = g.admit(A)
    assert 0 < wait <= 60
    assert g.admit(B) == 0  # another till is not affected
    clock.now += 60
    assert g.admit(A) == 0


def test_a_right_pin_gives_its_attempt_back_and_wrong_ones_still_use_the_minute():
    clock = Clock()
    g = guard(clock)
    for _ in range(25):                # tills on the mini-PC share 127.0.0.1: right PINs all day
        assert g.admit(A) == 0
        g.give_back(A)
    assert all(g.admit(A) == 0 for _ in range(10))   # ten guesses a minute, as before
    assert g.admit(A) > 0
    g.give_back(B)                     # an address that asked nothing gets nothing to spend
    assert all(g.admit(B) == 0 for _ in range(10)) and g.admit(B) > 0


def test_memory_stays_bounded_under_a_flood_of_addresses_and_users():
    clock = Clock()
    g = guard(clock, limit=100)
    for n in range(5_000):
        address = f"10.{n // 250}.{n % 250}.1"
        g.admit(address)
        g.failed(n, address)
        clock.now += 1
    assert all(size <= 100 for size in g.sizes())


def test_a_full_table_first_drops_what_is_stale():
    clock = Clock()
    g = guard(clock, limit=3)
    for _ in range(5):
        g.failed(7, A)  # A is locked out of user 7
    g.failed(1, B)
    clock.now += 301  # B's count is stale now, A's lock has ended too
    g.failed(2, C)
    g.failed(3, D)  # full: stale entries go first
    assert g.sizes()[1] <= 3


def test_only_tarpit_slots_refusals_are_held_back_at_once():
    """A flood from many clients must not put every server thread to sleep: past the slots, a
    refusal is answered at once (it cost the tills 0.7 s a scan with 12 flooding clients)."""
    asleep, wake = threading.Semaphore(0), threading.Event()

    def sleep(seconds):
        asleep.release()
        assert wake.wait(5)

    g = guard(Clock(), tarpit_slots=2, sleep=sleep)
    held = []
    sleepers = [threading.Thread(target=lambda: held.append(g.tarpit())) for _ in range(2)]
    for thread in sleepers:
        thread.start()
    assert asleep.acquire(timeout=5) and asleep.acquire(timeout=5)  # both slots taken
    assert g.tarpit() is False  # a third is not held back
    wake.set()
    for thread in sleepers:
        thread.join(5)
    assert held == [True, True]
    assert g.tarpit() is True  # slots are given back


# --- Through the login form -------------------------------------------------------------------

def test_an_attacker_at_one_address_cannot_lock_out_the_cashier_at_another(client, db, shop):
    for _ in range(5):
        assert post_login(client, pin="0000", address=A).status_code == 422
    locked = post_login(client, pin="1111", address=A)  # the right PIN, from the attacker's address
    assert locked.status_code == 422 and error_text(locked) == LOGIN_REFUSED
    assert session_token(client) is None
    cashier = client.application.test_client()
    assert post_login(cashier, pin="1111", till_id=shop["till"], address=B).status_code == 303
    assert session_uid(cashier, db) == shop["cashier"]


def test_many_addresses_together_lock_the_user_everywhere_at_the_ceiling(app, client, shop):
    assert app.config["LOGIN_MAX_ATTEMPTS_PER_USER"] == 20
    for address in (A, B, C, D):
        for _ in range(5):
            post_login(client, pin="0000", address=address)
    refused = post_login(client, pin="1111", address=E)
    assert refused.status_code == 422 and error_text(refused) == LOGIN_REFUSED


def test_unknown_wrong_and_locked_get_identical_answers_after_one_hash_each(client, db, shop,
                                                                         monkeypatch):
    with db.transaction() as s:
        make_user(s, "kasir2", "cashier", "2222")
    for _ in range(5):
        post_login(client, username="kasir2", pin="0000", address=A)  # kasir2 is locked for A
    hashes = []
    real = service.check_password_hash
    monkeypatch.setattr(service, "check_password_hash",
                        lambda *args: hashes.append(args) or real(*args))

    def answer(username, pin):
        response = post_login(client, username=username, pin=pin, address=A)
        body = response.get_data(as_text=True).replace(f'value="{username}"', 'value="?"')
        body = _TOKEN.sub(r"\1?", body)  # CSRF tokens carry the second they were made
        return response.status_code, error_text(response), re.sub(r"\s+", " ", body)

    unknown = answer("kasir9", "1111")
    wrong = answer("kasir1", "9999")
    locked = answer("kasir2", "2222")  # the right PIN of a locked account
    assert unknown == wrong == locked
    assert unknown[:2] == (422, LOGIN_REFUSED)
    assert len(hashes) == 3  # every answer cost one PIN hash: timing tells nothing either


def test_too_many_attempts_from_one_address_wait_without_hashing(client, shop, monkeypatch):
    for n in range(10):
        assert post_login(client, username=f"tebak{n}", pin="0000", address=A).status_code == 422
    hashes = []
    monkeypatch.setattr(service, "check_password_hash", lambda *args: hashes.append(args))
    refused = post_login(client, pin="1111", address=A)
    assert refused.status_code == 429 and "Terlalu banyak percobaan" in error_text(refused)
    assert hashes == []  # refused before the ~100 ms hash: a flood costs almost nothing
    assert post_login(client, username="lain", pin="1111", address=B).status_code == 422
    assert len(hashes) == 1


def test_right_pins_from_one_address_never_use_up_its_minute_but_wrong_ones_do(app, client, shop):
    """Every till on the mini-PC itself signs in from 127.0.0.1: right PINs (logins and, through
    the same check, approvals) must not leave the next cashier waiting; guesses still do."""
    assert app.config["LOGIN_ATTEMPTS_PER_MINUTE"] == 10
    for _ in range(15):
        assert post_login(app.test_client(), till_id=shop["till"], address=A).status_code == 303
    for n in range(10):
        assert post_login(client, username=f"tebak{n}", pin="0000", address=A).status_code == 422
    refused = post_login(client, pin="1111", address=A)
    assert refused.status_code == 429 and "Terlalu banyak percobaan" in error_text(refused)


def test_a_throttled_attempt_reads_nothing_and_shows_a_way_back(app, client, db, shop):
    from sqlalchemy import event

    for n in range(10):
        post_login(client, username=f"tebak{n}", pin="0000", address=A)
    statements = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: statements.append(statement))
    refused = post_login(client, pin="1111", address=A)
    assert refused.status_code == 429 and "Coba lagi dalam" in error_text(refused)
    assert statements == []  # no till list, no user: a flood's answers cost no database work
    assert 'href="/masuk"' in refused.get_data(as_text=True)


def test_a_wrong_pin_writes_nothing_to_the_database(app, client, db, shop):
    from sqlalchemy import event

    statements = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: statements.append(statement))
    post_login(client, pin="0000", address=A)
    post_login(client, username="siapa", pin="0000", address=A)
    writes = [s for s in statements if re.match(r"(?i)\s*(insert|update|delete|begin immediate)", s)]
    assert statements and writes == []


def test_a_long_pin_is_not_hashed_in_full(client, shop, monkeypatch):
    hashes = []
    monkeypatch.setattr(service, "check_password_hash", lambda h, pin: hashes.append(pin))
    post_login(client, pin="1" * 100_000, address=A)
    assert hashes == [""]
