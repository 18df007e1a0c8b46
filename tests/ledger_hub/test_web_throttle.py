"""Signing in to the hub is throttled: per client address a minute, and wrong passwords for
an operator lock that address out of them, then every address (SQLite and PostgreSQL); the
wrong passwords are counted in the hub's database, so every hub process sees them."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from pos.auth.throttle import LoginGuard
from pos.ledger_hub.lockout import Lockout
from tests.ledger_hub.web_helpers import PASSWORD, add_operator, csrf_token

START = datetime(2026, 12, 3, 6, 0)


def guard(app, moment: list[float]) -> LoginGuard:
    """A process's login guard on a clock the test moves, answering refusals at once."""
    config = app.config
    return LoginGuard(
        per_minute=config["LOGIN_ATTEMPTS_PER_MINUTE"], max_attempts=config["LOGIN_MAX_ATTEMPTS"],
        per_user=config["LOGIN_MAX_ATTEMPTS_PER_USER"], lock_seconds=config["LOGIN_LOCK_SECONDS"],
        clock=lambda: moment[0], sleep=lambda seconds: None)


@pytest.fixture
def clock(hub_app):
    """The app's login guard and its lockout on a clock the test moves (``clock[0]``, seconds)."""
    moment = [1000.0]
    hub_app.extensions["ledger_hub_login_guard"] = guard(hub_app, moment)
    hub_app.extensions["ledger_hub_lockout"] = replace(
        Lockout.from_config(hub_app.config), clock=lambda: START + timedelta(seconds=moment[0]))
    return moment


def attempt(client, password: str, address: str = "10.0.0.1", name: str = "siti"):
    form = {"username": name, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/masuk", data=form, environ_base={"REMOTE_ADDR": address})


def test_five_wrong_passwords_lock_the_address_out_of_the_operator(hub_client, hub_app, hub_db, clock):
    add_operator(hub_db)
    for _ in range(5):
        assert attempt(hub_client, "salah-sandi").status_code == 401
    refused = attempt(hub_client, PASSWORD)
    assert refused.status_code == 401 and "dikunci sementara" in refused.text
    assert hub_client.get("/").status_code == 303
    assert attempt(hub_app.test_client(), PASSWORD, address="10.0.0.2").status_code == 303
    clock[0] += 301                                           # the lock is over
    assert attempt(hub_client, PASSWORD).status_code == 303


def test_twenty_wrong_passwords_from_anywhere_lock_the_operator_everywhere(hub_client, hub_db, clock):
    add_operator(hub_db)
    for n in range(20):
        assert attempt(hub_client, "salah-sandi", address=f"10.0.1.{n // 5}").status_code == 401
    assert attempt(hub_client, PASSWORD, address="10.0.2.1").status_code == 401


def test_a_flood_from_one_address_is_answered_429_in_indonesian(hub_client, hub_db, clock):
    add_operator(hub_db)
    answers = [attempt(hub_client, "salah-sandi", name=f"tamu{n}") for n in range(10)]
    assert {a.status_code for a in answers} == {401}         # unknown names never lock anything
    flooded = attempt(hub_client, PASSWORD)
    assert flooded.status_code == 429 and "Terlalu banyak percobaan masuk" in flooded.text
    assert int(flooded.headers["Retry-After"]) > 0
    assert hub_client.get("/").status_code == 303
    clock[0] += 61
    assert attempt(hub_client, PASSWORD).status_code == 303


def test_right_passwords_never_use_up_the_minute_but_wrong_ones_do(hub_client, hub_app, hub_db, clock):
    add_operator(hub_db)
    for _ in range(12):
        assert attempt(hub_app.test_client(), PASSWORD).status_code == 303
    assert {attempt(hub_client, "salah-sandi", name=f"tamu{n}").status_code for n in range(10)} == {401}
    assert attempt(hub_client, PASSWORD).status_code == 429


def test_wrong_passwords_are_counted_by_every_hub_process(hub_client, hub_app, hub_db, clock):
    """Two processes (``serve --processes 2``) each have their own memory: a guesser who
    alternates between them still meets the lock after five wrong passwords in all."""
    add_operator(hub_db)
    other_process = hub_app.test_client()
    for n in range(5):
        client = hub_client if n % 2 else other_process
        assert attempt(client, "salah-sandi").status_code == 401
        hub_app.extensions["ledger_hub_login_guard"] = guard(hub_app, clock)  # the other process
    assert attempt(hub_client, PASSWORD).status_code == 401
    assert attempt(other_process, PASSWORD).status_code == 401


def test_the_count_keeps_only_what_still_counts(hub_client, hub_db, clock):
    add_operator(hub_db)
    for _ in range(3):
        assert attempt(hub_client, "salah-sandi").status_code == 401
    with hub_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM hub_login_failure").scalar() == 3
    clock[0] += 301
    assert attempt(hub_client, "salah-sandi").status_code == 401   # the three are forgotten
    with hub_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM hub_login_failure").scalar() == 1
    assert attempt(hub_client, PASSWORD).status_code == 303          # a right one clears it
    with hub_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM hub_login_failure").scalar() == 0
