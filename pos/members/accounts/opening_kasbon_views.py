"""Saldo awal kasbon (views): a manager imports what members owed on the paper books
(``opening_kasbon``) as CSV or XLSX, checked and saved in a background job whose progress the
page polls, and downloads the member list to fill in."""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from pos.auth.access import requires
from pos.chart import chart
from pos.days.service import is_closed
from pos.db import read_session
from pos.inventory.catalog import import_jobs, spreadsheets
from pos.members.accounts import opening_kasbon
from pos.web import business_today, download, render

bp = Blueprint("opening_kasbon", __name__, url_prefix="/kasbon/saldo-awal-kasbon")

def _receivable() -> tuple[str, str]:
    """The account the hub's Saldo awal holds the members' kasbon on (``POS_LEDGER_ACCOUNTS``)."""
    return chart(current_app.config["LEDGER_ACCOUNTS"])("member_receivable")


@bp.get("")
@requires("manage")
def index():
    """What the saldo awal kasbon is, what was imported, the download and the upload."""
    session, today = read_session(), business_today()
    return render("accounts/opening_kasbon.html", totals=opening_kasbon.totals(session),
                  today=today, closed_day=today if is_closed(session, today) else None,
                  columns=opening_kasbon.IMPORT_COLUMNS, limits=import_jobs.limits(), account=_receivable())


@bp.get("/daftar.csv")
@requires("manage")
def member_list():
    """Every member with the saldo awal kasbon imported so far (blank where none), to fill in."""
    rows = opening_kasbon.export_rows(read_session())
    return download(spreadsheets.to_csv(rows, opening_kasbon.IMPORT_COLUMNS), "saldo-awal-kasbon.csv")


@bp.post("/impor")
@requires("manage")
def upload():
    """Read the file (an unreadable one is refused at once), then check and save it in a
    background job."""
    request.max_content_length = import_jobs.upload_limit()
    job_id = import_jobs.start_upload(current_app._get_current_object(), request.files.get("file"),
                                      g.staff.id, request.form.get("check_only") == "1",
                                      rules=opening_kasbon.OpeningKasbonFile(business_today()))
    return _job(job_id)


def _job(job_id: str):
    """The job's progress, or its outcome with the page's totals as they are now."""
    job = import_jobs.job(job_id)
    return render("accounts/_opening_kasbon_job.html", job=job, job_id=job_id,
                  totals=opening_kasbon.totals(read_session()) if job.get("finished") else None)


@bp.get("/impor/<job_id>")
@requires("manage")
def import_progress(job_id: str):
    """The job's progress bar (polled every 500 ms) or, when finished, its outcome."""
    return _job(job_id)
