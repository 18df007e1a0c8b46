"""Subsidised fertiliser in the day journal, and a later day's return of a closed day's sale:
the closed day's document stays as it was, the later day's journal carries the correcting
entries (revenue and cost reversed, the refund out of the drawer)."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from pos import chart as charts
from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing.service import close_day
from pos.ledger.journal import day_journal
from pos.ledger.models import LedgerOutbox
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales.models import SaleLine
from pos.shifts import service as shifts
from tests.fertilizer.conftest import DARMO, DAY, NOW, UREA_CODE, pay, scan, set_buyer
from tests.ledger.test_journal import by_account

ZONE = "Asia/Makassar"
NEXT = DAY + timedelta(days=1)


def close(db, farm, day, now: datetime) -> None:
    """Close the day's open shift (counted as expected) and the day, as the manager."""
    boss = Actor(farm["manager"], farm["till"], RIGHTS[Role.MANAGER], reason="tutup")
    with db.transaction() as s:
        shift = shifts.gate.open_shift(s, farm["till"])
        cash = shifts.figures(s, shift).expected["cash"]
        shifts.close_shift(s, boss, shift_id=shift.id, cash=shifts.Cash(cash), counted_other={},
                           reason=None, now=now)
        close_day(s, day=day, user_id=farm["manager"], now=now, today=day, outlet_code="TST01")


def test_a_fertiliser_day_and_its_return_a_day_later(db, farm):
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)                  # one 50 kg sack at Rp1.800/kg
    sale = pay(db, farm, tendered=90_000).sale
    close(db, farm, DAY, NOW + timedelta(hours=8))
    with db.reading() as s:
        sold = by_account(day_journal(s, DAY, zone=ZONE, chart=charts.chart()))
        first = s.scalar(select(LedgerOutbox.body).where(LedgerOutbox.business_date == DAY))
    assert (sold["111000"], sold["412200"], sold["512000"], sold["114120"]) == \
        (90_000, -90_000, 80_000, -80_000)                # no PPN: tidak dipungut
    assert json.loads(first)["summary"]["regulated"]["fertilizer"]["redemptions"] == 1

    later = NOW + timedelta(days=1)                       # the sack comes back the next day
    boss = Actor(farm["manager"], farm["till"], RIGHTS[Role.MANAGER], reason="salah beli")
    with db.transaction() as s:
        kept = shifts.previous_counted(s, farm["till"])   # the drawer as it was left
        shifts.open_shift(s, till_id=farm["till"], cashier_id=farm["manager"],
                          cash=shifts.Cash(kept), note=None, day=NEXT, now=later)
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
    with db.transaction() as s:
        make_return(s, boss, sale_id=sale.id, wanted=[Wanted(line, 50_000)], refund_to=RefundTo.CASH,
                    reason="salah beli", outlet_code="TST01", timezone=ZONE, now=later,
                    idempotency_key=str(uuid.uuid4()))
    close(db, farm, NEXT, later + timedelta(hours=1))
    with db.reading() as s:
        corrected = by_account(day_journal(s, NEXT, zone=ZONE, chart=charts.chart()))
        bodies = dict(s.execute(select(LedgerOutbox.business_date, LedgerOutbox.body)).all())
    assert (corrected["412200"], corrected["111000"], corrected["114120"], corrected["512000"]) == \
        (90_000, -90_000, 80_000, -80_000)
    assert bodies[DAY] == first                           # the closed day never changes
    assert sum(x["debit"] - x["credit"] for x in json.loads(bodies[NEXT])["journal"]) == 0
