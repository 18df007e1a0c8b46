"""Staff login with username + PIN: lockout, idle expiry, logout, CSRF, safe redirects."""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from pos.auth.models import Role, User
from pos.auth.service import UserError, authenticate, create_user
from pos.clock import utcnow
from pos.sales.models import CartLine
from tests.factories import login, make_product, make_till, make_user

WRONG = "Nama pengguna atau PIN salah."
# Rules that do not depend on the database run on SQLite only: scrypt makes every PIN check slow.
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])
_ERROR = re.compile(r'<p class="msg msg-error" role="alert">(.*?)</p>', re.S)


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
    return dict(till=till.id, cashier=cashier.id)


def post_login(client, username="kasir1", pin="1111", till_id=None, **extra):
    data = {"username": username, "pin": pin, "till_id": "" if till_id is None else str(till_id)}
    data.update(extra)
    return client.post("/masuk", data=data)


def error_text(response) -> str:
    found = _ERROR.search(response.get_data(as_text=True))
    assert found, "login page shows no error message"
    return found.group(1).strip()


def session_uid(client):
    with client.session_transaction() as s:
        return s.get("uid")


def user_row(db, username="kasir1"):
    """The lockout columns of one user (a plain row: the session is gone afterwards)."""
    with db.reading() as s:
        return s.execute(select(User.failed_pins, User.locked_until)
                         .where(User.username == username)).one()


def test_login_with_pin_and_till_starts_session_and_remembers_till(client, shop):
    response = post_login(client, till_id=shop["till"])
    assert response.status_code == 303
    assert session_uid(client) == shop["cashier"]
    cookie = client.get_cookie("pos_till")
    assert cookie is not None and cookie.value == str(shop["till"])
    assert cookie.http_only
    home = client.get(response.headers["Location"])
    # cashiers go straight to the till
    assert home.status_code == 302 and home.headers["Location"] == "/kasir"
    assert client.get("/kasir").status_code == 200


@sqlite_only
def test_login_page_preselects_the_remembered_till(client, shop):
    post_login(client, till_id=shop["till"])
    client.post("/keluar")
    page = client.get("/masuk").get_data(as_text=True)
    assert re.search(rf'<option value="{shop["till"]}" selected>', page)


def test_wrong_pin_is_refused_without_session(client, db, shop):
    response = post_login(client, pin="2222", till_id=shop["till"])
    assert response.status_code == 422
    assert error_text(response) == WRONG
    assert session_uid(client) is None
    assert client.get_cookie("pos_till") is None
    assert user_row(db).failed_pins == 1


def test_unknown_username_gets_the_same_message_as_a_wrong_pin(client, shop):
    unknown = post_login(client, username="siapa", pin="1111")
    wrong = post_login(client, pin="9999")
    assert unknown.status_code == wrong.status_code == 422
    assert error_text(unknown) == error_text(wrong) == WRONG
    assert session_uid(client) is None


@sqlite_only
def test_username_is_matched_case_insensitively(client, shop):
    assert post_login(client, username="  KASIR1 ").status_code == 303
    assert session_uid(client) == shop["cashier"]


def test_five_wrong_pins_lock_the_account_until_the_lock_passes(client, db, shop):
    for attempt in range(1, 6):
        response = post_login(client, pin="0000")
        assert response.status_code == 422, attempt
    assert "dikunci" in error_text(response)  # the fifth failure announces the lock
    locked = user_row(db)
    assert locked.locked_until is not None
    assert timedelta(minutes=4) < locked.locked_until - utcnow() <= timedelta(minutes=5)

    refused = post_login(client, pin="1111")
    assert refused.status_code == 422
    assert "dikunci" in error_text(refused)
    assert session_uid(client) is None

    with db.transaction() as s:
        s.execute(update(User).where(User.username == "kasir1")
                  .values(locked_until=utcnow() - timedelta(seconds=1)))
    assert post_login(client, pin="1111").status_code == 303
    assert session_uid(client) == shop["cashier"]
    after = user_row(db)
    assert after.locked_until is None and after.failed_pins == 0


@sqlite_only
def test_lockout_lasts_exactly_the_lock_time(db, shop):
    t0 = datetime(2026, 3, 2, 8, 0, 0)

    def attempt(pin, at):
        with db.transaction() as s:
            result = authenticate(s, "kasir1", pin, now=at)
            return result.ok, result.message

    for n in range(4):
        assert attempt("0000", t0) == (False, WRONG), n
    ok, message = attempt("0000", t0)
    assert not ok and "dikunci" in message
    ok, message = attempt("1111", t0 + timedelta(minutes=4))
    assert not ok and "dikunci" in message and "1 menit" in message
    ok, message = attempt("1111", t0 + timedelta(minutes=5) - timedelta(seconds=1))
    assert not ok and "dikunci" in message
    assert attempt("1111", t0 + timedelta(minutes=5, seconds=1)) == (True, "")


@sqlite_only
def test_a_correct_pin_resets_the_failure_count(db, shop):
    t0 = datetime(2026, 3, 2, 8, 0, 0)
    with db.transaction() as s:
        for _ in range(4):
            assert not authenticate(s, "kasir1", "0000", now=t0).ok
        assert user_in(s).failed_pins == 4
        assert authenticate(s, "kasir1", "1111", now=t0).ok
        assert (user_in(s).failed_pins, user_in(s).locked_until) == (0, None)


def user_in(session) -> User:
    return session.scalar(select(User).where(User.username == "kasir1"))


def test_inactive_user_cannot_log_in(client, db, shop):
    with db.transaction() as s:
        s.execute(update(User).where(User.id == shop["cashier"]).values(active=False))
    response = post_login(client)
    assert response.status_code == 422
    assert error_text(response) == WRONG
    assert session_uid(client) is None


def test_deactivated_user_is_logged_out_on_the_next_request(client, db, shop):
    login(client, shop["cashier"], shop["till"])
    assert client.get("/kasir").status_code == 200
    with db.transaction() as s:
        s.execute(update(User).where(User.id == shop["cashier"]).values(active=False))
    response = client.get("/kasir")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/masuk"
    assert session_uid(client) is None


def _age_session(client, app, extra: int = 1) -> None:
    with client.session_transaction() as s:
        s["seen"] = int(time.time()) - (app.config["IDLE_TIMEOUT_SECONDS"] + extra)


def test_idle_session_expires_and_says_so(app, client, shop):
    login(client, shop["cashier"], shop["till"])
    _age_session(client, app)
    response = client.get("/kasir")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/masuk"
    query = parse_qs(target.query)
    assert query["pesan"][0].startswith("Sesi berakhir")
    assert query["next"] == ["/kasir"]
    assert session_uid(client) is None
    assert "Sesi berakhir" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_idle_htmx_request_gets_401_with_hx_redirect(app, client, shop):
    login(client, shop["cashier"], shop["till"])
    _age_session(client, app)
    response = client.post("/kasir/pindai", data={"code": "123"}, headers={"HX-Request": "true"})
    assert response.status_code == 401
    target = urlsplit(response.headers["HX-Redirect"])
    assert target.path == "/masuk"
    assert parse_qs(target.query)["pesan"][0].startswith("Sesi berakhir")
    assert session_uid(client) is None


@sqlite_only
def test_session_just_inside_the_idle_limit_stays(app, client, shop):
    login(client, shop["cashier"], shop["till"])
    _age_session(client, app, extra=-5)
    assert client.get("/kasir").status_code == 200
    with client.session_transaction() as s:
        assert time.time() - s["seen"] < 5  # activity refreshed the clock


def test_logout_clears_the_session(client, shop):
    login(client, shop["cashier"], shop["till"])
    client.set_cookie("pos_till", str(shop["till"]))
    response = client.post("/keluar")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/masuk"
    with client.session_transaction() as s:
        assert dict(s) == {}
    assert client.get("/kasir").status_code == 302
    assert client.get_cookie("pos_till").value == str(shop["till"])  # the till stays chosen


_HX_HEADERS = re.compile(r"<body[^>]*\bhx-headers='([^']*)'")


def test_csrf_token_is_required_for_htmx_posts(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    db, client = app.extensions["pos_db"], app.test_client()
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s)
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
    login(client, cashier.id, till.id)
    htmx = {"HX-Request": "true"}

    refused = client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=htmx)
    assert refused.status_code == 400
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CartLine)) == 0

    page = client.get("/kasir")
    assert page.status_code == 200
    found = _HX_HEADERS.search(page.get_data(as_text=True))
    assert found, "the till page carries no hx-headers on <body>"
    token = json.loads(found.group(1))["X-CSRFToken"]
    assert token

    wrong = client.post("/kasir/pindai", data={"code": "8998866200301"},
                        headers={**htmx, "X-CSRFToken": token[:-2] + "xx"})
    assert wrong.status_code == 400
    accepted = client.post("/kasir/pindai", data={"code": "8998866200301"},
                           headers={**htmx, "X-CSRFToken": token})
    assert accepted.status_code == 200
    assert "Indomie Goreng" in accepted.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CartLine)) == 1


def assert_csrf_refused(client, response, back_to: str) -> None:
    """A plain form POST without a token is sent back to its page with a flashed error."""
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == back_to
    with client.session_transaction() as s:
        flashed = s.get("_flashes", [])
    assert any(category == "error" and "Formulir kedaluwarsa" in text for category, text in flashed)


def test_csrf_token_is_required_for_login(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    db, client = app.extensions["pos_db"], app.test_client()
    with db.transaction() as s:
        make_user(s)
    refused = client.post("/masuk", data={"username": "kasir1", "pin": "1111"},
                          headers={"Referer": "http://localhost/masuk"})
    assert_csrf_refused(client, refused, back_to="/masuk")
    assert session_uid(client) is None
    with db.reading() as s:  # refused before the PIN was even checked
        assert s.scalar(select(User.failed_pins)) == 0

    form = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    accepted = client.post("/masuk", data={"username": "kasir1", "pin": "1111",
                                           "csrf_token": token})
    assert accepted.status_code == 303
    assert session_uid(client) is not None


@sqlite_only
def test_logout_needs_a_csrf_token_too(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    db, client = app.extensions["pos_db"], app.test_client()
    with db.transaction() as s:
        till, cashier = make_till(s), make_user(s)
    login(client, cashier.id, till.id)
    assert_csrf_refused(client, client.post("/keluar"), back_to="/")
    assert session_uid(client) == cashier.id


@sqlite_only
def test_next_path_is_followed_after_login(client, shop):
    page = client.get("/masuk?next=/kasir").get_data(as_text=True)
    assert 'name="next" value="/kasir"' in page
    response = post_login(client, next="/kasir/struk/7")
    assert response.status_code == 303
    assert response.headers["Location"] == "/kasir/struk/7"


@pytest.mark.parametrize("target", [
    "//evil.example", "//evil.example/kasir", "https://evil.example/", "http:evil.example",
    "/\\evil.example", "/\t/evil.example", "\\\\evil.example", "kasir",
])
@sqlite_only
def test_next_other_than_a_local_path_is_ignored(client, shop, target):
    page = client.get("/masuk", query_string={"next": target}).get_data(as_text=True)
    assert 'name="next"' not in page
    response = post_login(client, next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@sqlite_only
def test_pin_is_stored_only_as_a_salted_hash(db):
    with db.transaction() as s:
        first = create_user(s, "siti", "Siti Aminah", "cashier", "482913")
        second = create_user(s, "budi", "Budi", "cashier", "482913")
    for user in (first, second):
        assert user.pin_hash != "482913" and "482913" not in user.pin_hash
        assert check_password_hash(user.pin_hash, "482913")
        assert not check_password_hash(user.pin_hash, "482914")
    assert first.pin_hash != second.pin_hash  # salted


@sqlite_only
def test_create_user_normalises_username_and_name(db):
    with db.transaction() as s:
        user = create_user(s, "  Siti.Aminah ", " Siti Aminah ", Role.MANAGER, "1234")
    assert (user.username, user.full_name, user.role) \
        == ("siti.aminah", "Siti Aminah", Role.MANAGER)
    assert user.active and user.failed_pins == 0 and user.locked_until is None


@sqlite_only
@pytest.mark.parametrize("username", ["", "a", "kasir satu", "_kasir", "-kasir", "kasir!",
                                      "k" * 33, "kasír"])
def test_create_user_rejects_bad_usernames(db, username):
    with db.transaction() as s, pytest.raises(UserError, match="Nama pengguna"):
        create_user(s, username, "X", "cashier", "1234")


@sqlite_only
@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "12 34", "-1234", "1234\n",
                                 "١٢٣٤", None])
def test_create_user_rejects_pins_that_are_not_4_to_8_digits(db, pin):
    with db.transaction() as s, pytest.raises(UserError, match="PIN harus 4 sampai 8 angka"):
        create_user(s, "kasir9", "X", "cashier", pin)


@sqlite_only
@pytest.mark.parametrize("pin", ["1234", "00000000"])
def test_create_user_accepts_4_to_8_digit_pins(db, pin):
    with db.transaction() as s:
        assert create_user(s, "kasir9", "X", "cashier", pin).id is not None


@sqlite_only
@pytest.mark.parametrize("role", ["superuser", "Kasir", ""])
def test_create_user_rejects_unknown_roles(db, role):
    with db.transaction() as s, pytest.raises(UserError, match="Peran tidak dikenal"):
        create_user(s, "kasir9", "X", role, "1234")


def test_create_user_rejects_duplicates(db):
    with db.transaction() as s:
        make_user(s, "kasir1")
    with db.transaction() as s, pytest.raises(UserError, match="kasir1 sudah ada"):
        create_user(s, "KASIR1", "Lain", "clerk", "5678")
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 1
