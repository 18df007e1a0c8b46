"""Outlet to hub, end to end, what the hub refuses: duplicates, a tampered body, a wrong token,
a replayed request, an unbalanced document forged into the outbox, another outlet's code.  Same
real hub process and outlet as ``test_e2e``; after each, every day is at the hub once and the
books agree."""
from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.ledger import outbox, push
from pos.ledger.models import LedgerOutbox, OutboxStatus
from tests.ledger.test_e2e import DAYS, assert_books_agree, cli, post, queued, the_days

pytestmark = pytest.mark.postgres


def test_duplicates_tampering_wrong_tokens_and_replays_change_nothing(make_outlet, hub):
    app = make_outlet()
    days = the_days(app)
    creds = hub.creds["TST01"]
    with get_db(app).reading() as s:
        first = outbox.find(s, days[0]).body.encode("utf-8")
    signed = push.headers_for(outlet_code="TST01", token=creds.token, secret=creds.secret,
                              document_id=days[0], body=first, now=utcnow())
    # A push whose answer never came back: the hub stored it, the outlet does not know.
    assert post(hub, first, signed) == (201, {"status": "stored", "document_id": days[0]})
    assert post(hub, first, signed)[1]["error"] == "replay"               # the same request again
    tampered = first.replace(b'"debit":', b'"debit":1', 1)
    assert post(hub, tampered, signed)[1]["error"] == "unauthorized"      # the body changed
    wrong = dict(signed, Authorization="Bearer tebakan")
    assert post(hub, first, wrong)[1]["error"] == "unauthorized"
    # The outlet with a wrong token: nothing sent, nothing dropped, the reason kept.
    bad = cli(make_outlet(LEDGER_TOKEN="tebakan"), "ledger", "push", "--force")
    assert bad.exit_code == 1 and "hub menolak kiriman gerai ini (HTTP 401)" in bad.output
    assert [(s, a) for _, s, a in queued(app)] == [(OutboxStatus.PENDING, 0)] * DAYS
    # Now with the right one: the first is a duplicate (marked sent), the rest stored.  (The
    # signature covers the timestamp in whole seconds: the same body sent again within the
    # same second would be the same request, a replay; the timer's runs are minutes apart.)
    time.sleep(1.05)
    good = cli(app, "ledger", "push", "--force")
    assert good.exit_code == 0, good.output
    assert [d for d, _ in hub.documents()] == days
    for _ in range(2):   # pushing again, and again by hand, stores nothing new
        assert cli(app, "ledger", "push", "--force").output.strip() == "antrean kosong"
    fresh = push.headers_for(outlet_code="TST01", token=creds.token, secret=creds.secret,
                             document_id=days[0], body=first, now=utcnow() + timedelta(seconds=1))
    assert post(hub, first, fresh) == (200, {"status": "duplicate", "document_id": days[0]})
    assert len(hub.documents()) == DAYS
    assert_books_agree(app, hub)


def test_an_unbalanced_document_is_rejected_shown_and_later_days_still_go(make_outlet, hub):
    app = make_outlet()
    with get_db(app).transaction() as s:   # a document forged into the outbox: debit != credit
        forged = json.loads(s.scalars(select(LedgerOutbox.body).order_by(LedgerOutbox.id)).first())
        forged.pop("hash")
        forged["document_id"] = forged["document_id"].replace("-day", "-correction-1")
        forged["kind"] = "correction"
        forged["journal"][0]["debit"] += 1
        outbox.enqueue(s, forged)
    today = business_date(utcnow(), app.config["TIMEZONE"])
    assert cli(app, "day", "close", "--date", today.isoformat()).exit_code == 0
    days = the_days(app)
    assert days[DAYS] == forged["document_id"] and len(days) == DAYS + 2
    pushed = cli(app, "ledger", "push")   # the rest went; the rejected one is not in: exit 1
    assert pushed.exit_code == 1 and f"ditolak {forged['document_id']}" in pushed.output
    assert "1 dokumen ditolak hub dan belum masuk buku besar" in pushed.output
    rows = queued(app)
    assert rows[DAYS][1:] == (OutboxStatus.REJECTED, 1)
    assert [s for _, s, _ in rows[:DAYS] + rows[DAYS + 1:]] == [OutboxStatus.SENT] * (DAYS + 1)
    state = json.loads(cli(app, "ledger", "status", "--json").output)
    assert state["rejected"] == 1 and "HTTP 422" in state["last_error"]
    assert "debit" in state["last_error"].lower()
    again = cli(app, "ledger", "push", "--force")    # not retried, and never "antrean kosong"
    assert again.exit_code == 1 and "antrean kosong" not in again.output
    assert "1 dokumen ditolak hub" in again.output
    assert queued(app)[DAYS][1:] == (OutboxStatus.REJECTED, 1)
    held = [d for d, _ in hub.documents()]
    assert forged["document_id"] not in held and held == days[:DAYS] + days[DAYS + 1:]
    assert_books_agree(app, hub)


def test_another_outlets_code_is_refused_and_nothing_is_stored(make_outlet, hub):
    app = make_outlet()
    days = the_days(app)
    mine, theirs = hub.creds["TST01"], hub.creds["KDMP02"]
    with get_db(app).reading() as s:
        first = outbox.find(s, days[0]).body.encode("utf-8")
    # KDMP02, with its own valid credentials, sends TST01's document.
    as_them = push.headers_for(outlet_code="KDMP02", token=theirs.token, secret=theirs.secret,
                               document_id=days[0], body=first, now=utcnow())
    assert post(hub, first, as_them)[0] == 403
    # TST01's token under KDMP02's code.
    mixed = push.headers_for(outlet_code="KDMP02", token=mine.token, secret=mine.secret,
                             document_id=days[0], body=first, now=utcnow())
    assert post(hub, first, mixed)[1]["error"] == "unauthorized"
    # The outlet configured with another outlet's code: it stops, keeps everything queued.
    # The hub would refuse its documents as another outlet's (403, "outlet_code tidak sama"): the
    # outlet says which code made them and sends nothing.
    wrong = cli(make_outlet(OUTLET_CODE="KDMP02"), "ledger", "push", "--force")
    assert wrong.exit_code == 1
    assert (f"dokumen masih menunggu, tidak dikirim: dokumen {days[0]} dibuat dengan kode gerai TST01, "
            "sedangkan POS_OUTLET_CODE sekarang KDMP02. Kembalikan POS_OUTLET_CODE ke TST01") in wrong.output
    assert "menolak" not in wrong.output
    assert hub.documents() == [] and hub.line_count() == 0
    assert cli(app, "ledger", "push", "--force").exit_code == 0
    assert [d for d, _ in hub.documents()] == days
    assert_books_agree(app, hub)
