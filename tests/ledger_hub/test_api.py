"""POST /api/v1/documents through the Flask test client, on SQLite and PostgreSQL."""
from __future__ import annotations

import time

from sqlalchemy import func, select

from pos.ledger_hub import protocol
from pos.ledger_hub.models import SCHEMA_VERSION, HubDocument, HubJournalLine, HubOutlet, HubSeenSignature
from tests.ledger_hub.helpers import document, headers, push


def counts(hub_db) -> tuple[int, int]:
    with hub_db.reading() as s:
        return (s.scalar(select(func.count()).select_from(HubDocument)),
                s.scalar(select(func.count()).select_from(HubJournalLine)))


def test_a_valid_document_is_stored_with_its_lines(hub_client, hub_db, creds):
    doc = document()
    answer = push(hub_client, creds, doc)
    assert answer.status_code == 201
    assert answer.json == {"status": "stored", "document_id": "KDMP01-2026-11-30-day"}
    with hub_db.reading() as s:
        stored = s.get(HubDocument, doc["document_id"])
        lines = s.scalars(select(HubJournalLine).order_by(HubJournalLine.line_no)).all()
    assert (stored.outlet_code, stored.kind, stored.hash) == ("KDMP01", "day", doc["hash"])
    assert stored.body.encode() == protocol.canonical(doc)
    assert [(ln.line_no, ln.account, ln.debit, ln.credit, ln.unit, ln.member) for ln in lines] == [
        (1, "111000", 100_000, 0, None, None), (2, "113100", 25_000, 0, None, True),
        (3, "411100", 0, 85_000, "sembako", True), (4, "411200", 0, 40_000, "sembako", False)]


def test_the_same_document_again_is_a_duplicate_and_writes_nothing(hub_client, hub_db, creds):
    doc = document()
    assert push(hub_client, creds, doc).status_code == 201
    again = push(hub_client, creds, doc, timestamp=int(time.time()) + 1)
    assert again.status_code == 200
    assert again.json == {"status": "duplicate", "document_id": doc["document_id"]}
    assert counts(hub_db) == (1, 4)


def test_a_changed_document_with_the_same_id_is_a_conflict(hub_client, hub_db, creds):
    assert push(hub_client, creds, document()).status_code == 201
    changed = push(hub_client, creds, document(amount=130_000), timestamp=int(time.time()) + 1)
    assert changed.status_code == 409
    assert changed.json["error"] == "conflict" and "KDMP01-2026-11-30-day" in changed.json["message"]
    assert "Hubungi pengelola buku besar" in changed.json["message"]     # no "document_id baru"
    assert "document_id" not in changed.json["message"]
    with hub_db.reading() as s:
        assert s.scalar(select(func.sum(HubJournalLine.debit))) == 125_000


def test_a_wrong_token_an_unknown_outlet_and_a_missing_bearer_are_unauthorized(hub_client, hub_db, creds):
    doc = document()
    for answer in (push(hub_client, creds, doc, token="bukan-token"),
                   push(hub_client, creds, doc, outlet="KDMP99"),
                   hub_client.post("/api/v1/documents", data=protocol.canonical(doc),
                                   headers={**headers(creds, protocol.canonical(doc),
                                                      document_id=doc["document_id"]),
                                            "Authorization": creds.token})):
        assert answer.status_code == 401
        assert answer.json["error"] == "unauthorized" and answer.json["message"]
    assert counts(hub_db) == (0, 0)


def test_a_bad_signature_or_a_tampered_body_is_unauthorized(hub_client, hub_db, creds):
    doc = document()
    assert push(hub_client, creds, doc, secret="rahasia-lain").status_code == 401
    body = protocol.canonical(doc)
    sent = headers(creds, body, document_id=doc["document_id"])
    tampered = body.replace(b'"debit":100000', b'"debit":100001')
    answer = hub_client.post("/api/v1/documents", data=tampered, headers=sent)
    assert answer.status_code == 401 and answer.json["error"] == "unauthorized"
    assert "Tanda tangan" in answer.json["message"]
    assert counts(hub_db) == (0, 0)


def test_an_old_or_future_timestamp_is_stale(hub_client, hub_db, creds):
    for stamp in (int(time.time()) - 301, int(time.time()) + 400):
        answer = push(hub_client, creds, document(), timestamp=stamp)
        assert answer.status_code == 401 and answer.json["error"] == "stale"
    answer = push(hub_client, creds, document(), timestamp=int(time.time()) - 250)
    assert answer.status_code == 201


def test_an_exact_replay_is_refused(hub_client, hub_db, creds):
    body = protocol.canonical(document())
    sent = headers(creds, body, document_id="KDMP01-2026-11-30-day")
    assert hub_client.post("/api/v1/documents", data=body, headers=sent).status_code == 201
    replay = hub_client.post("/api/v1/documents", data=body, headers=sent)
    assert replay.status_code == 401 and replay.json["error"] == "replay"
    with hub_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HubSeenSignature)) == 1


def test_a_document_of_another_outlet_is_forbidden(hub_client, hub_db, creds, other):
    answer = push(hub_client, creds, document(outlet="KDMP02"))
    assert answer.status_code == 403 and answer.json["error"] == "unauthorized"
    assert "gerai lain" in answer.json["message"]
    assert counts(hub_db) == (0, 0)
    assert push(hub_client, other, document(outlet="KDMP02")).status_code == 201


def test_a_document_id_is_its_outlets_and_its_days_and_a_day_is_booked_once(hub_client, hub_db, creds,
                                                                            other):
    """KDMP02's credentials stored "KDMP01-2026-11-30-day" (KDMP01's own day was then refused as
    changed), and a day sent again under another id was booked twice."""
    taken = document(outlet="KDMP02", document_id="KDMP01-2026-11-30-day")
    again = document(outlet="KDMP02", document_id="KDMP02-2026-11-30-day-ulang")
    late = document(outlet="KDMP02", kind="correction", document_id="KDMP02-2026-11-29-correction-1")
    for wrong in (taken, again, late):
        answer = push(hub_client, other, wrong)
        assert answer.status_code == 422 and "document_id harus" in answer.json["message"], answer.json
    assert counts(hub_db) == (0, 0)
    assert push(hub_client, creds, document()).status_code == 201                    # KDMP01's day
    assert push(hub_client, other, document(outlet="KDMP02")).status_code == 201
    assert push(hub_client, other, document(outlet="KDMP02", kind="correction", n=1)).status_code == 201


def test_an_inactive_outlet_is_forbidden(hub_client, hub_db, creds):
    with hub_db.transaction() as s:
        s.get(HubOutlet, "KDMP01").active = False
    answer = push(hub_client, creds, document())
    assert answer.status_code == 403 and "dinonaktifkan" in answer.json["message"]


def test_invalid_documents_are_422_with_the_reason(hub_client, hub_db, creds):
    unbalanced = document()
    unbalanced["journal"][0]["debit"] = 99_000
    unbalanced["hash"] = protocol.content_hash(unbalanced)
    answer = push(hub_client, creds, unbalanced)
    assert answer.status_code == 422 and answer.json["error"] == "invalid"
    assert "tidak seimbang" in answer.json["message"]
    bad_json = push(hub_client, creds, b'{"document_id": ', document_id="x",
                    timestamp=int(time.time()) + 1)
    assert bad_json.status_code == 422 and "JSON" in bad_json.json["message"]
    assert "Expecting" not in bad_json.json["message"]   # no Python words in Indonesian
    wrong_key = push(hub_client, creds, document(), document_id="KDMP01-lain")
    assert wrong_key.status_code == 422 and "Idempotency-Key" in wrong_key.json["message"]
    floats = protocol.canonical(document()).replace(b'"debit":25000', b'"debit":25000.0')
    assert push(hub_client, creds, floats, document_id="KDMP01-2026-11-30-day",
                timestamp=int(time.time()) + 2).status_code == 422
    assert counts(hub_db) == (0, 0)


def test_an_invalid_document_refused_once_is_refused_again_not_called_a_replay(hub_client, creds):
    body = b"[]"
    sent = headers(creds, body, document_id="x")
    assert hub_client.post("/api/v1/documents", data=body, headers=sent).status_code == 422
    assert hub_client.post("/api/v1/documents", data=body, headers=sent).status_code == 422


def test_an_oversized_body_is_invalid(hub_app, creds):
    hub_app.config["MAX_CONTENT_LENGTH"] = 1000
    answer = push(hub_app.test_client(), creds, document())
    assert answer.status_code == 422 and answer.json["error"] == "invalid"


def test_old_signatures_are_pruned(hub_client, hub_app, hub_db, creds):
    from datetime import timedelta

    from pos.clock import utcnow

    with hub_db.transaction() as s:
        s.add(HubSeenSignature(signature="a" * 64, seen_at=utcnow() - timedelta(seconds=601)))
        s.add(HubSeenSignature(signature="b" * 64, seen_at=utcnow() - timedelta(seconds=60)))
    hub_app.extensions["ledger_hub_pruned"] = None
    assert push(hub_client, creds, document()).status_code == 201
    with hub_db.reading() as s:
        kept = set(s.scalars(select(HubSeenSignature.signature)))
    assert "a" * 64 not in kept and "b" * 64 in kept and len(kept) == 2


def test_health_reports_the_schema(hub_client, hub_url):
    answer = hub_client.get("/api/v1/health")
    assert answer.status_code == 200
    assert answer.json["status"] == "ok" and answer.json["schema_version"] == SCHEMA_VERSION
    assert answer.json["database"] == hub_url.split(":")[0].split("+")[0]


def test_unknown_paths_answer_json(hub_client):
    answer = hub_client.get("/api/v1/documents")
    assert answer.status_code == 405 and answer.is_json


def test_a_hub_failure_is_a_5xx_the_outlet_retries(hub_url, creds, monkeypatch, tmp_path):
    from pos.ledger_hub import receive
    from pos.ledger_hub.app import create_hub_app

    # not TESTING: errors become answers; its instance folder is the test's (it was the checkout's)
    app = create_hub_app({"DATABASE_URL": hub_url, "INSTANCE_PATH": str(tmp_path / "hub")})

    def broken(*_args, **_kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(receive, "store", broken)
    answer = push(app.test_client(), creds, document())
    assert answer.status_code == 500 and answer.json["error"] == "server"
    app.extensions["ledger_hub_db"].engine.dispose()


def test_the_apis_own_http_errors_are_in_indonesian(hub_client):
    """Werkzeug's English descriptions reached the outlets' push log."""
    wrong_method = hub_client.get("/api/v1/documents")
    nowhere = hub_client.post("/api/v1/nope")
    assert (wrong_method.status_code, nowhere.status_code) == (405, 404)
    assert "POST" in wrong_method.json["message"] and "tidak diizinkan" in wrong_method.json["message"]
    assert "/api/v1/documents" in nowhere.json["message"]
    for answer in (wrong_method, nowhere):
        assert "URL" not in answer.json["message"] and "requested" not in answer.json["message"]
