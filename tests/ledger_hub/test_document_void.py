"""``pos ledger-hub document list|void``: a wrong document its own outlet signed is set aside,
kept with who / when / why, left out of every book, and stays void when pushed again."""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from pos.ledger import push as outlet_push
from pos.ledger.models import OutboxStatus
from pos.ledger_hub import operators, outlets
from pos.ledger_hub.models import HubDocument, HubDocumentVoid, HubJournalLine
from pos.ledger_hub.shu_models import HubMemberPurchase
from tests.ledger_hub.books_data import SHU, documents, push_all
from tests.ledger_hub.helpers import document, push
from tests.ledger_hub.shu_helpers import clean_shu_tables, day_doc  # noqa: F401  (autouse fixture)

PERIOD = ["--from", "2026-11-01", "--to", "2026-12-31"]
DECEMBER = "KDMP01-2026-12-01-day"


@pytest.fixture
def siti(hub_db):
    with hub_db.transaction() as session:
        operators.add(session, "siti", "rahasia-siti-123")
    return "siti"


def _json(hub_runner, *args):
    result = hub_runner.invoke(args=["ledger-hub", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _counts(hub_db) -> tuple[int, int, int]:
    with hub_db.reading() as s:
        return (s.scalar(select(func.count()).select_from(HubDocument)),
                s.scalar(select(func.count()).select_from(HubDocumentVoid)),
                s.scalar(select(func.count()).select_from(HubJournalLine)))


def test_a_voided_day_leaves_every_book_and_is_kept_marked(hub_client, hub_db, hub_runner, creds, other,
                                                            siti):
    push_all(hub_client, creds, other)
    listed = _json(hub_runner, "document", "list", "--outlet", "KDMP01")
    assert [d["document_id"] for d in listed] == ["KDMP01-2026-11-30-day", "KDMP01-2026-12-01-correction-1",
                                                  DECEMBER]
    assert not any(d["void"] for d in listed)
    assert _json(hub_runner, "books", "phu", *PERIOD)["shu"] == SHU
    done = hub_runner.invoke(args=["ledger-hub", "document", "void", DECEMBER, "--reason",
                                   "hari karangan, jam gerai salah", "--operator", "Siti"])
    assert done.exit_code == 0, done.output
    assert f"Dokumen {DECEMBER} (gerai KDMP01, hari 01-12-2026) dibatalkan oleh siti" in done.output
    # the December day was pupuk 200.000 - HPP 160.000 + rounding 500 - short 1.000 = 39.500
    assert _json(hub_runner, "books", "phu", *PERIOD)["shu"] == SHU - 39_500
    balance = _json(hub_runner, "trial-balance", *PERIOD[:2], "--to", "2026-12-31")
    assert balance["balanced"] and not any(r["account"] == "412100" for r in balance["accounts"])
    journal = _json(hub_runner, "books", "journal", *PERIOD)
    assert not any(r["account"] == "412100" for r in journal["rows"])
    kas = _json(hub_runner, "books", "ledger", *PERIOD, "--account", "111000")
    assert kas["closing"] == 100_000 + 275_000 - 5_000   # 30-11 of both outlets (cash), the return
    assert [(r["date"], r["debit"], r["credit"]) for r in kas["rows"] if r["date"] == "2026-12-01"] \
        == [("2026-12-01", 0, 5_000)]
    report = _json(hub_runner, "report", "--outlet", "KDMP01", "--date", "2026-12-01")
    assert report["documents"] == ["KDMP01-2026-12-01-correction-1"]
    assert report["void_documents"] == [DECEMBER] and report["sale_count"] is None
    text = hub_runner.invoke(args=["ledger-hub", "report", "--outlet", "KDMP01", "--date", "2026-12-01"])
    assert f"Batal (tidak dibukukan): {DECEMBER}" in text.output
    marked = {d["document_id"]: d for d in _json(hub_runner, "document", "list", "--from", "2026-12-01")}
    assert marked[DECEMBER]["void"] and marked[DECEMBER]["voided_by"] == "siti"
    assert marked[DECEMBER]["reason"] == "hari karangan, jam gerai salah" and marked[DECEMBER]["voided_at"]
    assert not marked["KDMP01-2026-12-01-correction-1"]["void"]
    shown = hub_runner.invoke(args=["ledger-hub", "document", "list", "--outlet", "KDMP01"]).output
    assert "BATAL" in shown and "siti: hari karangan" in shown and shown.count("dibukukan") == 2
    with hub_db.reading() as s:
        assert s.get(HubDocument, DECEMBER).body   # the document itself is kept, as sent
        assert outlets.last_days(s)["KDMP01"].isoformat() == "2026-11-30"


def test_void_refuses_twice_unknown_ids_and_bad_input_changing_nothing(hub_client, hub_db, hub_runner, creds,
                                                                         other, siti):
    push_all(hub_client, creds, other)
    before = _counts(hub_db)

    def refused(*args) -> str:
        result = hub_runner.invoke(args=["ledger-hub", "document", "void", *args])
        assert result.exit_code != 0, result.output
        assert _counts(hub_db)[1:] == before[1:] or args[0] == DECEMBER
        return " ".join(result.output.split())

    assert "Hub tidak menyimpan dokumen KDMP01-2099-01-01-day" in refused(
        "KDMP01-2099-01-01-day", "--reason", "tidak ada", "--operator", "siti")
    assert "Operator budi tidak terdaftar" in refused(DECEMBER, "--reason", "salah tanggal",
                                                      "--operator", "budi")
    assert "Alasan pembatalan wajib diisi" in refused(DECEMBER, "--reason", "  ", "--operator", "siti")
    short = refused(DECEMBER, "--reason", "uji", "--operator", "siti")   # given, but too short
    assert "Alasan pembatalan terlalu pendek (3 huruf): tulis 5-300 huruf" in short
    assert "wajib diisi" not in short
    long = refused(DECEMBER, "--reason", "x" * 301, "--operator", "siti")
    assert "Alasan pembatalan terlalu panjang (301 huruf): tulis 5-300 huruf" in long
    assert "--reason" in refused(DECEMBER, "--operator", "siti")
    assert _counts(hub_db) == before
    ok = hub_runner.invoke(args=["ledger-hub", "document", "void", DECEMBER, "--reason", "jam 01-01-2000",
                                 "--operator", "siti"])
    assert ok.exit_code == 0, ok.output
    after = _counts(hub_db)
    assert after[:2] == (before[0], 1) and after[2] < before[2]
    again = refused(DECEMBER, "--reason", "sekali lagi", "--operator", "siti")
    assert f"Dokumen {DECEMBER} sudah dibatalkan" in again and "oleh siti (jam 01-01-2000)" in again
    assert _counts(hub_db) == after


def test_the_same_document_pushed_again_stays_void(hub_client, hub_db, hub_runner, creds, other, siti):
    push_all(hub_client, creds, other)
    assert hub_runner.invoke(args=["ledger-hub", "document", "void", DECEMBER, "--reason", "hari karangan",
                                   "--operator", "siti"]).exit_code == 0
    counted = _counts(hub_db)
    december = next(d for d in documents() if d["document_id"] == DECEMBER)
    answer = push(hub_client, creds, december, timestamp=int(time.time()) + 1)   # not a replay
    assert answer.status_code == 200
    assert answer.json["status"] == "duplicate" and answer.json["void"] is True
    assert "dibatalkan" in answer.json["message"]
    assert outlet_push.classify(outlet_push.Answer(answer.status_code, answer.json), DECEMBER)[0] \
        == OutboxStatus.SENT   # the outlet stops sending it
    changed = document(day="2026-12-01", amount=999_000)
    assert changed["document_id"] == DECEMBER
    assert push(hub_client, creds, changed).status_code == 409
    assert _counts(hub_db) == counted
    assert _json(hub_runner, "books", "phu", *PERIOD)["shu"] == SHU - 39_500


def test_a_voided_days_member_purchases_leave_the_shu_basis(hub_client, hub_db, hub_runner, creds, siti):
    kept = day_doc("KDMP01", "2025-03-03", member=100_000, non_member=0, purchases=[("A-001", "A", 100_000)])
    wrong = day_doc("KDMP01", "2025-03-04", member=900_000, non_member=0, purchases=[("A-001", "A", 900_000)])
    for doc in (kept, wrong):
        assert push(hub_client, creds, doc).status_code == 201
    assert hub_runner.invoke(args=["ledger-hub", "document", "void", wrong["document_id"], "--reason",
                                   "hari ganda", "--operator", "siti"]).exit_code == 0
    with hub_db.reading() as s:
        assert s.scalar(select(func.sum(HubMemberPurchase.amount))) == 100_000
    run = _json(hub_runner, "shu", "simulate", "--year", "2025")
    assert run["figures"]["phu"] == 100_000


def test_a_document_of_a_frozen_year_is_not_voided(hub_client, hub_db, hub_runner, creds, siti):
    doc = day_doc("KDMP01", "2024-12-30", member=300_000, non_member=0, purchases=[("A-001", "A", 300_000)])
    assert push(hub_client, creds, doc).status_code == 201
    for step in (["simulate", "--year", "2024"], ["freeze", "--year", "2024", "--by", "Ketua Rapat"]):
        done = hub_runner.invoke(args=["ledger-hub", "shu", *step])
        assert done.exit_code == 0, done.output
    before = _counts(hub_db)
    refused = hub_runner.invoke(args=["ledger-hub", "document", "void", doc["document_id"], "--reason",
                                      "salah tanggal", "--operator", "siti"])
    assert refused.exit_code == 1
    assert "SHU tahun 2024 dibekukan" in " ".join(refused.output.split())
    assert _counts(hub_db) == before
