"""Two pushes of the same document at once: one is stored, the other answered duplicate."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from pos.clock import utcnow
from pos.ledger_hub import protocol, receive
from pos.ledger_hub.models import HubDocument, HubJournalLine
from tests.ledger_hub.helpers import document, push


def test_two_identical_pushes_at_once_store_one_document(hub_app, hub_db, creds):
    doc, barrier, answers = document(), threading.Barrier(2), []
    stamp = int(time.time())

    def send(offset: int) -> None:
        client = hub_app.test_client()
        barrier.wait()
        answers.append(push(client, creds, doc, timestamp=stamp + offset))

    threads = [threading.Thread(target=send, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert sorted(a.json["status"] for a in answers) == ["duplicate", "stored"]
    with hub_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HubDocument)) == 1
        assert s.scalar(select(func.count()).select_from(HubJournalLine)) == 4


def test_the_loser_of_the_unique_id_re_reads_the_winner(hub_db, creds):
    """The insert that finds the id taken (ON CONFLICT DO NOTHING) answers from the stored row
    (duplicate for the same hash, conflict for another) and leaves the transaction usable."""
    doc = document()
    body = protocol.canonical(doc).decode()
    with hub_db.transaction() as s:
        assert receive.store(s, doc, body, utcnow())[0] == 201
    with hub_db.transaction() as s:
        assert receive.store(s, doc, body, utcnow()) == (200, {"status": "duplicate",
                                                                    "document_id": doc["document_id"]})
        assert s.scalar(select(func.count()).select_from(HubDocument)) == 1
    changed = document(amount=130_000)
    with hub_db.transaction() as s, pytest.raises(receive.Refused) as refused:
        receive.store(s, changed, protocol.canonical(changed).decode(), utcnow())
    assert refused.value.status == 409


@pytest.mark.parametrize("hub_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_on_postgresql_the_second_insert_waits_for_the_first_and_answers_duplicate(hub_db, creds):
    doc = document()
    body = protocol.canonical(doc).decode()
    started, finished, outcome = threading.Event(), threading.Event(), []

    def second() -> None:
        with hub_db.transaction() as s:
            started.set()
            outcome.append(receive.store(s, doc, body, utcnow()))
        finished.set()

    with hub_db.transaction() as s:
        assert receive.store(s, doc, body, utcnow())[0] == 201
        thread = threading.Thread(target=second)
        thread.start()
        assert started.wait(10)
        time.sleep(0.3)
        assert not finished.is_set()   # blocked on the uncommitted id
    thread.join(timeout=10)
    assert outcome == [(200, {"status": "duplicate", "document_id": doc["document_id"]})]


@pytest.mark.parametrize("hub_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_two_outlets_opening_a_new_month_at_once_make_one_partition(hub_app, hub_db, creds, other):
    from pos.ledger_hub import schema

    barrier, answers = threading.Barrier(2), []

    def send(credentials, outlet: str) -> None:
        client = hub_app.test_client()
        barrier.wait()
        answers.append(push(client, credentials, document(outlet=outlet, day="2019-03-05")).status_code)

    threads = [threading.Thread(target=send, args=args) for args in ((creds, "KDMP01"), (other, "KDMP02"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [201, 201]
    with hub_db.engine.connect() as conn:
        assert "hub_journal_line_p201903" in schema.partitions(conn)
        assert conn.exec_driver_sql("SELECT count(*) FROM hub_journal_line_p201903").scalar() == 8
