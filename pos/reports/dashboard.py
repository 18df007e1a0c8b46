"""The Dasbor's figures: today's sales per hour against the average of the same weekday of
the previous ``WEEKS`` weeks (those since the gerai's first sale: a new gerai's two earlier
Fridays are averaged over two, not six), the last 30 days, and over those 30 days the top 10 products,
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


def earlier_days(session: Session, today: date) -> list[date]:
    """The same weekday in each of the ``WEEKS`` weeks before ``today``, from the gerai's first
    completed sale on: days before it the gerai did not sell through this till at all."""
    first = session.scalar(select(func.min(Sale.business_date)).where(
        Sale.status == SaleStatus.COMPLETED))
    days = [today - timedelta(weeks=w) for w in range(1, WEEKS + 1)]
    return [d for d in days if first is not None and d >= first]


def hourly(session: Session, today: date, zone: str, earlier_on: list[date]) -> dict:
    """Per hour: today's sales and the rounded average of the same weekday on ``earlier_on``
    (None without such a day)."""
    now = _by_hour(session, [today], zone)
    earlier = _by_hour(session, earlier_on, zone) if earlier_on else {}
    hours = sorted(set(OPEN_HOURS) | set(now) | set(earlier))
    return {"points": [(f"{h:02d}", now.get(h, 0)) for h in hours],
            "average": [round_half_up(earlier.get(h, 0), len(earlier_on)) for h in hours]
            if earlier_on else None}


def dashboard(session: Session, today: date, zone: str) -> dict:
    start = today - timedelta(days=DAYS - 1)
    by_day = {row["key"]: row["total"] for row in sales_report(session, "day", start, today, zone=zone).rows}
    days = [start + timedelta(days=i) for i in range(DAYS)]
    top = sales_report(session, "product", start, today, zone=zone, page=1, per_page=TOP).rows
    tenders = sales_report(session, "tender", start, today, zone=zone).rows
    members = sales_report(session, "member", start, today, zone=zone).rows
    earlier_on, weekday = earlier_days(session, today), WEEKDAYS[today.weekday()]
    return {"today": today, "start": start, "weeks": len(earlier_on),
            "average_label": (f"Rata-rata {len(earlier_on)} hari {weekday} sebelumnya" if earlier_on
                              else f"Belum ada hari {weekday} sebelumnya"),
            "hourly": hourly(session, today, zone, earlier_on),
            "days": [(d.strftime("%d-%m"), by_day.get(d, 0)) for d in days],
            "top": [(row["key"], row["amount"]) for row in top],
            "tenders": [(row["key"], row["amount"]) for row in tenders],
            "members": sorted(((row["key"], row["total"]) for row in members), key=lambda p: p[0])}
