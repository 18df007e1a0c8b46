"""Manual changes at the till (views): a line's price (Shift+F3), a line discount (F5) and a
sale discount (Shift+F5), each with a reason.

A GET gives the small form for the till's ``#adjust-panel``; its POST answers with the cart.
What is beyond the cashier's right raises ``NeedsApproval`` (the dialog of
``approvals.views``), whose answer posts here again with a manager's user name and PIN:
the PIN is checked before the write transaction opens, the change and its log row are
written in one.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from pos import money
from pos.approvals.dialog import till_actor
from pos.approvals.service import Actor
from pos.auth.access import current_till_id, requires
from pos.db import read_session, transaction
from pos.sales import adjust, cart, pricing
from pos.settings import service as settings
from pos.web import business_today, render, rupiah_field

bp = Blueprint("adjust", __name__, url_prefix="/kasir/ubah")


def _tax() -> pricing.TaxSettings:
    """The outlet's tax settings, PKP as the Pengaturan screen (else POS_PKP) says now (read
    once per request)."""
    if "pos_tax" not in g:
        cfg = current_app.config
        g.pos_tax = pricing.TaxSettings.from_config(cfg, pkp=settings.pkp(read_session(), cfg))
    return g.pos_tax


def _actor() -> Actor:
    """The cashier at this till, and a manager's approval when the dialog sent one (the PIN
    is checked here, before any write transaction: the hash takes about 100 ms)."""
    return till_actor(current_till_id(), adjust.reason_text(request.form.get("reason")))


def _het() -> dict:
    """The day and zone the ceiling (HET) in force is read for."""
    return {"day": business_today(), "zone": _tax().het_zone}


def _below_cost() -> bool:
    return request.form.get("below_cost") == "1"


def _removing() -> bool:
    return request.form.get("hapus") == "1"


def _discount() -> adjust.Discount:
    if _removing():
        return adjust.Discount()
    return adjust.parse_discount(request.form.get("discount", ""),
                                 current_app.config["MAX_AMOUNT"])


def _limit() -> str:
    return money.format_rate(current_app.config["CASHIER_MAX_DISCOUNT_BP"])


def _done(db_session, highlight_line: int | None = None):
    view = cart.view(db_session, current_till_id(), _tax(), today=business_today())
    return render("sales/_adjusted.html", cart=view, highlight_line=highlight_line)


@bp.get("/baris/<int:line_id>/diskon")
@requires("sell")
def line_discount_form(line_id: int):
    """The line discount form (F5) for the highlighted line."""
    session, het = read_session(), _het()
    row = adjust.line_of(session, current_till_id(), line_id, **het)
    now = pricing.decide(adjust.priced_input(session, row, **het, tax=_tax()))   # as the cart charges it
    return render("sales/_adjust_discount.html", row=row, now=now,
                  current=adjust.Discount(row.discount_bp, row.discount_amount),
                  url=request.path, title=f"Diskon {row.name}", limit=_limit())


@bp.post("/baris/<int:line_id>/diskon")
@requires("sell")
def line_discount(line_id: int):
    """Give (or remove) a discount on one line: an amount or a percent, with a reason."""
    discount, actor = _discount(), _actor()
    with transaction() as db_session:
        adjust.line_discount(db_session, actor, line_id, discount,
                             limit_bp=current_app.config["CASHIER_MAX_DISCOUNT_BP"],
                             below_cost=_below_cost(), **_het(), tax=_tax())
        return _done(db_session, highlight_line=line_id)


@bp.get("/diskon")
@requires("sell")
def sale_discount_form():
    """The sale discount form (Shift+F5)."""
    session = read_session()
    cart_id = cart.cart_id_for(session, current_till_id())
    own = adjust.sale_discount_of(session, cart_id)
    return render("sales/_adjust_discount.html", row=None, current=own, url=request.path,
                  title="Diskon seluruh transaksi", limit=_limit())


@bp.post("/diskon")
@requires("sell")
def sale_discount():
    """Give (or remove) a discount on the whole sale, with a reason."""
    discount, actor = _discount(), _actor()
    with transaction() as db_session:
        adjust.sale_discount(db_session, actor, discount,
                             limit_bp=current_app.config["CASHIER_MAX_DISCOUNT_BP"],
                             below_cost=_below_cost(), **_het(), tax=_tax())
        return _done(db_session)


@bp.get("/baris/<int:line_id>/harga")
@requires("sell")
def price_form(line_id: int):
    """The price override form (Shift+F3) for the highlighted line."""
    session, het = read_session(), _het()
    row = adjust.line_of(session, current_till_id(), line_id, **het)
    return render("sales/_adjust_price.html", row=row, url=request.path,
                  now=adjust.selling_price(session, row, **het, tax=_tax()))


@bp.post("/baris/<int:line_id>/harga")
@requires("sell")
def override_price(line_id: int):
    """A new unit price for one line (a manager's decision), or the list price back."""
    price = None if _removing() else rupiah_field("price", "Harga baru")
    actor = _actor()
    with transaction() as db_session:
        adjust.override_price(db_session, actor, line_id, price, below_cost=_below_cost(),
                              **_het(), tax=_tax())
        return _done(db_session, highlight_line=line_id)
