"""``pos ledger-hub restore``: a hub backup put back in place of the live database, the replaced
one kept aside under a new name, and an outlet's backup, a damaged file or a dump from a newer
hub schema refused with nothing changed. Each PostgreSQL test runs on a database of its own
(the restore renames databases), and drops what the restore kept aside."""
from __future__ import annotations

import os
import shlex
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

import pos.models
from pos import server_lock
from pos.backup import pg_dump
from pos.clock import to_local, utcnow
from pos.db import get_db
from pos.hardware.fakes import RecordingPrinter
from pos.ledger import outbox
from pos.ledger import push as push_
from pos.ledger_hub import outlets
from pos.ledger_hub.app import create_hub_app
from pos.ledger_hub.models import SCHEMA_VERSION
from pos.ledger_hub.shu_runs import book_today
from tests.conftest import build_app, throwaway_pg
from tests.ledger_hub.helpers import document, push


def runner(tmp_path: Path, hub_url: str):
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                    LEDGER_DATABASE_URL=hub_url, CLI=True)
    return app.test_cli_runner()


def hub(url: str):
    return create_hub_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "hub-test"})


def documents(url: str) -> list[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT document_id FROM hub_document ORDER BY document_id")
                                ).scalars().all()
    finally:
        engine.dispose()


def received(url: str) -> datetime:
    """When the newest document the hub holds came (naive UTC)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT max(received_at) FROM hub_document")).scalar_one()
    finally:
        engine.dispose()


def beside(url: str) -> list[str]:
    """The databases a restore made beside the hub's (kept aside, or half-made)."""
    live = url.rsplit("/", 1)[1]
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT datname FROM pg_database WHERE starts_with(datname, :n) "
                                     "AND datname <> :n ORDER BY datname"), {"n": live}).scalars().all()
    finally:
        engine.dispose()


def drop(url: str, names: list[str]) -> None:
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def test_a_sqlite_hub_is_not_restored_this_way(tmp_path):
    result = runner(tmp_path, f"sqlite:///{tmp_path / 'hub.db'}").invoke(
        args=["ledger-hub", "restore", "--yes", str(tmp_path / "hub-x.pgdump")])
    assert result.exit_code == 1 and "hanya untuk hub di PostgreSQL" in result.output


@pytest.mark.postgres
def test_a_hub_restore_puts_the_backup_back_and_keeps_the_replaced_database_aside(tmp_path):
    with throwaway_pg("gerai_hub_restore") as url:
        app = hub(url)
        with app.extensions["ledger_hub_db"].transaction() as session:
            credentials = outlets.add(session, "KDMP01", "Gerai Desa Makmur")
        before = [document(day=f"2026-11-0{d}") for d in (1, 2)]
        later = document(day="2026-11-03")
        for body in before:
            assert push(app.test_client(), credentials, body).status_code == 201
        cli = runner(tmp_path, url)
        hours = {f"{to_local(utcnow() + timedelta(seconds=s), 'Asia/Jakarta'):%Y%m%d-%H}"
                 for s in (-5, 0, 60)}
        result = cli.invoke(args=["ledger-hub", "backup", "--to", str(tmp_path / "c")])
        assert result.exit_code == 0, result.output
        [made] = (tmp_path / "c").glob("hub-*.pgdump")
        assert made.name[len("hub-"):len("hub-YYYYMMDD-HH")] in hours   # named in WIB, as it speaks
        assert push(app.test_client(), credentials, later).status_code == 201   # after the backup
        app.extensions["ledger_hub_db"].engine.dispose()

        result = cli.invoke(args=["ledger-hub", "restore", str(made)], input="tidak\n")
        assert result.exit_code == 1 and "Dibatalkan" in result.output
        assert "Hentikan dulu server hub. [y/T]: " in result.output
        assert len(documents(url)) == 3 and beside(url) == []
        try:
            result = cli.invoke(args=["ledger-hub", "restore", str(made)], input="ya\n")
            assert result.exit_code == 0, result.output
            assert f"2 dokumen, skema hub {SCHEMA_VERSION}" in result.output
            assert "Basis data hub dipulihkan" in result.output
            assert "Minta tiap gerai mengirim ulang dokumen yang terkirim sejak saat di bawah (5 menit " \
                   "sebelum dokumen terakhirnya di cadangan ini diterima" in result.output
            # the moment the backup's newest document of the outlet came, in the hub's zone (WIB)
            newest = to_local(received(url) - timedelta(minutes=5), "Asia/Jakarta")
            said = f"{newest:%d-%m-%Y %H:%M} WIB"
            assert f'  KDMP01: terkirim sejak {said}: pos ledger resend --sent-since "{said}"; ' \
                   "pos ledger push" in result.output
            assert documents(url) == sorted(body["document_id"] for body in before)
            [aside] = beside(url)
            assert "_sebelum_" in aside and aside in result.output
            assert len(documents(url.rsplit("/", 1)[0] + "/" + aside)) == 3   # the replaced, whole
            again = hub(url)   # the restored hub takes the outlet's pushes again, once each
            client = again.test_client()
            assert push(client, credentials, later).status_code == 201
            # a request of its own (another second: the same signed request is a replay)
            answer = push(client, credentials, before[0], timestamp=int(time.time()) + 1)
            assert answer.json == {"status": "duplicate", "document_id": before[0]["document_id"]}
            again.extensions["ledger_hub_db"].engine.dispose()
        finally:
            drop(url, beside(url))


@pytest.mark.postgres
def test_an_outlets_backup_a_damaged_file_and_a_newer_hub_schema_change_nothing(tmp_path):
    with throwaway_pg("gerai_hub_restore") as url, throwaway_pg("gerai_outlet_dump") as outlet_url:
        app = hub(url)
        hub_engine = app.extensions["ledger_hub_db"].engine
        with app.extensions["ledger_hub_db"].transaction() as session:
            credentials = outlets.add(session, "KDMP01", "Gerai Desa Makmur")
        assert push(app.test_client(), credentials, document()).status_code == 201
        now = datetime(2026, 11, 30, 21)
        outlet_engine = create_engine(outlet_url, poolclass=NullPool)
        pos.models.metadata.create_all(outlet_engine)
        outlet_dump = pg_dump.take(outlet_engine, tmp_path / "gerai", now).path
        outlet_engine.dispose()
        with hub_engine.begin() as conn:   # a dump made by a newer hub, then this hub's again
            conn.execute(text("UPDATE hub_schema_version SET version = :v"), {"v": SCHEMA_VERSION + 1})
        newer = pg_dump.take(hub_engine, tmp_path / "baru", now, pg_dump.HUB, "hub-").path
        with hub_engine.begin() as conn:
            conn.execute(text("UPDATE hub_schema_version SET version = :v"), {"v": SCHEMA_VERSION})
        damaged = tmp_path / "hub-rusak.pgdump"
        damaged.write_bytes(newer.read_bytes()[:-4096])
        hub_engine.dispose()
        cli = runner(tmp_path, url)
        try:
            for path, said in ((outlet_dump, "bukan cadangan basis data hub buku besar"),
                               (damaged, "rusak"),
                               (newer, f"skema {SCHEMA_VERSION + 1}"),
                               (tmp_path / "tidak-ada.pgdump", "tidak ditemukan")):
                result = cli.invoke(args=["ledger-hub", "restore", "--yes", str(path)])
                assert result.exit_code == 1, result.output
                assert said in result.output and "Tidak ada yang diubah" in result.output
            assert documents(url) == [document()["document_id"]] and beside(url) == []
        finally:   # a restore that should have been refused keeps the hub's database aside
            drop(url, beside(url))
        outlet = build_app(tmp_path / "gerai-app", outlet_url, RecordingPrinter(columns=32), CLI=True)
        result = outlet.test_cli_runner().invoke(args=["restore", "--yes", str(newer)])  # and back
        assert result.exit_code == 1 and "bukan cadangan basis data Gerai POS" in result.output
        outlet.extensions["pos_db"].engine.dispose()


def test_a_running_hub_server_is_never_restored_over(tmp_path):
    """A hub server holds its lock while it serves; the restore refused nothing before."""
    cli = runner(tmp_path, f"sqlite:///{tmp_path / 'hub.db'}")
    instance = tmp_path / "instance"
    held = server_lock.hold(instance, server_lock.HUB_NAME)
    try:
        result = cli.invoke(args=["ledger-hub", "restore", "--yes", str(tmp_path / "hub-x.pgdump")])
        assert result.exit_code == 1
        assert "Server hub masih berjalan di mesin ini" in result.output
        assert "Tidak ada yang diubah" in result.output
        with server_lock.alone(instance):          # the outlet's own lock is another one
            pass
    finally:
        os.close(held)
    result = cli.invoke(args=["ledger-hub", "restore", "--yes", str(tmp_path / "hub-x.pgdump")])
    assert "hanya untuk hub di PostgreSQL" in result.output             # past the lock now


def through(client):
    """``push.push``'s sender, answered by the hub app in this process."""
    def send(url, headers, body):
        answer = client.post("/api/v1/documents", data=body, headers=headers)
        return push_.Answer(answer.status_code, answer.get_json())
    return send


@pytest.mark.postgres
def test_a_day_closed_out_of_order_after_the_backup_is_sent_again_as_the_restore_says(
        tmp_path, sqlite_template):
    """Days close in any order: the outlet pushed D+1, the hub was backed up, then the outlet
    closed and pushed D. The restored hub holds D+1 but not D; resending by business date from
    the newest day held (D+1) leaves D out for good. The restore names a moment instead, and
    the outlet resends every document sent since then."""
    day = book_today(utcnow()) - timedelta(days=10)
    later, earlier = document("KDMP03", f"{day + timedelta(days=1)}"), document("KDMP03", f"{day}")
    with throwaway_pg("gerai_hub_restore") as url:
        app = hub(url)
        with app.extensions["ledger_hub_db"].transaction() as session:
            credentials = outlets.add(session, "KDMP03", "Gerai Desa Maju")
        shutil.copyfile(sqlite_template, tmp_path / "pos.db")
        outlet = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", RecordingPrinter(columns=32),
                           LEDGER_DATABASE_URL=url, CLI=True, OUTLET_CODE="KDMP03",
                           LEDGER_URL="http://hub.test", LEDGER_TOKEN=credentials.token,
                           LEDGER_SECRET=credentials.secret)
        database = get_db(outlet)

        def close_and_push(body: dict, hub_app) -> push_.Run:
            with database.transaction() as session:
                outbox.enqueue(session, {k: v for k, v in body.items() if k != "hash"})
            return push_.push(database, url="http://hub.test", outlet_code="KDMP03",
                              token=credentials.token, secret=credentials.secret,
                              send=through(hub_app.test_client()))

        assert close_and_push(later, app).sent == [later["document_id"]]
        cli = outlet.test_cli_runner()
        result = cli.invoke(args=["ledger-hub", "backup", "--to", str(tmp_path / "c")])
        assert result.exit_code == 0, result.output
        [made] = (tmp_path / "c").glob("hub-*.pgdump")
        assert close_and_push(earlier, app).sent == [earlier["document_id"]]
        app.extensions["ledger_hub_db"].engine.dispose()
        try:
            result = cli.invoke(args=["ledger-hub", "restore", "--yes", str(made)])
            assert result.exit_code == 0, result.output
            assert documents(url) == [later["document_id"]]
            assert "terkirim sejak" in result.output
            [told] = [line for line in result.output.splitlines() if line.startswith("  KDMP03: ")]
            assert "pos ledger resend" in told, result.output
            command = shlex.split(told.split(": ", 1)[1].split("pos ", 1)[1].split(";")[0])
            resent = cli.invoke(args=command)
            assert resent.exit_code == 0, resent.output
            assert "2 dokumen dijadwalkan kirim ulang" in resent.output
            again = hub(url)
            # The test runs in about a second: a resend signed in the second of the first send is
            # that request again, which the restored hub refuses as a replay (the outlet would
            # retry later); sign it as a resend after a restore is, seconds later at least.
            try:
                run = push_.push(database, url="http://hub.test", outlet_code="KDMP03",
                                 token=credentials.token, secret=credentials.secret,
                                 send=through(again.test_client()),
                                 now=lambda: utcnow() + timedelta(seconds=5))
            finally:
                again.extensions["ledger_hub_db"].engine.dispose()
            assert run.sent == [later["document_id"], earlier["document_id"]]
            assert run.duplicates == [later["document_id"]]
            assert documents(url) == sorted([later["document_id"], earlier["document_id"]])
        finally:
            database.engine.dispose()
            drop(url, beside(url))
