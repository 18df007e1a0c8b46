"""Bench part ``server``: the production server under load, over HTTP on 127.0.0.1.

The command kiosk/pos-web.service runs (``waitress-serve --threads=8 --call pos:create_app``,
settings from ``POS_*`` variables) serves a scratch copy of the outlet. Four cashiers log in at
four tills through ``/masuk`` and open shifts; each till is one thread with one keep-alive
connection, scanning at 3 codes a second and paying cash for every 5-line cart (`load`).

Phases, on one server: one till alone (the reference), one till while 6 clients post wrong
PINs to ``/masuk`` (the login flood; two probe logins during it, one from the flood's address
and one from another), four tills, four tills under the flood, four tills under 12 flooding
clients (more than the server's threads). Then the server's RSS, and a check that every
product's on-hand fell by exactly what the confirmed sales sold. The same four-till load
against ``bench/bare_app.py`` (bare Flask + SQLAlchemy, same command, same file) is the floor
for memory and start time. ``bench/launch.py`` is the same app with a profiler switch.
"""
from __future__ import annotations

import random
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench import dataset, machine
from bench.figures import Context, figure
from bench.report import percentile_ms
from bench.server_http import BareTill, Browser, PosTill, ServerError, ServerProcess, login_token
from pos.auth.service import create_user
from pos.db import make_engine
from pos.tills.models import Till

CART_LINES, FLOODERS = 5, 6


@dataclass(frozen=True)
class Plan:
    seconds: float = 45.0       # per phase
    pace: float = 3.0           # scans a second per till (a checkout takes one beat too)
    starts: tuple[bool, ...] = (False, True, True)  # extra starts (timed?) before the load's own


QUICK = Plan(seconds=1.0, pace=10.0, starts=())  # the harness, not the speed
LOAD_TILLS = ("KASIR-1", "KASIR-3", "KASIR-4", "KASIR-5")   # KASIR-2 is the floor's
PROBE_TILLS = ("KASIR-6", "KASIR-7")                          # logins tried during the flood
WRONG_PIN = "9999"


@dataclass
class Load:
    """What the tills measured in one phase."""

    scans: list[int] = field(default_factory=list)
    checkouts: list[int] = field(default_factory=list)
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def p99(self, what: str) -> float:
        samples = getattr(self, what)
        return percentile_ms(samples, 99) if samples else float("nan")


def measure(ctx: Context) -> dict[str, dict]:
    work = Path(tempfile.mkdtemp(prefix="server-", dir=ctx.workdir))
    try:
        return _measure(ctx, work, QUICK if ctx.quick else Plan())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _starts(plan, target: str, env: dict, instance: Path, log: Path, seconds: list[float],
            cpu: list[float]) -> None:
    """Start and stop ``target`` once per ``plan.starts`` entry, noting the timed ones (the
    first is untimed: it writes the bytecode cache, as a release is compiled)."""
    for timed in plan.starts:
        with ServerProcess(target, env, instance, log) as server:
            started = server.start()
        if timed:
            seconds.append(started)
            cpu.append(server.first_response_cpu_s)


def _measure(ctx: Context, work: Path, plan: Plan) -> dict[str, dict]:
    instance = work / "instance"
    instance.mkdir()
    db = dataset.scratch_copy(ctx.outlet, instance / "pos.db")
    tills = _prepare(db)
    products = _products(db)
    before = _on_hand(db)
    rng = random.Random(20240801)
    env = {"POS_INSTANCE_PATH": str(instance), "POS_SECRET_KEY": "bench-server-secret",
           "POS_OUTLET_CODE": dataset.OUTLET_CODE, "POS_PKP": "true", "POS_PRINTER": "dummy://",
           "POS_VOID_APPROVAL_ABOVE": ""}   # the tills empty carts between rounds: no manager stands by
    pos_starts, bare_starts, pos_cpu, bare_cpu = [], [], [], []
    settle = ctx.settle and not ctx.quick
    _starts(plan, "pos:create_app", env, instance, work / "pos.log", pos_starts, pos_cpu)
    with ServerProcess("pos:create_app", env, instance, work / "pos.log") as server:
        pos_starts.append(server.start())
        pos_cpu.append(server.first_response_cpu_s)
        load_tills = [PosTill(server.port, user, dataset.CASHIER_PIN, till_id)
                      for user, till_id in tills[:len(LOAD_TILLS)]]
        _load(load_tills, products, replace(plan, seconds=0), rng, settle=False)  # warm-up, untimed
        solo = _load(load_tills[:1], products, plan, rng, settle)
        flood, flood_stats = _flooded(server.port, load_tills[:1], products, plan, rng, settle,
                                      tills[len(LOAD_TILLS):])
        if settle:
            machine.wait_for_idle()
        cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
        four = _load(load_tills, products, plan, rng, settle=False)
        cpu_share = (server.cpu_seconds() - cpu_before) / (time.monotonic() - wall_before)
        flood4, _ = _flooded(server.port, load_tills, products, plan, rng, settle, [])
        # more flooding clients than waitress has threads: each refused one sleeps in a thread
        flood12, _ = _flooded(server.port, load_tills, products, plan, rng, settle, [],
                              flooders=2 * FLOODERS)
        rss = server.rss_mb()
        sale_ids = [sale_id for till in load_tills for sale_id in till.sale_ids]
        for till in load_tills:
            till.close()
    lost, unconfirmed = _lost_decrements(db, before, sale_ids)
    bare_env = {"BARE_DATABASE_URL": f"sqlite:///{db}"}
    _starts(plan, "bench.bare_app:create_app", bare_env, instance, work / "bare.log", bare_starts,
            bare_cpu)
    with ServerProcess("bench.bare_app:create_app", bare_env, instance, work / "bare.log") as bare:
        bare_starts.append(bare.start())
        bare_cpu.append(bare.first_response_cpu_s)
        bare_tills = [BareTill(bare.port, code) for code in LOAD_TILLS]
        _load(bare_tills, products, replace(plan, seconds=0), rng, settle=False)
        bare_load = _load(bare_tills, products, plan, rng, settle)
        bare_rss = bare.rss_mb()
        for till in bare_tills:
            till.close()
    failures = solo.failures + flood.failures + four.failures + flood4.failures + flood12.failures
    quiet_p99, flood_p99 = solo.p99("checkouts"), flood.p99("checkouts")
    return {
        "scan_http_p99_ms_4tills": figure(
            four.p99("scans"), "ms", max_value=5, n=len(four.scans),
            note=f"the bare app under the same four-till load: {bare_load.p99('scans'):.1f} ms "
                 "(floor_scan_http_p99_ms_4tills)"),
        "floor_scan_http_p99_ms_4tills": figure(
            bare_load.p99("scans"), "ms", n=len(bare_load.scans),
            note="bench/bare_app.py under the four-till load: the least code over HTTP, but each "
                 "of its scans commits with an fsync (synchronous=FULL) where the app's cart edits "
                 "skip it, so it is context for the machine, not a floor"),
        "checkout_p99_ms_4tills": figure(four.p99("checkouts"), "ms", floor=quiet_p99, max_ratio=2,
                                         n=len(four.checkouts)),
        "scan_http_p99_ms_1till": figure(solo.p99("scans"), "ms", n=len(solo.scans)),
        "checkout_p99_ms_1till": figure(quiet_p99, "ms", n=len(solo.checkouts)),
        "lost_stock_decrements": figure(lost, "units", max_value=0, n=len(sale_ids),
                                        note=f"{unconfirmed} sale(s) in the database the tills "
                                             "were never told of"),
        "login_flood_checkout_p99_ratio": figure(
            flood_p99 / quiet_p99, "x", max_value=2, n=len(flood.checkouts),
            note=f"checkout p99 {flood_p99:.1f} ms under the flood, {quiet_p99:.1f} ms quiet; "
                 f"flood answers {flood_stats['statuses']}"),
        "login_flood_login_same_address": figure(
            flood_stats["probe_same"], "HTTP",
            note="a right PIN from the flood's address (127.0.0.1) during the flood; 303 = in"),
        "login_flood_login_other_address": figure(
            flood_stats["probe_other"], "HTTP",
            note="a right PIN from another address (127.0.0.2) during the flood; 303 = in"),
        "login_flood_checkout_p99_ms_4tills": figure(flood4.p99("checkouts"), "ms",
                                                     floor=four.p99("checkouts"), n=len(flood4.checkouts)),
        "login_flood12_scan_p50_ms_4tills": figure(
            percentile_ms(flood12.scans, 50), "ms", floor=percentile_ms(four.scans, 50),
            n=len(flood12.scans),
            note=f"{2 * FLOODERS} wrong-PIN clients, more than waitress's 8 threads: a refused "
                 f"answer sleeps 1 s in a thread, at most 6 at once (pos.auth.throttle tarpit); checkout p99 "
                 f"{flood12.p99('checkouts'):.0f} ms"),
        "server_cpu_share_4tills": figure(
            cpu_share, "cores", n=len(four.scans) + len(four.checkouts),
            note="the server's CPU seconds per second during the four-till load (one process "
                 "with its GIL can use at most 1)"),
        "rss_mb_per_worker": figure(rss, "MB", floor=bare_rss, max_ratio=1.5),
        "first_response_s": figure(statistics.median(pos_starts), "s",
                                   floor=statistics.median(bare_starts), max_ratio=2,
                                   spread=pos_starts, n=len(pos_starts)),
        "first_response_cpu_s": figure(
            statistics.median(pos_cpu), "s", floor=statistics.median(bare_cpu), spread=pos_cpu,
            n=len(pos_cpu), note="CPU the server used from Popen to its first 200: what "
                                 "first_response_s is on an idle machine, without the wait for a core"),
        "server_failed_requests": figure(failures, "requests", max_value=0,
                                         note=f"bare app: {bare_load.failures}"),
    }


def _prepare(db: Path) -> list[tuple[str, int]]:
    """Cashiers and tills beyond the outlet's one of each, made with the app's own code:
    ``(username, till id)`` for the load tills, then the probe tills."""
    engine = make_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as session:
            codes = LOAD_TILLS + PROBE_TILLS
            have = set(session.scalars(select(Till.code)))
            session.add_all([Till(code=code, name=code.title()) for code in codes if code not in have])
            users = [dataset.CASHIER_USERNAME] + [f"kasir{n}" for n in range(2, len(codes) + 1)]
            for n, user in enumerate(users[1:], start=2):
                create_user(session, user, f"Kasir Bench {n}", "cashier", dataset.CASHIER_PIN)
            session.commit()
            ids = dict(session.execute(select(Till.code, Till.id)).all())
            return [(user, ids[code]) for user, code in zip(users, codes, strict=True)]
    finally:
        engine.dispose()


def _products(db: Path, count: int = 300) -> list[tuple[str, str]]:
    """(barcode, name) of plain goods with the most stock: no weighing, batches or regulated
    rules, and so few that the tills often sell the same product at once."""
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT min(b.code), p.name FROM product p JOIN product_barcode b ON b.product_id = p.id "
            "JOIN stock_level s ON s.product_id = p.id WHERE p.active AND NOT p.weighed "
            "AND NOT p.batch_tracked AND p.drug_class IS NULL AND p.subsidy IS NULL "
            "AND p.lpg IS NULL AND p.limit_rule_id IS NULL "
            "GROUP BY p.id ORDER BY s.on_hand DESC, p.id LIMIT ?", (count,)).fetchall()


def _on_hand(db: Path) -> dict[int, int]:
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("SELECT product_id, on_hand FROM stock_level"))


def _lost_decrements(db: Path, before: dict[int, int], sale_ids: list[int]) -> tuple[int, int]:
    """Units by which on-hand differs from before minus what the confirmed sales sold, and how
    many sales the database holds that no till was told of."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TEMP TABLE confirmed (id INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO confirmed VALUES (?)", [(i,) for i in sale_ids])
        sold = dict(conn.execute("SELECT product_id, sum(qty) FROM sale_line "
                                 "WHERE sale_id IN (SELECT id FROM confirmed) GROUP BY product_id"))
        after = dict(conn.execute("SELECT product_id, on_hand FROM stock_level"))
        newest = max(sale_ids, default=0)
        first = min(sale_ids, default=0)
        unconfirmed = conn.execute("SELECT count(*) FROM sale WHERE id >= ? AND id <= ? AND id NOT IN "
                                   "(SELECT id FROM confirmed)", (first, newest)).fetchone()[0]
    lost = sum(abs(before[pid] - sold.get(pid, 0) - after.get(pid, 0)) for pid in before)
    return lost, unconfirmed


def _load(tills: list, products: list[tuple[str, str]], plan: Plan, rng: random.Random,
          settle: bool) -> Load:
    """One thread per till for ``plan.seconds`` (at least one cart): ``plan.pace`` scans a
    second, a cash payment after every 5.

    Each beat is ``1 / pace`` give or take half of it, drawn for each till on its own
    (seeded), as cashiers keep no time with each other: tills drift in and out of step, so a
    scan sometimes meets another till's checkout committing, as at a real counter.  (Until
    02-12-2026 the tills kept strict beats a quarter apart and never met.)"""
    if settle:
        machine.wait_for_idle()
    load = Load()
    seconds, interval = plan.seconds, 1 / plan.pace
    carts = [[rng.sample(products, CART_LINES) for _ in range(int(seconds * plan.pace) // 5 + 2)]
             for _ in tills]
    beats = [random.Random(rng.random()) for _ in tills]
    begin = time.monotonic() + 0.05

    def run(index: int, till) -> None:
        scans, checkouts, failures = [], [], 0
        tick, beat = begin + index * interval / len(tills), beats[index]
        for number, cart in enumerate(carts[index]):
            if number and time.monotonic() - begin >= seconds:
                break
            for code, name in cart:
                time.sleep(max(0.0, tick - time.monotonic()))
                tick += interval * beat.uniform(0.5, 1.5)
                ns, ok = till.scan(code, name)
                scans.append(ns)
                failures += not ok
            time.sleep(max(0.0, tick - time.monotonic()))
            tick += interval * beat.uniform(0.5, 1.5)
            ns, ok = till.pay()
            checkouts.append(ns)
            if not ok:
                failures += 1
                till.clear()
        with load.lock:
            load.scans += scans
            load.checkouts += checkouts
            load.failures += failures

    threads = [threading.Thread(target=run, args=(i, till)) for i, till in enumerate(tills)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return load


def _flooded(port: int, tills: list, products: list[tuple[str, str]], plan: Plan,
             rng: random.Random, settle: bool, probes: list[tuple[str, int]],
             flooders: int = FLOODERS) -> tuple[Load, dict]:
    """``_load`` while ``flooders`` clients post wrong PINs for the first till's cashier to /masuk
    as fast as the server answers. Once the flood is being throttled (its first 429) and half
    the phase has passed, each probe (user, till) logs in with the right PIN, the first from
    127.0.0.1 (the flood's address), the second from 127.0.0.2 (another device)."""
    stop, throttled, statuses, lock = threading.Event(), threading.Event(), Counter(), threading.Lock()
    found: dict = {"probe_same": 0, "probe_other": 0}

    def flood() -> None:
        browser = Browser(port, timeout=60)
        token = login_token(browser)
        while not stop.is_set():
            reply = browser.post("/masuk", {"username": dataset.CASHIER_USERNAME, "pin": WRONG_PIN,
                                            "till_id": "", "csrf_token": token})
            with lock:
                statuses[reply.status] += 1
            if reply.status == 429:
                throttled.set()
        browser.close()

    def probe() -> None:
        time.sleep(plan.seconds / 2)
        throttled.wait(30)
        for key, (user, till_id), source in zip(("probe_same", "probe_other"), probes,
                                                ("127.0.0.1", "127.0.0.2"), strict=False):
            browser = Browser(port, source=source, timeout=60)
            found[key] = browser.post("/masuk", {"username": user, "pin": dataset.CASHIER_PIN,
                                                 "till_id": str(till_id),
                                                 "csrf_token": login_token(browser)}).status
            browser.close()

    if settle:
        machine.wait_for_idle()
    threads = [threading.Thread(target=flood) for _ in range(flooders)]
    prober = threading.Thread(target=probe) if probes else None
    for thread in threads + ([prober] if prober else []):
        thread.start()
    try:
        load = _load(tills, products, plan, rng, settle=False)
    finally:
        if prober:
            prober.join()  # the flood goes on until the probes are answered
        stop.set()
        for thread in threads:
            thread.join()
    if not statuses:
        raise ServerError("the login flood got no answer")
    return load, {"statuses": dict(sorted(statuses.items())), **found}
