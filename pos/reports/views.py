"""The manager's day report page (views)."""
from flask import Blueprint, current_app

from pos.auth.access import requires
from pos.db import read_session
from pos.money import format_rate
from pos.reports.day import day_summary
from pos.settings.service import pkp
from pos.web import business_today, date_field, render

bp = Blueprint("reports", __name__, url_prefix="/laporan")


@bp.get("/harian")
@requires("reports")
def day():
    """Totals of one business date (today by default)."""
    chosen = date_field("tanggal", "Tanggal", status=400) or business_today()
    session, cfg = read_session(), current_app.config
    report = day_summary(session, chosen, outlet_pkp=pkp(session, cfg),
                         dpp_share=(cfg["TAX_DPP_NUMERATOR"], cfg["TAX_DPP_DENOMINATOR"]))
    ppn_label = (f"PPN {format_rate(cfg['TAX_STATUTORY_RATE_BP'])}% (DPP nilai lain "
                 f"{cfg['TAX_DPP_NUMERATOR']}/{cfg['TAX_DPP_DENOMINATOR']})")
    return render("reports/day.html", report=report, day=chosen, ppn_label=ppn_label)
