"""Revision 0051 on days already closed: each summary row keeps the PPN inside its amounts, the
tax of its lines whose sale had the PPN inside its prices (not of those it was added to, nor of
voided sales); a product's rows with and without a category are told apart; and back again."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

from pos import db as pos_db
from tests.test_migrations import empty_engine  # noqa: F401 - the SQLite/PostgreSQL fixture

# (sale id, tax_added, status, category): lines of product 1, Rp9.000 with PPN Rp990 each
SALES = [(1, True, "completed", None), (2, False, "completed", None), (3, False, "voided", None),
         (4, False, "completed", 1), (5, True, "completed", 1)]


def test_0051_keeps_the_ppn_inside_the_closed_days_amounts(empty_engine):  # noqa: F811
    engine = empty_engine
    pos_db.upgrade(engine, "0050")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO till (id, code, name, active) VALUES (1, 'K1', 'Kasir 1', TRUE)"))
        conn.execute(text("INSERT INTO staff_user (id, username, full_name, role, pin_hash, active,"
                          " failed_pins, created_at) VALUES (1, 'siti', 'Siti', 'cashier', 'x', TRUE,"
                          " 0, '2026-11-30')"))
        conn.execute(text("INSERT INTO category (id, name) VALUES (1, 'Sabun')"))
        conn.execute(text(
            "INSERT INTO product (id, sku, name, business_unit, base_unit, price, cost, tax_class,"
            " weighed, batch_tracked, active, stock_policy, created_at, updated_at, reorder_point)"
            " VALUES (1, 'S1', 'Sabun', 'sembako', 'pcs', 9000, 6000, 'ppn', FALSE, FALSE, TRUE,"
            " 'allow', '2026-11-30', '2026-11-30', 0)"))
        for n, added, status, category in SALES:
            conn.execute(text(
                "INSERT INTO sale (id, receipt_no, seq_no, idempotency_key, outlet_code, till_id,"
                " cashier_id, status, business_date, created_at, gross, discount, tax, rounding, total,"
                " tendered, change, tax_added) VALUES (:n, :no, :n, :no, 'G', 1, 1, :status,"
                " '2026-11-30', '2026-11-30', 9000, 0, 990, 0, 9990, 9990, 0, :added)"),
                dict(n=n, no=f"G-{n}", status=status, added=added))
            conn.execute(text(
                "INSERT INTO sale_line (id, sale_id, line_no, product_id, category_id, sku, name, qty,"
                " base_unit, unit_price, price_per, amount, tax_class, tax_rate_bp, tax, unit_cost,"
                " business_unit) VALUES (:n, :n, 1, 1, :category, 'S1', 'Sabun', 1, 'pcs', 9000, 1,"
                " 9000, 'ppn', 1100, 990, 6000, 'sembako')"), dict(n=n, category=category))
        for n, category in ((1, None), (2, 1)):
            conn.execute(text(
                "INSERT INTO sales_day_product (id, business_date, product_id, business_unit,"
                " category_id, sku, name, base_unit, lines, qty, amount, discount, tax, cost)"
                " VALUES (:n, '2026-11-30', 1, 'sembako', :category, 'S1', 'Sabun', 'pcs', 2, 2,"
                " 18000, 0, 1980, 12000)"), dict(n=n, category=category))
    pos_db.upgrade(engine, "0051")
    with engine.connect() as conn:
        inside = [int(r[0]) for r in conn.execute(
            text("SELECT tax_inside FROM sales_day_product ORDER BY id"))]
    assert inside == [990, 990]   # of sale 2 (no category), of sale 4 (Sabun)
    pos_db.upgrade(engine)   # the rest of the chain runs on top of it


@pytest.mark.parametrize("empty_engine", ["sqlite"], indirect=True)
def test_0051_downgrades(empty_engine):  # noqa: F811
    engine = empty_engine
    pos_db.upgrade(engine, "0051")
    command.downgrade(pos_db.migrations_config(engine), "0050")
    assert "tax_inside" not in {c["name"] for c in inspect(engine).get_columns("sales_day_product")}
