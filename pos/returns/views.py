"""Returns against a receipt (views): find the receipt (typed number or its QR), the return
form, the manager's approval inline, the return slip printed after the commit, a receipt's
returns, and the managers' list by date.

The manager's PIN is checked before the write transaction (``approvals.check_pin``); the
return and its log row are written in one.  The slip goes to this till's printer after the
commit: a printer failure is shown and never loses the return (reprint from its page).
"""
from __future__ import annotations

import dataclasses
import uuid

from flask import Blueprint, current_app, g, request, url_for

from pos.approvals.dialog import till_actor
from pos.approvals.service import Actor
from pos.auth.access import requires, till_printer
from pos.auth.service import RIGHTS
from pos.days.service import closed_message, is_closed
from pos.db import get_db, read_session, transaction
from pos.errors import PosError
from pos.hardware import HardwareError, no_drawer, not_printed
from pos.returns import records, slip
from pos.returns.service import RefundTo, ReturnError, Wanted, make_return
from pos.sales import history, printing
from pos.sales.models import PaymentMethod
from pos.sales.receipt import OutletInfo
from pos.units import BaseUnit, QuantityError
from pos.web import business_today, date_range, go, message, range_refused, render

bp = Blueprint("returns", __name__, url_prefix="/retur")
LONGEST_RANGE_DAYS = 92


@bp.get("")
@requires("sell")
def find():
    """Type a receipt number or scan its QR; Enter opens the return form of that receipt."""
    text = request.args.get("q", "").strip()[:80]
    if text:
        sale_id = history.find_receipt(read_session(), text, current_app.config["OUTLET_CODE"])
        if sale_id is not None:
            return go(url_for("returns.form", sale_id=sale_id))
        return render("returns/find.html", query=text, may_list=_may_list(),
                      problem=f"Struk “{history.receipt_number(text)}” tidak ditemukan.")
    return render("returns/find.html", query="", problem=None, may_list=_may_list())


def _may_list() -> bool:
    return "reports" in RIGHTS[g.staff.role]


@bp.get("/struk/<int:sale_id>")
@requires("sell")
def form(sale_id: int):
    """The receipt's lines: sold, already returned, what may still be returned; the form's
    key is made here, once per page load (``once``)."""
    session, today = read_session(), business_today()
    closed = closed_message(today) if is_closed(session, today) else None   # said before it is filled in
    return render("returns/form.html", sale=records.returnable(session, sale_id), closed=closed,
                  returns=records.of_sale(session, sale_id), key=str(uuid.uuid4()))


def _wanted(sale: records.Returnable) -> list[Wanted]:
    """The quantities typed (``qty_<line id>``, kg or litres with a decimal comma for weighed
    goods) and the damaged ticks (``rusak_<line id>``); any other line id is kept, so the
    service refuses it."""
    units = {line.id: line.base_unit for line in sale.lines}
    names = {line.id: line.name for line in sale.lines}
    out = []
    for name, raw in request.form.items():
        if not name.startswith("qty_") or not (raw or "").strip() or raw.strip() == "0":
            continue
        key = name.removeprefix("qty_")
        if not key.isascii() or not key.isdigit() or len(key) > 18:
            raise ReturnError("Isian retur tidak sah. Muat ulang halaman retur.", 422)
        line_id = int(key)
        # named, as the service names a line it refuses ("… paling banyak 3 dapat diretur")
        label = " ".join(("Jumlah retur", names.get(line_id, ""))).strip()
        try:
            qty = units.get(line_id, BaseUnit.PCS).read(raw, label, positive=True)
        except QuantityError as problem:
            raise ReturnError(problem.message, 422) from None
        out.append(Wanted(line_id, qty, restock=request.form.get(f"rusak_{key}") != "1"))
    return out


def _actor() -> Actor:
    return till_actor(g.staff.till_id, request.form.get("reason") or "")


@bp.post("/struk/<int:sale_id>")
@requires("sell")
def submit(sale_id: int):
    """Book the return (a cashier needs a manager's PIN), then print the slip; the form
    posted again answers with the return it booked, printing nothing."""
    sale = records.returnable(read_session(), sale_id)
    wanted = _wanted(sale)
    try:
        refund_to = RefundTo(request.form.get("refund", RefundTo.ORIGINAL.value))
    except ValueError:
        raise ReturnError("Cara pengembalian dana tidak dikenal.", 422) from None
    actor, cfg = _actor(), current_app.config
    with transaction() as db_session:
        done = make_return(db_session, actor, sale_id=sale_id, wanted=wanted,
                           refund_to=refund_to, reason=request.form.get("reason", ""),
                           reference=request.form.get("referensi"),
                           references={PaymentMethod.QRIS: request.form.get("referensi_qris"),
                                       PaymentMethod.TRANSFER: request.form.get("referensi_transfer")},
                           idempotency_key=request.form.get("idempotency_key", ""),
                           outlet_code=cfg["OUTLET_CODE"], timezone=cfg["TIMEZONE"],
                           cash_rounding=cfg["CASH_ROUNDING"])
    if not done.created:  # its slip was printed and its money paid when it was booked
        receipt, error = _slip(done.id), None
    else:
        receipt, error = _print(done.id, drawer_event=done.drawer_event)
    return render("returns/_done.html", done=done, receipt=receipt, print_error=error,
                  expired=_expired(done.id), returns=_of_sale_now(sale_id))


def _of_sale_now(sale_id: int) -> list[records.Listed]:
    """The receipt's returns, newest first, the one just booked too (this request's read
    session may predate its commit)."""
    with get_db(current_app).reading() as session:
        return records.of_sale(session, sale_id)


def _expired(return_id: int) -> list[str]:
    """"Amoxicillin: batch E96360 sudah kedaluwarsa: tidak dikembalikan ke rak" per batch that
    returned units were written off into (``restock``)."""
    with get_db(current_app).reading() as session:
        ret = records.get_return(session, return_id)
    return [f"{line['name']}: {note}" for line in ret.lines for note in line["expired"]]


def _slip(return_id: int, *, copy: bool = False, drawer: bool = False):
    # A fresh read: this request's read session may predate the return's commit.
    with get_db(current_app).reading() as session:
        ret = records.get_return(session, return_id)
    cfg = current_app.config
    return slip.build(ret, OutletInfo.from_config(cfg), cfg["RECEIPT_COLUMNS"], copy=copy,
                      open_drawer=drawer)


def _print(return_id: int, *, copy: bool = False, drawer_event: int | None = None):
    """The slip on this till's printer, after the commit; (slip, error text or None): the staff's
    words (the device's own, often English, in the log and the drawer's record)."""
    receipt = _slip(return_id, copy=copy, drawer=drawer_event is not None)
    error = said = None
    try:
        till_printer().print_receipt(receipt)
    except HardwareError as failure:
        current_app.logger.warning("Nota retur %s belum tercetak: %s", receipt.receipt_no, failure)
        error, said = str(failure), failure.summary or str(failure)
    if drawer_event is not None:   # on dummy:// no drawer answered the kick
        with transaction() as db_session:
            printing.drawer_outcome(db_session, drawer_event, error or no_drawer(till_printer()))
    return dataclasses.replace(receipt, open_drawer=False), said


@bp.get("/<int:return_id>")
@requires("sell")
def show(return_id: int):
    """A return slip as printed, with its copy button."""
    return render("returns/show.html", ret=records.get_return(read_session(), return_id),
                  receipt=_slip(return_id))


@bp.post("/<int:return_id>/cetak")
@requires("sell")
def reprint(return_id: int):
    """Print the slip again, marked SALINAN (never opens the drawer)."""
    _, error = _print(return_id, copy=True)
    if error:
        raise PosError(f"Nota retur belum tercetak: {error}", 503)
    unprinted = not_printed(till_printer(), "Salinan nota retur")   # dummy://
    return message("warn", unprinted) if unprinted else message("ok", "Salinan nota retur dicetak.")


@bp.get("/struk/<int:sale_id>/daftar")
@requires("sell")
def of_sale(sale_id: int):
    """The returns of one receipt (loaded into its receipt page)."""
    return render("returns/_of_sale.html", returns=records.of_sale(read_session(), sale_id))


@bp.get("/daftar")
@requires("reports")
def listing():
    """Every return booked in a date range (business dates), for managers."""
    today = business_today()
    period = date_range(today, None, labels=("Dari tanggal", "Sampai tanggal"),
                        longest_days=LONGEST_RANGE_DAYS)
    range_refused(period)
    rows = [] if period.problem else records.between(read_session(), period.start, period.end)
    return render("returns/list.html", 422 if period.problem else 200, rows=rows, period=period,
                  first=period.start, last=period.end, total=sum(r.refunded for r in rows))
