"""Tutup hari: the manager's screen to close a business day (``/tutup-hari``): the days
with their status and open shifts, a preview of the day's summary, a confirm step, and
the closed day's summary page from the stored JSON with CSV, XLSX and PDF."""
from __future__ import annotations

import json
from datetime import date, datetime

from flask import Blueprint, abort, current_app, g, request, url_for

from pos.auth.access import requires
from pos.clock import to_local, utcnow
from pos.closing import export, service
from pos.dates import not_yet, parse_iso
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.reports import pdf, shape, tax_labels
from pos.reports.day_fertilizer import in_order
from pos.reports.day_full import summary_text
from pos.reports.first_day import summary_refused
from pos.settings.service import pkp
from pos.web import DOWNLOAD_TYPES, business_today, date_field, download, go, render, typed_field

bp = Blueprint("closing", __name__, url_prefix="/tutup-hari")


def _day(text: str) -> date:
    try:
        return parse_iso(text)
    except ValueError:
        abort(404)


def _summary(session, day: date) -> dict:
    cfg = current_app.config
    return json.loads(summary_text(session, day, zone=cfg["TIMEZONE"],
                                   outlet_pkp=pkp(session, cfg),
                                   dpp_share=(cfg["TAX_DPP_NUMERATOR"], cfg["TAX_DPP_DENOMINATOR"]),
                                   accounts=cfg["LEDGER_ACCOUNTS"]))


def _shown(summary: dict) -> dict:
    """The preview's *Pajak per kelas*, named as every screen and the day's files name the classes,
    and its fertiliser per type in the e-RDKK types' order (a stored summary's keys come sorted)."""
    names = tax_labels.names_of(current_app.config)
    return {"tax_rows": tax_labels.rows(summary.get("tax_classes") or {}, names),
            "fertilizer_types": in_order(summary.get("fertilizer_types") or {})}


def _closed_label(summary: dict) -> str:
    """``Ditutup dd-mm-yyyy HH:MM oleh …`` of a stored summary."""
    when = to_local(datetime.fromisoformat(summary["closed_at"]), current_app.config["TIMEZONE"])
    return f"Ditutup {when:%d-%m-%Y %H:%M} oleh {summary['closed_by']['name']}"


@bp.get("")
@requires("manage")
def index():
    """The last 14 days with activity and today, and the chosen day's summary preview."""
    session, today, zone = read_session(), business_today(), current_app.config["TIMEZONE"]
    listed = service.days(session, today, zone=zone)
    chosen, _typed, problem = typed_field(date_field, "tanggal", "Tanggal", today)   # wrong: today
    if not problem and (problem := summary_refused(session, chosen, today, zone)):   # its zeros read
        chosen = today                                                             # as a day lived
    status = next((d for d in listed if d.day == chosen), None)
    open_shifts = status.open_shifts if status else service.open_shifts(session, chosen)
    summary = _summary(session, chosen)
    return render("closing/index.html", 422 if problem else 200, days=listed, chosen=chosen,
                  summary=summary, open_shifts=open_shifts, today=today, local=_local_label,
                  problem=problem, **_shown(summary))


def _local_label(moment) -> str:
    return to_local(moment, current_app.config["TIMEZONE"]).strftime("%d-%m-%Y %H:%M")


@bp.get("/<day>/tutup")
@requires("manage")
def confirm(day: str):
    """The confirm step: the day's totals once more, and what blocks the close."""
    chosen = _day(day)
    session = read_session()
    summary = _summary(session, chosen)
    refused = (not_yet(chosen, business_today(), "tidak dapat ditutup")
               or service.before_first(session, chosen, current_app.config["TIMEZONE"]))
    return render("closing/confirm.html", chosen=chosen, summary=summary, **_shown(summary),
                  open_shifts=service.open_shifts(session, chosen), refused=refused)


@bp.post("/<day>/tutup")
@requires("manage")
def close(day: str):
    """Close the day (refused while a shift is open, twice, or for a day not yet come)."""
    chosen, cfg, now = _day(day), current_app.config, utcnow()
    if request.form.get("yakin") != "1":
        return go(url_for("closing.confirm", day=chosen.isoformat()))
    with transaction() as session:
        service.close_day(session, day=chosen, user_id=g.staff.id, now=now,
                          today=business_today(), **service.settings(cfg, pkp(session, cfg)))
    return go(url_for("closing.summary", day=chosen.isoformat(), ditutup=1))


@bp.get("/<day>")
@requires("manage")
def summary(day: str):
    """The day's summary (the stored one once closed) and its CSV, XLSX and PDF; none for a day
    not yet come or before the outlet's first activity (its zeros and exports read as a day with
    nothing in it)."""
    chosen, session = _day(day), read_session()
    if refused := summary_refused(session, chosen, business_today(), current_app.config["TIMEZONE"]):
        raise PosError(refused, 404)
    data = _summary(session, chosen)
    names = tax_labels.names_of(current_app.config)
    report = export.as_report(data, names)
    state = _closed_label(data) if data.get("closed") else "Belum ditutup (angka sementara)"
    kind = request.args.get("unduh")
    if kind:
        if kind not in DOWNLOAD_TYPES:
            raise PosError("Format unduhan tidak dikenal: pilih CSV, XLSX atau PDF.", 400)
        body = (shape.to_csv(report) if kind == "csv" else shape.to_xlsx(report) if kind == "xlsx"
                else pdf.document(report.title, state, export.as_sections(data, names)))
        return download(body, f"tutup-hari-{chosen.isoformat()}.{kind}")
    return render("closing/day.html", chosen=chosen, summary=data, report=report, state=state,
                  **_shown(data),
                  cell=shape.cell_text, just_closed=request.args.get("ditutup") == "1")
