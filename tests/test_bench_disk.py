"""The ``disk`` bench part still runs end to end on a tiny outlet: fsyncs counted with strace,
the slow-fsync shim compiled and loaded, the pinned run.  Timings are not judged here (a busy
2-core machine); the fsync counts are, because they do not depend on speed."""
from __future__ import annotations

import math

import pytest

from bench import dataset, disk
from bench.figures import Context, table

TINY = dataset.Size(products=200, members=20, sales=50, days=10, popular=50, categories=5)
TIMINGS = ("scan_p99_ms_slow_disk", "checkout_p99_ms_slow_disk", "one_core_scan_p50_ms",
           "one_core_scan_p99_ms", "one_core_checkout_p50_ms", "one_core_checkout_p99_ms")


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    work = tmp_path_factory.mktemp("disk")
    outlet = work / "outlet.db"
    dataset.ensure(outlet, TINY)
    return disk.measure(Context(outlet=outlet, workdir=work, quick=True, settle=False)), work


def test_the_disk_part_counts_fsyncs_on_a_tiny_outlet(figures):
    found, work = figures
    assert set(found) == {"scan_fsyncs", "checkout_fsyncs", *TIMINGS}
    assert found["scan_fsyncs"]["value"] == 0 and found["scan_fsyncs"]["n"] == disk.QUICK_LOAD.scans
    # each sale is one fsync of its own; the receipt's bookkeeping adds none
    assert 1 <= found["checkout_fsyncs"]["value"] <= 2
    assert found["checkout_fsyncs"]["n"] == disk.QUICK_LOAD.checkouts
    assert not (work / "disk-part").exists()  # the scratch copy, the shim and the trace are gone
    assert "checkout_fsyncs" in table(found)


def test_the_slow_disk_and_one_core_runs_yield_timings(figures):
    found, _work = figures
    for key in TIMINGS:
        assert found[key]["unit"] == "ms" and found[key]["value"] > 0 and not math.isnan(found[key]["value"])
        assert found[key]["n"] > 0
    assert found["scan_p99_ms_slow_disk"]["max_value"] == 5
    assert found["checkout_p99_ms_slow_disk"]["max_value"] == 25
    delayed = int(found["checkout_p99_ms_slow_disk"]["note"].split("LD_PRELOAD shim, ")[1].split()[0])
    assert delayed >= disk.QUICK_LOAD.checkouts  # the shim was loaded: every sale's fsync went through it


def test_fsyncs_are_counted_per_window_and_thread():
    trace = "\n".join([
        '7 access("/gerai-bench-marker/scan-start", F_OK) = -1 ENOENT',
        "7 fdatasync(9</x/pos.db-wal>) = 0",
        "8 fsync(4</x/pos.db> <unfinished ...>",
        '7 access("/gerai-bench-marker/scan-end", F_OK) = -1 ENOENT',
        "8 <... fsync resumed>) = 0",
        "7 fdatasync(9</x/pos.db-wal>) = 0",
        '7 access("/gerai-bench-marker/checkout-start", F_OK) = -1 ENOENT',
        "7 fdatasync(9</x/pos.db-wal>) = 0",
        "9 fdatasync(5</x/pos.db-wal>) = 0",
        '7 access("/gerai-bench-marker/checkout-end", F_OK) = -1 ENOENT',
    ])
    counts = disk.count_fsyncs(trace, {7: "request", 8: "checkpointer"})
    assert counts["scan"] == {"request": 1, "checkpointer": 1}
    assert counts["checkout"] == {"request": 1, "other": 1}
