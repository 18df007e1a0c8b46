"""A return on the stock card names the cashier who took the goods back and the manager who
approved it ("Kasir1 (disetujui Manajer1)"), as a write-off names its clerk and approver; a
manager's own return names the manager alone.  SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

from pos.inventory.catalog.products import get_product
from pos.reports.stock_card import stock_card
from pos.returns.service import Wanted
from tests.returns.conftest import DAY, SOAP, cashier, give_back, line_ids, manager, sell


def card_rows(db, product_id: int) -> list[dict]:
    with db.reading() as s:
        return stock_card(s, get_product(s, product_id), DAY - timedelta(days=1), DAY + timedelta(days=1),
                          zone="Asia/Makassar").rows


def test_a_return_names_its_cashier_and_the_approving_manager(db, shop):
    sale = sell(db, shop, (SOAP, 3))
    (line,) = line_ids(db, sale.id)
    give_back(db, cashier(shop, approved_by=shop["manager"]), sale.id, Wanted(line, 1))
    give_back(db, manager(shop), sale.id, Wanted(line, 1, restock=False))
    returned = [r for r in card_rows(db, shop["soap"]) if r.get("kind") in ("Retur", "Pemusnahan")]
    assert [(r["kind"], r["user"]) for r in returned] == [
        ("Retur", "Kasir1 (disetujui Manajer1)"),
        ("Retur", "Manajer1"), ("Pemusnahan", "Manajer1")]
