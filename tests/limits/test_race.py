"""Two tills selling to one buyer at the same moment cannot together pass the limit (SQLite and
PostgreSQL: each thread its own connection and transaction)."""
from __future__ import annotations

import threading
from types import SimpleNamespace

from sqlalchemy import func, select

from pos.errors import PosError
from pos.limits import service
from pos.limits.models import LimitTake, LimitTotal
from pos.members.buyers import Buyer
from pos.sales.models import Sale, SaleLine
from tests.factories import make_till
from tests.limits.conftest import DAY, NIK_A, SPHP, pay, scan, set_buyer
from tests.members.accounts.conftest import make_sale


def test_two_tills_racing_for_the_last_pack_exactly_one_sells(db, shop):
    with db.transaction() as s:
        second = make_till(s, "KASIR-2").id
    set_buyer(db, shop["till"], NIK_A)
    scan(db, shop["till"], SPHP)
    pay(db, shop)  # one of two packs taken today
    for till in (shop["till"], second):
        set_buyer(db, till, NIK_A)
        scan(db, till, SPHP)  # each till still sees one pack left
    start, outcomes = threading.Barrier(2), []

    def sell(till_id):
        start.wait()
        try:
            outcomes.append(pay(db, shop, till=till_id).sale.receipt_no)
        except PosError as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=sell, args=(t,)) for t in (shop["till"], second)]
    [t.start() for t in threads]
    [t.join(timeout=60) for t in threads]
    sold = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if isinstance(o, PosError)]
    assert len(sold) == 1 and len(refused) == 1, outcomes
    assert "sudah membeli" in refused[0].message
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 2
        assert s.scalar(select(LimitTotal.taken)) == 2
        assert s.scalar(select(func.sum(LimitTake.qty))) == 2


def test_eight_takes_at_once_never_pass_the_limit(db, shop):
    """``take`` itself, without checkout's earlier check: the conditional UPDATE decides."""
    with db.transaction() as s:
        sales = [make_sale(s, till=shop["till"], cashier=shop["user"], product=shop["sphp"],
                           total=62_500) for _ in range(8)]
        lines = [(sale.id, s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id)),
                  sale.receipt_no) for sale in sales]
    row = SimpleNamespace(limit_rule_id=shop["rule"], qty=1, name="Beras SPHP Bulog 5 kg",
                          base_unit="pcs")
    start, outcomes = threading.Barrier(8), []

    def take(sale_id, line_id, receipt_no):
        start.wait()
        try:
            with db.transaction() as s:
                service.take(s, [row], Buyer(nik=NIK_A), DAY, sale_id=sale_id,
                             receipt_no=receipt_no, line_ids={id(row): line_id})
            outcomes.append("taken")
        except PosError:
            outcomes.append("refused")

    threads = [threading.Thread(target=take, args=line) for line in lines]
    [t.start() for t in threads]
    [t.join(timeout=60) for t in threads]
    assert sorted(outcomes) == ["refused"] * 6 + ["taken"] * 2
    with db.reading() as s:
        assert s.scalar(select(LimitTotal.taken)) == 2
        assert s.scalar(select(func.count()).select_from(LimitTake)) == 2
