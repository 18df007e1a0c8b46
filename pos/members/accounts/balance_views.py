"""Saldo simpanan anggota (views): every member's savings on a day, with the totals, for the
managers; the whole list as CSV or XLSX (``balances``)."""
from __future__ import annotations

from flask import Blueprint

from pos.auth.access import requires
from pos.db import read_session
from pos.errors import PosError
from pos.inventory.catalog import spreadsheets
from pos.members.accounts import balances
from pos.web import business_today, date_field, download, int_field, render, typed_field

bp = Blueprint("balances", __name__, url_prefix="/simpanan")
PER_PAGE = 100


def _day():
    """A download's day (today when none is given)."""
    return date_field("tanggal", "Tanggal", status=400) or business_today()


@bp.get("/saldo")
@requires("manage")
def index():
    """The totals per kind and the members' savings, 100 a page; a date typed wrong draws the
    form again as typed, with the message and no list."""
    today = business_today()
    day, typed, problem = typed_field(date_field, "tanggal", "Tanggal", today)
    try:
        found = None if problem else balances.on_day(read_session(), day, today)
    except PosError as refused:  # a day ahead
        problem = refused.message
    if problem:
        return render("accounts/balances.html", 422, day=typed, problem=problem, found=None)
    page = int_field("hal", "Nomor halaman", required=False, blank=1, low=1, high=99_999, status=400)
    last = max(1, -(-len(found.rows) // PER_PAGE))
    page = min(page, last)  # a page past the end (the list got shorter, or a typed link): the last
    shown = found.rows[(page - 1) * PER_PAGE:page * PER_PAGE]
    return render("accounts/balances.html", day=day, found=found, shown=shown, page=page,
                  per_page=PER_PAGE, last=last)


@bp.get("/saldo.csv")
@requires("manage")
def export_csv():
    day = _day()
    rows = balances.export_rows(balances.on_day(read_session(), day, business_today()))
    return download(spreadsheets.to_csv(rows, balances.COLUMNS), f"saldo-simpanan-{day.isoformat()}.csv")


@bp.get("/saldo.xlsx")
@requires("manage")
def export_xlsx():
    day = _day()
    rows = balances.export_rows(balances.on_day(read_session(), day, business_today()))
    return download(spreadsheets.to_xlsx(rows, balances.COLUMNS, "Saldo simpanan"),
                    f"saldo-simpanan-{day.isoformat()}.xlsx")
