"""The saldo awal simpanan in the SHU's jasa modal basis: the outlet's ``pos members purchases``
and the hub, which sums the day documents' ``member_savings``, hold the same savings at the
year's end (the outlet's savings list too)."""
from __future__ import annotations

from sqlalchemy import select, union

from pos.ledger_hub import shu_basis, writes
from pos.members.accounts import purchases
from pos.members.accounts.models import MemberDocument, OpeningSaving
from pos.reports import day_parts
from tests.ledger_hub.shu_helpers import clean_shu_tables  # noqa: F401  (autouse fixture)
from tests.members.accounts.conftest import shop  # noqa: F401
from tests.members.accounts.test_cli import opening_year


def test_the_hub_and_the_outlet_count_the_saldo_awal_and_its_payout_alike(db, shop, hub_db):  # noqa: F811
    """Saldo awal imported, a leaver's paid back, a member with only a saldo awal: the outlet's
    SHU basis left them out (or showed -Rp10.000); the hub, from the days sent, has them."""
    year, held = opening_year(db, shop)
    with db.reading() as s:
        days = s.scalars(union(select(MemberDocument.business_date),
                               select(OpeningSaving.business_date))).all()
        sent = [{"document_id": f"TST01-{day:%Y%m%d}", "outlet_code": "TST01",
                 "business_date": day.isoformat(),
                 "summary": {"member_savings": day_parts.member_savings(s, day),
                             "member_purchases": day_parts.member_purchases(s, day)}} for day in days]
        outlet = purchases.year_basis(s, year).savings
    with hub_db.transaction() as s:
        for document in sent:
            writes.insert_rows(s, shu_basis.basis_rows(document))
    with hub_db.reading() as s:
        everything = {m.number: m.savings for m in shu_basis.members(s, year, "semua")}
        capital = {m.number: m.savings for m in shu_basis.members(s, year, "pokok_wajib") if m.savings}
    assert everything == {number: sum(kinds.values()) for number, kinds in held.items()} | {"SHU-B2": 0}
    assert capital == {number: kinds["pokok"] + kinds["wajib"] for number, kinds in held.items()
                       if kinds["pokok"] + kinds["wajib"]}
    assert outlet == held   # the outlet's SHU basis: the same savings, per kind
