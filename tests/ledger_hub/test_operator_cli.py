"""``pos ledger-hub operator list|deactivate|activate|password``: an operator's access taken
back or changed, and their open sessions ended with it (SQLite and PostgreSQL)."""
from __future__ import annotations

import json

from pos.ledger_hub import access
from tests.ledger_hub.web_helpers import PASSWORD, add_operator, csrf_token, sign_in


def log_in(client, password: str = PASSWORD, name: str = "siti") -> int:
    return client.post("/masuk", data={"username": name, "password": password,
                                       "csrf_token": csrf_token(client)}).status_code


def test_operator_list(hub_runner, hub_db):
    assert "Belum ada operator" in hub_runner.invoke(args=["ledger-hub", "operator", "list"]).output
    add_operator(hub_db, "siti")
    add_operator(hub_db, "budi")
    hub_runner.invoke(args=["ledger-hub", "operator", "deactivate", "budi"])
    listed = json.loads(hub_runner.invoke(args=["ledger-hub", "operator", "list", "--json"]).output)
    assert [(o["username"], o["active"]) for o in listed] == [("budi", False), ("siti", True)]
    assert set(listed[0]) == {"username", "active", "created_at"}
    assert listed[0]["created_at"].endswith("+00:00")   # UTC, its zone said
    text = hub_runner.invoke(args=["ledger-hub", "operator", "list"]).output
    assert "budi" in text and "nonaktif" in text


def test_deactivating_ends_open_sessions_and_activating_lets_them_sign_in_again(hub_runner, hub_client,
                                                                               hub_app, hub_db):
    sign_in(hub_client, hub_db)
    copied = hub_app.test_client()
    copied.set_cookie("hub_session", hub_client.get_cookie("hub_session").value)
    result = hub_runner.invoke(args=["ledger-hub", "operator", "deactivate", "siti"])
    assert result.exit_code == 0 and "dinonaktifkan" in result.output
    assert hub_client.get("/").status_code == 303
    assert log_in(hub_client) == 401
    assert hub_runner.invoke(args=["ledger-hub", "operator", "activate", "Siti"]).exit_code == 0
    assert copied.get("/").status_code == 303    # a session from before stays over
    assert log_in(hub_client) == 303 and hub_client.get("/").status_code == 200


def test_a_new_password_is_asked_twice_and_ends_open_sessions(hub_runner, hub_client, hub_db):
    sign_in(hub_client, hub_db)
    result = hub_runner.invoke(args=["ledger-hub", "operator", "password", "siti"],
                               input="sandi-baru-1\nsandi-lain-2\nsandi-baru-1\nsandi-baru-1\n")
    assert result.exit_code == 0, result.output
    assert "kedua isian tidak sama" in result.output and "sandi-baru-1" not in result.output
    assert hub_client.get("/").status_code == 303
    with hub_db.reading() as s:
        assert access.authenticate(s, "siti", PASSWORD) is None
        assert access.authenticate(s, "siti", "sandi-baru-1").username == "siti"
    assert log_in(hub_client, "sandi-baru-1") == 303


def test_a_short_password_or_an_unknown_operator_is_refused(hub_runner, hub_db):
    add_operator(hub_db)
    short = hub_runner.invoke(args=["ledger-hub", "operator", "password", "siti"], input="pendek\npendek\n")
    assert short.exit_code == 1 and "paling sedikit 8" in short.output
    with hub_db.reading() as s:
        assert access.authenticate(s, "siti", PASSWORD) is not None
    for command in ("deactivate", "activate", "password"):
        result = hub_runner.invoke(args=["ledger-hub", "operator", command, "tidakada"], input="x\nx\n")
        assert result.exit_code == 1 and "Operator tidakada tidak terdaftar." in result.output
