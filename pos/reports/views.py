"""The manager's day report page."""
from datetime import date

from flask import Blueprint, current_app, request

from pos.clock import business_date, utcnow
from pos.db import read_session
from pos.errors import PosError
from pos.reports.day import day_summary
from pos.web import render, requires

bp = Blueprint("reports", __name__, url_prefix="/laporan")


@bp.get("/harian")
@requires("reports")
def day():
    """Totals of one business date (today by default)."""
    raw = request.args.get("tanggal", "")
    try:
        chosen = date.fromisoformat(raw) if raw else business_date(utcnow(), current_app.config["TIMEZONE"])
    except ValueError:
        raise PosError("Tanggal tidak valid; gunakan format TTTT-BB-HH.", 400) from None
    return render("reports/day.html", report=day_summary(read_session(), chosen), day=chosen)
