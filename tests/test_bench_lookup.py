"""The ``lookup`` bench part on a tiny outlet: the figures exist, and the search floor asks
the same question as the app (same products, same members, same order)."""
from __future__ import annotations

import random
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy.orm import Session

from bench import dataset, lookup, search_floor
from bench.figures import Context
from pos.db import make_engine
from pos.inventory.catalog.lookup import search as product_search
from pos.members.service import search as member_search

TINY = dataset.Size(products=200, members=20, sales=50, days=10, popular=50, categories=5)
KEYS = ("product_search_p50_ms", "product_search_p99_ms", "member_search_p50_ms",
        "member_search_p99_ms", "catalog_page_p50_ms", "catalog_scan_p50_ms")


@pytest.fixture
def outlet(tmp_path):
    path = tmp_path / "outlet.db"
    dataset.ensure(path, TINY)
    return path


def test_lookup_part_gives_every_figure_with_its_floor(outlet, tmp_path):
    figures = lookup.measure(Context(outlet, tmp_path, quick=True, settle=False))

    for key in KEYS:
        assert figures[key]["value"] > 0 and figures[key]["floor"] > 0, key
        assert figures[key]["n"] > 0
    assert figures["product_search_p99_ms"]["max_ratio"] == 2.0
    assert figures["member_search_p99_ms"]["max_ratio"] == 2.0
    ratios = [figures[f"catalog_{what}_p50_ms"]["ratio"] for what in ("page", "scan")]
    assert figures["catalog_ratio"]["value"] == max(ratios)
    assert figures["catalog_ratio"]["max_value"] == 1.1
    assert dataset.schema_of(tmp_path / "outlet_500.db") == dataset.app_schema()  # cached beside
    assert not list(tmp_path.glob("scratch_*"))  # scratch copies are deleted


def test_the_search_floor_finds_what_the_app_finds(outlet):
    rng = random.Random(3)
    engine = make_engine(f"sqlite:///{outlet}")
    with closing(sqlite3.connect(outlet)) as conn, Session(engine) as session:
        products = lookup.product_typing(conn, rng, 15)
        products += ["SKU000007", "sku000007", lookup.dataset.ean13(9), "zz", "x y", ""]
        members = lookup.member_typing(conn, rng, 12) + ["0812", "zz", "7371000000000003"]
        for text in products:
            app = [row["id"] for row in product_search(session, text, 8)]
            assert [row[0] for row in search_floor.product_rows(conn, text)] == app, text
        for text in members:
            app = [member.id for member in member_search(session, text, 8)]
            assert [row[0] for row in search_floor.member_rows(conn, text)] == app, text
        assert any(search_floor.product_rows(conn, text) for text in products)
        assert any(search_floor.member_rows(conn, text) for text in members)
    engine.dispose()
