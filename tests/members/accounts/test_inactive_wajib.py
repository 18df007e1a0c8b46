"""A nonaktif member owes no wajib after they stopped taking part: the counter refuses their
savings, so months past their last record are not "belum dibayar" (they grew every month)."""
from __future__ import annotations

import uuid
from datetime import date

from pos.members import register
from pos.members.accounts import credit, documents, savings
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender
from tests.members.accounts.conftest import make_sale
from tests.members.accounts.test_withdrawals import DAY, NOW, RATES


def unpaid(db, member, today):
    with db.reading() as s:
        return [f"{m:%Y-%m}" for m in savings.summary(s, member, today).months_unpaid]


def test_a_nonaktif_members_wajib_stops_at_their_last_record(db, shop):
    with db.transaction() as s:                      # joined 15-01-2026, shopped 10-03-2026, then left
        make_sale(s, till=shop["till"], cashier=shop["cashier"], product=shop["product"], total=5_000,
                  member=shop["member"], member_sale=True, day=date(2026, 3, 10))
    assert len(unpaid(db, shop["member"], date(2026, 11, 30))) == 11          # aktif: due every month
    with db.transaction() as s:
        register.set_active(s, shop["member"], False)
    for today in (date(2026, 11, 30), date(2027, 5, 2)):                      # no longer growing
        assert unpaid(db, shop["member"], today) == ["2026-01", "2026-02", "2026-03"]


def test_repaying_kasbon_after_leaving_does_not_make_wajib_due_again(db, shop):
    with db.transaction() as s:                      # took kasbon in March, left, repays in November
        credit.adjust(s, member_id=shop["member"], amount=20_000, user_id=shop["manager"], note="kasbon",
                      business_date=date(2026, 3, 10), now=NOW)
        register.set_active(s, shop["member"], False)
    with db.transaction() as s:
        documents.take(s, member_id=shop["member"], paid=Payment(repayment=5_000),
                       tender=Tendered(DocTender.TRANSFER, reference="BRI 9"),
                       idempotency_key=str(uuid.uuid4()),
                       outlet_code="TST01", till_id=shop["till"], cashier_id=shop["cashier"], rates=RATES,
                       business_date=DAY, now=NOW)
    assert unpaid(db, shop["member"], DAY) == ["2026-01", "2026-02", "2026-03"]


def test_a_nonaktif_member_with_nothing_recorded_owes_no_wajib(db, shop):
    with db.transaction() as s:
        register.set_active(s, shop["member"], False)
    assert unpaid(db, shop["member"], date(2026, 11, 30)) == []
