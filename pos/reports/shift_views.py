"""A shift's X or Z report as a file for the managers: CSV, XLSX (``shape``) and PDF (``pdf``);
the same lines the screen shows (``shift_report``)."""
from __future__ import annotations

from flask import Blueprint, current_app

from pos import web
from pos.auth.access import requires
from pos.db import read_session
from pos.errors import NotFound
from pos.reports import shape, shift_report
from pos.shifts import zreport

bp = Blueprint("shift_exports", __name__, url_prefix="/shift")


@bp.get("/<int:shift_id>/laporan.<kind>")
@requires("reports")
def download(shift_id: int, kind: str):
    if kind not in web.DOWNLOAD_TYPES:
        raise NotFound("Format laporan tidak dikenal (csv, xlsx, pdf).")
    z = zreport.build(read_session(), shift_id)
    cfg = current_app.config
    report = shift_report.report(z, cfg["TIMEZONE"])
    if kind == "csv":
        body: bytes | str = shape.to_csv(report)
    elif kind == "xlsx":
        body = shape.to_xlsx(report)
    else:
        body = shift_report.pdf_bytes(z, outlet_name=cfg["OUTLET_NAME"], timezone=cfg["TIMEZONE"])
    return web.download(body, f"{report.name}.{kind}")
