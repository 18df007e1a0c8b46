"""``report_month``: the manager's heaviest month report on the bench outlet.

The sales-by-product report (``pos.reports.sales.sales_report``, first page of 50 plus the
count and the totals row over every product, all grouped in SQL) for the last 30 business
days, about 15,000 sales and 75,000 lines on the default outlet, in a read session as the
page runs it. No floor (there is no smaller way to sum a month in SQL); the goal is an
absolute one, well under a second.
"""
from __future__ import annotations

import statistics
import time
from datetime import timedelta

from flask import Flask

from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.reports.sales import sales_report

GOAL_MS = 1000.0
BY = ("product", "day", "unit", "tender")  # the product report is timed; the others warm up


def report_month(app: Flask, runs: int = 5) -> dict:
    """p50 and max over ``runs`` runs of the month's sales-by-product report, in ms."""
    zone = app.config["TIMEZONE"]
    end = business_date(utcnow(), zone)
    start = end - timedelta(days=29)
    times: list[float] = []
    with app.app_context(), get_db(app).reading() as session:
        for by in BY:  # warm the page cache once, untimed
            sales_report(session, by, start, end, zone=zone, page=1)
        for _ in range(runs):
            began = time.perf_counter_ns()
            report = sales_report(session, "product", start, end, zone=zone, page=1)
            times.append((time.perf_counter_ns() - began) / 1e6)
    p50 = statistics.median(times)
    return {"report_month_p50_ms": round(p50, 2), "report_month_max_ms": round(max(times), 2),
            "report_month_rows": report.row_count, "report_month_goal_ms": GOAL_MS,
            "report_month_pass": p50 <= GOAL_MS}
