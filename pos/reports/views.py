"""The manager's day report page (views)."""
from flask import Blueprint

from pos.auth.access import requires
from pos.db import read_session
from pos.reports.day import day_summary
from pos.web import business_today, date_field, render

bp = Blueprint("reports", __name__, url_prefix="/laporan")


@bp.get("/harian")
@requires("reports")
def day():
    """Totals of one business date (today by default)."""
    chosen = date_field("tanggal", "Tanggal", status=400) or business_today()
    return render("reports/day.html", report=day_summary(read_session(), chosen), day=chosen)
