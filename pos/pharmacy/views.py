"""The apotek desa: obat keras sold with their prescriptions, for the apoteker's records (views).

Open to the apoteker and the managers (right "rx_register"): the page by business dates, and
the same rows as a CSV file.
"""
from __future__ import annotations

from flask import Blueprint

from pos.auth.access import requires
from pos.db import read_session
from pos.inventory.catalog import spreadsheets
from pos.pharmacy import register
from pos.pharmacy.prescriptions import doctor_named
from pos.web import business_today, date_range, download, range_refused, render

bp = Blueprint("pharmacy", __name__, url_prefix="/apotek")
bp.add_app_template_filter(doctor_named, "doctor_named")
LONGEST_RANGE_DAYS = 366


def _range():
    today = business_today()
    return date_range(today.replace(day=1), today, labels=("Dari tanggal", "Sampai tanggal"),
                      longest_days=LONGEST_RANGE_DAYS)


@bp.get("")
@requires("rx_register")
def index():
    """Obat keras sold between two dates: prescription, apoteker and receipt of each."""
    period = _range()
    range_refused(period)
    rows = [] if period.problem else register.dispensed(read_session(), period.start, period.end)
    return render("pharmacy/index.html", 422 if period.problem else 200, rows=rows, period=period,
                  first=period.start, last=period.end)


@bp.get("/resep.csv")
@requires("rx_register")
def export_csv():
    """The same rows as a CSV file (UTF-8, opens in a spreadsheet)."""
    period = _range()
    if (refused := range_refused(period, as_file=True)) is not None:
        return refused
    first, last = period.start, period.end
    rows = [r.as_row() for r in register.dispensed(read_session(), first, last)]
    return download(spreadsheets.to_csv(rows, register.COLUMNS),
                    f"resep-obat-keras-{first:%Y%m%d}-{last:%Y%m%d}.csv")
