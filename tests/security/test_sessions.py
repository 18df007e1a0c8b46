"""Sessions kept on the server: logout, a new PIN and deactivation end every copy of a cookie,
idling is judged on the server's clock, a scan adds no write, and Secure cookies on request."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from pos.auth.models import StaffSession, User
from pos.auth.service import deactivate_user, set_pin
from pos.auth.sessions import TOUCH_SECONDS, token_hash
from pos.clock import utcnow
from tests.auth.test_auth import post_login, session_row
from tests.factories import login, make_product, make_till, make_user, start_pending_sessions

HX = {"HX-Request": "true"}


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
        other = make_user(s, "kasir2", "cashier", "2222")
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
    return dict(till=till.id, cashier=cashier.id, other=other.id)


def copy_of(client):
    """A second browser holding a copy of ``client``'s cookie (stolen, or a shared profile)."""
    start_pending_sessions(client)
    thief = client.application.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def logged_in(client) -> bool:
    return client.get("/kasir").status_code == 200


def test_a_cookie_copied_before_logout_is_refused_after_it(client, db, shop):
    assert post_login(client, till_id=shop["till"]).status_code == 303
    thief = copy_of(client)
    assert logged_in(thief)
    client.post("/keluar")
    assert not logged_in(client)
    assert not logged_in(thief)


def test_a_copied_cookie_idles_out_on_the_servers_clock(app, client, db, shop):
    token = login(client, shop["cashier"], shop["till"])
    thief = copy_of(client)
    assert logged_in(thief)
    idle = timedelta(seconds=app.config["IDLE_TIMEOUT_SECONDS"] + 1)
    with db.transaction() as s:
        s.execute(update(StaffSession).where(StaffSession.token_hash == token_hash(token))
                  .values(last_seen=utcnow() - idle))
    assert not logged_in(thief)  # the cookie says nothing about time: the server decides
    assert not logged_in(client)
    assert session_row(db, token).end_reason == "idle"


def test_deactivating_a_user_ends_all_their_sessions(db, shop, app):
    mine, theirs = app.test_client(), app.test_client()
    token = login(mine, shop["cashier"], shop["till"])
    copy = copy_of(mine)
    login(theirs, shop["other"], shop["till"])
    assert logged_in(mine) and logged_in(copy) and logged_in(theirs)
    with db.transaction() as s:
        assert deactivate_user(s, s.get(User, shop["cashier"])) == 1
    assert not logged_in(mine) and not logged_in(copy)
    assert logged_in(theirs)  # someone else's session is untouched
    assert session_row(db, token).end_reason == "nonaktif"
    assert post_login(app.test_client()).status_code == 422


def test_deactivating_a_user_frees_the_till_they_held(db, shop):
    """The next cashier was told the till was held by someone who could never log in again."""
    from pos.clock import utcnow
    from pos.tills import service as tills
    from pos.tills.models import Till, TillEvent, TillEventKind

    with db.transaction() as s:
        assert tills.take(s, shop["till"], shop["cashier"], utcnow())
    with db.transaction() as s:
        deactivate_user(s, s.get(User, shop["cashier"]))
    with db.transaction() as s:
        assert s.get(Till, shop["till"]).held_by is None
        assert s.scalar(select(TillEvent.kind).order_by(TillEvent.id.desc())) == TillEventKind.LEAVE
        assert tills.take(s, shop["till"], shop["other"], utcnow())   # the next one sits down


def test_a_new_pin_ends_all_sessions_of_the_user(db, shop, app):
    first, second = app.test_client(), app.test_client()
    login(first, shop["cashier"], shop["till"])
    login(second, shop["cashier"], shop["till"])
    assert logged_in(first) and logged_in(second)
    with db.transaction() as s:
        assert set_pin(s, s.get(User, shop["cashier"]), "4321") == 2
    assert not logged_in(first) and not logged_in(second)
    assert post_login(app.test_client(), pin="1111", till_id=shop["till"]).status_code == 422
    assert post_login(app.test_client(), pin="4321", till_id=shop["till"]).status_code == 303


@pytest.mark.parametrize("backend", ["sqlite"])
def test_pos_user_pin_and_deactivate_end_sessions_from_the_command_line(db, shop, app):
    client = app.test_client()
    login(client, shop["cashier"], shop["till"])
    start_pending_sessions(client)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "pin", "kasir1", "--pin", "5678"])
    assert result.exit_code == 0 and "1 sesi diakhiri" in result.output, result.output
    assert not logged_in(client)
    assert post_login(client, pin="5678", till_id=shop["till"]).status_code == 303
    result = runner.invoke(args=["user", "deactivate", "KASIR1"])
    assert result.exit_code == 0 and "dinonaktifkan; 1 sesi" in result.output, result.output
    assert not logged_in(client)
    assert runner.invoke(args=["user", "deactivate", "siapa"]).exit_code != 0


def _writes_during(db, request):
    """The statements that write (or take the write lock) while ``request()`` runs."""
    seen = []

    def record(conn, cursor, statement, *rest):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = request()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return response, [s for s in seen if re.match(r"(?i)(insert|update|delete|begin immediate)", s)]


def test_a_scan_adds_no_session_write_and_last_seen_moves_at_most_every_30_seconds(client, db, shop,
                                                                                   backend):
    token = login(client, shop["cashier"], shop["till"])
    start_pending_sessions(client)

    def scan():
        return client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=HX)

    response, writes = _writes_during(db, scan)
    assert response.status_code == 200
    assert writes and not [w for w in writes if "staff_session" in w], writes  # no extra write
    if backend == "sqlite":
        assert sum(w == "BEGIN IMMEDIATE" for w in writes) == 1  # the scan's own transaction only

    with db.transaction() as s:  # the last write is older than TOUCH_SECONDS
        s.execute(update(StaffSession).values(last_seen=utcnow() - timedelta(seconds=TOUCH_SECONDS)))
    response, writes = _writes_during(db, scan)
    assert response.status_code == 200
    assert len([w for w in writes if w.startswith("UPDATE staff_session")]) == 1
    assert utcnow() - session_row(db, token).last_seen < timedelta(seconds=5)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_with_secure_cookies_every_cookie_the_app_sets_is_secure(app_factory):
    app = app_factory(SECURE_COOKIES=True)
    with app.extensions["pos_db"].transaction() as s:
        till = make_till(s).id
        make_user(s, "kasir1", "cashier", "1111")
    client = app.test_client()
    response = post_login(client, till_id=till)
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=", 1)[0] for c in cookies} == {"session", "pos_till"}
    assert all("; Secure" in c for c in cookies), cookies
    assert client.get_cookie("pos_till").secure
    logout = client.post("/keluar").headers.getlist("Set-Cookie")
    assert logout and all("; Secure" in c for c in logout), logout


def test_a_session_row_names_its_till_and_address(client, db, shop):
    post_login(client, till_id=shop["till"], address="10.1.2.3")
    with db.reading() as s:
        row = s.execute(select(StaffSession.user_id, StaffSession.till_id, StaffSession.address)).one()
    assert tuple(row) == (shop["cashier"], shop["till"], "10.1.2.3")


def test_logins_older_than_the_kept_history_are_pruned_at_the_next_login(client, db, shop):
    post_login(client, "kasir1", "1111", shop["till"])
    with db.transaction() as s:
        s.execute(update(StaffSession).values(last_seen=utcnow() - timedelta(days=91)))
        second_till = make_till(s, "KASIR-2").id
    post_login(client.application.test_client(), "kasir2", "2222", second_till)
    with db.reading() as s:
        assert s.scalars(select(StaffSession.user_id)).all() == [shop["other"]]
