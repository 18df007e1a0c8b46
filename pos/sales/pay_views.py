"""The payment panel's helpers at the till (views): the regulated goods' rules asked again before
it opens (F9), what it offers now (QRIS, the member's kasbon left), the dynamic QRIS for an
amount (and when the panel stops offering it), and a printed QRIS bill.  Nothing is written to
the database."""
from __future__ import annotations

from flask import Blueprint, current_app, g

from pos import money
from pos.auth.access import current_till_id, requires, till_printer
from pos.clock import utcnow
from pos.db import read_session
from pos.hardware import not_printed
from pos.payments import qr
from pos.sales import cart, pay_options, pricing, qris_shown
from pos.sales.regulation import REFUSED
from pos.settings.service import pkp
from pos.web import business_today, int_field, message, render

bp = Blueprint("pay", __name__, url_prefix="/kasir")


@bp.app_template_global("cart_drawn_at")
def cart_drawn_at() -> str:
    """When the cart is drawn (naive UTC): the page sends it back with its payment, so a cart
    another screen of the till paid meanwhile is told apart from one emptied (``once.emptied``)."""
    return utcnow().isoformat()


@bp.post("/bayar/periksa")
@requires("sell")
def check_rules():
    """Bayar (F9) on a cart with regulated goods: their rules asked again, as a scan asks them,
    before the panel opens (another till may have taken the farmer's quota or the buyer's limit
    since the cart was drawn).  They pass: ``pay-checked`` (static/js/pay.js opens the panel).
    A refusal: the message and the cart drawn again, its buyer row saying why; a buyer missing:
    the buyer dialog (buyer_views), which sends this again once the buyer is saved.  So is a
    discount grown past what a manager approved (``discount_limit.held``; checkout refuses it too)."""
    cfg, session, till_id = current_app.config, read_session(), current_till_id()
    tax = pricing.TaxSettings.from_config(cfg, pkp=pkp(session, cfg))
    try:
        view = cart.view(session, till_id, tax, today=business_today())
        status, said = 422, view.discount_held(cfg["CASHIER_MAX_DISCOUNT_BP"])
    except REFUSED as refused:
        view = cart.view(session, till_id, tax, today=business_today(), strict=False)
        status, said = refused.status, refused.message
    if said:
        return render("sales/_cart_changed.html", status, cart=view, message=said,
                      headers={"HX-Retarget": "#messages", "HX-Reswap": "innerHTML",
                               "HX-Trigger": "cart-changed"})
    return "", 204, {"HX-Trigger": "pay-checked"}


@bp.get("/bayar/pilihan")
@requires("sell")
def payment_options():
    """What the payment panel offers now: QRIS (or why not), the member's kasbon left."""
    return render("sales/_pay_options.html", options=pay_options.options(
        read_session(), current_till_id(), current_app.config))


@bp.get("/qris")
@requires("sell")
def qris_code():
    """The QR of the dynamic QRIS for exactly ``jumlah`` Rupiah, with the merchant's name."""
    amount = int_field("jumlah", "Jumlah QRIS", low=1, high=current_app.config["MAX_AMOUNT"])
    bill = pay_options.qris_for(read_session(), current_app.config, amount)
    # The till's customer screen shows this QR while the cart's total is still ``amount``.
    qris_shown.of(current_app.extensions).note(current_till_id(), amount, utcnow())
    return render("sales/_qris.html", bill=bill, svg=qr.svg(bill.payload))


@bp.post("/qris/tutup")
@requires("sell")
def qris_closed():
    """The pay panel no longer offers the QRIS (closed, another method, or the QRIS confirmed):
    the customer screen stops showing it at its next poll, so no one pays a code the cashier
    has moved on from."""
    qris_shown.of(current_app.extensions).forget(current_till_id())
    return "", 204


@bp.post("/qris/tagihan")
@requires("sell")
def qris_bill():
    """Print a QRIS bill for ``jumlah`` on this till's printer (nothing is written)."""
    cfg = current_app.config
    amount = int_field("jumlah", "Jumlah QRIS", low=1, high=cfg["MAX_AMOUNT"])
    bill = pay_options.qris_for(read_session(), cfg, amount)
    current_till_id()   # a bill is a till's: a browser at none is told to choose one
    printer = till_printer()
    printer.print_receipt(pay_options.bill_receipt(
        bill, outlet_name=cfg["OUTLET_NAME"], columns=cfg["RECEIPT_COLUMNS"],
        cashier=g.staff.full_name, now=utcnow(), timezone=cfg["TIMEZONE"]))
    what = f"Tagihan QRIS {money.format_rupiah(amount)}"
    unprinted = not_printed(printer, what)   # dummy://: recorded, nothing on paper
    return message("warn", unprinted) if unprinted else message("ok", f"{what} dicetak.")
