"""The benchmark harness still runs end to end: a tiny outlet and a few timed operations."""
from __future__ import annotations

import json

import pytest

from bench import __main__ as bench_main
from bench import dataset, figures, report
from bench.runner import Plan, run

CORE = ("scan_p50_ms", "scan_p99_ms", "checkout_p50_ms", "checkout_p99_ms",
        "checkout_http_p50_ms", "checkout_http_p99_ms", "floor_scan_p50_ms", "floor_scan_p99_ms",
        "floor_flask_scan_p50_ms", "floor_flask_scan_p99_ms", "floor_checkout_p50_ms",
        "floor_checkout_p99_ms", "scan_cold_p50_ms", "scan_cold_p99_ms",
        "floor_flask_scan_cold_p50_ms", "floor_flask_scan_cold_p99_ms", "report_month_p50_ms",
        "receipt_job_cpu_ms")
HELD = {"scan_p50_ms": ("floor_flask_scan_p50_ms", 2.0), "scan_p99_ms": ("floor_flask_scan_p99_ms", 2.0),
        "checkout_p50_ms": ("floor_checkout_p50_ms", 3.0),
        "checkout_p99_ms": ("floor_checkout_p99_ms", 2.0)}
TINY = dataset.Size(products=200, members=20, sales=50, days=10, popular=50, categories=5)


def test_bench_runs_on_a_tiny_outlet(tmp_path):
    outlet = tmp_path / "outlet.db"
    assert dataset.ensure(outlet, TINY) is True
    assert dataset.ensure(outlet, TINY) is False  # cached while the schema is unchanged

    results = run(outlet, tmp_path, Plan(scans=20, checkouts=20, rounds=2, warmup_scans=5,
                                         warmup_checkouts=2, settle=False, cold_scans=4,
                                         cold_pause_s=0.001, receipts=3))

    found = results["figures"]
    assert set(found) == set(CORE)
    assert all(entry["value"] > 0 and entry["unit"] == "ms" for entry in found.values())
    for key in CORE[:-2]:  # timed in rounds: n per side, spread [min, max] around the median
        low, high = found[key]["spread"]
        assert found[key]["n"] == (4 if "cold" in key else 20) and low <= found[key]["value"] <= high
    assert found["scan_cold_p50_ms"]["floor"] == found["floor_flask_scan_cold_p50_ms"]["value"]
    for key, (floor, limit) in HELD.items():  # held to a floor measured in the same run
        assert found[key]["floor"] == found[floor]["value"] and found[key]["max_ratio"] == limit
        # the ratio is kept to two decimals (from the unrounded values): 0.25 for 0.247
        assert found[key]["ratio"] == pytest.approx(found[key]["value"] / found[floor]["value"],
                                                    rel=0.01, abs=0.005)
        assert found[key]["pass"] is (found[key]["ratio"] <= limit)
    assert found["checkout_http_p50_ms"]["pass"] is None  # reported beside the goal
    assert found["report_month_p50_ms"]["max_value"] == 1000
    receipt = found["receipt_job_cpu_ms"]  # three receipts printed, each timed on its own
    assert receipt["n"] == 3 and receipt["pass"] is None and receipt["spread"][0] <= receipt["value"]
    assert results["failures"] == {"scan": 0, "checkout": 0, "checkout_http": 0, "floor_scan": 0,
                                   "floor_flask_scan": 0, "scan_cold": 0,
                                   "floor_flask_scan_cold": 0, "sales_rows": 0}
    sizes = results["scan_fragment_bytes"]  # the same fragment; only the line ids' digits differ
    assert abs(sizes["floor_flask"] - sizes["floor"]) <= sizes["floor"] // 50
    assert results["yardstick_sum_range_ms"] > 0 and results["sqlite_version"]
    assert "floor_flask_scan_p50_ms" in figures.table(found)
    report.write_json(results, tmp_path / "results.json")
    assert json.loads((tmp_path / "results.json").read_text())["figures"]["scan_p50_ms"]["value"] > 0
    assert not (tmp_path / "scratch.db").exists()


def test_percentiles_are_per_round_medians():
    # two rounds: p50 per round 2 ms and 4 ms -> the median 3 ms, spread [2, 4]
    rounds = [[1_000_000, 2_000_000, 3_000_000], [4_000_000, 4_000_000, 9_000_000]]
    assert report.per_round_ms(rounds, 50) == [2.0, 4.0]
    assert report.per_round_ms(rounds, 99) == [3.0, 9.0]
    entry = figures.figure(figures.median_of([2.0, 4.0]), "ms", spread=[2.0, 4.0])
    assert (entry["value"], entry["spread"]) == (3.0, [2.0, 4.0])


def test_goals_pass_only_when_every_goal_is_met():
    met = figures.figure(2.0, "ms", floor=1.0, max_ratio=3.0)
    missed = figures.figure(4.0, "ms", floor=1.0, max_ratio=3.0)
    reported = figures.figure(9.0, "ms")
    assert report.goals_pass({"a": met, "c": reported}) is True
    assert report.goals_pass({"a": met, "b": missed, "c": reported}) is False


def test_a_part_only_run_needs_no_core_keys(tmp_path, monkeypatch):
    """``--parts x`` without core: no scan figures, the machine context all the same, exit 0."""
    outlet = tmp_path / "outlet.db"
    dataset.ensure(outlet, TINY)
    monkeypatch.setattr(bench_main.parts, "PARTS", {"stub": "tests.test_bench_smoke"})
    monkeypatch.setattr(bench_main.machine, "yardstick_ms", lambda: 1.0)
    out = tmp_path / "results.json"
    assert bench_main.main(["--db", str(outlet), "--out", str(out), "--parts", "stub",
                            "--workdir", str(tmp_path / "work"), "--quick"]) == 0
    saved = json.loads(out.read_text())
    assert set(saved["figures"]) == {"stub_ms"} and saved["all_goals_pass"] is False
    assert saved["parts"] == ["stub"] and saved["yardstick_sum_range_ms"] == 1.0
    assert "failures" not in saved


def measure(ctx: figures.Context) -> dict[str, dict]:
    """A stand-in part for the test above: one figure that misses its goal."""
    assert ctx.quick
    return {"stub_ms": figures.figure(5.0, "ms", max_value=1.0)}
