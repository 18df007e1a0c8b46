"""PostgreSQL down or restarting: every page and htmx request answers 503 with a message
the cashier can act on (nothing was saved; try again), never a bare 500; SQLite's "database
is locked" is not mistaken for it."""
from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy.exc import OperationalError

import pos
from pos.errors import DB_UNREACHABLE, database_unreachable

DOWN = "postgresql+psycopg://postgres@127.0.0.1:1/gerai"   # nothing listens on port 1


def test_a_database_that_does_not_answer_is_a_503_with_a_clear_message(tmp_path):
    app = pos.create_app({"DATABASE_URL": DOWN, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                          "TESTING": True, "SQLITE_BACKGROUND_CHECKPOINT": False})
    client = app.test_client()
    page = client.get("/masuk")
    assert page.status_code == 503
    assert "Basis data tidak menjawab" in page.get_data(as_text=True)
    fragment = client.get("/masuk", headers={"HX-Request": "true"})
    assert fragment.status_code == 503
    assert fragment.headers["HX-Retarget"] == "#messages"
    assert "tidak ada yang berubah" in fragment.get_data(as_text=True)


def test_only_a_lost_server_counts_as_unreachable():
    gone = OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused"))
    ended = OperationalError("SELECT 1", {}, psycopg.errors.AdminShutdown("terminating connection"))
    locked = OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))
    bad = OperationalError("SELECT 1", {}, psycopg.errors.SyntaxError("syntax error"))
    assert database_unreachable(gone) and database_unreachable(ended)
    assert not database_unreachable(locked) and not database_unreachable(bad)
    assert "coba lagi" in DB_UNREACHABLE
