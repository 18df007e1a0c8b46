"""The ``reports`` bench part on a tiny outlet: the figures exist, and each floor computes
the numbers the app's report shows (a planted difference is caught)."""
from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from bench import app_bench, dataset, report_floors, reports
from bench.app_bench import make_app
from bench.figures import Context
from pos.db import get_db

TINY = dataset.Size(products=200, members=20, sales=60, days=10, popular=50, categories=5)


@pytest.fixture
def outlet(tmp_path):
    path = tmp_path / "outlet.db"
    dataset.ensure(path, TINY)
    return path


def test_reports_part_gives_every_figure_with_its_floor(outlet, tmp_path):
    figures = reports.measure(Context(outlet, tmp_path, quick=True, settle=False))

    for key in ("day_report_ms", "month_report_ms", "z_report_ms"):
        assert figures[key]["value"] > 0 and figures[key]["floor"] > 0, key
        assert figures[key]["ratio"] > 0
    assert figures["day_report_ms"]["max_ratio"] == 2.0
    assert figures["month_report_ms"]["max_ratio"] == 1.0
    assert figures["z_report_ms"]["pass"] is None  # reported: the issue sets no goal
    assert not list(tmp_path.glob("scratch_*"))


def test_the_floors_compute_what_the_app_shows(outlet, tmp_path):
    scratch = dataset.scratch_copy(outlet, tmp_path / "scratch.db")
    app = make_app(scratch, tmp_path)
    try:
        with closing(sqlite3.connect(scratch, isolation_level=None)) as conn:
            setup = reports.close_a_shift(conn)
            report_floors.denormalise(conn)
            checked = reports.Reports(app, conn, setup)
            with app.app_context(), get_db(app).reading() as session:
                checked.check(session)  # raises on any difference
                day, z = checked.floor_day(), checked.floor_z()
                assert day["sale_count"] > 0 and day["total"] > 0
                # the past sales are the PKP outlet's: taxed per class, none "bukan PKP"
                assert "ppn" in day["tax_classes"] and "bukan_pkp" not in day["tax_classes"]
                assert z["sales_count"] == day["sale_count"] and z["sales_total"] == day["total"]
                assert checked.floor_month()["count"] > 0
            conn.execute(f"UPDATE {report_floors.SUMMARY} SET amount = amount + 1")  # planted
            with app.app_context(), get_db(app).reading() as session, \
                    pytest.raises(app_bench.BenchError, match="month"):
                checked.check(session)
    finally:
        app_bench.close(app)


def test_a_cached_outlet_of_an_older_generator_is_built_again(outlet):
    assert dataset.ensure(outlet, TINY) is False  # today's rows: kept
    with closing(sqlite3.connect(outlet)) as conn:
        conn.execute("PRAGMA application_id=1")  # built before the sales carried pkp
        conn.commit()

    assert dataset.ensure(outlet, TINY) is True
    assert dataset.version_of(outlet) == dataset.DATASET_VERSION
    with closing(sqlite3.connect(outlet)) as conn:
        assert conn.execute("SELECT count(*) FROM sale WHERE NOT pkp").fetchone()[0] == 0
