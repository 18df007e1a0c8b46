"""The push's hot path (``writes``, ``database``): few statements, rows stored exactly as the
old per-row inserts stored them, and the pool and partition shortcuts safe when things change
behind the hub's back."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.exc import DBAPIError

from pos.clock import utcnow
from pos.ledger_hub import database, schema, serving, writes
from pos.ledger_hub.app import create_hub_app
from pos.ledger_hub.models import HubJournalLine
from pos.ledger_hub.shu_models import HubMemberPurchase, HubMemberSaving
from tests.ledger_hub.helpers import document, headers, push

ONLY_PG = pytest.mark.parametrize("hub_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                                  indirect=True)


def statements_of(hub_app, hub_client, creds, doc) -> list[str]:
    seen: list[str] = []
    engine = hub_app.extensions["ledger_hub_db"].engine

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement.split()[0])

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert push(hub_client, creds, doc).status_code == 201
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def test_a_push_of_a_known_month_takes_three_statements_on_postgresql(hub_app, hub_client, hub_url, creds):
    """Authenticate; signature and document; lines and SHU basis (plus BEGIN and COMMIT).
    SQLite gets one plain statement per step and table."""
    for day in ("2026-11-28", "2026-11-29"):   # the month made (if new), then found and remembered
        assert push(hub_client, creds, document(day=day)).status_code == 201
    hub_app.extensions["ledger_hub_pruned"] = utcnow()
    doc = document(summary={**document()["summary"], "member_purchases": [
        {"number": "A-1", "name": "Siti", "total": 5_000}], "member_savings": [
        {"number": "A-1", "name": "Siti", "pokok": 0, "wajib": 10_000, "sukarela": 0, "repayments": 0}]})
    seen = statements_of(hub_app, hub_client, creds, doc)
    if hub_url.startswith("postgresql"):
        assert seen == ["SELECT", "WITH", "WITH"]
    else:
        assert seen == ["BEGIN", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT", "INSERT"]


def test_names_are_stored_as_sent_but_without_control_characters(hub_client, hub_db, creds):
    tricky = 'Kopi "Toraja" \\ ½ kg, {a,b} 🙂'
    journal = [{"account": "111000", "name": tricky, "debit": 7_000, "credit": 0, "memo": "baris\tdua\x1bp"},
               {"account": "411100", "name": "Penjualan\x07", "debit": 0, "credit": 7_000, "unit": None,
                "member": None, "memo": ""}]
    summary = {**document()["summary"], "member_purchases": [
        {"number": " A-1 ", "name": "Siti\x1b", "total": 7_000}, {"number": "B-2", "name": None, "total": 0}]}
    assert push(hub_client, creds, document(journal=journal, summary=summary)).status_code == 201
    with hub_db.reading() as s:
        lines = s.execute(select(HubJournalLine.name, HubJournalLine.memo, HubJournalLine.unit,
                                 HubJournalLine.member).order_by(HubJournalLine.line_no)).all()
        bought = s.execute(select(HubMemberPurchase.number, HubMemberPurchase.name, HubMemberPurchase.amount)
                           .order_by(HubMemberPurchase.number)).all()
    assert [tuple(line) for line in lines] == [(tricky, "baris duap", None, None),
                                               ("Penjualan", "", None, None)]
    assert [tuple(row) for row in bought] == [("A-1", "Siti", 7_000), ("B-2", "", 0)]


def test_a_correction_without_lines_or_basis_is_stored(hub_client, hub_db, creds):
    doc = document(kind="correction", journal=[], summary={"note": "salah ketik"})
    assert push(hub_client, creds, doc).status_code == 201
    with hub_db.reading() as s:
        assert s.execute(select(HubJournalLine)).first() is None
        assert s.execute(select(HubMemberSaving)).first() is None


def test_a_replay_with_another_idempotency_key_is_still_a_replay(hub_client, hub_db, creds):
    """The signature does not cover the headers: a captured request replayed with a changed
    Idempotency-Key is refused as the replay it is, before the document is looked at."""
    from pos.ledger_hub import protocol

    doc = document()
    body = protocol.canonical(doc)
    sent = headers(creds, body, document_id=doc["document_id"], timestamp=int(time.time()))
    assert hub_client.post("/api/v1/documents", data=body, headers=sent).status_code == 201
    replayed = hub_client.post("/api/v1/documents", data=body, headers={**sent, "Idempotency-Key": "lain"})
    assert (replayed.status_code, replayed.json["error"]) == (401, "replay")


@ONLY_PG
def test_a_value_too_long_for_its_column_fails_instead_of_being_cut(hub_db):
    row = {"business_date": utcnow().date(), "document_id": "D-1", "line_no": 1, "outlet_code": "KDMP01",
           "account": "1" * 21, "name": "Kas", "debit": 1, "credit": 0, "memo": "", "unit": None,
           "member": None}
    with pytest.raises(DBAPIError), hub_db.rehearsal() as s:
        schema.ensure_month(s, row["business_date"])
        writes.insert_rows(s, {HubJournalLine.__table__: [row]})


@ONLY_PG
def test_a_month_partition_taken_away_fails_one_push_then_is_made_again(hub_app, hub_client, hub_db, creds):
    assert push(hub_client, creds, document(day="2019-04-10")).status_code == 201
    assert push(hub_client, creds, document(day="2019-04-11")).status_code == 201   # the month is known now
    with hub_db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE hub_journal_line DETACH PARTITION hub_journal_line_p201904"))
        conn.execute(text("ALTER TABLE hub_journal_line_p201904 RENAME TO archived_201904"))
    try:
        with pytest.raises(DBAPIError):
            push(hub_client, creds, document(day="2019-04-12"))
        again = push(hub_client, creds, document(day="2019-04-12"), timestamp=int(time.time()) + 1)
        assert again.status_code == 201
        with hub_db.engine.connect() as conn:
            assert "hub_journal_line_p201904" in schema.partitions(conn)
            assert conn.execute(text("SELECT count(*) FROM hub_journal_line_p201904")).scalar() == 4
    finally:
        with hub_db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS archived_201904"))


@ONLY_PG
def test_a_busy_connection_is_not_pinged_but_an_idle_dead_one_is_replaced(hub_app, hub_client, hub_url, creds,
                                                                          monkeypatch):
    engine = hub_app.extensions["ledger_hub_db"].engine
    pings: list[int] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))
    assert push(hub_client, creds, document(day="2026-11-01")).status_code == 201
    assert push(hub_client, creds, document(day="2026-11-02")).status_code == 201
    assert pings == []
    admin = create_engine(hub_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:   # the server drops the hub's idle connections (a restart)
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    admin.dispose()
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0)
    assert push(hub_client, creds, document(day="2026-11-03")).status_code == 201
    assert len(pings) >= 1


@ONLY_PG
def test_serve_keeps_one_connection_per_thread_and_does_not_log_each_queued_request(hub_url, tmp_path,
                                                                                     monkeypatch):
    import logging

    import waitress

    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(app=app, **options))
    serving._serve(None, {"DATABASE_URL": hub_url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"}, 3)
    engine = served["app"].extensions["ledger_hub_db"].engine
    assert (served["threads"], engine.pool.size()) == (3, 3)
    assert logging.getLogger("waitress.queue").getEffectiveLevel() == logging.ERROR
    engine.dispose()
    other = create_hub_app({"DATABASE_URL": hub_url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert other.extensions["ledger_hub_db"].engine.pool.size() == database.DEFAULT_POOL_SIZE
    other.extensions["ledger_hub_db"].engine.dispose()
