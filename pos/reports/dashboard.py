"""The Dasbor's figures: today's sales per hour against the average of the same weekday of
the previous ``WEEKS`` weeks, the last 30 days, and over those 30 days the top 10 products,
the tender mix and the members' share. Each is a short list of (label, Rupiah) pairs from
the grouped reports (``pos.reports.sales``), for a chart and its table alike."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.money import round_half_up
from pos.reports.sales import local_hour, offset_minutes, sales_report
from pos.sales.models import Sale, SaleStatus

WEEKS = 6
DAYS = 30
TOP = 10
OPEN_HOURS = range(7, 22)  # always shown; sales outside them widen the chart
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _by_hour(session: Session, days: list[date], zone: str) -> dict[int, int]:
    hour = local_hour(session, Sale.created_at, offset_minutes(zone, days[0])).label("hour")
    rows = session.execute(
        select(hour, func.sum(Sale.total)).where(Sale.business_date.in_(days),
                                                 Sale.status == SaleStatus.COMPLETED).group_by(hour))
    return {int(h): int(t) for h, t in rows}


def hourly(session: Session, today: date, zone: str) -> dict:
    """Per hour: today's sales and the rounded average of the same weekday in the earlier weeks."""
    now = _by_hour(session, [today], zone)
    earlier = _by_hour(session, [today - timedelta(weeks=w) for w in range(1, WEEKS + 1)], zone)
    hours = sorted(set(OPEN_HOURS) | set(now) | set(earlier))
    return {"points": [(f"{h:02d}", now.get(h, 0)) for h in hours],
            "average": [round_half_up(earlier.get(h, 0), WEEKS) for h in hours]}


def dashboard(session: Session, today: date, zone: str) -> dict:
    start = today - timedelta(days=DAYS - 1)
    by_day = {row["key"]: row["total"] for row in sales_report(session, "day", start, today, zone=zone).rows}
    days = [start + timedelta(days=i) for i in range(DAYS)]
    top = sales_report(session, "product", start, today, zone=zone, page=1, per_page=TOP).rows
    tenders = sales_report(session, "tender", start, today, zone=zone).rows
    members = sales_report(session, "member", start, today, zone=zone).rows
    return {"today": today, "start": start, "weeks": WEEKS,
            "average_label": f"Rata-rata {WEEKS} hari {WEEKDAYS[today.weekday()]} sebelumnya",
            "hourly": hourly(session, today, zone),
            "days": [(d.strftime("%d-%m"), by_day.get(d, 0)) for d in days],
            "top": [(row["key"], row["amount"]) for row in top],
            "tenders": [(row["key"], row["amount"]) for row in tenders],
            "members": sorted(((row["key"], row["total"]) for row in members), key=lambda p: p[0])}
