"""The stock lists page (views): low stock, batches near expiry and expired, stock value.

Open to clerks, managers and the apoteker (right "stock_lists"); the stock's value is shown
to those who keep the stock (right "stock").

It sits at the inventory level beside ``lists`` (its queries) and ``stock``;
the URL stays under the catalog (``/katalog/stok``) where clerks look for it.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g

from pos.auth.access import requires
from pos.db import read_session
from pos.inventory import lists
from pos.web import business_today, int_field, render, typed_field

bp = Blueprint("inventory", __name__, url_prefix="/katalog")


@bp.get("/stok")
@requires("stock_lists")
def stock_lists():
    """Low stock, batches near expiry (N days, ?hari=) and expired, stock value per unit."""
    # typed wrong: the page again, the field as typed and the message by it, the default's list
    days, typed, problem = typed_field(int_field, "hari", "Jumlah hari",
                                       current_app.config["EXPIRY_WARNING_DAYS"], low=1, high=365)
    today, session = business_today(), read_session()
    value = lists.stock_value(session) if g.staff.may("stock") else None
    return render("inventory/stock_lists.html", 422 if problem else 200, days=days, today=today,
                  days_typed=typed if problem else days, days_problem=problem,
                  low=lists.low_stock(session, today), near=lists.near_expiry(session, today, days),
                  expired=lists.expired(session, today), value=value)
