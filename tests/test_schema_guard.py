"""A database of another schema than this code's (made by a newer version, or not upgraded yet)
is refused: every page but /healthz answers 503 saying what to do, and so does every command that
writes; nothing is sold or saved. It served /kasir and sold on revision '0099', and the commands
ran. The server serves again once the schema is this code's, without a restart."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text

from pos.auth.models import User
from pos.db import get_db, migration_revisions, upgrade
from pos.sales.models import Sale
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
NEWER = "Galat: Basis data dari versi aplikasi yang lebih baru (revisi 0099): perbarui aplikasi dulu.\n"


@pytest.fixture
def stamp(db):
    """``stamp(revision)``: the database's recorded revision, as Alembic keeps it (the tests'
    schema, made by ``create_all``, has none; the table is dropped afterwards, as PostgreSQL's
    test database is kept for the next test)."""
    def write(revision: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS alembic_version "
                              "(version_num VARCHAR(32) NOT NULL)"))
            conn.execute(text("DELETE FROM alembic_version"))
            conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
    yield write
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def head() -> str:
    (only,) = migration_revisions()[1]
    return only


def sales(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Sale))


@pytest.fixture
def till(db, client):
    with db.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        make_product(s, name="Indomie Goreng", price=3_500, barcodes_=["8998866200301"])
    login(client, user.id, till.id)
    return till.id


def test_the_revisions_read_from_file_names_are_alembics():
    """The server's start reads the folder, not every script: the same revisions and head."""
    from pos.migrate import revisions_by_name

    known, heads = migration_revisions()
    assert revisions_by_name() == (known, *heads)


@pytest.mark.parametrize("revision, says", [("0099", "Perbarui aplikasi dulu"),
                                           ("0030", "Jalankan pos db upgrade")])
def test_the_server_refuses_every_page_but_healthz_on_another_schema(client, db, stamp, till, revision,
                                                                     says):
    stamp(revision)    # a server started on that database
    page = client.get("/kasir")
    assert page.status_code == 503 and says in page.get_data(as_text=True)
    assert f"skema {revision}" in page.get_data(as_text=True)
    assert client.post("/kasir/pindai", data={"code": "8998866200301"}, headers=HX).status_code == 503
    paid = client.post("/kasir/bayar", data={"tendered": "10000", "idempotency_key": str(uuid.uuid4())},
                       headers=HX)
    assert paid.status_code == 503 and says in paid.get_data(as_text=True)
    assert sales(db) == 0
    health = client.get("/healthz")   # says what is wrong itself, as JSON
    assert health.status_code == 503 and health.get_json()["migrations"] == {
        "level": "error", "current": revision, "head": head()}
    styles = client.get("/static/css/pos.css")
    styles.close()
    assert styles.status_code == 200
    stamp(head())    # pos db upgrade ran, the server still up
    assert client.get("/kasir").status_code == 200


def test_commands_that_write_are_refused_and_the_others_run(app, db, stamp, runner, tmp_path):
    stamp("0099")
    added = runner.invoke(args=["user", "add", "budi", "--role", "cashier", "--pin", "1234"])
    assert (added.exit_code, added.output) == (1, NEWER)
    (tmp_path / "a.csv").write_text("nomor,nama\nAGT-1,Ani\n")
    imported = runner.invoke(args=["members", "import", str(tmp_path / "a.csv")])
    assert (imported.exit_code, imported.output) == (1, NEWER)
    closed = runner.invoke(args=["day", "close", "--date", "01-12-2026"])
    assert (closed.exit_code, closed.output) == (1, NEWER)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0
    for args in (["user", "list"], ["members", "list"], ["user", "add", "--help"], ["db", "current"]):
        done = runner.invoke(args=args)
        assert done.exit_code == 0, (args, done.output)
    assert "0099" in runner.invoke(args=["doctor"]).output
    assert runner.invoke(args=["backup"]).exit_code == 0


def test_db_upgrade_and_init_refuse_a_newer_database_and_mend_an_older_one(bare_app):
    engine = get_db(bare_app).engine
    upgrade(engine, "0030")
    runner = bare_app.test_cli_runner()
    refused = runner.invoke(args=["user", "add", "budi", "--role", "cashier", "--pin", "1234"])
    assert refused.output == ("Galat: Skema basis data belum mutakhir (revisi 0030): jalankan pos db "
                              "upgrade.\n")
    assert runner.invoke(args=["init"]).exit_code == 0
    assert runner.invoke(args=["user", "add", "budi", "--role", "cashier", "--pin", "1234"]).exit_code == 0
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    for args in (["db", "upgrade"], ["init"]):
        done = runner.invoke(args=args)
        assert (done.exit_code, done.output) == (1, NEWER.replace("\n", " Tidak ada yang diubah.\n"))
