"""``lookup``: the till's live searches per keystroke, and whether catalog size costs the till.

* ``product_search_*`` / ``member_search_*``: ``GET /kasir/cari?q=`` (the till's F2 product
  search, ``catalog.lookup.search``) and ``GET /anggota/cari?q=`` (the F7 member list,
  ``members.service.search``) through the app's full WSGI stack in process, as a logged-in
  till's htmx sends them (session cookie, ``HX-Request``), once per keystroke of realistic
  typing: every prefix of real product names (up to the first two words and three letters of
  the third), and of member names, numbers and phone numbers drawn from the outlet. The floor
  is ``bench.search_floor``: a bare Flask view, signed-cookie session, the same SQL through
  ``sqlite3`` and a bare Jinja2 render of the same list, called the same way. Every answer
  must be 200 and list as many results as the floor's (the floor is checked to ask the same
  question). Goal: p99 <= 2x the floor's p99.
* ``catalog_ratio``: the till page (``GET /kasir``) and a scan (``POST /kasir/pindai``) on
  the 50,000-product outlet over the same on a 500-product one (``SMALL``, built once by
  ``bench.dataset`` and cached beside the outlet as ``outlet_500.db``); the worse of the two
  p50 ratios, goal <= 1.1.

Rounds run the app's and the floor's searches in a shuffled order; the two outlets' page
loads alternate request by request and their scans batch by batch (which goes first drawn
each round), so drift hits both alike. Each round waits for an idle CPU unless
``ctx.settle`` is off; a warm-up round is thrown away. Runs on scratch copies, deleted after.
"""
from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path

from werkzeug.test import EnvironBuilder

from bench import app_bench, dataset, machine
from bench.figures import Context, figure
from bench.report import percentile_ms
from bench.search_floor import SearchFloor

SMALL = dataset.Size(products=500, members=200, sales=1_000, days=30, popular=100,
                     categories=40)
SEARCH_GOAL, CATALOG_GOAL = 2.0, 1.1
PRODUCT_MARK, MEMBER_MARK = b"data-search-result", b"data-member-result"


@dataclass(frozen=True)
class Plan:
    rounds: int = 5
    products: int = 25   # product names typed per round (about 14 keystrokes each)
    members: int = 30    # member names, numbers or phones typed per round
    pages: int = 40      # till page loads per round and side
    scans: int = 200     # scans per round and side (cart emptied every 20, untimed)


FULL_PLAN, QUICK_PLAN = Plan(), Plan(rounds=1, products=2, members=3, pages=3, scans=6)


@dataclass
class Samples:
    """Nanoseconds per request, per side, kept per round for the spread."""

    rounds: list[dict[str, list[int]]]

    def add(self, key: str, ns: list[int]) -> None:
        self.rounds[-1].setdefault(key, []).extend(ns)

    def pooled(self, key: str) -> list[int]:
        return [ns for one in self.rounds for ns in one.get(key, [])]

    def per_round(self, key: str, pct: int) -> list[float]:
        return [percentile_ms(one[key], pct) for one in self.rounds if one.get(key)]


def get_environ(path: str, cookie: str, query: str | None = None, *, htmx: bool = True) -> dict:
    headers = {"Cookie": cookie, **({"HX-Request": "true"} if htmx else {})}
    builder = EnvironBuilder(path=path, method="GET", headers=headers,
                             query_string=None if query is None else {"q": query})
    try:
        return builder.get_environ()
    finally:
        builder.close()


def product_typing(conn: sqlite3.Connection, rng: random.Random, count: int) -> list[str]:
    """Every prefix a cashier types of ``count`` real product names (lower case, up to the
    first two words and three letters of the third, at most 16 characters)."""
    top = conn.execute("SELECT max(id) FROM product").fetchone()[0]
    typed: list[str] = []
    for _ in range(count):
        name = conn.execute("SELECT name FROM product WHERE id = ?",
                            (rng.randint(1, top),)).fetchone()[0].lower()
        parts = name.split()
        stop = min(16, len(" ".join(parts[:2])) + (4 if len(parts) > 2 else 0))
        typed += [name[:k] for k in range(1, stop + 1)]
    return typed


def member_typing(conn: sqlite3.Connection, rng: random.Random, count: int) -> list[str]:
    """Every prefix typed of real member names (lower case), numbers (``agt0…``) and phones."""
    top = conn.execute("SELECT max(id) FROM member").fetchone()[0]
    typed: list[str] = []
    for n in range(count):
        number, name, phone = conn.execute("SELECT number, name, phone FROM member WHERE id = ?",
                                           (rng.randint(1, top),)).fetchone()
        text = (name.lower(), number.lower(), phone or number)[n % 3]
        typed += [text[:k] for k in range(1, len(text) + 1)]
    return typed


def scan_codes(conn: sqlite3.Connection, rng: random.Random, count: int) -> list[tuple[str, str]]:
    rows = conn.execute("SELECT b.code, p.name FROM product_barcode b "
                        "JOIN product p ON p.id = b.product_id WHERE p.active = 1").fetchall()
    return [rng.choice(rows) for _ in range(count)]


class Side:
    """One outlet's app with a logged-in till (and, for the big outlet, the search floor)."""

    def __init__(self, stack: ExitStack, source: Path, scratch: Path, workdir: Path):
        self.db = dataset.scratch_copy(source, scratch)
        stack.callback(dataset.remove_db, self.db)
        self.app = app_bench.make_app(self.db, workdir)
        stack.callback(app_bench.close, self.app)
        self.till = app_bench.AppTill(self.app)

    @property
    def cookie(self) -> str:
        return f"{self.till.cookie_name}={self.till.cookie}"


def _searches(samples: Samples, key: str, app: Callable, path: str, cookie: str,
              typed: list[str], mark: bytes, found: dict[str, list[int]]) -> None:
    environs = [get_environ(path, cookie, text) for text in typed]
    times, counts = [], []
    for environ, text in zip(environs, typed, strict=True):
        reply, _headers = app_bench.call_wsgi(app, environ)
        if reply.status != 200:
            raise app_bench.BenchError(f"{key} {text!r} answered HTTP {reply.status}")
        times.append(reply.ns)
        counts.append(reply.body.count(mark))
    samples.add(key, times)
    found[key] = counts


def _pages(samples: Samples, sides: dict[str, Side], loads: int) -> None:
    """Till page loads, alternating between the outlets request by request (drift hits both)."""
    for _ in range(loads):
        for name, side in sides.items():
            reply, _headers = app_bench.call_wsgi(side.app, get_environ("/kasir", side.cookie, htmx=False))
            if reply.status != 200 or b'id="cart"' not in reply.body:
                raise app_bench.BenchError(f"page_{name}: the till page answered HTTP {reply.status}")
            samples.add(f"page_{name}", [reply.ns])


def _scans(samples: Samples, sides: dict[str, Side], codes: dict[str, list[tuple[str, str]]]
           ) -> None:
    """Scans in batches of 20 (the cart emptied before each, untimed), alternating outlets."""
    for start in range(0, len(codes["big"]), 20):
        for name, side in sides.items():
            times, failures, _size = app_bench.scan_batch(side.till, codes[name][start:start + 20])
            if failures:
                raise app_bench.BenchError(f"scan_{name}: {failures} scans failed")
            samples.add(f"scan_{name}", times)


def _round(samples: Samples, rng: random.Random, plan: Plan, big: Side, small: Side,
           floor: SearchFloor, conns: tuple[sqlite3.Connection, sqlite3.Connection]) -> None:
    products = product_typing(conns[0], rng, plan.products)
    members = member_typing(conns[0], rng, plan.members)
    codes_big, codes_small = (scan_codes(conn, rng, plan.scans) for conn in conns)
    found: dict[str, list[int]] = {}
    sides = dict(rng.sample([("big", big), ("small", small)], 2))  # who goes first, by round
    jobs = [
        lambda: _searches(samples, "product", big.app, floor.PRODUCTS, big.cookie, products,
                          PRODUCT_MARK, found),
        lambda: _searches(samples, "floor_product", floor.app, floor.PRODUCTS, floor.cookie,
                          products, PRODUCT_MARK, found),
        lambda: _searches(samples, "member", big.app, floor.MEMBERS, big.cookie, members,
                          MEMBER_MARK, found),
        lambda: _searches(samples, "floor_member", floor.app, floor.MEMBERS, floor.cookie,
                          members, MEMBER_MARK, found),
        lambda: _pages(samples, sides, plan.pages),
        lambda: _scans(samples, sides, {"big": codes_big, "small": codes_small}),
    ]
    rng.shuffle(jobs)
    for job in jobs:
        job()
    for what, typed in (("product", products), ("member", members)):
        for text, app_n, floor_n in zip(typed, found[what], found[f"floor_{what}"], strict=True):
            if app_n != floor_n:
                raise app_bench.BenchError(f"{what} search {text!r}: the app listed {app_n}, "
                                           f"the floor {floor_n}")


def measure(ctx: Context) -> dict[str, dict]:
    plan = QUICK_PLAN if ctx.quick else FULL_PLAN
    small_outlet = ctx.outlet.with_name("outlet_500.db")
    dataset.ensure(small_outlet, SMALL)
    rng = random.Random(11)
    with ExitStack() as stack:
        big = Side(stack, ctx.outlet, ctx.workdir / "scratch_lookup.db", ctx.workdir)
        small = Side(stack, small_outlet, ctx.workdir / "scratch_lookup_500.db", ctx.workdir)
        floor = SearchFloor(big.db, big.till.cashier_id)
        stack.callback(floor.close)
        conns = (stack.enter_context(closing(sqlite3.connect(big.db))),
                 stack.enter_context(closing(sqlite3.connect(small.db))))
        warm = Samples([{}])
        _round(warm, rng, Plan(1, 2, 3, 3, 20), big, small, floor, conns)
        samples = Samples([])
        for _ in range(plan.rounds):
            if ctx.settle:
                machine.wait_for_idle()
            samples.rounds.append({})
            _round(samples, rng, plan, big, small, floor, conns)
    return figures(samples)


def figures(samples: Samples) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for what in ("product", "member"):
        app, floor = samples.pooled(what), samples.pooled(f"floor_{what}")
        for pct in (50, 99):
            goal = SEARCH_GOAL if pct == 99 else None
            out[f"{what}_search_p{pct}_ms"] = figure(
                percentile_ms(app, pct), "ms", floor=percentile_ms(floor, pct), max_ratio=goal,
                spread=samples.per_round(what, pct), n=len(app),
                note=f"GET per keystroke; floor: bare Flask, same SQL, bare Jinja (p{pct} "
                     "over every keystroke, spread: per round)")
    ratios = []
    for what, label in (("page", "GET /kasir"), ("scan", "POST /kasir/pindai")):
        big, small = samples.pooled(f"{what}_big"), samples.pooled(f"{what}_small")
        entry = figure(percentile_ms(big, 50), "ms", floor=percentile_ms(small, 50),
                       spread=samples.per_round(f"{what}_big", 50), n=len(big),
                       note=f"{label} p50 at 50,000 products; floor: the same at 500")
        out[f"catalog_{what}_p50_ms"] = entry
        ratios.append(entry["ratio"])
    out["catalog_ratio"] = figure(max(ratios), "x", max_value=CATALOG_GOAL,
                                  note="the worse of catalog_page and catalog_scan p50 ratios "
                                       "(50,000 / 500 products)")
    return out
