"""Savings and credit repayments at the till; statements and ageing for managers (views).

Till (right "sell"): ``/kasir/simpanan`` finds a member, shows their kasbon and savings,
and takes one document (a deposit or repayment, or a withdrawal of simpanan sukarela that a
manager approves in the page's dialog); its receipt prints on the till's printer after the
commit, and a printer failure is shown with a reprint button.  Managers (right "manage"): the member's
statement ``/kasbon/anggota/<id>``, the limit, and the ageing list ``/kasbon/umur`` (CSV too).
"""
from __future__ import annotations

import csv
import dataclasses
import io
import uuid

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos.approvals.dialog import till_actor
from pos.auth.access import requires, till_printer
from pos.clock import utcnow
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError, not_printed
from pos.members.accounts import (
    cancellations,
    credit,
    doc_receipt,
    documents,
    overview,
    savings,
    statements,
    withdrawals,
)
from pos.members.accounts.models import DocTender
from pos.money import round_cash
from pos.settings.service import NO_QRIS, qris_static
from pos.shifts import gate
from pos.web import business_today, download, go, int_field, render, rupiah_field

bp = Blueprint("accounts", __name__)


def _rates() -> savings.Rates:
    return savings.Rates.from_config(current_app.config)


def _panel(session, member_id: int, status: int = 200):
    """The member's panel at the counter with a fresh idempotency key for its form."""
    today = business_today()
    seen = overview.of(session, member_id, today)
    ahead = [savings.add_months(savings.month_start(today), n) for n in range(1, 4)]
    ahead = [m for m in ahead if m not in seen.savings.months_paid]
    return render("accounts/_member.html", status, seen=seen, ahead=ahead, rates=_rates(),
                  month_label=savings.month_label, key=str(uuid.uuid4()), key_out=str(uuid.uuid4()),
                  key_leaver=str(uuid.uuid4()),
                  no_qris=None if qris_static(session, current_app.config) else NO_QRIS)


@bp.get("/kasir/simpanan")
@requires("sell")
def counter():
    """The counter's savings and repayment page: find a member (number, card, phone or name); at a
    till whose drawer takes no money now, the till's Buka shift (a refused payment reloads to it)."""
    if (till := g.staff.till_id) is not None and not gate.takes_money(read_session(), till, business_today()):
        return redirect(url_for("sales.till"), 303)
    return render("accounts/counter.html")


@bp.get("/kasir/simpanan/cari")
@requires("sell")
def find_member():
    """One member found: their panel; several: a list to choose from; none: say so."""
    found = overview.lookup(read_session(), request.args.get("q", ""))
    if len(found) == 1:
        return _panel(read_session(), found[0].id)
    if not found:
        raise PosError("Anggota tidak ditemukan. Ketik nomor anggota, kartu, HP atau nama.", 404)
    return render("accounts/_choices.html", members=found)


@bp.get("/kasir/simpanan/anggota/<int:member_id>")
@requires("sell")
def member_panel(member_id: int):
    """The member's kasbon, savings and months of wajib unpaid, with the payment form."""
    return _panel(read_session(), member_id)


def _payment() -> documents.Payment:
    try:
        months = tuple(savings.parse_month(m) for m in request.form.getlist("wajib"))
    except ValueError:
        raise PosError("Bulan simpanan wajib tidak sah.") from None
    return documents.Payment(pokok=request.form.get("pokok") == "1", wajib_months=months,
                             sukarela=rupiah_field("sukarela", "Simpanan sukarela", required=False) or 0,
                             repayment=rupiah_field("angsuran", "Angsuran kasbon", required=False) or 0)


def _tender() -> documents.Tendered:
    try:
        method = DocTender(request.form.get("cara", "cash"))
    except ValueError:
        raise PosError("Cara bayar tidak dikenal.") from None
    return documents.Tendered(method, rupiah_field("diterima", "Uang diterima", required=False),
                              request.form.get("referensi", ""), current_app.config["CASH_ROUNDING"])


@bp.post("/kasir/simpanan/bayar")
@requires("sell")
def pay():
    """Take one savings/repayment document (once per key), then print its receipt."""
    cfg = current_app.config
    member_id = int_field("member_id", "Anggota", low=1, high=10**18)
    paid, tender = _payment(), _tender()
    with transaction() as session:
        if tender.method is DocTender.QRIS and not qris_static(session, cfg):
            raise PosError(NO_QRIS)    # no QR to pay to: nothing could have been received
        taken = documents.take(session, member_id=member_id, paid=paid, tender=tender,
                               idempotency_key=request.form.get("idempotency_key", ""),
                               outlet_code=cfg["OUTLET_CODE"], till_id=g.staff.till_id,
                               cashier_id=g.staff.id, rates=_rates(), business_date=business_today(),
                               now=utcnow())
    doc_id = taken.document.id
    print_error = _print(doc_id) if taken.created else None
    return _done(doc_id, print_error)


@bp.post("/kasir/simpanan/tarik")
@requires("sell")
def withdraw():
    """Pay simpanan sukarela out (once per key), a manager approving in the dialog, then print
    the receipt the member signs (and open the drawer for cash)."""
    member_id = int_field("member_id", "Anggota", low=1, high=10**18)
    amount = rupiah_field("jumlah_tarik", "Jumlah penarikan", maximum=withdrawals.MAX_WITHDRAWAL)
    return _paid_out(withdrawals.withdraw, "Diminta anggota", member_id=member_id, amount=amount)


@bp.post("/kasir/simpanan/keluar")
@requires("sell")
def settle_leaver():
    """Give a member who left every saving back (once per key), a manager approving."""
    member_id = int_field("member_id", "Anggota", low=1, high=10**18)
    return _paid_out(withdrawals.settle_leaver, "Anggota keluar", member_id=member_id)


@bp.post("/kasir/simpanan/<int:doc_id>/batal")
@requires("sell")
def cancel(doc_id: int):
    """Give a document taken by mistake back (once per key), a manager approving in the
    dialog, then print the cancellation's receipt (and open the drawer for cash)."""
    reason = request.form.get("alasan", "")
    return _paid_out(cancellations.cancel, reason, document_id=doc_id, reason=reason)


def _paid_out(run, why: str, **values):
    """Money out to a member (``run``: a withdrawal, a leaver's savings, a cancellation, which
    for a withdrawal brings the money back in), paid as the form says (cash or a transfer),
    ``why`` the reason a manager is asked with; then its receipt printed and the drawer opened."""
    try:
        method = DocTender(request.form.get("cara_tarik", "cash"))
    except ValueError:
        raise PosError("Cara bayar tidak dikenal.") from None
    paid = documents.Tendered(method, None, request.form.get("referensi_tarik", ""),
                              current_app.config["CASH_ROUNDING"])
    who = till_actor(g.staff.till_id, why)
    with transaction() as session:
        taken = run(session, tender=paid, idempotency_key=request.form.get("idempotency_key", ""),
                    outlet_code=current_app.config["OUTLET_CODE"], actor=who,
                    business_date=business_today(), now=utcnow(), **values)
    done = taken.document.id
    return _done(done, _print(done) if taken.created else None)


def _receipt(doc_id: int, copy: bool = False):
    return _build(documents.slip(read_session(), doc_id), copy)


def _build(slip: doc_receipt.DocSlip, copy: bool = False):
    cfg = current_app.config
    return doc_receipt.build(slip, outlet_name=cfg["OUTLET_NAME"], timezone=cfg["TIMEZONE"],
                             columns=cfg["RECEIPT_COLUMNS"], copy=copy)


def _print(doc_id: int, copy: bool = False) -> str | None:
    """After the commit: the receipt on this till's printer; the error is recorded and returned
    in the staff's words (the device's own, often English, in the log and the drawer's record)."""
    slip = documents.slip(read_session(), doc_id)
    receipt, error, said = _build(slip, copy), None, None
    if g.staff.till_id is None:   # no till, no drawer of its own to open (and log)
        receipt = dataclasses.replace(receipt, open_drawer=False)
    try:
        till_printer().print_receipt(receipt)
    except HardwareError as failure:
        error = str(failure) or "printer tidak menjawab"
        said = failure.summary or error
        current_app.logger.warning("Bukti setoran %s belum tercetak: %s", receipt.receipt_no, error)
    with transaction() as session:
        documents.record_print(session, doc_id, said, utcnow())
        if receipt.open_drawer and g.staff.till_id is not None:
            documents.log_drawer(session, till_id=g.staff.till_id, user_id=g.staff.id,
                                 reason=f"{slip.what} {receipt.receipt_no}", error=error)
    return said


def _done(doc_id: int, print_error: str | None):
    doc = documents.get(read_session(), doc_id)
    return render("accounts/_done.html", doc=doc, receipt=_receipt(doc_id), print_error=print_error,
                  no_printer=not_printed(till_printer(), "Bukti"))


@bp.post("/kasir/simpanan/<int:doc_id>/cetak")
@requires("sell")
def reprint(doc_id: int):
    """Print the document's receipt again (a copy, marked SALINAN)."""
    documents.get(read_session(), doc_id)
    error = _print(doc_id, copy=True)
    return render("accounts/_print_status.html", doc_id=doc_id, print_error=error, copied=True,
                  no_printer=not_printed(till_printer(), "Bukti"))


@bp.get("/kasir/simpanan/<int:doc_id>")
@requires("sell")
def show_document(doc_id: int):
    """One document and its receipt text; one not yet cancelled (a deposit, a repayment, a
    withdrawal) with the form that cancels it, else the document that cancels it or that it
    cancels."""
    session = read_session()
    doc = documents.get(session, doc_id)
    cancels = doc.reverses_id and documents.get(session, doc.reverses_id)
    in_cash = round_cash(doc.total, current_app.config["CASH_ROUNDING"])   # given back from the drawer
    return render("accounts/document.html", doc=doc, receipt=_receipt(doc_id), cancels=cancels,
                  cancelled_by=cancellations.cancelled_by(session, doc.id), key=str(uuid.uuid4()),
                  in_cash=in_cash, no_printer=not_printed(till_printer(), "Bukti"))


# --- Managers --------------------------------------------------------------------------------

@bp.get("/kasbon/anggota/<int:member_id>")
@requires("manage")
def statement(member_id: int):
    """The member's statement: kartu piutang with a running balance, savings, wajib unpaid."""
    return _statement(member_id)


@bp.get("/kasir/simpanan/anggota/<int:member_id>/kartu")
@requires("sell")
def counter_statement(member_id: int):
    """The same statement for the cashier at the counter, read only (no limit form)."""
    return _statement(member_id)


def _statement(member_id: int):
    session = read_session()
    seen = overview.of(session, member_id, business_today())
    return render("accounts/statement.html", seen=seen, rows=statements.kartu_piutang(session, member_id),
                  docs=documents.recent(session, member_id), month_label=savings.month_label,
                  opened=savings.opening(session, member_id),
                  can_manage=g.staff.may("manage"), printed_at=utcnow())


@bp.get("/kasbon/anggota/<int:member_id>/ringkas")
@requires("manage")
def member_summary(member_id: int):
    """The panel on the member page: limit form, balance, savings and links (loaded by htmx)."""
    seen = overview.of(read_session(), member_id, business_today())
    return render("accounts/_summary.html", seen=seen)


@bp.post("/kasbon/anggota/<int:member_id>/batas")
@requires("manage")
def set_limit(member_id: int):
    """A manager sets the member's kasbon limit (0: no kasbon)."""
    limit = rupiah_field("batas", "Batas kasbon", maximum=credit.MAX_LIMIT)
    with transaction() as session:
        credit.set_limit(session, member_id, limit, g.staff.id, today=business_today())
    if request.form.get("kembali") == "ringkas":
        return render("accounts/_summary.html", seen=overview.of(read_session(), member_id, business_today()),
                      saved=True)
    flash("Batas kasbon disimpan.", "ok")   # as the member page's panel says it
    return go(url_for("accounts.statement", member_id=member_id))


@bp.get("/kasbon/umur")
@requires("manage")
def ageing():
    """Outstanding kasbon per member in 0-30, 31-60, 61-90 and over 90 days, with totals."""
    today = business_today()
    rows, totals = statements.ageing(read_session(), today)
    return render("accounts/ageing.html", rows=rows, totals=totals, today=today,
                  buckets=statements.BUCKETS, labels=statements.BUCKET_LABELS)


@bp.get("/kasbon/umur.csv")
@requires("manage")
def ageing_csv():
    """The ageing list as CSV (UTF-8 with BOM, plain integers of Rupiah)."""
    today = business_today()
    out = io.StringIO()
    csv.writer(out).writerows(statements.ageing_csv_rows(*statements.ageing(read_session(), today)))
    return download(out.getvalue(), f"umur-kasbon-{today.isoformat()}.csv")
