"""Stok awal (views): a manager or clerk downloads the catalogue to fill in with the goods the
outlet already owns and uploads it back (CSV or XLSX), checked and saved in a background job whose
progress the page polls (``service``)."""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from pos.auth.access import requires
from pos.days.service import is_closed
from pos.db import read_session
from pos.inventory.catalog import import_jobs, spreadsheets
from pos.inventory.opening import listing, rows, service
from pos.web import business_today, download, render

bp = Blueprint("opening_stock", __name__, url_prefix="/stok-awal")


@bp.get("")
@requires("stock")
def index():
    """What opening stock is, what was imported, the download and the upload."""
    session, today = read_session(), business_today()
    accounts = current_app.config["LEDGER_ACCOUNTS"]
    return render("inventory/opening_stock.html", totals=service.totals(session, accounts),
                  today_value=service.day_value(session, today, accounts), today=today, columns=rows.COLUMNS,
                  limits=import_jobs.limits(), closed_day=today if is_closed(session, today) else None,
                  far_flag=(rows.FAR_CONFIRM, rows.FAR_LABEL))


@bp.get("/daftar.csv")
@requires("stock")
def product_list():
    """The products that may take opening stock, with today's where imported, to fill in."""
    found = listing.export_rows(read_session(), business_today())
    return download(spreadsheets.to_csv(found, rows.COLUMNS), "stok-awal.csv")


@bp.post("/impor")
@requires("stock")
def upload():
    """Read the file (an unreadable one is refused at once), then check and save it in a
    background job."""
    request.max_content_length = import_jobs.upload_limit()
    job_id = import_jobs.start_upload(current_app._get_current_object(), request.files.get("file"),
                                      g.staff.id, request.form.get("check_only") == "1",
                                      rules=service.OpeningStockFile(
                                          business_today(), request.form.get(rows.FAR_CONFIRM) == "1"))
    return _job(job_id)


def _job(job_id: str):
    """The job's progress, or its outcome with the page's figures as they are now."""
    job = import_jobs.job(job_id)
    session, accounts = read_session(), current_app.config["LEDGER_ACCOUNTS"]
    return render("inventory/_opening_stock_job.html", job=job, job_id=job_id,
                  totals=service.totals(session, accounts) if job.get("finished") else None,
                  today_value=service.day_value(session, business_today(), accounts))


@bp.get("/impor/<job_id>")
@requires("stock")
def import_progress(job_id: str):
    """The job's progress bar (polled every 500 ms) or, when finished, its outcome."""
    return _job(job_id)
