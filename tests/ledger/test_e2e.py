"""Outlet to hub, end to end: a real hub process (``pos ledger-hub serve``, waitress on
127.0.0.1, PostgreSQL behind it) and a real outlet (SQLite, days closed through the services by
the demo history) pushing over HTTP with ``pos ledger push`` / ``push.push``.

Whatever happens on the way (here: the hub down for days, killed mid-request; in
``test_e2e_refusals``: duplicates, a tampered body, a wrong token, a replay, an unbalanced
document, another outlet's code) every day arrives once, in order, the hub's trial balance
balances and its day report equals the outlet's ``pos report day --json``.  The outlet and the
hub are made once per test process (``conftest``); PostgreSQL only (the hub's production engine).
"""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from sqlalchemy import select, text

from pos.chart import chart
from pos.clock import business_date, to_local, utcnow
from pos.db import get_db
from pos.ledger import kasbon_books, push
from pos.ledger.models import LedgerOutbox, OutboxStatus
from pos.ledger_hub import schema
from tests.ledger.conftest import DAYS

pytestmark = pytest.mark.postgres
COMPARED = ("sale_count", "gross", "total", "payments", "business_units")


def cli(app, *args: str):
    result = app.test_cli_runner().invoke(args=list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def queued(app) -> list[tuple[str, OutboxStatus, int]]:
    with get_db(app).reading() as s:
        return [(r.document_id, r.status, r.attempts)
                for r in s.scalars(select(LedgerOutbox).order_by(LedgerOutbox.id))]


def the_days(app) -> list[str]:
    return [document_id for document_id, _, _ in queued(app)]


def assert_books_agree(app, hub) -> None:
    """Every document once, the trial balance balanced, each day's report equal to the outlet's."""
    held = hub.documents()
    assert len(held) == len({d for d, _ in held})
    balance = json.loads(cli(app, "ledger-hub", "trial-balance", "--json").output)
    assert balance["balanced"] and balance["debit"] == balance["credit"] > 0
    for document_id, day in held:
        at_hub = json.loads(cli(app, "ledger-hub", "report", "--outlet", "TST01", "--date",
                                day.isoformat(), "--json").output)
        at_outlet = json.loads(cli(app, "report", "day", "--date", day.isoformat(), "--json").output)
        assert {k: at_hub[k] for k in COMPARED} == {k: at_outlet[k] for k in COMPARED}, document_id
        assert at_hub["debit"] == at_hub["credit"] and at_outlet["closed"]


def test_the_happy_path_every_day_once_and_the_books_agree(make_outlet, hub):
    app = make_outlet()
    days = the_days(app)
    assert len(days) == DAYS
    pushed = cli(app, "ledger", "push")
    assert pushed.exit_code == 0, pushed.output
    assert pushed.output.splitlines() == [f"terkirim {d}" for d in days] + ["selesai"]
    assert [d for d, _ in hub.documents()] == days
    assert [status for _, status, _ in queued(app)] == [OutboxStatus.SENT] * DAYS
    again = cli(app, "ledger", "push", "--force")
    assert again.exit_code == 0 and again.output.strip() == "antrean kosong"
    assert len(hub.documents()) == DAYS
    status = json.loads(cli(app, "ledger", "status", "--json").output)
    assert status == {"pending": 0, "rejected": 0, "oldest_pending": None, "last_error": None,
                      "voided": [], "hub_configured": True}
    assert_books_agree(app, hub)
    with get_db(app).reading() as s:   # the demo's kasbon (old days, sales, returns, repayments)
        books = kasbon_books.reconcile(s, chart())
    assert books.owed > 0 and books.journal > 0 and (books.difference, books.causes) == (0, [])
    sample = hub.documents()[0][1]
    with hub.engine.connect() as conn:
        assert f"hub_journal_line_p{sample:%Y%m}" in schema.partitions(conn)


def test_the_hub_down_for_days_then_up_everything_arrives_once_in_order(make_outlet, hub):
    app = make_outlet()
    hub.stop()
    for _ in range(3):   # three timer runs while the hub is down: the first document waits
        down = cli(app, "ledger", "push", "--force")
        assert down.exit_code == 1 and "hub tidak terjangkau" in down.output
    assert [(s, a) for _, s, a in queued(app)] == [(OutboxStatus.PENDING, 3)] + \
        [(OutboxStatus.PENDING, 0)] * (DAYS - 1)
    waiting = json.loads(cli(app, "ledger", "status", "--json").output)
    assert waiting["pending"] == DAYS and "hub tidak terjangkau" in waiting["last_error"]
    held_back = cli(app, "ledger", "push")   # without --force the backoff holds it, saying until when
    assert held_back.exit_code == 1 and "menunggu jadwal coba lagi" in held_back.output
    with get_db(app).reading() as s:
        due = s.scalar(select(LedgerOutbox.next_attempt_at).order_by(LedgerOutbox.id))
    assert (f"(berikutnya {to_local(due, app.config['TIMEZONE']):%d-%m-%Y %H:%M} WITA; "
            "pos ledger push --force mengirim sekarang)") in held_back.output
    # Meanwhile the outlet closes today too: the queue only grows.
    today = business_date(utcnow(), app.config["TIMEZONE"])
    closed = cli(app, "day", "close", "--date", today.isoformat())
    assert closed.exit_code == 0, closed.output
    days = the_days(app)
    assert len(days) == DAYS + 1 and days[-1] == f"TST01-{today.isoformat()}-day"
    hub.start()
    up = cli(app, "ledger", "push", "--force")
    assert up.exit_code == 0, up.output
    held = hub.documents()
    assert [d for d, _ in held] == days                       # once each, in order
    assert [day for _, day in held] == sorted(day for _, day in held)
    assert_books_agree(app, hub)


def test_a_hub_restored_from_an_older_backup_gets_what_it_lost_once(make_outlet, hub):
    """A hub put back to a backup made after the first two days has lost the last two, which the
    outlet holds sent; ``pos ledger resend`` sends again from a day, and the hub keeps each
    document once (what it still has answers as a duplicate)."""
    app = make_outlet()
    days = the_days(app)
    assert cli(app, "ledger", "push").exit_code == 0
    lost = [(d, day) for d, day in hub.documents()][2:]
    with hub.engine.begin() as conn:            # as the restored backup has it: without them
        for table in ("hub_journal_line", "hub_member_purchase", "hub_member_saving", "hub_document"):
            conn.execute(text(f"DELETE FROM {table} WHERE document_id = ANY(:ids)"),
                         {"ids": [d for d, _ in lost]})
    assert [d for d, _ in hub.documents()] == days[:2]
    assert cli(app, "ledger", "push").output.strip() == "antrean kosong"   # the outlet cannot know
    first = hub.documents()[1][1]                                          # resent from day 2 on
    bad = cli(app, "ledger", "resend", "--from", f"{first:%d-%m-%Y}", "--to", "01-01-2000")
    assert bad.exit_code == 1 and "Tanggal awal harus sebelum" in bad.output
    again = cli(app, "ledger", "resend", "--from", f"{first:%d-%m-%Y}")
    assert again.exit_code == 0 and again.output.strip() == \
        f"{DAYS - 1} dokumen dijadwalkan kirim ulang (kirim sekarang dengan pos ledger push)."
    assert [s for _, s, _ in queued(app)] == [OutboxStatus.SENT] + [OutboxStatus.PENDING] * (DAYS - 1)
    time.sleep(1.1)   # a request signed in the same second as the first push is a replay to the hub
    pushed = cli(app, "ledger", "push")
    assert pushed.exit_code == 0, pushed.output
    # the day the hub kept is said to be there already: booked once, not sent as new
    assert pushed.output.splitlines() == \
        [f"sudah ada di hub {days[1]} (duplikat, tidak dibukukan dua kali)"] \
        + [f"terkirim {d}" for d in days[2:]] + ["selesai"]
    assert sorted(d for d, _ in hub.documents()) == sorted(days)            # once each
    assert [s for _, s, _ in queued(app)] == [OutboxStatus.SENT] * DAYS
    assert_books_agree(app, hub)


def test_the_hub_killed_mid_request_loses_and_doubles_nothing(make_outlet, hub):
    app = make_outlet()
    days = the_days(app)
    creds = hub.creds["TST01"]
    blocker = hub.engine.connect()
    blocker.execute(text("LOCK TABLE hub_document IN ACCESS EXCLUSIVE MODE"))   # the hub's insert waits
    outcome: dict = {}
    worker = threading.Thread(target=lambda: outcome.update(run=push.push(
        get_db(app), url=hub.url, outlet_code="TST01", token=creds.token, secret=creds.secret)))
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:   # wait until the hub's request is in flight
            waiting = blocker.execute(text("SELECT count(*) FROM pg_stat_activity WHERE "
                                           "wait_event_type = 'Lock' AND datname = current_database()"))
            if waiting.scalar_one():
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the hub never reached the database")
        hub.stop(kill=True)
    finally:
        blocker.rollback()
        blocker.close()
    worker.join(timeout=30)
    run = outcome["run"]
    assert run.sent == [] and run.stopped and run.waiting == DAYS
    assert [s for _, s, _ in queued(app)] == [OutboxStatus.PENDING] * DAYS
    assert hub.documents() == []   # the killed request's transaction never committed
    hub.start()
    again = push.push(get_db(app), url=hub.url, outlet_code="TST01", token=creds.token,
                      secret=creds.secret, force=True)
    assert again.sent == days and again.stopped is None
    assert [d for d, _ in hub.documents()] == days
    assert_books_agree(app, hub)


def post(hub, body: bytes, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(f"{hub.url}/api/v1/documents", data=body, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("tail", ["/api/v1", "/api/v1/", "/api/v1/documents"])
def test_a_ledger_url_with_the_api_path_reaches_the_hub(make_outlet, hub, tail):
    """``pos ledger-hub serve`` printed ".../api/v1" and the outlet appended /api/v1/documents
    to it: HTTP 404. The API's own path at the end of POS_LEDGER_URL is now the hub's address."""
    app = make_outlet(LEDGER_URL=hub.url.rstrip("/") + tail)
    pushed = cli(app, "ledger", "push")
    assert pushed.exit_code == 0, pushed.output
    assert len(hub.documents()) == DAYS


@pytest.mark.parametrize("tail", ["/hub", "/api/v2"])
def test_a_wrong_ledger_url_path_is_named_as_the_fault(make_outlet, hub, tail):
    """A path after the hub's address answered 404, and the manager read "HTTP 404: jawaban hub
    bukan JSON (HTTP 404)" (the status twice, the setting never) or the hub's own words about its
    API's address."""
    app = make_outlet(LEDGER_URL=hub.url.rstrip("/") + tail)
    pushed = cli(app, "ledger", "push")
    assert pushed.exit_code == 1
    assert pushed.output.count("HTTP 404") == 1 and "periksa POS_LEDGER_URL" in pushed.output
    assert "tanpa /api/v1/documents" in pushed.output
    assert hub.documents() == []
    status = json.loads(cli(app, "ledger", "status", "--json").output)
    assert status["pending"] == DAYS and "periksa POS_LEDGER_URL" in status["last_error"]


def test_two_pushes_at_once_send_each_day_once_and_neither_says_it_waits(make_outlet, hub):
    """The timer's push and Kirim sekarang at the same moment: the one that lost the race to a
    document was answered "replay" and stopped with "4 dokumen masih menunggu: HTTP 401: …
    (replay).; dikirim ulang nanti", though the other had sent them all. Both sign in the same
    second here, so every document is a replay for one of them."""
    app = make_outlet()
    days = the_days(app)
    creds = hub.creds["TST01"]
    moment = utcnow()
    start = threading.Barrier(2)
    runs: list = []

    def one_push():
        start.wait()
        runs.append(push.push(get_db(app), url=hub.url, outlet_code="TST01", token=creds.token,
                              secret=creds.secret, now=lambda: moment))
    workers = [threading.Thread(target=one_push) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert len(runs) == 2
    for run in runs:
        assert run.stopped is None and run.waiting == 0 and run.duplicates == []
        assert sorted(run.sent + run.elsewhere) == sorted(days)
    assert sorted(runs[0].sent + runs[1].sent) == sorted(days)   # each sent by one of them
    assert runs[0].elsewhere or runs[1].elsewhere
    assert [s for _, s, _ in queued(app)] == [OutboxStatus.SENT] * DAYS
    assert sorted(d for d, _ in hub.documents()) == sorted(days)
    assert_books_agree(app, hub)
