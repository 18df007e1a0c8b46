"""Revision 0014 on a catalog in use: every product's single HET becomes a ceiling for every
zone since long ago ("dari katalog"), and the column leaves the product table; and back."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from pos import db as pos_db
from tests.test_migrations import empty_engine  # noqa: F401 - the SQLite/PostgreSQL fixture

PRODUCT = ("INSERT INTO product (id, sku, name, business_unit, base_unit, price, cost, tax_class, "
           "het, weighed, batch_tracked, active, stock_policy, reorder_point, created_at, "
           "updated_at) VALUES (:id, :sku, 'Barang', 'sembako', :unit, :price, 0, 'bebas', :het, "
           "false, false, true, 'block', 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')")


def test_0014_moves_each_het_into_the_schedule(empty_engine):  # noqa: F811
    engine = empty_engine
    pos_db.upgrade(engine, "0013")
    with engine.begin() as conn:
        for values in ({"id": 1, "sku": "SPHP", "unit": "pcs", "price": 62_500, "het": 62_500},
                       {"id": 2, "sku": "UREA", "unit": "gram", "price": 1_800, "het": 2_250},
                       {"id": 3, "sku": "TEH", "unit": "pcs", "price": 5_000, "het": None}):
            conn.execute(text(PRODUCT), values)
    pos_db.upgrade(engine, "0014")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT product_id, zone, price, effective_from, note "
                                 "FROM ceiling_price ORDER BY product_id")).all()
        assert [(r.product_id, r.zone, r.price, str(r.effective_from), r.note) for r in rows] == [
            (1, None, 62_500, "2000-01-01", "dari katalog"),
            (2, None, 2_250, "2000-01-01", "dari katalog")]
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert "het" not in {c["name"] for c in inspect(engine).get_columns("product")}
    assert not any("het" in (c["name"] or "") for c in inspect(engine).get_check_constraints("product"))
    pos_db.upgrade(engine)  # the rest of the chain runs on top of it


@pytest.mark.parametrize("empty_engine", ["sqlite"], indirect=True)
def test_0014_downgrades_to_the_ceiling_in_force_for_every_zone(empty_engine):  # noqa: F811
    from alembic import command

    engine = empty_engine
    pos_db.upgrade(engine, "0014")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO product (id, sku, name, business_unit, base_unit, price, "
                          "cost, tax_class, weighed, batch_tracked, active, stock_policy, "
                          "reorder_point, created_at, updated_at) VALUES (1, 'UREA', 'Urea', "
                          "'pupuk', 'gram', 1800, 0, 'bebas', 0, 0, 1, 'block', 0, "
                          "'2025-01-01', '2025-01-01')"))
        conn.execute(text("INSERT INTO ceiling_price (product_id, zone, price, effective_from, "
                          "created_at) VALUES (1, NULL, 2250, '2024-01-01', '2025-01-01'), "
                          "(1, NULL, 1800, '2025-10-22', '2025-01-01'), "
                          "(1, '2', 1700, '2025-10-22', '2025-01-01'), "
                          "(1, NULL, 1500, '2099-01-01', '2025-01-01')"))
    command.downgrade(pos_db.migrations_config(engine), "0013")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT het FROM product")).scalar() == 1_800
    assert "ceiling_price" not in inspect(engine).get_table_names()
