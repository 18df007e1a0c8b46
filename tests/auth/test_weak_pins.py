"""A manager's or admin's PIN that anyone could guess (one digit throughout, 0000 or 1111, or a
straight run up or down, 1234, 4321, 0123) is refused when the account is made or its PIN is
changed, on the Staf screen and with ``pos user``; a cashier's, petugas gudang's or apoteker's
PIN is not; the demo (admin 0000, manajer1 9999) makes its accounts through its own path."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from pos.auth import pins
from pos.auth.models import User
from tests.auth.test_staff_screen import NEW, as_user, people, user  # noqa: F401 (fixture)
from tests.factories import make_user

WEAK = ["0000", "1111", "99999999", "1234", "4321", "0123", "3210", "12345678", "87654321", "456789"]
FINE = ["1357", "2580", "1243", "9012", "7391", "11112", "482914"]


@pytest.mark.parametrize("pin", WEAK)
def test_weak_pins_are_named(pin):
    reason = pins.weakness(pin)
    assert reason is not None
    refused = pins.refusal("manager", pin)
    assert refused.startswith(f"PIN terlalu mudah ditebak: {reason}")
    assert pin not in refused.replace("0000 atau 1234", "")  # a PIN is never said back
    assert pins.refusal("cashier", pin) is None              # a cashier's is not checked
    assert pins.refusal("pharmacist", pin) is None


@pytest.mark.parametrize("pin", FINE)
def test_other_pins_pass(pin):
    assert pins.weakness(pin) is None
    assert pins.refusal("admin", pin) is None


def count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("role", ["manager", "admin"])
@pytest.mark.parametrize("pin, why", [("1111", "semua angkanya sama"), ("4321", "angka berurutan")])
def test_staf_screen_refuses_a_weak_manager_or_admin_pin(client, db, people, role, pin, why):  # noqa: F811
    as_user(client, db, people["admin"])
    before = count(db)
    answer = client.post("/staf/baru", data={**NEW, "role": role, "pin": pin, "pin2": pin})
    assert answer.status_code == 422 and "PIN terlalu mudah ditebak: " + why in answer.text
    assert 'value="Sari Dewi"' in answer.text and count(db) == before
    changed = client.post(f"/staf/{people['boss']}/pin", data={"pin": pin, "pin2": pin})
    shown = changed.text if changed.status_code != 303 else client.get("/").text
    assert "PIN terlalu mudah ditebak" in shown
    assert check_password_hash(user(db, "manajer2").pin_hash, "8888")
    fine = client.post("/staf/baru", data={**NEW, "role": role, "pin": "7391", "pin2": "7391"})
    assert fine.status_code == 303


def test_staf_screen_lets_a_cashier_have_1234(client, db, people):  # noqa: F811
    as_user(client, db, people["manager"])
    assert client.post("/staf/baru", data={**NEW, "pin": "1234", "pin2": "1234"}).status_code == 303
    assert check_password_hash(user(db, "sari").pin_hash, "1234")
    new = client.post(f"/staf/{user(db, 'sari').id}/pin", data={"pin": "0000", "pin2": "0000"})
    assert new.status_code == 303 and check_password_hash(user(db, "sari").pin_hash, "0000")


def test_own_new_pin_of_a_manager_is_checked_too(client, db, people):  # noqa: F811
    as_user(client, db, people["manager"])
    answer = client.post(f"/staf/{people['manager']}/pin", data={"pin": "0123", "pin2": "0123"})
    shown = answer.text if answer.status_code != 303 else client.get("/").text
    assert "PIN terlalu mudah ditebak: angka berurutan" in shown
    assert check_password_hash(user(db, "manajer1").pin_hash, "9999")


def test_cli_user_add_and_pin_refuse_weak_manager_pins(db, runner, people):  # noqa: F811
    added = runner.invoke(args=["user", "add", "siti", "--role", "manager", "--pin", "2222"])
    assert added.exit_code != 0 and "PIN terlalu mudah ditebak: semua angkanya sama" in added.output
    assert user(db, "siti") is None
    admin = runner.invoke(args=["user", "add", "siti", "--role", "admin", "--pin", "5678"])
    assert admin.exit_code != 0 and "PIN terlalu mudah ditebak: angka berurutan" in admin.output
    cashier = runner.invoke(args=["user", "add", "siti", "--role", "cashier", "--pin", "5678"])
    assert cashier.exit_code == 0
    new = runner.invoke(args=["user", "pin", "manajer2", "--pin", "9876"])
    assert new.exit_code != 0 and "PIN terlalu mudah ditebak" in new.output
    assert check_password_hash(user(db, "manajer2").pin_hash, "8888")
    assert runner.invoke(args=["user", "pin", "siti", "--pin", "0000"]).exit_code == 0
    assert runner.invoke(args=["user", "pin", "manajer2", "--pin", "7391"]).exit_code == 0


WARNING = "PIN Anda mudah ditebak; ganti di Staf → Ganti PIN"


def log_in(client, username, pin, till=None):
    answer = client.post("/masuk", data={"username": username, "pin": pin,
                                         "till_id": "" if till is None else str(till)})
    assert answer.status_code == 303, answer.text
    return client.get(answer.headers["Location"]).text


@pytest.mark.parametrize("backend", ["sqlite"])   # scrypt makes each login slow
def test_a_manager_or_admin_with_an_old_weak_pin_is_told_once_per_login(app, db, people):  # noqa: F811
    """The rule refuses a guessable PIN when one is set; an account that had it before keeps
    it until changed, so the login (where the PIN is known) says so on the page it lands on."""
    for username, pin in (("manajer1", "9999"), ("admin", "0000")):
        client = app.test_client()
        assert WARNING in log_in(client, username, pin)
        assert WARNING not in client.get("/").text          # once per login, not on every page
        client.post("/keluar")
        assert WARNING in log_in(client, username, pin)     # and again at the next login
    with db.transaction() as s:
        make_user(s, "manajer3", "manager", "2580")
    client = app.test_client()
    assert WARNING not in log_in(client, "manajer3", "2580")
    cashier = app.test_client()                              # a counter account's PIN is not checked
    assert WARNING not in log_in(cashier, "kasir1", "1111", people["till"])
