"""Parked sales (Tahan): park the cart with a note (F6), resume one by key (Shift+F6) (views).

The forms and the list open in the till's ``#adjust-panel``; parking and resuming answer
with the till's cart.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from pos.auth.access import current_till_id, requires
from pos.db import read_session, transaction
from pos.sales import cart, parking, pricing
from pos.settings import service as settings
from pos.web import business_today, render

bp = Blueprint("holds", __name__, url_prefix="/kasir/tahan")


def _tax(session) -> pricing.TaxSettings:
    cfg = current_app.config
    return pricing.TaxSettings.from_config(cfg, pkp=settings.pkp(session, cfg))


def _cart(db_session, message: str | None = None, *, strict: bool = True):
    view = cart.view(db_session, current_till_id(), _tax(read_session()), today=business_today(),
                     strict=strict)
    return render("sales/_adjusted.html", cart=view,
                  hold_message=message)


@bp.get("")
@requires("sell")
def held():
    """Every parked sale, from any till, oldest first (Shift+F6)."""
    session = read_session()
    return render("sales/_holds.html", holds=parking.parked(
        session, _tax(session), business_today(), current_app.config["TIMEZONE"]))


@bp.get("/baru")
@requires("sell")
def park_form():
    """The note for a sale about to be parked (F6)."""
    return render("sales/_hold_form.html")


@bp.post("")
@requires("sell")
def park():
    """Park the till's sale with its note and member; the till is free for the next customer."""
    with transaction(durable=False) as db_session:  # a held cart is a cart
        parking.park(db_session, current_till_id(), g.staff.id, request.form.get("note", ""))
        return _cart(db_session, "Transaksi ditahan. Lanjutkan dengan Ditahan (Shift+F6).")


@bp.post("/<int:parked_id>/lanjut")
@requires("sell")
def resume(parked_id: int):
    """Bring a parked sale back into this till's (empty) cart."""
    with transaction(durable=False) as db_session:  # a held cart is a cart
        parking.resume(db_session, current_till_id(), g.staff.id, parked_id, business_today())
        # What may no longer be sold as it was parked (a quota used up meanwhile, a season
        # ended) comes back with the cart's note, not a refusal: the cashier lowers or removes
        # it (every change and the checkout check it again); refused, it stayed parked for good.
        return _cart(db_session, "Transaksi yang ditahan dilanjutkan.", strict=False)
