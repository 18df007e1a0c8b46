"""``python -m bench.probe``: scans and checkouts in a process of their own, for ``bench.disk``.

The app is built as ``bench.app_bench`` builds it (production settings, background WAL
checkpointer, print thread, ``synchronous=FULL``) on the database given, which must be a
scratch copy.  The probe runs as a subprocess so that the disk part can put it under
``strace``, an ``LD_PRELOAD`` shim or ``taskset`` without touching the parent.

Between the phases it calls ``access()`` on a path under ``MARKER_ROOT``, a system call
nothing else makes with that path, so a trace can be cut into a scan window and a checkout
window.  With ``--settle`` each window ends that many seconds after its last operation, so
the background threads' fsyncs (print worker, WAL checkpointer) land in the window that
caused them.  ``--cpu N`` pins the process (every thread) to CPU N before the app starts.
One JSON object goes to stdout: the timings in ns and the native ids of the threads.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

from bench import app_bench

MARKER_ROOT = "/gerai-bench-marker"
CART_SIZE = 20            # scans between two (untimed) cart clears, as the core bench
LINES_PER_CHECKOUT = 5


def marker(name: str) -> None:
    """A system call a trace can find: ``access("/gerai-bench-marker/<name>")``."""
    os.access(f"{MARKER_ROOT}/{name}", os.F_OK)


def products(db: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT b.code, p.name FROM product_barcode b "
                            "JOIN product p ON p.id = b.product_id WHERE p.active").fetchall()


def drain(app) -> None:
    """Wait until the print thread has printed every queued receipt."""
    printing = app.extensions.get("pos_print_queue")
    if printing is not None:
        printing.join()


def run(db: Path, instance: Path, scans: int, checkouts: int, warmup: int, seed: int,
        settle: float) -> dict:
    rng = random.Random(seed)
    catalog = products(db)
    app = app_bench.make_app(db, instance)
    try:
        till = app_bench.AppTill(app)
        failures = {"scan": 0, "checkout": 0}
        # Warm-up: imports, statement caches, the first pages of the indexes.
        for _ in range(warmup):
            app_bench.scan_batch(till, [rng.choice(catalog) for _ in range(CART_SIZE)])
            till.clear()   # a checkout of its own 5 lines, as measured below
            app_bench.checkout_commit(till, rng.sample(catalog, LINES_PER_CHECKOUT))
        till.clear()
        drain(app)
        time.sleep(settle)

        marker("scan-start")
        scan_ns: list[int] = []
        left = scans
        while left > 0:
            batch = [rng.choice(catalog) for _ in range(min(CART_SIZE, left))]
            times, failed, _size = app_bench.scan_batch(till, batch)
            scan_ns += times
            failures["scan"] += failed
            left -= len(batch)
        marker("scan-end")
        time.sleep(settle)
        marker("scan-settled")
        till.clear()

        marker("checkout-start")
        checkout_ns: list[int] = []
        for _ in range(checkouts):
            ns, ok = app_bench.checkout_commit(till, rng.sample(catalog, LINES_PER_CHECKOUT))
            if ok:
                checkout_ns.append(ns)
            failures["checkout"] += not ok
        drain(app)
        time.sleep(settle)
        marker("checkout-end")
        threads = {thread.name: thread.native_id for thread in threading.enumerate()}
    finally:
        app_bench.close(app)
    return {"scan_ns": scan_ns, "checkout_ns": checkout_ns, "failures": failures,
            "threads": threads, "request_thread": threading.current_thread().name,
            "cpus": sorted(os.sched_getaffinity(0))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a scratch copy of the outlet")
    parser.add_argument("--instance", type=Path, required=True, help="the app's instance folder")
    parser.add_argument("--scans", type=int, default=1000)
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=3, help="warm-up carts and checkouts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds to wait after each phase (the checkpointer runs every 0.5 s)")
    parser.add_argument("--cpu", type=int, help="pin the whole process to this CPU")
    args = parser.parse_args(argv)
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})  # threads started from now on inherit it
    result = run(args.db, args.instance, args.scans, args.checkouts, args.warmup, args.seed,
                 args.settle)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
