"""Migration 0019: an existing database keeps collecting PPN (the old default), a new one is
not PKP, and one whose sales show it ran without PPN stays without."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from pos import db as pos_db
from tests.conftest import PG_ADMIN, unavailable

PRODUCT = ("INSERT INTO product (id, sku, name, business_unit, base_unit, price, cost, tax_class,"
           " weighed, batch_tracked, active, stock_policy, reorder_point, created_at, updated_at)"
           " VALUES (1, 'M1', 'Minyak', 'sembako', 'pcs', 11100, 9000, 'ppn', FALSE, FALSE, TRUE,"
           " 'allow', 0, '2026-11-30', '2026-11-30')")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    if request.param == "sqlite":
        made = pos_db.make_engine(f"sqlite:///{tmp_path / 'tax.db'}")
        yield made
        made.dispose()
        return
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"gerai_tax_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any connection failure
        unavailable(f"PostgreSQL not reachable: {error}")
    made = pos_db.make_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    yield made
    made.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def setting(engine) -> tuple[list, list]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT value FROM outlet_setting WHERE key = 'pkp'")).all()
        log = conn.execute(text("SELECT old_value, new_value, user_id FROM outlet_setting_change"
                                " WHERE key = 'pkp'")).all()
    return [tuple(r) for r in rows], [tuple(r) for r in log]


def sell(engine, rate_bp: int, tax: int) -> None:
    with engine.begin() as conn:
        conn.execute(text(PRODUCT))
        conn.execute(text("INSERT INTO till (id, code, name, active) VALUES (1, 'K1', 'Kasir 1', TRUE)"))
        conn.execute(text("INSERT INTO staff_user (id, username, full_name, role, pin_hash, active,"
                          " failed_pins, created_at) VALUES (1, 'siti', 'Siti', 'cashier', 'x', TRUE,"
                          " 0, '2026-11-30')"))
        conn.execute(text(
            "INSERT INTO sale (id, receipt_no, seq_no, idempotency_key, outlet_code, till_id, cashier_id,"
            " status, business_date, created_at, gross, discount, tax, total, tendered, change)"
            " VALUES (1, 'G-1', 1, 'k1', 'G', 1, 1, 'completed', '2026-11-30', '2026-11-30', 11100, 0,"
            " :tax, 11100, 11100, 0)"), {"tax": tax})
        conn.execute(text(
            "INSERT INTO sale_line (id, sale_id, line_no, product_id, sku, name, qty, base_unit,"
            " unit_price, price_per, amount, tax_class, tax_rate_bp, tax, unit_cost, business_unit)"
            " VALUES (1, 1, 1, 1, 'M1', 'Minyak', 1, 'pcs', 11100, 1, 11100, 'ppn', :rate, :tax,"
            " 9000, 'sembako')"), {"rate": rate_bp, "tax": tax})


def test_a_new_database_gets_no_pkp_row(engine):
    pos_db.upgrade(engine)
    assert setting(engine) == ([], [])


def test_an_existing_database_with_products_keeps_collecting_ppn(engine):
    pos_db.upgrade(engine, "0012")
    with engine.begin() as conn:
        conn.execute(text(PRODUCT))
    pos_db.upgrade(engine)
    assert setting(engine) == ([("true",)], [(None, "true", None)])


def test_existing_ppn_sales_are_marked_pkp(engine):
    pos_db.upgrade(engine, "0012")
    sell(engine, 1100, 1100)
    pos_db.upgrade(engine)
    assert setting(engine)[0] == [("true",)]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pkp FROM sale")).scalar() in (True, 1)


def test_a_database_whose_sales_took_no_ppn_stays_non_pkp(engine):
    """PPN-class goods sold at 0%: the outlet ran with POS_PKP=false; it keeps that."""
    pos_db.upgrade(engine, "0012")
    sell(engine, 0, 0)
    pos_db.upgrade(engine)
    assert setting(engine) == ([("false",)], [(None, "false", None)])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pkp FROM sale")).scalar() in (False, 0)


def test_a_downgrade_removes_the_setting_and_an_upgrade_restores_the_old_default(engine):
    pos_db.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text(PRODUCT))
    from alembic import command

    command.downgrade(pos_db.migrations_config(engine), "0018")
    assert setting(engine)[0] == []
    pos_db.upgrade(engine)  # data now exists: the old default (PKP) comes back
    assert setting(engine)[0] == [("true",)]
