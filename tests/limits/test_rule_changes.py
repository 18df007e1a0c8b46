"""A rule changed while buyers already bought under it: a product moved to another rule, a
rule's period or buyer kind changed; what each buyer took still counts, and returns give back
to every rule that counted the line."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pos.inventory.catalog.models import LpgKind
from pos.limits import rules, service
from pos.limits.models import LimitTake
from pos.limits.service import LimitExceeded
from pos.sales.models import SaleLine
from tests.factories import login, make_product, make_user
from tests.limits.conftest import DAY, NIK_A, pay, scan, set_buyer

LPG = "8990000030003"


def _tube(db):
    with db.transaction() as s:
        tube = make_product(s, name="LPG 3 kg isi ulang", price=18_000, on_hand=50,
                            barcodes_=[LPG])
        tube.lpg = LpgKind.REFILL
        return tube.id


def test_a_return_gives_back_to_every_rule_that_counted_the_line(db, shop):
    tube = _tube(db)
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    scan(db, shop["till"], LPG, times=2)
    sale = pay(db, shop).sale
    with db.transaction() as s:   # a day rule made with the tube, then a week rule takes it over
        daily = rules.save_rule(s, None, name="LPG harian", max_qty=2, period="day", buyer="nik").id
        rules.attach(s, daily, tube)
        service.seed(s, daily, DAY)
        weekly = rules.save_rule(s, None, name="LPG mingguan", max_qty=4, period="week",
                                 buyer="nik").id
        rules.detach(s, daily, tube)
        rules.attach(s, weekly, tube)
        service.seed(s, weekly, DAY)
    with db.transaction() as s:
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
        assert service.give_back(s, line, 1) == 1
    with db.reading() as s:
        backs = dict(s.execute(select(LimitTake.rule_id, LimitTake.given_back)).all())
        assert backs == {daily: 1, weekly: 1}
        assert service.taken(s, weekly, f"nik:{NIK_A}", DAY) == 1
    set_buyer(db, shop["till"], NIK_A, category="rumah_tangga")
    assert "boleh 0 lagi minggu ini" in scan(db, shop["till"], LPG, times=3).notes[0]


@pytest.mark.parametrize(("first", "then", "more"), [("day", "week", 2), ("week", "day", 1)])
def test_a_rule_whose_period_changes_still_counts_what_the_buyer_took(db, client, shop, monkeypatch,
                                                                      first, then, more):
    """2 taken under 2 a day, then the rule saved as 4 a week: 2 more, not 4 (and the
    reverse: the week's purchases today still count under 3 a day)."""
    today = DAY + timedelta(days=2)   # a Wednesday: its day and its week start apart
    monkeypatch.setattr("pos.limits.views.business_today", lambda: today)
    tube = _tube(db)
    with db.transaction() as s:
        manager = make_user(s, "manajer1", "manager", "9999").id
        rule = rules.save_rule(s, None, name="LPG", max_qty=2 if first == "day" else 4,
                               period=first, buyer="nik").id
        rules.attach(s, rule, tube)
    set_buyer(db, shop["till"], NIK_A, day=today, category="rumah_tangga")
    scan(db, shop["till"], LPG, times=2, day=today)
    pay(db, shop, day=today)
    login(client, manager)
    saved = client.post(f"/batas/{rule}", data={"name": "LPG", "max_qty": "4" if then == "week" else "3",
                                                "period": then, "buyer": "nik", "active": "1"})
    assert saved.status_code == 303
    set_buyer(db, shop["till"], NIK_A, day=today, category="rumah_tangga")
    with pytest.raises(LimitExceeded, match="sudah membeli 2"):
        scan(db, shop["till"], LPG, times=more + 1, day=today)
    assert scan(db, shop["till"], LPG, times=more, day=today).rows[0].qty == more
