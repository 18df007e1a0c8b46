"""Obat keras at the till (views): the prescription and the pharmacist's approval.

A scan (or a pick from the name search) of an obat keras raises ``NeedsPrescription``
(``pharmacy.rules``, through ``regulation`` in ``cart.view``): the handler here answers with
the prescription dialog (``sales/_rx_dialog.html``) in the till's ``#approval-dialog``.  The
dialog posts the same code again here with the doctor, date and number of the prescription
and the apoteker's user name and PIN (none when the logged-in user is an apoteker).  The PIN
is checked before the write transaction opens; in one transaction the code is scanned, the
approval logged (``pharmacy.dispensing``), the prescription put on the line (``cart_rx``) and
a buyer the buyer dialog checked for it on an empty cart (``pembeli``, ``buyers.carry``) put on
the cart, whichever dialog asked first: the rx dialog posts it again hidden, and the buyer
dialog's retry of this request carries it.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos.approvals import seal
from pos.approvals.dialog import checked, refusal_logged
from pos.approvals.service import Actor, carried
from pos.auth.access import current_till_id, login_guard, requires
from pos.auth.service import RIGHTS
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.pharmacy import dispensing, prescriptions
from pos.pharmacy.rules import NeedsPrescription
from pos.sales import buyers, cart, cart_rx, pricing, scanning
from pos.settings import service as settings
from pos.units import format_number
from pos.web import business_today, date_field, is_htmx, message, render

bp = Blueprint("rx", __name__, url_prefix="/kasir/resep")
RX_FIELDS = ("rx_doctor", "rx_date", "rx_number")
# Scanning it again asks the pharmacist for the new total; deleting the line voided it and
# threw the approved prescription away.
AGAIN = (" Pindai lagi dengan tambahannya di depan (misalnya 4*kode): apoteker diminta menyetujui "
         "jumlah barunya.")
_ASKING = {"sales.scan": "rx.scan", "rx.scan": "rx.scan", "sales.add": "rx.add", "rx.add": "rx.add"}


@bp.app_errorhandler(NeedsPrescription)
def needs_prescription(error: NeedsPrescription):
    """At a scan or a pick: the prescription dialog; elsewhere, say what the line needs."""
    endpoint = _ASKING.get(request.endpoint or "")
    if not is_htmx() or endpoint is None:
        if is_htmx():
            return message("error", error.message + AGAIN, 422,
                           headers={"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"})
        flash(error.message, "error")
        return redirect(request.referrer or url_for("sales.till"), 303)
    url = url_for(endpoint, **(request.view_args or {}))
    fields = [(n, v) for n, v in carried(request.form) if n not in RX_FIELDS]
    form = request.form.to_dict()
    if error.approved is not None and not any(form.get(n) for n in RX_FIELDS):  # asked again
        session = read_session()
        form.update(cart_rx.prescription_on(session, cart.cart_id_for(session, current_till_id()),
                                            error.product_id))
    return render("sales/_rx_dialog.html", error=error, url=url, fields=fields,
                  own=dispensing.RIGHT in RIGHTS[g.staff.role], form=form,
                  seal=seal.make(current_app.config["SECRET_KEY"], url, fields),
                  headers={"HX-Retarget": "#approval-dialog", "HX-Reswap": "innerHTML"})


def _prescription() -> prescriptions.Prescription:
    return prescriptions.read(request.form.get("rx_doctor"),
                              date_field("rx_date", "Tanggal resep", required=True),
                              request.form.get("rx_number"), today=business_today(),
                              max_age_days=current_app.config["RX_MAX_AGE_DAYS"])


def _actor(rx: prescriptions.Prescription) -> Actor:
    """The cashier, and the apoteker's approval (PIN checked here, before any write) of what the
    dialog showed: the code it carries hidden is sealed (``seal``), the prescription typed in
    it is the apoteker's to read."""
    rights, till_id = RIGHTS[g.staff.role], current_till_id()
    reason = f"Resep No. {rx.number}, {prescriptions.doctor_named(rx.doctor)}"
    approval = None
    if dispensing.RIGHT not in rights:
        seal.check(current_app.config["SECRET_KEY"], request.form.get(seal.FIELD), request.path,
                   [(n, v) for n, v in request.form.items(multi=True) if n not in RX_FIELDS],
                   approver="apoteker")

        def pin():
            with refusal_logged(request.form.get("approval_user", ""), dispensing.KIND, till_id):
                return dispensing.pin(read_session(), request.form.get("approval_user", ""),
                                      request.form.get("approval_pin", ""), reason, login_guard(),
                                      request.remote_addr or "")
        approval = checked(till_id, reason, pin)
    return Actor(g.staff.id, till_id, rights, reason=reason, approval=approval,
                 allow_self=bool(current_app.config["SELF_APPROVAL"]))


def _approved(db_session, done: scanning.Scanned, rx: prescriptions.Prescription, actor: Actor):
    if done.line_id is None:
        raise PosError("Kode ini bukan obat keras: pindai dari kolom pindai.")
    name, _, qty = cart_rx.product_of(db_session, done.line_id)
    approved = dispensing.approve(db_session, actor, rx, name=f"{name} x {format_number(qty)}",
                                  cart_id=cart.cart_id_for(db_session, current_till_id()))
    cart_rx.attach(db_session, done.line_id, approved)
    if carried := request.form.get("pembeli"):   # the buyer the dialog checked for this line
        buyers.carried(db_session, current_till_id(), carried, day=business_today(), cashier_id=g.staff.id,
                       limit_bp=current_app.config["CASHIER_MAX_DISCOUNT_BP"])
    view = cart.view(db_session, current_till_id(),
                     pricing.TaxSettings.from_config(current_app.config, pkp=settings.pkp(
                         read_session(), current_app.config)), today=business_today())
    return render("sales/_adjusted.html", cart=view, highlight_line=done.line_id)


@bp.post("/pindai")
@requires("sell")
def scan():
    """The scanned code again, with its prescription and the apoteker's approval."""
    rx = _prescription()
    actor = _actor(rx)
    with transaction() as db_session:
        done = scanning.scan(db_session, current_till_id(), request.form.get("code", ""),
                             patterns=current_app.extensions["pos_patterns"],
                             limits=current_app.config["MAX_QTY"], today=business_today(),
                             cashier_id=g.staff.id,
                             card_prefix=current_app.config["MEMBER_CARD_PREFIX"])
        return _approved(db_session, done, rx, actor)


@bp.post("/tambah/<int:product_id>")
@requires("sell")
def add(product_id: int):
    """A product picked from the name search, with its prescription and approval."""
    rx = _prescription()
    actor = _actor(rx)
    with transaction() as db_session:
        done = scanning.add_product(db_session, current_till_id(), product_id,
                                    current_app.config["MAX_QTY"], today=business_today(),
                                    cashier_id=g.staff.id)
        return _approved(db_session, done, rx, actor)
