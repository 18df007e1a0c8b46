"""A SKU in any letter case is found through an index on its capitals (``ix_product_sku_upper``):
the catalog's and the member register's checks of a typed SKU (``codes.sku_holder``, ``owner``,
``products_holding(any_case=True)``) and an opening import's SKU lookup scanned the whole product
table for ``upper(sku)``, some 17 ms a look-up at 50,000 products."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from pos import db as pos_db
from pos.inventory.catalog import codes
from tests.factories import make_product
from tests.query_plans import plans, selects


@pytest.fixture
def backend():
    return "sqlite"   # EXPLAIN QUERY PLAN; PostgreSQL's plan depends on its statistics


def test_a_sku_typed_in_any_case_is_looked_up_by_the_index(db):
    with db.transaction() as s:
        make_product(s, sku="UMK-9003", name="Keripik Pisang", barcodes_=[], on_hand=0)
        make_product(s, sku="GULA-1", name="Gula 1 kg", on_hand=0)
    with db.reading() as s, selects(db) as seen:
        assert codes.sku_holder(s, "umk-9003") == "SKU UMK-9003 barang Keripik Pisang"
        assert codes.owner(s, "gula-1") == "SKU barang Gula 1 kg"
        assert codes.products_holding(s, ["UMK-9003", "GULA-1", "AGT-1"], any_case=True) == {
            "UMK-9003": "SKU barang Keripik Pisang", "GULA-1": "SKU barang Gula 1 kg"}
    found = plans(db, seen, "upper(product.sku)", " product")
    assert len(found) == 3, seen
    for plan in found:
        assert "USING INDEX ix_product_sku_upper" in plan and "SCAN product" not in plan, plan


def test_the_migrations_make_the_index_and_0052_downgrades(tmp_path):
    """Made by revision 0052 and kept by every later one (a migration that rebuilds the product
    table on SQLite would lose it: SQLite's reflection skips an index on an expression)."""
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'm.db'}")

    def index():
        with engine.connect() as conn:
            return conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :name"),
                                {"name": "ix_product_sku_upper"}).scalar()
    try:
        pos_db.upgrade(engine)
        made = index()
        with engine.connect() as conn:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT id FROM product WHERE upper(sku) = ?",
                                        ("UMK-9003",)).all()
        command.downgrade(pos_db.migrations_config(engine), "0051")
        assert index() is None
    finally:
        engine.dispose()
    assert made is not None and "upper(sku)" in made.replace('"', "").lower()
    assert "USING INDEX ix_product_sku_upper" in plan[0][-1], plan
