"""How long an operator's session at the hub lasts: sign-out ends it everywhere (a copied
cookie too), and it ends after an idle spell or a working day, whatever (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from pos.clock import utcnow
from pos.ledger_hub import access
from tests.ledger_hub.web_helpers import PASSWORD, csrf_token, sign_in


def copy_of(client, hub_app):
    """Another browser holding a copy of ``client``'s session cookie."""
    other = hub_app.test_client()
    other.set_cookie("hub_session", client.get_cookie("hub_session").value)
    return other


@pytest.fixture
def clock(monkeypatch):
    """Move the hub's clock: ``clock(minutes=31)`` is 31 minutes from the start of the test."""
    start = utcnow()
    moment = [start]
    monkeypatch.setattr(access, "utcnow", lambda: moment[0])

    def move(**later):
        moment[0] = start + timedelta(**later)
    return move


def test_a_copied_cookie_is_refused_after_sign_out(hub_client, hub_app, hub_db):
    token = sign_in(hub_client, hub_db)
    copied = copy_of(hub_client, hub_app)
    assert copied.get("/").status_code == 200
    assert hub_client.post("/keluar", data={"csrf_token": token}).status_code == 303
    answer = copied.get("/")
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/masuk")


def test_signing_in_again_after_sign_out_works(hub_client, hub_db):
    token = sign_in(hub_client, hub_db)
    hub_client.post("/keluar", data={"csrf_token": token})
    answer = hub_client.post("/masuk", data={"username": "siti", "password": PASSWORD,
                                             "csrf_token": csrf_token(hub_client)})
    assert answer.status_code == 303 and hub_client.get("/").status_code == 200


def test_a_session_ends_after_thirty_idle_minutes(hub_client, hub_app, hub_db, clock):
    sign_in(hub_client, hub_db)
    copied = copy_of(hub_client, hub_app)
    clock(minutes=20)
    assert hub_client.get("/").status_code == 200      # seen again: the idle spell starts over
    clock(minutes=45)
    assert hub_client.get("/").status_code == 200
    assert copied.get("/").status_code == 303          # the copy was last seen at sign-in
    clock(minutes=76)
    assert hub_client.get("/").status_code == 303


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(hub_client, hub_db, clock):
    sign_in(hub_client, hub_db)
    for minutes in range(20, 12 * 60, 20):
        clock(minutes=minutes)
        assert hub_client.get("/").status_code == 200, minutes
    clock(hours=12)
    assert hub_client.get("/").status_code == 303


def test_a_session_without_its_sign_in_time_is_refused(hub_client, hub_db):
    sign_in(hub_client, hub_db)
    with hub_client.session_transaction() as session:   # a cookie from before sign-in times
        del session[access.SIGNED_IN_KEY]
    assert hub_client.get("/").status_code == 303
