"""The apotek desa: obat keras sold with their prescriptions, for the apoteker's records (views).

Open to the apoteker and the managers (right "rx_register"): the page by business dates, and
the same rows as a CSV file.
"""
from __future__ import annotations

from flask import Blueprint

from pos import dates
from pos.auth.access import requires
from pos.db import read_session
from pos.inventory.catalog import spreadsheets
from pos.pharmacy import register
from pos.web import business_today, date_field, download, render

bp = Blueprint("pharmacy", __name__, url_prefix="/apotek")
LONGEST_RANGE_DAYS = 366


def _range():
    today = business_today()
    first = date_field("dari", "Dari tanggal", status=400) or today.replace(day=1)
    last = date_field("sampai", "Sampai tanggal", status=400) or today
    return dates.check_range(first, last, LONGEST_RANGE_DAYS)


@bp.get("")
@requires("rx_register")
def index():
    """Obat keras sold between two dates: prescription, apoteker and receipt of each."""
    first, last = _range()
    return render("pharmacy/index.html", rows=register.dispensed(read_session(), first, last),
                  first=first, last=last)


@bp.get("/resep.csv")
@requires("rx_register")
def export_csv():
    """The same rows as a CSV file (UTF-8, opens in a spreadsheet)."""
    first, last = _range()
    rows = [r.as_row() for r in register.dispensed(read_session(), first, last)]
    return download(spreadsheets.to_csv(rows, register.COLUMNS),
                    f"resep-obat-keras-{first:%Y%m%d}-{last:%Y%m%d}.csv")
