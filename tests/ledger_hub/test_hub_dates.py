"""Dates the books have not reached: a year not begun is not simulated and a day not yet come
is not stored."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pos.clock import utcnow
from pos.ledger import push as outlet_push
from pos.ledger.models import OutboxStatus
from pos.ledger_hub import shu, shu_runs
from pos.ledger_hub.models import HubDocument
from tests.ledger_hub.helpers import document, push
from tests.ledger_hub.shu_helpers import clean_shu_tables  # noqa: F401  (autouse fixture)
from tests.ledger_hub.test_shu_runs import year_2025  # noqa: F401  (fixture)


def _outlet_sees(answer) -> tuple[OutboxStatus | None, str]:
    """What the outlet's push makes of the hub's answer (``pos.ledger.push.classify``)."""
    return outlet_push.classify(outlet_push.Answer(answer.status_code, answer.json), answer.json.get(
        "document_id", ""))


def test_a_year_not_begun_is_not_simulated(hub_db, hub_runner, year_2025):  # noqa: F811
    """``shu simulate --year 2027`` on 06-12-2026 stored a SHU of Rp0."""
    with hub_db.transaction() as s, pytest.raises(shu.ShuError, match="Tahun buku 2027 belum dimulai"):
        shu_runs.simulate(s, 2027, shu.settings(), "ketua", datetime(2026, 12, 6, 3, 0))
    with hub_db.transaction() as s:   # the year running may be simulated (a preview)
        shu_runs.simulate(s, 2026, shu.settings(), "ketua", datetime(2026, 12, 6, 3, 0), pool=0)
    ahead = shu_runs.book_today(utcnow()).year + 1
    refused = hub_runner.invoke(args=["ledger-hub", "shu", "simulate", "--year", str(ahead)])
    assert refused.exit_code == 1 and f"Tahun buku {ahead} belum dimulai" in refused.output
    with hub_db.reading() as s:
        assert shu_runs.years(s) == [(2026, shu_runs.SIMULATION)]


def test_a_day_not_yet_come_is_refused_with_a_message_the_outlet_keeps(hub_client, hub_db, creds):
    """The hub stored a day dated 2031-01-05, and one two weeks ahead (201 stored)."""
    today = shu_runs.book_today(utcnow())
    for day in (date(2031, 1, 5), today + timedelta(days=2)):
        answer = push(hub_client, creds, document(day=day.isoformat()))
        assert answer.status_code == 422 and answer.json["error"] == "invalid"
        assert f"Tanggal usaha {day:%d-%m-%Y} belum tiba (hari ini di hub {today:%d-%m-%Y} WIB)" \
            in answer.json["message"]
        assert "Periksa tanggal dan jam komputer gerai" in answer.json["message"]
        assert _outlet_sees(answer)[0] is OutboxStatus.REJECTED
    # an outlet in WIT is up to two hours ahead of WIB: its tomorrow's date is not refused
    assert push(hub_client, creds, document(day=(today + timedelta(days=1)).isoformat())).status_code == 201
    with hub_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HubDocument)) == 1
