"""The browser part of the benchmark (``bench/browser.py``) runs end to end on a tiny outlet:
a real Chromium scans into an empty cart and into one of 60 lines, the server times the same
scans, and the figures are sane (no timing goal is judged here)."""
from __future__ import annotations

import pytest

from bench import browser as bench_browser
from bench import dataset, parts
from bench.app_bench import SCAN, BenchError
from bench.figures import Context
from tests.test_bench_smoke import TINY

pytestmark = pytest.mark.browser
KEYS = ("scan_browser_p50_ms", "scan_browser_p95_ms", "scan_browser_p50_ms_60_lines",
        "scan_browser_p95_ms_60_lines", "scan_browser_server_p50_ms",
        "scan_browser_server_p50_ms_60_lines")


def test_browser_part_times_scans_in_an_empty_and_a_60_line_cart(tmp_path, browser):
    assert parts.PARTS["browser"] == "bench.browser"
    outlet = tmp_path / "outlet.db"
    dataset.ensure(outlet, TINY)
    work = tmp_path / "work"
    work.mkdir()

    figures = bench_browser.measure(Context(outlet=outlet, workdir=work, quick=True, settle=False),
                                    browser)

    assert set(figures) == set(KEYS)
    for key in KEYS:
        entry = figures[key]
        assert entry["unit"] == "ms" and entry["n"] == 3
        assert 0 < entry["value"] < 10_000
        assert entry["spread"][0] <= entry["value"] <= entry["spread"][1]
    assert figures["scan_browser_p95_ms"]["max_value"] == bench_browser.GOAL_MS
    assert figures["scan_browser_p95_ms_60_lines"]["pass"] in (True, False)
    assert figures["scan_browser_p50_ms"]["value"] <= figures["scan_browser_p95_ms"]["value"]
    for suffix in ("", "_60_lines"):  # the server's part is inside the wait it is part of
        server = figures[f"scan_browser_server_p50_ms{suffix}"]
        assert server["pass"] is None and "of its CPU" in server["note"]
        assert server["value"] < figures[f"scan_browser_p50_ms{suffix}"]["value"]
    assert list(work.iterdir()) == []  # the scratch copy is gone


def test_the_server_clock_times_only_scans_and_one_at_a_time(app, client):
    clock = bench_browser.ServerClock(app)
    assert client.get("/masuk").status_code == 200
    assert clock.samples == []
    client.post(SCAN, data={"code": "x"})
    wall, cpu = clock.take()
    assert wall > 0 and cpu >= 0
    with pytest.raises(BenchError, match="0 scans reached the server"):
        clock.take()
    client.post(SCAN, data={"code": "x"})
    client.post(SCAN, data={"code": "x"})
    with pytest.raises(BenchError, match="2 scans reached the server"):
        clock.take()
