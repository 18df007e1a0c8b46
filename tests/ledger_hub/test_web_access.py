"""The hub's pages: operators, /masuk and /keluar, pages behind the login, CSRF, the CSP,
and the JSON API untouched by all of it (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.errors import PosError
from pos.ledger_hub import access, operators
from pos.ledger_hub.models import HubOperator
from tests.ledger_hub.helpers import document, push
from tests.ledger_hub.web_helpers import PASSWORD, add_operator, csrf_token, sign_in


def test_an_operator_password_is_hashed_and_checked(hub_db):
    with hub_db.transaction() as s:
        assert operators.add(s, "Siti", "kata-sandi-1") == ("siti", None)
        name, generated = operators.add(s, "budi")
    assert generated and len(generated) >= 12
    with hub_db.reading() as s:
        row = s.get(HubOperator, "siti")
        assert row.password_hash != "kata-sandi-1" and row.active
        assert access.authenticate(s, "siti", "kata-sandi-1").username == "siti"
        assert access.authenticate(s, "siti", "salah-sandi") is None
        assert access.authenticate(s, "tidakada", "kata-sandi-1") is None
        assert access.authenticate(s, "budi", generated).username == "budi"


def test_bad_operator_names_and_short_passwords_are_refused(hub_db):
    with hub_db.transaction() as s:
        operators.add(s, "siti", "kata-sandi-1")
    for name, password, words in (("siti", "kata-sandi-2", "sudah terdaftar"),
                                  ("Si ti", "kata-sandi-2", "huruf kecil"),
                                  ("budi", "pendek", "paling sedikit 8")):
        with pytest.raises(PosError, match=words), hub_db.transaction() as s:
            operators.add(s, name, password)
    with hub_db.reading() as s:
        assert s.scalars(select(HubOperator.username)).all() == ["siti"]


def test_pages_need_an_operator_and_send_back_after_login(hub_client, hub_db):
    for path in ("/", "/buku/", "/buku/neraca-saldo", "/buku/phu?dari=2026-11-01", "/buku/saldo-awal"):
        answer = hub_client.get(path)
        assert answer.status_code == 303 and answer.headers["Location"].startswith("/masuk?next=")
    add_operator(hub_db)
    token = csrf_token(hub_client)
    answer = hub_client.post("/masuk", data={"username": "siti", "password": PASSWORD, "csrf_token": token,
                                             "next": "/buku/neraca-saldo"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/buku/neraca-saldo"
    home = hub_client.get("/")
    assert home.status_code == 200 and "siti" in home.text and 'href="/shu"' in home.text


def test_a_wrong_password_is_refused_in_indonesian(hub_client, hub_db):
    add_operator(hub_db)
    token = csrf_token(hub_client)
    answer = hub_client.post("/masuk", data={"username": "siti", "password": "salah-sandi",
                                             "csrf_token": token})
    assert answer.status_code == 401 and "Nama operator atau kata sandi salah." in answer.text
    assert hub_client.get("/").status_code == 303


def test_next_never_leaves_the_hub(hub_client, hub_db):
    add_operator(hub_db)
    token = csrf_token(hub_client)
    answer = hub_client.post("/masuk", data={"username": "siti", "password": PASSWORD, "csrf_token": token,
                                             "next": "https://evil.example/"})
    assert answer.headers["Location"] == "/"


def test_logout_ends_the_session(hub_client, hub_db):
    token = sign_in(hub_client, hub_db)
    answer = hub_client.post("/keluar", data={"csrf_token": token})
    assert answer.status_code == 303 and answer.headers["Location"] == "/masuk"
    assert hub_client.get("/").status_code == 303


def test_a_deactivated_operator_is_out_at_once(hub_client, hub_db):
    sign_in(hub_client, hub_db)
    with hub_db.transaction() as s:
        s.get(HubOperator, "siti").active = False
    assert hub_client.get("/").status_code == 303


def test_a_post_without_the_csrf_token_is_refused(hub_client, hub_db):
    add_operator(hub_db)
    answer = hub_client.post("/masuk", data={"username": "siti", "password": PASSWORD})
    assert answer.status_code == 400 and "Formulir kedaluwarsa" in answer.text
    assert hub_client.get("/").status_code == 303
    sign_in(hub_client, hub_db, "budi")
    assert hub_client.post("/keluar").status_code == 400
    assert hub_client.get("/").status_code == 200


def test_pages_carry_the_content_security_policy(hub_client, hub_db):
    sign_in(hub_client, hub_db)
    answer = hub_client.get("/")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in answer.text and " style=" not in answer.text and "onclick" not in answer.text


def test_the_api_needs_no_session_and_no_csrf(hub_client, creds):
    assert push(hub_client, creds, document()).status_code == 201
    assert hub_client.get("/api/v1/health").json["status"] == "ok"


def test_an_unknown_page_is_an_indonesian_page_and_the_api_stays_json(hub_client, hub_db):
    sign_in(hub_client, hub_db)
    page = hub_client.get("/tidak-ada")
    assert page.status_code == 404 and "Halaman tidak ditemukan." in page.text
    assert hub_client.get("/api/v1/documents").is_json


def test_the_secret_key_comes_from_the_environment_or_the_instance_folder(hub_url, tmp_path, monkeypatch):
    from pos.ledger_hub.app import create_hub_app

    monkeypatch.delenv("POS_LEDGER_SECRET_KEY", raising=False)
    first = create_hub_app({"DATABASE_URL": hub_url, "INSTANCE_PATH": str(tmp_path / "inst")})
    again = create_hub_app({"DATABASE_URL": hub_url, "INSTANCE_PATH": str(tmp_path / "inst")})
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"]
    assert (tmp_path / "inst" / "ledger_hub_secret_key").read_text().strip() == first.config["SECRET_KEY"]
    monkeypatch.setenv("POS_LEDGER_SECRET_KEY", "dari-lingkungan")
    third = create_hub_app({"DATABASE_URL": hub_url, "INSTANCE_PATH": str(tmp_path / "inst")})
    assert third.config["SECRET_KEY"] == "dari-lingkungan"
    for app in (first, again, third):
        app.extensions["ledger_hub_db"].engine.dispose()
