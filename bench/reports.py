"""``reports``: the manager's reports on the outlet's year of history, against their floors.

* ``day_report_ms``: the day report (``/laporan/harian``: ``pos.reports.day.day_summary``
  with the outlet's PKP setting read as the page reads it) for the last business day of the
  history (about 500 sales, 2,500 lines). Floor: ``report_floors.day_floor``, the same sums
  in raw SQL over the same rows. Goal: <= 2x the floor.
* ``month_report_ms``: the month report by product (``/laporan/penjualan-barang``:
  ``sales_report(..., "product", ...)``, first page of 50, the count and the totals row) for
  the last 30 business days (about 15,000 sales, 75,000 lines), the first 29 closed as an
  outlet closes each day (their ``sales_day_product`` rows written by the closing's
  ``pos.reports.day_totals.write``), the last still open, read from its lines. Floor: the
  denormalised one, one statement over a per-day-per-product summary table of every day,
  built in the scratch copy. Goal: no slower than that floor (<= 1x).
* ``z_report_ms``: the Z report of a closed shift holding the last day's sales
  (``pos.shifts.zreport.build``, what ``/shift/<id>`` and the printed Z show). The shift is
  made in the scratch copy (the history has none): opened and closed on that day at the
  app's till, the day's sales moved into it, counted as expected. Floor:
  ``report_floors.z_floor``. Reported with its ratio; the issue sets no goal.

Every report runs in a read session, as the pages run it, after an untimed warm-up. App and
floor are checked to compute the same numbers before anything is timed. Rounds interleave
the six jobs in a shuffled order and wait for an idle CPU unless ``ctx.settle`` is off.
"""
from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from contextlib import ExitStack, closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from flask import Flask

from bench import app_bench, dataset, machine, report_floors
from bench.app_bench import make_app
from bench.figures import Context, figure
from pos.days.models import BusinessDay
from pos.db import get_db
from pos.reports import day_totals
from pos.reports.day import day_summary
from pos.reports.sales import sales_report
from pos.settings.service import pkp
from pos.shifts import zreport

DAY_GOAL, MONTH_GOAL = 2.0, 1.0


@dataclass(frozen=True)
class Plan:
    rounds: int = 5
    days: int = 10     # day reports per round and side
    months: int = 3    # month reports per round and side
    zs: int = 10       # Z reports per round and side


FULL_PLAN, QUICK_PLAN = Plan(), Plan(rounds=1, days=2, months=1, zs=2)


@dataclass(frozen=True)
class Setup:
    day: date
    start: date
    shift_id: int


def close_a_shift(conn: sqlite3.Connection) -> Setup:
    """The last business day's sales in one closed shift at the app's till (untimed setup)."""
    day = date.fromisoformat(conn.execute("SELECT max(business_date) FROM sale").fetchone()[0])
    till = conn.execute("SELECT id FROM till WHERE code = ?", (dataset.APP_TILL,)).fetchone()[0]
    cashier = conn.execute("SELECT id FROM staff_user WHERE username = ?",
                           (dataset.CASHIER_USERNAME,)).fetchone()[0]
    opened, closed = (dataset.text_time(datetime.combine(day, at) - dataset.UTC_OFFSET)
                      for at in (clock(6), clock(21, 30)))
    conn.execute("BEGIN")
    shift_id = conn.execute(
        dataset.insert_sql("shift", "till_id", "cashier_id", "business_date", "opened_at",
                           "opening_float", "closed_at", "closed_by") + " RETURNING id",
        (till, cashier, day.isoformat(), opened, 200_000, closed, cashier)).fetchone()[0]
    conn.execute("UPDATE sale SET shift_id = ? WHERE business_date = ? AND till_id = ?",
                 (shift_id, day.isoformat(), till))
    conn.execute("COMMIT")
    figures = report_floors.z_floor(conn, shift_id)
    expected = {"cash": figures["expected_cash"],
                **{m: a for m, a in figures["sold"].items() if m != "cash"}}
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO shift_tender (shift_id, method, expected, counted, difference) "
                     "VALUES (?, ?, ?, ?, 0)",
                     [(shift_id, m, amount, amount) for m, amount in expected.items()])
    conn.execute("UPDATE shift SET expected_cash = ?, counted_cash = ?, difference = 0 "
                 "WHERE id = ?", (expected["cash"], expected["cash"], shift_id))
    conn.execute("COMMIT")
    return Setup(day, day - timedelta(days=29), shift_id)


def close_days(app: Flask, conn: sqlite3.Connection, setup: Setup) -> None:
    """Close the window's days before the last as the closing would for the reports: the
    day's lock row and its ``sales_day_product`` rows (untimed setup; the closing's summary
    and ledger document are not what the reports read)."""
    closer = conn.execute("SELECT id FROM staff_user WHERE username = ?",
                          (dataset.CASHIER_USERNAME,)).fetchone()[0]
    with get_db(app).transaction() as session:
        for n in range((setup.day - setup.start).days):
            day = setup.start + timedelta(days=n)
            session.add(BusinessDay(business_date=day, closed_by=closer, summary="{}",
                                    summary_hash="-"))
            day_totals.write(session, day)


class Reports:
    """The three reports, app and floor, on one scratch copy."""

    def __init__(self, app: Flask, conn: sqlite3.Connection, setup: Setup):
        self.app, self.conn, self.setup = app, conn, setup
        cfg = app.config
        self.zone = cfg["TIMEZONE"]
        self.dpp = (cfg["TAX_DPP_NUMERATOR"], cfg["TAX_DPP_DENOMINATOR"])
        with get_db(app).reading() as session:   # as the page reads it
            self.pkp = pkp(session, cfg)

    def app_day(self, session) -> dict:
        return day_summary(session, self.setup.day, outlet_pkp=pkp(session, self.app.config),
                           dpp_share=self.dpp)

    def app_month(self, session):
        return sales_report(session, "product", self.setup.start, self.setup.day,
                            zone=self.zone, page=1)

    def app_z(self, session) -> zreport.ZReport:
        return zreport.build(session, self.setup.shift_id)

    def floor_day(self) -> dict:
        return report_floors.day_floor(self.conn, self.setup.day.isoformat(), self.dpp, self.pkp)

    def floor_month(self) -> dict:
        return report_floors.month_floor(self.conn, self.setup.start.isoformat(),
                                         self.setup.day.isoformat())

    def floor_z(self) -> dict:
        return report_floors.z_floor(self.conn, self.setup.shift_id)

    def check(self, session) -> None:
        """The floors compute what the app shows; BenchError otherwise."""
        day, floor = self.app_day(session), self.floor_day()
        if {key: day[key] for key in floor} != floor:
            raise app_bench.BenchError(f"day report: app {day} != floor {floor}")
        month, floor = self.app_month(session), self.floor_month()
        rows = [{k: row[k] for k in report_floors.MONTH_COLUMNS} for row in month.rows]
        totals = {k: month.totals[k] for k in report_floors.MONTH_TOTALS}
        if (rows, totals, month.row_count) != (floor["rows"], floor["totals"], floor["count"]):
            raise app_bench.BenchError("month report: the app and the floor disagree")
        z, floor = as_floor(self.app_z(session)), self.floor_z()
        if {key: z[key] for key in z} != {key: floor[key] for key in z}:
            raise app_bench.BenchError(f"Z report: app {z} != floor {floor}")


def as_floor(report: zreport.ZReport) -> dict:
    """The Z report's numbers in ``z_floor``'s shape."""
    f = report.figures
    return {"till": report.till, "cashier": report.cashier, "closed": report.closed,
            "opening_float": report.opening_float, "sales_count": f.sales_count,
            "sales_total": f.sales_total, "cash_received": f.cash_received,
            "change_given": f.change_given, "rounding": f.rounding,
            "expected_cash": report.expected_cash, "movements": len(report.movements),
            "expected": {t.method: t.expected for t in report.tenders},
            "counted": {t.method: t.counted for t in report.tenders}}


def _timed(samples: dict[str, list[float]], key: str, runs: int, work: Callable[[], object]) -> None:
    for _ in range(runs):
        began = time.perf_counter_ns()
        work()
        samples.setdefault(key, []).append((time.perf_counter_ns() - began) / 1e6)


def measure(ctx: Context) -> dict[str, dict]:
    plan = QUICK_PLAN if ctx.quick else FULL_PLAN
    rng = random.Random(17)
    rounds: list[dict[str, list[float]]] = []
    with ExitStack() as stack:
        scratch = dataset.scratch_copy(ctx.outlet, ctx.workdir / "scratch_reports.db")
        stack.callback(dataset.remove_db, scratch)
        conn = stack.enter_context(closing(sqlite3.connect(scratch, isolation_level=None)))
        setup = close_a_shift(conn)
        report_floors.denormalise(conn)
        app = make_app(scratch, ctx.workdir)
        stack.callback(app_bench.close, app)
        close_days(app, conn, setup)
        reports = Reports(app, conn, setup)
        stack.enter_context(app.app_context())
        session = stack.enter_context(get_db(app).reading())
        reports.check(session)  # also the warm-up: every statement once, untimed
        for _ in range(plan.rounds):
            if ctx.settle:
                machine.wait_for_idle()
            samples: dict[str, list[float]] = {}
            jobs = [("day", plan.days, lambda: reports.app_day(session)),
                    ("floor_day", plan.days, reports.floor_day),
                    ("month", plan.months, lambda: reports.app_month(session)),
                    ("floor_month", plan.months, reports.floor_month),
                    ("z", plan.zs, lambda: reports.app_z(session)),
                    ("floor_z", plan.zs, reports.floor_z)]
            rng.shuffle(jobs)
            for key, runs, work in jobs:
                _timed(samples, key, runs, work)
            rounds.append(samples)
    return figures(rounds, setup)


def figures(rounds: list[dict[str, list[float]]], setup: Setup) -> dict[str, dict]:
    def med(key: str) -> float:
        return statistics.median([ms for one in rounds for ms in one[key]])

    def spread(key: str) -> list[float]:
        return [statistics.median(one[key]) for one in rounds]

    notes = {"day": f"day report of {setup.day}; floor: the same sums in raw SQL",
             "month": f"sales by product {setup.start} to {setup.day}, page 1, count and totals; "
                      "29 days closed, the last open; floor: one statement over a per-day-per-product "
                      "table of every day",
             "z": f"Z report of a closed shift holding {setup.day}'s sales; floor: the same "
                  "sums in raw SQL; no goal set"}
    goals = {"day": DAY_GOAL, "month": MONTH_GOAL, "z": None}
    return {f"{key}_report_ms": figure(med(key), "ms", floor=med(f"floor_{key}"),
                                       max_ratio=goals[key], spread=spread(key),
                                       n=sum(len(one[key]) for one in rounds), note=notes[key])
            for key in ("day", "month", "z")}
