"""Revision 0050 on sales already made: a sale whose total is its lines plus its PPN (plus its
cash rounding) had the PPN added on top of its prices; one whose PPN is inside its lines, or
that had none, did not; and back again."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

from pos import db as pos_db
from tests.test_migrations import empty_engine  # noqa: F401 - the SQLite/PostgreSQL fixture

# (gross, discount, tax, rounding, total): the PPN added to Rp9.500, and to Rp9.000 paid Rp10.000
# in cash; the PPN inside Rp11.100; no PPN
SALES = [(10_000, 500, 1_045, 0, 10_545), (9_000, 0, 990, 10, 10_000), (11_100, 0, 1_100, 0, 11_100),
         (5_000, 0, 0, 0, 5_000)]


def test_0050_tells_the_ppn_added_on_top_from_the_ppn_inside(empty_engine):  # noqa: F811
    engine = empty_engine
    pos_db.upgrade(engine, "0049")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO till (id, code, name, active) VALUES (1, 'K1', 'Kasir 1', TRUE)"))
        conn.execute(text("INSERT INTO staff_user (id, username, full_name, role, pin_hash, active,"
                          " failed_pins, created_at) VALUES (1, 'siti', 'Siti', 'cashier', 'x', TRUE,"
                          " 0, '2026-11-30')"))
        for n, (gross, discount, tax, rounding, total) in enumerate(SALES, start=1):
            conn.execute(text(
                "INSERT INTO sale (id, receipt_no, seq_no, idempotency_key, outlet_code, till_id,"
                " cashier_id, status, business_date, created_at, gross, discount, tax, rounding, total,"
                " tendered, change) VALUES (:n, :no, :n, :no, 'G', 1, 1, 'completed', '2026-11-30',"
                " '2026-11-30', :gross, :discount, :tax, :rounding, :total, :total, 0)"),
                dict(n=n, no=f"G-{n}", gross=gross, discount=discount, tax=tax, rounding=rounding,
                     total=total))
    pos_db.upgrade(engine, "0050")
    with engine.connect() as conn:
        added = [bool(r[0]) for r in conn.execute(text("SELECT tax_added FROM sale ORDER BY id"))]
    assert added == [True, True, False, False]
    pos_db.upgrade(engine)   # the rest of the chain runs on top of it


@pytest.mark.parametrize("empty_engine", ["sqlite"], indirect=True)
def test_0050_downgrades(empty_engine):  # noqa: F811
    engine = empty_engine
    pos_db.upgrade(engine, "0050")
    command.downgrade(pos_db.migrations_config(engine), "0049")
    assert "tax_added" not in {c["name"] for c in inspect(engine).get_columns("sale")}
