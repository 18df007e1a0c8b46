"""One benchmark run: the app and its floors, interleaved in rounds, on a scratch copy.

Each round draws its scan codes and checkout carts once and gives the same work
to the app and to the floors, in a shuffled order, so drift on a shared machine
hits both sides alike.  A warm-up round runs first and is thrown away.  Timings are
kept per round: a figure is the median over rounds of each round's percentile, with the
spread over rounds beside it (``report.core_figures``).
"""
from __future__ import annotations

import os
import platform
import random
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack, closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import escape

from bench import app_bench, machine, report_bench
from bench.dataset import (
    CASHIER_USERNAME,
    FLOOR_OUTLET_CODE,
    OUTLET_CODE,
    describe,
    remove_db,
    scratch_copy,
)
from bench.floors import FlaskFloor, FloorTill
from bench.report import METRICS, core_figures, month_figure, receipt_figure

Product = tuple[str, str]  # (barcode, name)


@dataclass(frozen=True)
class Plan:
    """How much to measure; scans and checkouts are timed operations per side."""

    scans: int = 4000
    checkouts: int = 1000
    rounds: int = 10
    warmup_scans: int = 200
    warmup_checkouts: int = 50
    cart_size: int = 20           # scans between two (untimed) cart clears
    cold_scans: int = 200         # scans each after an idle pause (``cold_pause_s``), per side
    cold_pause_s: float = 0.05
    receipts: int = 200           # print jobs timed after the rounds (``receipt_job_cpu_ms``)
    lines_per_checkout: int = 5
    settle: bool = True           # wait for an idle CPU before each round
    seed: int = 7


QUICK = Plan(scans=40, checkouts=10, rounds=2, warmup_scans=10, warmup_checkouts=2, settle=False,
             cold_scans=4, cold_pause_s=0.0, receipts=4)


@dataclass
class Tally:
    """Timings in ns, one list per round for each metric (``report.METRICS``)."""

    samples: dict[str, list[list[int]]] = field(default_factory=lambda: {m: [] for m in METRICS})
    failures: dict[str, int] = field(default_factory=lambda: {
        "scan": 0, "checkout": 0, "checkout_http": 0, "floor_scan": 0, "floor_flask_scan": 0,
        "scan_cold": 0, "floor_flask_scan_cold": 0, "sales_rows": 0})
    fragment_bytes: dict[str, int] = field(default_factory=lambda: {"app": 0, "floor": 0,
                                                                    "floor_flask": 0})
    sales_made: int = 0  # app checkouts that answered with their sale, warm-up included
    settle_wait_s: float = 0.0

    def new_round(self) -> None:
        for rounds in self.samples.values():
            rounds.append([])

    def add(self, metric: str, ns: int) -> None:
        self.samples[metric][-1].append(ns)


@dataclass
class Sides:
    """The two tills under test and the catalog they scan from."""

    app: app_bench.AppTill
    floor: FloorTill
    flask_floor: FlaskFloor
    products: list[Product]


def run(outlet: Path, workdir: Path, plan: Plan) -> dict:
    """Measure on a scratch copy of ``outlet`` made in ``workdir``; returns the results."""
    began, cpu = time.monotonic(), machine.sample()
    yardstick = machine.yardstick_ms()
    scratch = scratch_copy(outlet, workdir / "scratch.db")
    with ExitStack() as cleanup:
        cleanup.callback(remove_db, scratch)
        app = app_bench.make_app(scratch, workdir)
        cleanup.callback(app_bench.close, app)
        floor = FloorTill(scratch, _cashier_id(scratch))
        cleanup.callback(floor.close)
        before = _sale_counts(scratch)
        sides = Sides(app_bench.AppTill(app), floor, FlaskFloor(floor), _products(scratch))
        tally = _measure(sides, plan)
        month = report_bench.report_month(app)
        after = _sale_counts(scratch)
        dataset = describe(scratch)
        rng = random.Random(plan.seed)
        receipts = app_bench.receipt_jobs(sides.app, [
            rng.sample(sides.products, plan.lines_per_checkout) for _ in range(plan.receipts)])
    if not all(any(rounds) for rounds in tally.samples.values()):
        raise app_bench.BenchError(f"an operation never succeeded: {tally.failures}")
    tally.failures["sales_rows"] = abs(after[OUTLET_CODE] - before[OUTLET_CODE] - tally.sales_made)
    results = {"figures": {**core_figures(tally.samples), **month_figure(month),
                           **receipt_figure(receipts, plan.lines_per_checkout)}}
    results.update(environment(yardstick, cpu, began))
    results.update(_context(tally, plan, dataset))
    return results


def _measure(sides: Sides, plan: Plan) -> Tally:
    """A warm-up round (timings dropped, failures and sales kept), then the timed rounds."""
    rng = random.Random(plan.seed)
    warm = Tally()
    warm.new_round()
    _round(warm, rng, sides, plan, plan.warmup_scans, plan.warmup_checkouts, 1)
    tally = Tally(failures=warm.failures, sales_made=warm.sales_made)
    for number in range(plan.rounds):
        if plan.settle:
            tally.settle_wait_s += machine.wait_for_idle()
        tally.new_round()
        _round(tally, rng, sides, plan, _share(plan.scans, plan.rounds, number),
               _share(plan.checkouts, plan.rounds, number),
               _share(plan.cold_scans, plan.rounds, number))
    return tally


def _share(total: int, parts: int, index: int) -> int:
    """The ``index``-th of ``parts`` near-equal shares of ``total``."""
    return total * (index + 1) // parts - total * index // parts


def _round(tally: Tally, rng: random.Random, sides: Sides, plan: Plan, scans: int,
           checkouts: int, cold: int) -> None:
    """The same scans and carts for the app and the floor, in a shuffled order."""
    codes = [rng.choice(sides.products) for _ in range(scans)]
    batches = [codes[i:i + plan.cart_size] for i in range(0, scans, plan.cart_size)]
    cold_batches = [codes[i:min(i + plan.cart_size, cold)] for i in range(0, min(cold, scans),
                                                                           plan.cart_size)]
    carts = [rng.sample(sides.products, plan.lines_per_checkout) for _ in range(checkouts)]
    http_carts = [rng.sample(sides.products, plan.lines_per_checkout) for _ in range(checkouts)]
    jobs: list[Callable[[], None]] = [
        lambda: _app_scans(tally, sides.app, batches),
        lambda: _floor_scans(tally, sides.floor, batches),
        lambda: _flask_floor_scans(tally, sides.flask_floor, batches),
        lambda: _app_checkouts(tally, sides.app, carts, app_bench.checkout_commit, "checkout"),
        lambda: _app_checkouts(tally, sides.app, http_carts, app_bench.checkout, "checkout_http"),
        lambda: _floor_checkouts(tally, sides.floor, carts),
        lambda: _app_scans(tally, sides.app, cold_batches, pause=plan.cold_pause_s),
        lambda: _flask_floor_scans(tally, sides.flask_floor, cold_batches, pause=plan.cold_pause_s),
    ]
    rng.shuffle(jobs)
    for job in jobs:
        job()


def _app_scans(tally: Tally, till: app_bench.AppTill, batches: list[list[Product]],
               pause: float | None = None) -> None:
    """Back to back, or (``scan_cold``) each after ``pause`` seconds idle, as at a counter."""
    metric = "scan" if pause is None else "scan_cold"
    for batch in batches:
        times, failures, size = app_bench.scan_batch(till, batch, pause=pause or 0.0)
        tally.samples[metric][-1].extend(times)
        tally.failures[metric] += failures
        if pause is None:
            tally.fragment_bytes["app"] += size


def _floor_scans(tally: Tally, floor: FloorTill, batches: list[list[Product]]) -> None:
    for batch in batches:
        floor.clear()
        for code, name in batch:
            begin = time.perf_counter_ns()
            html = floor.scan(code)
            tally.add("floor_scan", time.perf_counter_ns() - begin)
            tally.failures["floor_scan"] += str(escape(name)) not in html
            tally.fragment_bytes["floor"] += len(html.encode())


def _flask_floor_scans(tally: Tally, floor: FlaskFloor, batches: list[list[Product]],
                       pause: float | None = None) -> None:
    """The bare-Flask floor, timed like the app: prepared environs, one WSGI call each."""
    metric = "floor_flask_scan" if pause is None else "floor_flask_scan_cold"
    headers = {"Cookie": floor.cookie}
    for batch in batches:
        floor.till.clear()
        environs = [app_bench.htmx_post(floor.PATH, {"code": code}, headers) for code, _ in batch]
        for environ, (_code, name) in zip(environs, batch, strict=True):
            if pause:
                time.sleep(pause)
            reply, _headers = app_bench.call_wsgi(floor.app, environ)
            tally.add(metric, reply.ns)
            tally.failures[metric] += not app_bench.scanned(reply, name)
            if pause is None:
                tally.fragment_bytes["floor_flask"] += len(reply.body)


def _app_checkouts(tally: Tally, till: app_bench.AppTill, carts: list[list[Product]],
                   run: Callable, metric: str) -> None:
    """``checkout``: the checkout transaction (the goal); ``checkout_http``: the whole POST."""
    till.clear()
    for cart in carts:
        ns, ok = run(till, cart)
        if ok:
            tally.add(metric, ns)
            tally.sales_made += 1
        tally.failures[metric] += not ok


def _floor_checkouts(tally: Tally, floor: FloorTill, carts: list[list[Product]]) -> None:
    for cart in carts:
        floor.clear()
        floor.fill([code for code, _name in cart])
        begin = time.perf_counter_ns()
        floor.checkout()
        tally.add("floor_checkout", time.perf_counter_ns() - begin)


def _products(path: Path) -> list[Product]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT b.code, p.name FROM product_barcode b "
                            "JOIN product p ON p.id = b.product_id WHERE p.active").fetchall()


def _cashier_id(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT id FROM staff_user WHERE username = ?",
                            (CASHIER_USERNAME,)).fetchone()[0]


def _sale_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        counts = dict(conn.execute("SELECT outlet_code, count(*) FROM sale GROUP BY outlet_code"))
    return {code: counts.get(code, 0) for code in (OUTLET_CODE, FLOOR_OUTLET_CODE)}


def _code_version() -> dict[str, str | bool] | None:
    """The commit measured and whether the working tree had uncommitted changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()
        status = subprocess.run(["git", "--no-optional-locks", "status", "--porcelain", "--",
                                 "pos", "templates"],
                                cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "uncommitted_changes_in_pos_or_templates": bool(status.strip())}


def environment(yardstick: float, cpu: machine.CpuSample | None, began: float) -> dict:
    """What any run needs to be read or scaled: the machine, the code, how busy it was."""
    return {
        "yardstick_sum_range_ms": round(yardstick, 2),
        "sqlite_version": sqlite3.sqlite_version,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "other_processes_cpu_share": machine.other_share(cpu, machine.sample()),
        "code_version": _code_version(),
        "duration_s": round(time.monotonic() - began, 1),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _context(tally: Tally, plan: Plan, dataset: dict) -> dict:
    """The core part's own context: failures, fragment sizes, the plan, the dataset."""
    scans = max(1, sum(len(r) for r in tally.samples["scan"]))
    return {
        "failures": tally.failures,
        "scan_fragment_bytes": {side: round(total / scans)
                                for side, total in tally.fragment_bytes.items()},
        "settle_wait_s": round(tally.settle_wait_s, 1),
        "dataset_rows": dataset,
        "plan": asdict(plan),
    }
