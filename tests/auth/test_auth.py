"""Staff login with username + PIN: sessions on the server, idle expiry, logout, safe redirects.
CSRF, lockout and throttling, and revocation are in tests/security/ (test_csrf.py,
test_login_guard.py, test_sessions.py)."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from pos.auth import service
from pos.auth.models import Role, StaffSession, User
from pos.auth.service import LOGIN_REFUSED, UserError, create_user
from pos.auth.sessions import token_hash
from pos.clock import utcnow
from pos.tills.models import Till
from tests.factories import login, make_user, start_pending_sessions

WRONG = LOGIN_REFUSED
# Rules that do not depend on the database run on SQLite only: scrypt makes every PIN check slow.
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])
_ERROR = re.compile(r'<p class="msg msg-error" role="alert">(.*?)</p>', re.S)


def post_login(client, username="kasir1", pin="1111", till_id=None, address="127.0.0.1", **extra):
    data = {"username": username, "pin": pin, "till_id": "" if till_id is None else str(till_id)}
    data.update(extra)
    return client.post("/masuk", data=data, environ_base={"REMOTE_ADDR": address})


def error_text(response) -> str:
    found = _ERROR.search(response.get_data(as_text=True))
    assert found, "login page shows no error message"
    return found.group(1).strip()


def session_token(client):
    with client.session_transaction() as s:
        return s.get("sid")


def session_row(db, token):
    """The server's row for a cookie's token (a plain row: the session is gone afterwards)."""
    with db.reading() as s:
        return s.execute(select(StaffSession.user_id, StaffSession.till_id, StaffSession.last_seen,
                                StaffSession.ended_at, StaffSession.end_reason)
                         .where(StaffSession.token_hash == token_hash(token))).one()


def session_uid(client, db):
    """The user the client's cookie is logged in as, judged by the server; None if none."""
    token = session_token(client)
    if token is None:
        return None
    row = session_row(db, token)
    return None if row.ended_at else row.user_id


def test_login_with_pin_and_till_starts_session_and_remembers_till(client, db, shop):
    response = post_login(client, till_id=shop["till"])
    assert response.status_code == 303
    assert session_uid(client, db) == shop["cashier"]
    row = session_row(db, session_token(client))
    assert row.till_id == shop["till"] and row.ended_at is None
    with client.session_transaction() as s:
        assert set(s) == {"sid"}  # the cookie holds a random token, nothing about the user
    cookie = client.get_cookie("pos_till")
    assert cookie is not None and cookie.value == str(shop["till"])
    assert cookie.http_only and not cookie.secure
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
    assert session_token(client) is None
    assert client.get_cookie("pos_till") is None
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(StaffSession)) == 0


def test_unknown_username_gets_the_same_message_as_a_wrong_pin(client, db, shop):
    unknown = post_login(client, username="siapa", pin="1111")
    wrong = post_login(client, pin="9999")
    assert unknown.status_code == wrong.status_code == 422
    assert error_text(unknown) == error_text(wrong) == WRONG
    assert session_token(client) is None


@sqlite_only
def test_username_is_matched_case_insensitively(client, db, shop):
    assert post_login(client, username="  KASIR1 ", till_id=shop["till"]).status_code == 303
    assert session_uid(client, db) == shop["cashier"]


def test_inactive_user_cannot_log_in(client, db, shop):
    with db.transaction() as s:
        s.execute(update(User).where(User.id == shop["cashier"]).values(active=False))
    response = post_login(client)
    assert response.status_code == 422
    assert error_text(response) == WRONG
    assert session_token(client) is None


def test_deactivated_user_is_logged_out_on_the_next_request(client, db, shop):
    login(client, shop["cashier"], shop["till"])
    assert client.get("/kasir").status_code == 200
    with db.transaction() as s:  # even behind the service's back
        s.execute(update(User).where(User.id == shop["cashier"]).values(active=False))
    response = client.get("/kasir")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/masuk"
    assert session_token(client) is None


def test_a_fragment_asked_after_the_session_ended_leads_back_to_its_page(client, db, shop):
    """F9 after a session ended sent the cashier, once logged in again, to the bare text of
    /kasir/bayar/pilihan: the login's next was the fragment, not the till that asked for it."""
    login(client, shop["cashier"], shop["till"])
    with db.transaction() as s:
        s.execute(update(User).where(User.id == shop["cashier"]).values(active=False))
    asked = client.get("/kasir/bayar/pilihan", headers={
        "HX-Request": "true", "HX-Current-URL": "http://localhost/kasir"})
    assert asked.status_code == 401
    assert parse_qs(urlsplit(asked.headers["HX-Redirect"]).query)["next"] == ["/kasir"]
    other = client.get("/kasir/bayar/pilihan", headers={
        "HX-Request": "true", "HX-Current-URL": "http://evil.example/kasir"})
    assert "next" not in parse_qs(urlsplit(other.headers["HX-Redirect"]).query)
    page = client.get("/kasir/cari?q=mie", headers={
        "HX-Request": "true", "HX-Current-URL": "http://localhost/laporan/harian?tanggal=01-12-2026"})
    assert parse_qs(urlsplit(page.headers["HX-Redirect"]).query)["next"] == [
        "/laporan/harian?tanggal=01-12-2026"]


def _age_session(client, db, app, extra: int = 1) -> None:
    """Move the server's last-seen time back past (or, with extra < 0, within) the idle limit."""
    start_pending_sessions(client)
    seen = utcnow() - timedelta(seconds=app.config["IDLE_TIMEOUT_SECONDS"] + extra)
    with db.transaction() as s:
        s.execute(update(StaffSession).where(StaffSession.token_hash == token_hash(session_token(client)))
                  .values(last_seen=seen))


def test_idle_session_expires_and_says_so(app, client, db, shop):
    token = login(client, shop["cashier"], shop["till"])
    _age_session(client, db, app)
    response = client.get("/kasir")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/masuk"
    query = parse_qs(target.query)
    assert query["pesan"] == ["habis"]     # a key: a link cannot put its own words on the page
    assert query["next"] == ["/kasir"]
    assert session_token(client) is None
    assert session_row(db, token).end_reason == "idle"
    assert "Sesi berakhir" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_login_page_says_only_its_own_words(client):
    """?pesan= was shown as given: a link could make the login page say "PIN salah, telepon
    0812…". It is a key now; anything else shows nothing."""
    page = client.get("/masuk?pesan=PIN+salah%2C+telepon+0812").get_data(as_text=True)
    assert "telepon 0812" not in page
    assert "Masuk lagi dengan PIN baru" in client.get("/masuk?pesan=pin").get_data(as_text=True)


def test_idle_htmx_request_gets_401_with_hx_redirect(app, client, db, shop):
    login(client, shop["cashier"], shop["till"])
    _age_session(client, db, app)
    response = client.post("/kasir/pindai", data={"code": "123"}, headers={"HX-Request": "true"})
    assert response.status_code == 401
    target = urlsplit(response.headers["HX-Redirect"])
    assert target.path == "/masuk"
    assert parse_qs(target.query)["pesan"] == ["tertolak"]   # a POST refused: it says nothing was saved
    assert session_token(client) is None
    said = client.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert "perintah terakhir (misalnya pembayaran) tidak dijalankan dan tidak tersimpan" in said


@sqlite_only
def test_session_just_inside_the_idle_limit_stays(app, client, db, shop):
    token = login(client, shop["cashier"], shop["till"])
    _age_session(client, db, app, extra=-5)
    assert client.get("/kasir").status_code == 200
    # activity moved the server's clock on
    assert utcnow() - session_row(db, token).last_seen < timedelta(seconds=5)


def test_logout_ends_the_session(client, db, shop):
    token = login(client, shop["cashier"], shop["till"])
    client.set_cookie("pos_till", str(shop["till"]))
    response = client.post("/keluar")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/masuk"
    with client.session_transaction() as s:
        assert dict(s) == {}
    assert session_row(db, token).end_reason == "keluar"
    assert client.get("/kasir").status_code == 302
    assert client.get_cookie("pos_till").value == str(shop["till"])  # the till stays chosen


@sqlite_only
def test_next_path_is_followed_after_login(client, shop):
    page = client.get("/masuk?next=/kasir").get_data(as_text=True)
    assert 'name="next" value="/kasir"' in page
    response = post_login(client, next="/kasir/struk/7", till_id=shop["till"])
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
    response = post_login(client, next=target, till_id=shop["till"])
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@sqlite_only
def test_pin_is_stored_only_as_a_salted_hash(db, monkeypatch):
    # the real hashing, not the suite's one-hash-per-PIN shortcut (tests/app_reuse.py)
    monkeypatch.setattr(service, "generate_password_hash", generate_password_hash)
    with db.transaction() as s:
        first = create_user(s, "siti", "Siti Aminah", "cashier", "482913")
        second = create_user(s, "budi", "Budi", "cashier", "482913")
    for user in (first, second):
        assert user.pin_hash.startswith("scrypt:32768:8:1$")  # Werkzeug's default cost
        assert user.pin_hash != "482913" and "482913" not in user.pin_hash
        assert check_password_hash(user.pin_hash, "482913")
        assert not check_password_hash(user.pin_hash, "482914")
    assert first.pin_hash != second.pin_hash  # salted


@sqlite_only
def test_create_user_normalises_username_and_name(db):
    with db.transaction() as s:
        user = create_user(s, "  Siti.Aminah ", " Siti Aminah ", Role.MANAGER, "7391")
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


def test_a_browser_that_never_chose_a_till_starts_without_one(client, db, shop):
    """A manager signing in at the back office must not hold the counter's till: the form starts
    on no till until this browser has chosen one, and remembers the choice."""
    page = client.get("/masuk").get_data(as_text=True)
    assert '<option value="">— tanpa mesin kasir —</option>' in page
    assert "selected" not in page.split('id="till_id"')[1].split("</select>")[0]
    with db.transaction() as s:
        make_user(s, "manajer1", "manager", "9999")
    assert post_login(client, username="manajer1", pin="9999").status_code == 303
    with db.reading() as s:
        assert s.get(Till, shop["till"]).held_by is None            # the till stays free
    client.post("/keluar")
    assert post_login(client, till_id=shop["till"]).status_code == 303
    chosen = client.get("/masuk").get_data(as_text=True)              # remembered by the cookie
    assert f'<option value="{shop["till"]}" selected>' in chosen


def test_a_cashier_signs_in_at_a_till(client, db, shop):
    refused = post_login(client)                                      # kasir1, no till chosen
    assert refused.status_code == 422
    assert error_text(refused).startswith("Pilih mesin kasir tempat Anda berjualan")
    page = refused.get_data(as_text=True)                             # the list is where to go
    assert '<select id="till_id" name="till_id" autofocus>' in page
    assert 'required autofocus' not in page
    with db.reading() as s:
        assert s.get(Till, shop["till"]).held_by is None
        assert s.scalar(select(func.count()).select_from(StaffSession)) == 0


NO_STAFF = "Belum ada akun staf: buat manajer pertama di mini-PC dengan"


@sqlite_only
def test_a_gerai_with_no_staff_account_says_how_to_make_the_first_manager(client, db):
    """A new gerai (``pos init``, no demo): "PIN salah" sent the manager hunting for a PIN that
    no one had; the page says no account exists and how to make one."""
    page = client.get("/masuk").get_data(as_text=True)
    assert NO_STAFF in page and "<code>pos user add NAMA --role manager</code>" in page
    refused = post_login(client, "admin", "0000")
    assert refused.status_code == 422 and NO_STAFF in error_text(refused)
    assert WRONG not in refused.get_data(as_text=True)
    with db.transaction() as s:
        make_user(s, "kasir1")
    assert NO_STAFF not in client.get("/masuk").get_data(as_text=True)
    assert error_text(post_login(client, "admin", "0000")) == WRONG
