"""The benchmark harness still runs end to end: a tiny outlet and a few timed operations."""
from __future__ import annotations

import json

from bench import dataset, report
from bench.runner import Plan, run

HEADLINE = ("scan_p50_ms", "scan_p99_ms", "checkout_p50_ms", "checkout_p99_ms",
            "floor_scan_p50_ms", "floor_scan_p99_ms", "floor_checkout_p50_ms",
            "floor_checkout_p99_ms")
TINY = dataset.Size(products=200, members=20, sales=50, days=10, popular=50, categories=5)


def test_bench_runs_on_a_tiny_outlet(tmp_path):
    outlet = tmp_path / "outlet.db"
    assert dataset.ensure(outlet, TINY) is True
    assert dataset.ensure(outlet, TINY) is False  # cached while the schema is unchanged

    results = run(outlet, tmp_path, Plan(scans=20, checkouts=20, rounds=2, warmup_scans=5,
                                         warmup_checkouts=2, settle=False))

    assert all(isinstance(results[key], float) and results[key] > 0 for key in HEADLINE)
    assert (results["n_scan"], results["n_checkout"]) == (20, 20)
    assert (results["n_floor_scan"], results["n_floor_checkout"]) == (20, 20)
    assert results["failures"] == {"scan": 0, "checkout": 0, "checkout_http": 0, "floor_scan": 0,
                                   "sales_rows": 0}
    assert results["checkout_http_p50_ms"] > 0 and results["n_checkout_http"] > 0
    assert set(results["goals"]) == {"scan_p50", "scan_p99", "checkout_p50", "checkout_p99"}
    assert "checkout" in report.table(results)
    assert results["report_month_p50_ms"] > 0 and results["report_month_goal_ms"] == 1000
    assert "month sales by product" in report.table(results)
    report.write_json(results, tmp_path / "results.json")
    assert json.loads((tmp_path / "results.json").read_text())["scan_p50_ms"] > 0
    assert not (tmp_path / "scratch.db").exists()
