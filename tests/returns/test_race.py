"""Two managers returning the last unit of one line at the same moment: exactly one return is
booked (one conditional UPDATE on ``sale_line.returned_qty``), on SQLite and PostgreSQL."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from pos.inventory import stock
from pos.returns.models import SaleReturn
from pos.returns.service import ReturnError, Wanted
from pos.sales.models import SaleLine
from tests.factories import make_till, open_shift
from tests.returns.conftest import DAY, SOAP, give_back, line_ids, manager, sell


def test_two_returns_of_the_last_unit_at_once_book_exactly_one(db, shop):
    with db.transaction() as s:
        other_till = make_till(s, "KASIR-2").id
        open_shift(s, other_till, shop["cashier"], day=DAY)  # each till's drawer can pay a cash refund
    sale = sell(db, shop, (SOAP, 1))
    line = line_ids(db, sale.id)[0]
    with db.reading() as s:
        before = stock.on_hand(s, shop["soap"])
    start, results = threading.Barrier(2), []

    def till(till_id):
        actor = manager({**shop, "till": till_id})
        start.wait()
        try:
            results.append(give_back(db, actor, sale.id, Wanted(line, 1)).return_no)
        except ReturnError as refused:
            results.append(refused.message)

    threads = [threading.Thread(target=till, args=(t,)) for t in (shop["till"], other_till)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    booked = [r for r in results if r.startswith("R-TST01-")]
    refused = [r for r in results if not r.startswith("R-TST01-")]
    assert booked == ["R-TST01-000001"] and len(refused) == 1, results
    assert "diretur" in refused[0]
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SaleReturn)) == 1
        assert s.scalar(select(SaleLine.returned_qty).where(SaleLine.id == line)) == 1
        assert stock.on_hand(s, shop["soap"]) == before + 1
