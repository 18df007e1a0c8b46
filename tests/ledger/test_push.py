"""The outbox push: in order, once, nothing dropped, whatever the hub answers."""
from __future__ import annotations

import contextlib
import errno
import functools
import json
import random
import socket
import ssl
import threading
import urllib.error
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from pos.ledger import outbox, push
from pos.ledger.models import LedgerOutbox, OutboxStatus
from pos.ledger_hub import protocol
from tests.factories import login, make_user

NOW = datetime(2026, 11, 30, 12, 0, 0)


def document(n: int, kind: str = "day") -> dict:
    return {"schema": "gerai-pos.ledger-document", "version": 1,
            "document_id": f"TST01-2026-11-{n:02d}-{kind}", "outlet_code": "TST01", "kind": kind,
            "business_date": f"2026-11-{n:02d}", "created_at": "2026-11-30T04:00:00Z",
            "currency": "IDR", "summary": {"sale_count": n},
            "journal": [{"account": "111000", "name": "Kas", "debit": 1000 * n, "credit": 0,
                         "memo": "", "unit": None, "member": None},
                        {"account": "411000", "name": "Penjualan", "debit": 0, "credit": 1000 * n,
                         "memo": "", "unit": "sembako", "member": False}]}


@pytest.fixture
def queued(db):
    with db.transaction() as s:
        for n in (1, 2, 3):
            outbox.enqueue(s, document(n))
    return db


class Hub:
    """A scripted hub: answers in turn, records what it was sent and checks the signature."""

    def __init__(self, *answers):
        self.answers, self.seen = list(answers), []

    def __call__(self, url, headers, body):
        assert url == "http://hub.test/api/v1/documents"
        expected = protocol.sign("rahasia", headers["X-Gerai-Timestamp"], body)
        assert headers["X-Gerai-Signature"] == expected
        assert headers["Authorization"] == "Bearer token-1"
        sent = json.loads(body)
        assert headers["Idempotency-Key"] == sent["document_id"]
        self.seen.append(sent["document_id"])
        answer = self.answers.pop(0)
        return answer(sent) if callable(answer) else answer


def stored(sent):
    return push.Answer(201, {"status": "stored", "document_id": sent["document_id"]})


def run(db, hub, **kw):
    return push.push(db, url="http://hub.test/", outlet_code="TST01", token="token-1",
                     secret="rahasia", send=hub, now=lambda: NOW, rng=random.Random(1), **kw)


def rows(db):
    with db.reading() as s:
        return [(r.document_id, r.status, r.attempts, r.last_error)
                for r in s.scalars(select(LedgerOutbox).order_by(LedgerOutbox.id))]


def test_documents_go_in_order_and_are_marked_sent(queued):
    hub = Hub(stored, stored, stored)
    result = run(queued, hub)
    assert hub.seen == [f"TST01-2026-11-0{n}-day" for n in (1, 2, 3)]
    assert result.sent == hub.seen and result.stopped is None
    assert [r[1] for r in rows(queued)] == [OutboxStatus.SENT] * 3
    assert run(queued, Hub()).sent == []  # nothing sent twice


def test_the_body_sent_is_the_stored_text_with_its_hash(queued):
    bodies = []

    def keep(url, headers, body):
        bodies.append(body)
        return stored(json.loads(body))

    run(queued, keep)
    first = json.loads(bodies[0])
    assert first["hash"] == protocol.content_hash({k: v for k, v in first.items() if k != "hash"})
    with queued.reading() as s:
        assert s.scalar(select(LedgerOutbox.body).order_by(LedgerOutbox.id)).encode() == bodies[0]


@pytest.mark.parametrize("answer", [
    push.Answer(0, None, "hub tidak terjangkau: timed out"),
    push.Answer(503, {"error": "down"}),
    push.Answer(200, None, "jawaban hub bukan JSON"),
    push.Answer(200, {"status": "stored", "document_id": "another"}),
])
def test_a_hub_down_slow_or_talking_garbage_leaves_the_queue_whole(queued, answer):
    result = run(queued, Hub(answer))
    assert result.sent == [] and result.waiting == 3 and result.stopped
    state = rows(queued)
    assert [r[1] for r in state] == [OutboxStatus.PENDING] * 3
    assert state[0][2] == 1 and state[0][3]  # one attempt counted, the error kept
    assert run(queued, Hub()).sent == []     # the backoff holds the next run back
    later = push.push(queued, url="http://hub.test", outlet_code="TST01", token="token-1",
                      secret="rahasia", send=Hub(stored, stored, stored),
                      now=lambda: NOW + timedelta(hours=2))
    assert len(later.sent) == 3


def test_an_invalid_document_is_rejected_shown_and_the_rest_still_go(queued):
    invalid = push.Answer(422, {"error": "invalid", "message": "debit tidak sama dengan kredit"})
    result = run(queued, Hub(invalid, stored, stored))
    assert result.rejected == ["TST01-2026-11-01-day"] and len(result.sent) == 2
    with queued.reading() as s:
        state = outbox.state(s)
    assert state.rejected == 1 and state.pending == 0
    assert "debit tidak sama dengan kredit" in state.message
    assert run(queued, Hub()).rejected == []  # never retried by itself


def test_wrong_credentials_stop_the_run_without_using_up_attempts(queued):
    result = run(queued, Hub(push.Answer(401, {"error": "unauthorized", "message": "token salah"})))
    assert result.stopped and "token salah" in result.stopped
    assert rows(queued)[0][1:3] == (OutboxStatus.PENDING, 0)


def test_a_deactivated_outlet_stops_the_run_as_the_outlets_refusal_not_its_credentials(queued):
    result = run(queued, Hub(push.Answer(403, {"error": "unauthorized",
                                               "message": "Gerai TST01 dinonaktifkan di hub."})))
    assert result.stopped == "hub menolak kiriman gerai ini (HTTP 403): Gerai TST01 dinonaktifkan di hub."
    with queued.reading() as s:
        assert outbox.state(s).refused_credentials            # the doctor warns at once
    assert rows(queued)[0][1:3] == (OutboxStatus.PENDING, 0)


def test_documents_made_under_another_code_are_not_sent(queued):
    hub = Hub()
    result = push.push(queued, url="http://hub.test/", outlet_code="KDMP01", token="token-1",
                       secret="rahasia", send=hub, now=lambda: NOW)
    assert hub.seen == [] and result.sent == [] and result.waiting == 3
    # the outlet's own setting: nothing went to the hub, so the hub is not said to refuse anything
    assert result.stopped.startswith("tidak dikirim: dokumen TST01-2026-11-01-day dibuat "
                                     "dengan kode gerai TST01, sedangkan POS_OUTLET_CODE sekarang KDMP01.")
    assert "menolak" not in result.stopped and ".;" not in result.stopped
    assert [r[1:3] for r in rows(queued)] == [(OutboxStatus.PENDING, 0)] * 3
    with queued.reading() as s:
        state = outbox.state(s)
    assert state.refused_credentials and state.held_at_outlet and "KDMP01" in state.last_error
    assert state.refusal.startswith("dokumen TST01-2026-11-01-day dibuat dengan kode gerai TST01")


def test_a_refusal_by_the_hub_is_not_the_outlets_own_setting(queued):
    run(queued, Hub(push.Answer(401, {"error": "unauthorized", "message": "token salah"})))
    with queued.reading() as s:
        state = outbox.state(s)
    assert state.refused_credentials and not state.held_at_outlet
    assert state.refusal == "(HTTP 401): token salah"


def test_a_duplicate_answer_is_sent_and_told_apart(queued):
    def duplicate(sent):
        return push.Answer(200, {"status": "duplicate", "document_id": sent["document_id"]})
    result = run(queued, Hub(stored, duplicate, stored))
    assert result.sent == [f"TST01-2026-11-0{n}-day" for n in (1, 2, 3)]
    assert result.duplicates == ["TST01-2026-11-02-day"]
    assert [r[1] for r in rows(queued)] == [OutboxStatus.SENT] * 3


def test_backoff_doubles_with_jitter_and_is_capped():
    rng = random.Random(7)
    waits = [push.backoff(n, rng) for n in range(1, 12)]
    assert all(push.BASE_DELAY * 2 ** (n - 1) // 2 <= w <= push.BASE_DELAY * 2 ** (n - 1)
               for n, w in enumerate(waits[:6], start=1))
    assert max(waits) <= push.MAX_DELAY


def test_the_manager_reads_how_many_days_wait(queued):
    run(queued, Hub(push.Answer(0, None, "hub tidak terjangkau")))
    with queued.reading() as s:
        state = outbox.state(s)
    assert state.pending == 3 and state.oldest_pending == date(2026, 11, 1)
    assert state.message.startswith("3 hari belum terkirim ke buku besar koperasi (sejak 01-11-2026)")


def test_the_same_document_cannot_be_queued_twice(queued):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with queued.transaction() as s:
            outbox.enqueue(s, document(1))
    assert len(rows(queued)) == 3


REPLAY = push.Answer(401, {"error": "replay",
                           "message": "Permintaan yang sama persis sudah diterima (replay)."})


def test_a_replay_answer_is_retried_later_not_a_credentials_stop(queued, monkeypatch):
    monkeypatch.setattr(push, "REPLAY_SETTLE", timedelta(milliseconds=200))
    result = run(queued, Hub(REPLAY))
    state = rows(queued)
    assert result.sent == [] and state[0][1:3] == (OutboxStatus.PENDING, 1)  # an attempt, backoff
    assert state[0][3] == "HTTP 401: Permintaan yang sama persis sudah diterima (replay); dikirim ulang nanti"
    assert result.stopped == state[0][3] and result.waiting == 3


def _sent_by_another_run(db, *ids):
    """What a second push running at the same moment does: marks these rows sent."""
    with db.transaction() as s:
        s.execute(update(LedgerOutbox).where(LedgerOutbox.document_id.in_(ids))
                  .values(status=OutboxStatus.SENT, sent_at=NOW, last_error=None))


def test_a_replay_of_a_document_another_run_sent_is_counted_as_sent_there_and_the_run_goes_on(queued):
    """Two pushes at once (the timer and Kirim sekarang): the one that lost the race got "replay"
    for a document the other had sent, said "3 dokumen masih menunggu: … (replay).; dikirim
    ulang nanti" and stopped, though nothing waited."""
    first = "TST01-2026-11-01-day"

    def replay_after_the_other_run(sent):
        _sent_by_another_run(queued, first)
        return REPLAY
    result = run(queued, Hub(replay_after_the_other_run, stored, stored))
    assert result.stopped is None and result.waiting == 0
    assert result.elsewhere == [first] and result.sent == [f"TST01-2026-11-0{n}-day" for n in (2, 3)]
    assert [r[1] for r in rows(queued)] == [OutboxStatus.SENT] * 3
    assert rows(queued)[0][2:] == (0, None)   # no attempt counted, no error left


def test_a_replay_waits_briefly_for_the_other_run_to_record_its_answer(queued):
    first = "TST01-2026-11-01-day"

    def replay_answered_before_the_other_run_recorded_it(sent):
        threading.Timer(0.2, _sent_by_another_run, (queued, first)).start()
        return REPLAY
    result = run(queued, Hub(replay_answered_before_the_other_run_recorded_it, stored, stored))
    assert result.stopped is None and result.elsewhere == [first] and len(result.sent) == 2


def test_a_stopped_run_counts_what_still_waits_not_what_another_run_sent_meanwhile(queued):
    def down_while_the_other_run_sent_the_rest(sent):
        _sent_by_another_run(queued, "TST01-2026-11-02-day", "TST01-2026-11-03-day")
        return push.Answer(503, None, "jawaban hub bukan JSON")
    result = run(queued, Hub(down_while_the_other_run_sent_the_rest))
    assert result.stopped and result.waiting == 1


def test_no_message_of_the_push_puts_a_semicolon_after_a_full_stop():
    for answer in (REPLAY, push.Answer(401, {"error": "unauthorized", "message": "Token salah."}),
                   push.Answer(500, {"error": "server", "message": "Galat server."})):
        assert ".;" not in push.classify(answer, "X")[1]
    assert ".;" not in push._other_code("X", "GERAI01", "KDMP02")


# Why a push got no answer, in words a manager can act on (real sockets on 127.0.0.1).

def _port_nobody_listens_on() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _hub_that(behaviour: str):
    """A listener that answers nothing (``silent``) or hangs up on each request (``hang_up``)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            if behaviour == "hang_up":
                conn.recv(65536)
                conn.close()
            else:
                held.append(conn)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1/documents"
    finally:
        listener.close()
        for conn in held:
            conn.close()


def test_no_answer_says_why_in_indonesian():
    refused = push.http_send(f"http://127.0.0.1:{_port_nobody_listens_on()}/x", {}, b"{}")
    assert refused.status == 0 and refused.error.startswith(
        "hub tidak terjangkau: sambungan ditolak (layanan hub mati?) (")
    with _hub_that("silent") as url:
        slow = push.http_send(url, {}, b"{}", timeout=0.3)
    assert slow.error.startswith("hub tidak terjangkau: tidak ada jawaban dalam 0.3 detik (")
    with _hub_that("hang_up") as url:
        cut = push.http_send(url, {}, b"{}")
    assert cut.error.startswith("hub tidak terjangkau: sambungan diputus sebelum hub menjawab (")
    for bad in ("hub.koperasi.id/api", "ftp:/hub"):
        assert "alamat hub (POS_LEDGER_URL) tidak sah" in push.http_send(bad, {}, b"{}").error


@pytest.mark.parametrize("error,words", [
    (urllib.error.URLError(socket.gaierror(-2, "Name or service not known")),
     "alamat hub tidak ditemukan (periksa internet dan POS_LEDGER_URL)"),
    (urllib.error.URLError(ssl.SSLCertVerificationError(1, "certificate verify failed")),
     "sertifikat TLS hub tidak sah"),
    (urllib.error.URLError(OSError(errno.ENETUNREACH, "Network is unreachable")),
     "tidak ada jaringan ke hub (periksa internet)"),
    (urllib.error.URLError(OSError(errno.EIO, "Input/output error")), "galat jaringan"),
])
def test_each_cause_has_its_words_and_keeps_the_systems(error, words):
    said = push.unreachable(error)
    assert said.startswith(words + " (") and str(error.reason) in said


@pytest.mark.parametrize("pending, rejected, error, words", [
    (3, 0, None, "hari belum terkirim ke buku besar koperasi (sejak 01-11-2026)"),
    (3, 2, "hub mati", "hari belum masuk buku besar koperasi: 3 belum terkirim (sejak 01-11-2026), "
                       "2 ditolak hub, perlu diperiksa. Galat terakhir: hub mati"),
    (0, 2, None, "hari ditolak hub buku besar koperasi, perlu diperiksa"),
])
def test_the_home_pages_words_do_not_repeat_the_count(pending, rejected, error, words):
    from datetime import date as day
    state = outbox.State(pending, rejected, day(2026, 11, 1) if pending else None, error)
    assert state.waiting_words == words


def test_the_error_shown_is_the_one_that_stops_sending_now(queued):
    """A later day rejected earlier kept its HTTP 409 on every screen while the days waiting
    were refused for another reason (the outlet deactivated on the hub)."""
    with queued.transaction() as s:
        first, _, last = s.scalars(select(LedgerOutbox).order_by(LedgerOutbox.id)).all()
        last.status, last.last_error = OutboxStatus.REJECTED, "ditolak hub (HTTP 409)"
        first.last_error = "HTTP 403: Gerai TST01 dinonaktifkan di hub"
    with queued.reading() as s:
        assert outbox.state(s).last_error == "HTTP 403: Gerai TST01 dinonaktifkan di hub"


def test_status_says_when_no_hub_is_set_up(app_factory):
    """The status a manager reads at the command line says why nothing leaves: no hub set."""
    bare = app_factory(LEDGER_URL="", LEDGER_TOKEN="", LEDGER_SECRET="")
    said = bare.test_cli_runner().invoke(args=["ledger", "status"])
    assert said.exit_code == 0 and said.output.splitlines()[-1] == f"Hub belum diatur: {push.NOT_CONFIGURED}"
    data = json.loads(bare.test_cli_runner().invoke(args=["ledger", "status", "--json"]).output)
    assert data["hub_configured"] is False
    set_up = app_factory(LEDGER_URL="http://127.0.0.1:9/ledger", LEDGER_TOKEN="t", LEDGER_SECRET="s")
    said = set_up.test_cli_runner().invoke(args=["ledger", "status"])
    assert "Hub belum diatur" not in said.output
    assert json.loads(set_up.test_cli_runner().invoke(args=["ledger", "status", "--json"]).output)[
        "hub_configured"] is True


def test_resend_takes_a_moment_sent_since_or_business_days_not_both(queued, app):
    """``pos ledger resend --sent-since`` (the moment ``pos ledger-hub restore`` names, in the
    outlet's zone or with its own) sends again what was sent since then, whatever its day."""
    run(queued, Hub(stored, stored, stored))   # sent at NOW (12:00 UTC: 20:00 WITA, 19:00 WIB)
    with queued.transaction() as s:
        s.execute(update(LedgerOutbox).where(LedgerOutbox.document_id == "TST01-2026-11-03-day")
                  .values(sent_at=NOW - timedelta(hours=2)))
    cli = app.test_cli_runner()
    for args, said in ((["--sent-since", "30-11-2026 19:00", "--from", "01-11-2026"], "Pilih salah satu"),
                       ([], "Pilih salah satu"),
                       (["--sent-since", "30-11-2026 19:00", "--to", "01-11-2026"], "Pilih salah satu"),
                       (["--sent-since", "30-11-2026"], "tidak dikenali; tulis HH-BB-TTTT JJ:MM"),
                       (["--sent-since", "31-11-2026 19:00"], "31-11-2026 tidak ada"),
                       (["--sent-since", "30-11-2026 20:01"], "0 dokumen dijadwalkan kirim ulang.")):
        result = cli.invoke(args=["ledger", "resend", *args])
        assert said in result.output, args
        with queued.reading() as s:
            assert outbox.state(s).pending == 0, args
    result = cli.invoke(args=["ledger", "resend", "--sent-since", "30-11-2026 19:00 WIB"])
    assert result.exit_code == 0 and result.output.startswith("2 dokumen dijadwalkan kirim ulang"), \
        result.output
    with queued.reading() as s:
        assert [r.document_id for r in s.scalars(select(LedgerOutbox).where(
            LedgerOutbox.status == OutboxStatus.PENDING).order_by(LedgerOutbox.id))] == \
            ["TST01-2026-11-01-day", "TST01-2026-11-02-day"]


VOID_MESSAGE = ("Dokumen TST01-2026-11-02-day sudah diterima dan dibatalkan pengelola buku besar koperasi; "
                "tidak dibukukan lagi.")


def voided(sent):
    """The hub's answer to a document its operator voided (``receive._existing``)."""
    return push.Answer(200, {"status": "duplicate", "document_id": sent["document_id"], "void": True,
                             "message": VOID_MESSAGE})


def test_a_document_the_hub_voided_is_kept_as_voided_and_said_so_everywhere(queued, app, monkeypatch):
    """Sent (never again), but not "booked": the hub's void flag and message stay on the row and
    are said by the push, ``pos ledger status`` and Buku besar."""
    said = f"dibatalkan di hub: {VOID_MESSAGE}"
    monkeypatch.setattr(push, "push", functools.partial(
        push.push, send=Hub(stored, voided, stored), now=lambda: NOW, rng=random.Random(1)))
    app.config.update(LEDGER_URL="http://hub.test/", LEDGER_TOKEN="token-1", LEDGER_SECRET="rahasia")
    cli = app.test_cli_runner()
    pushed = cli.invoke(args=["ledger", "push"])
    assert pushed.exit_code == 0, pushed.output
    assert pushed.output.splitlines() == ["terkirim TST01-2026-11-01-day",
                                          said, "terkirim TST01-2026-11-03-day", "selesai"]
    assert [r[1:] for r in rows(queued)] == [(OutboxStatus.SENT, 0, None), (OutboxStatus.SENT, 0, said),
                                             (OutboxStatus.SENT, 0, None)]
    status = cli.invoke(args=["ledger", "status"])
    assert status.output.splitlines() == ["Semua dokumen buku besar sudah terkirim.", said]
    data = json.loads(cli.invoke(args=["ledger", "status", "--json"]).output)
    assert data["voided"] == [{"document_id": "TST01-2026-11-02-day", "message": said}]
    assert data["pending"] == 0 and data["last_error"] is None
    with queued.transaction() as s:
        boss = make_user(s, "manajer1", "manager", "2222").id
    client = app.test_client()
    login(client, boss, shift=False)
    page = client.get("/buku-besar").get_data(as_text=True)
    assert said in page and "Dibatalkan di hub" in page


def test_a_void_answer_without_a_message_still_says_the_document_is_voided():
    answer = push.Answer(200, {"status": "duplicate", "document_id": "X-day", "void": True})
    status, message = push.classify(answer, "X-day")
    assert status is OutboxStatus.SENT
    assert message == "dibatalkan di hub: dokumen X-day dibatalkan pengelola buku besar koperasi; " \
                      "tidak dibukukan."
