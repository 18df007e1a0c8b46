"""The ledger hub's API refuses what an outlet could not have sent: the basic refusals (wrong
token, bad signature, replay, oversized body, another outlet's code) are in
tests/ledger_hub/test_api.py; here the crossings between two outlets' credentials, malformed
headers, a body at the real size limit and JSON nested past the stack."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from pos.ledger_hub import protocol
from pos.ledger_hub.models import HubDocument, HubSeenSignature
from tests.ledger_hub.helpers import document, headers, push


@pytest.fixture
def hub_url(tmp_path):
    """Refusals are decided before the database is written: SQLite."""
    return f"sqlite:///{tmp_path / 'hub.db'}"


def stored(hub_db) -> tuple[int, int]:
    with hub_db.reading() as s:
        return (s.scalar(select(func.count()).select_from(HubDocument)),
                s.scalar(select(func.count()).select_from(HubSeenSignature)))


def test_one_outlets_credentials_never_pass_as_anothers(hub_client, hub_db, creds, other):
    doc = document()  # KDMP01's day
    # KDMP02's token named as KDMP01, signed with either secret
    for secret in (other.secret, creds.secret):
        answer = push(hub_client, creds, doc, token=other.token, secret=secret)
        assert answer.status_code == 401 and answer.json["error"] == "unauthorized"
    # KDMP01's token and name, signed with KDMP02's secret
    assert push(hub_client, creds, doc, secret=other.secret).status_code == 401
    # KDMP02 itself, sending KDMP01's document
    answer = push(hub_client, other, doc)
    assert answer.status_code == 403 and "gerai lain" in answer.json["message"]
    assert stored(hub_db) == (0, 0)
    assert push(hub_client, creds, doc).status_code == 201


@pytest.mark.parametrize("name, value", [
    ("X-Gerai-Timestamp", "12a4"), ("X-Gerai-Timestamp", ""), ("X-Gerai-Timestamp", "1" * 40),
    ("X-Gerai-Timestamp", "-1"), ("X-Gerai-Signature", ""), ("X-Gerai-Signature", "zz" * 32),
    ("X-Gerai-Signature", "é" * 64), ("X-Gerai-Outlet", ""), ("X-Gerai-Outlet", "KDMP01\x00"),
    ("Authorization", "Basic a2RtcDox"), ("Authorization", "Bearer "),
])
def test_malformed_headers_are_refused_and_store_nothing(hub_client, hub_db, creds, name, value):
    doc = document()
    body = protocol.canonical(doc)
    sent = {**headers(creds, body, document_id=doc["document_id"]), name: value}
    answer = hub_client.post("/api/v1/documents", data=body, headers=sent)
    assert answer.status_code in (401, 403), (answer.status_code, answer.get_data(as_text=True))
    assert answer.json["message"]
    assert stored(hub_db) == (0, 0)


def test_a_body_one_byte_over_the_limit_is_refused_unread(hub_client, hub_db, creds):
    body = b" " * (protocol.MAX_BODY_BYTES + 1)
    answer = hub_client.post("/api/v1/documents", data=body,
                             headers=headers(creds, body, document_id="x"))
    assert answer.status_code == 422 and answer.json["error"] == "invalid"
    assert stored(hub_db) == (0, 0)


@pytest.mark.parametrize("body", [b"[" * 200_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
                                  b"[" * 17 + b"]" * 17])
def test_json_nested_past_any_document_is_invalid_not_a_server_error(hub_client, hub_db, creds, body):
    answer = push(hub_client, creds, body, document_id="x")
    assert answer.status_code == 422 and answer.json["error"] == "invalid"
    assert "bersarang" in answer.json["message"]
    assert stored(hub_db)[0] == 0


def test_a_replay_with_a_fresh_timestamp_needs_a_new_signature(hub_client, hub_db, creds):
    """Resending the same signed request later with only the timestamp changed fails the
    signature: the timestamp is part of what is signed."""
    doc = document()
    body = protocol.canonical(doc)
    sent = headers(creds, body, document_id=doc["document_id"], timestamp=int(time.time()) - 10)
    assert hub_client.post("/api/v1/documents", data=body, headers=sent).status_code == 201
    moved = {**sent, "X-Gerai-Timestamp": str(int(time.time()))}
    answer = hub_client.post("/api/v1/documents", data=body, headers=moved)
    assert answer.status_code == 401 and "Tanda tangan" in answer.json["message"]
    assert stored(hub_db)[0] == 1
