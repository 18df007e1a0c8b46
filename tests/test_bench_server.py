"""Bench part ``server`` still runs end to end: the production command on a tiny outlet, four
tills over HTTP, the login flood, the bare app; the figures exist and no stock decrement is lost.
Timing goals are not judged here (a shared machine), only that the harness works."""
from __future__ import annotations

import math

from bench import dataset, parts, server, server_http
from bench.figures import Context

TINY = dataset.Size(products=200, members=20, sales=50, days=10, popular=50, categories=5)
KEYS = ("scan_http_p99_ms_4tills", "checkout_p99_ms_4tills", "login_flood_checkout_p99_ratio",
        "rss_mb_per_worker", "first_response_s", "lost_stock_decrements")


def test_server_part_runs_on_a_tiny_outlet(tmp_path):
    outlet = tmp_path / "outlet.db"
    dataset.ensure(outlet, TINY)
    assert parts.PARTS["server"] == "bench.server"

    figures = server.measure(Context(outlet=outlet, workdir=tmp_path, quick=True, settle=False))

    for key in KEYS:
        value = figures[key]["value"]
        assert not math.isnan(value) and value >= 0, key
    assert figures["lost_stock_decrements"]["value"] == 0
    assert figures["lost_stock_decrements"]["n"] > 0  # sales were made and checked
    assert figures["lost_stock_decrements"]["pass"] is True
    assert figures["server_failed_requests"]["value"] == 0
    assert figures["scan_http_p99_ms_4tills"]["n"] >= 4 * 5  # every till scanned a cart
    assert figures["rss_mb_per_worker"]["value"] > 10 and figures["rss_mb_per_worker"]["floor"] > 10
    assert figures["first_response_s"]["floor"] > 0
    assert figures["floor_scan_http_p99_ms_4tills"]["n"] >= 4 * 5      # the bare app's tills too
    assert figures["checkout_p99_ms_4tills"]["floor"] == figures["checkout_p99_ms_1till"]["value"]
    # the flood from the tills' own address: a right PIN from it waits, another address gets in
    assert figures["login_flood_login_same_address"]["value"] == 429
    assert figures["login_flood_login_other_address"]["value"] == 303
    assert [p.name for p in tmp_path.iterdir()] == ["outlet.db"]  # scratch files are gone


def test_the_benchmarked_servers_run_with_the_units_environment(tmp_path):
    unit = tmp_path / "pos-web.service"
    unit.write_text("[Service]\n# Environment=NOT_THIS=1\nEnvironment=MALLOC_ARENA_MAX=2 GERAI_X=\"a b\"\n"
                    "ExecStart=/bin/true\n")
    assert server_http.service_environment(unit) == {"MALLOC_ARENA_MAX": "2", "GERAI_X": "a b"}
    assert server_http.service_environment()["MALLOC_ARENA_MAX"] == "2"     # the real unit
    for target in ("pos:create_app", "bench.bare_app:create_app"):       # the app and its floor
        process = server_http.ServerProcess(target, {}, tmp_path, tmp_path / "log")
        assert process.env["MALLOC_ARENA_MAX"] == "2"
