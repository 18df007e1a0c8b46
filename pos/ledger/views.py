"""Buku besar: the manager's view of the ledger outbox (``/buku-besar``): every document with
its status (Menunggu / Terkirim / Ditolak), attempts and last error, a **Kirim sekarang**
button that pushes now, **Kirim ulang** (what the hub accepted since a day, sent again after the
hub was restored from an older backup), a document's journal (lines, debit = credit), and the
members' kasbon beside what the books hold on its account (``/buku-besar/kasbon``)."""
from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, request, url_for

from pos.auth.access import requires
from pos.chart import chart
from pos.clock import to_local, typed_moment
from pos.dates import date_problem
from pos.db import get_db, read_session
from pos.errors import PosError
from pos.ledger import kasbon_books, outbox, push
from pos.ledger.models import OutboxStatus
from pos.web import business_today, date_field, go, render

bp = Blueprint("ledger", __name__, url_prefix="/buku-besar")
STATUS_LABELS = {OutboxStatus.PENDING: "Menunggu", OutboxStatus.SENT: "Terkirim",
                 OutboxStatus.REJECTED: "Ditolak"}


def _local(moment) -> str:
    return to_local(moment, current_app.config["TIMEZONE"]).strftime("%d-%m-%Y %H:%M") if moment else "-"


def _configured() -> bool:
    return push.configured(current_app.config)


@bp.get("")
@requires("manage")
def index():
    """The outbox, newest first, and what waits."""
    session = read_session()
    return render("ledger/index.html", rows=outbox.recent(session), state=outbox.state(session),
                  labels=STATUS_LABELS, local=_local, configured=_configured(), voided=outbox.is_voided,
                  hub_url=current_app.config["LEDGER_URL"], books=_kasbon(session))


def _kasbon(session) -> kasbon_books.KasbonBooks:
    return kasbon_books.reconcile(session, chart(current_app.config["LEDGER_ACCOUNTS"]))


@bp.get("/kasbon")
@requires("manage")
def kasbon():
    """Members' kasbon beside the books' account (saldo awal, closed days' journals, open days),
    a difference flagged with its days; Umur kasbon loads it (htmx) under its total."""
    return render("ledger/kasbon.html", partial="ledger/_kasbon.html", books=_kasbon(read_session()))


@bp.post("/kirim")
@requires("manage")
def send_now():
    """Push every pending document now (ignoring the backoff); its own transaction per row."""
    cfg = current_app.config
    if not _configured():
        flash(push.NOT_CONFIGURED, "error")
        return go(url_for("ledger.index"))
    run = push.push(get_db(), url=cfg["LEDGER_URL"], outlet_code=cfg["OUTLET_CODE"],
                    token=cfg["LEDGER_TOKEN"], secret=cfg["LEDGER_SECRET"], force=True)
    # as pos ledger push lists them: what the hub held already is not counted as terkirim
    if fresh := len(run.sent) - len(run.duplicates) - len(run.voided):
        flash(f"{fresh} dokumen terkirim ke hub.", "ok")
    for said in run.voided.values():
        flash(said, "error")
    if run.duplicates:
        flash(f"{len(run.duplicates)} dokumen sudah ada di hub (duplikat, tidak dibukukan dua kali).", "ok")
    if run.elsewhere:
        flash(f"{len(run.elsewhere)} dokumen terkirim oleh proses lain yang mengirim bersamaan.", "ok")
    if run.rejected:
        flash(f"{len(run.rejected)} dokumen ditolak hub: periksa galatnya di bawah.", "error")
    if run.stopped:
        flash(run.waiting_words, "error")
    if not (run.sent or run.elsewhere or run.rejected or run.stopped):
        flash("Tidak ada dokumen yang menunggu.", "info")
    return go(url_for("ledger.index"))


@bp.post("/kirim-ulang")
@requires("manage")
def resend():
    """Send again what the hub accepted since a moment (``terkirim_sejak``, the one the hub's
    restore names) or since a business day (``dari``), after the hub was restored from an older
    backup, then push now when the hub is set up."""
    if "terkirim_sejak" in request.form:
        return _resend_sent_since(request.form["terkirim_sejak"])
    try:
        start = date_field("dari", "Tanggal", required=True)
    except PosError as error:
        flash(error.message, "error")
        return go(url_for("ledger.index"))
    if start > business_today():
        flash("Tanggal tidak boleh setelah hari ini.", "error")
        return go(url_for("ledger.index"))
    with get_db().transaction() as session:
        count = outbox.requeue(session, start)
    return _resent(count, f"sejak {start:%d-%m-%Y}", f"{start:%d-%m-%Y}")


def _resend_sent_since(typed: str):
    if not typed.strip():
        flash("Waktu terkirim wajib diisi.", "error")
        return go(url_for("ledger.index"))
    try:
        since = typed_moment(typed, current_app.config["TIMEZONE"])
    except ValueError as problem:
        flash(date_problem("Waktu terkirim", typed[:30], problem), "error")
        return go(url_for("ledger.index"))
    with get_db().transaction() as session:
        count = outbox.requeue_sent_since(session, since)
    shown = " ".join(typed.split())
    return _resent(count, f"terkirim sejak {shown}", shown)


def _resent(count: int, which: str, since: str):
    """``count`` documents of ``which`` are pending again: pushed now (or the outbox's page)."""
    if not count:
        flash(f"Tidak ada dokumen terkirim sejak {since}.", "info")
        return go(url_for("ledger.index"))
    flash(f"{count} dokumen {which} dijadwalkan kirim ulang.", "ok")
    return send_now() if _configured() else go(url_for("ledger.index"))


@bp.get("/<document_id>")
@requires("manage")
def document(document_id: str):
    """One document's journal: its lines and their totals (debit = credit)."""
    row = outbox.find(read_session(), document_id)
    if row is None:
        abort(404)
    body = json.loads(row.body)
    lines = body.get("journal") or []
    debit = sum(int(line.get("debit") or 0) for line in lines)
    credit = sum(int(line.get("credit") or 0) for line in lines)
    return render("ledger/document.html", row=row, body=body, lines=lines, debit=debit,
                  credit=credit, labels=STATUS_LABELS, local=_local)
