"""LPG 3 kg: the daily list per NIK and category (views), for the managers to copy into
Pertamina's merchant app.  The full NIK is shown here and in the downloads (the app needs
it), so the page is for the ``manage`` right only."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response

from pos.auth.access import requires
from pos.dates import not_yet
from pos.db import read_session
from pos.inventory.catalog import spreadsheets
from pos.lpg import service
from pos.web import business_today, date_field, download, render, typed_field

bp = Blueprint("lpg", __name__, url_prefix="/lpg")


def _file_day() -> tuple[date | None, Response | None]:
    """A download's day, by the page's rule: a date typed wrong or a day not yet come (whose
    empty list would read as a day without LPG) answers with the message alone, 400 plain text,
    as every download link does."""
    today = business_today()
    day, _typed, problem = typed_field(date_field, "tanggal", "Tanggal", today)
    problem = problem or not_yet(day, today, "belum ada penjualan LPG")
    if problem:
        return None, Response(problem, 400, content_type="text/plain; charset=utf-8")
    return day, None


@bp.get("")
@requires("manage")
def day_page():
    """The day's LPG 3 kg sales per NIK and category and the tubes returned that day (by the
    return's own day), with totals and downloads; a date typed
    wrong draws the form again as typed, with the message and no list."""
    today = business_today()
    day, typed, problem = typed_field(date_field, "tanggal", "Tanggal", today)
    problem = problem or not_yet(day, today, "belum ada penjualan LPG")   # never an empty list
    if problem:
        return render("lpg/index.html", 422, day=typed, problem=problem, rows=None)
    rows = service.day_list(read_session(), day)
    return render("lpg/index.html", day=day, rows=rows, niks=service.buyers(rows),
                  refill=sum(r.refill for r in rows), new=sum(r.new for r in rows),
                  returned=sum(r.returned for r in rows))


@bp.get("/harian.csv")
@requires("manage")
def day_csv():
    day, refused = _file_day()
    if refused is not None:
        return refused
    body = spreadsheets.to_csv(service.export_rows(day, service.day_list(read_session(), day)),
                               service.COLUMNS)
    return download(body, f"lpg-3kg-{day.isoformat()}.csv")


@bp.get("/harian.xlsx")
@requires("manage")
def day_xlsx():
    day, refused = _file_day()
    if refused is not None:
        return refused
    body = spreadsheets.to_xlsx(service.export_rows(day, service.day_list(read_session(), day)),
                                service.COLUMNS, "LPG 3 kg")
    return download(body, f"lpg-3kg-{day.isoformat()}.xlsx")
