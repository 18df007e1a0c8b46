"""The buyer of regulated goods at the till (views): the dialog that asks for a NIK or member
number, a farmer's proxy and the LPG category.

Any till request whose cart check raises ``NeedsBuyer`` (a scan of SPHP rice, LPG 3 kg,
subsidised fertiliser without a buyer) answers htmx with the dialog in ``#buyer-dialog``; the
dialog carries the request that failed (URL, target and fields, as one hidden ``retry``
value) and posts to ``save``, which sets the buyer and answers with the cart and a
``buyer-set`` event carrying the retry, replayed by ``static/js/buyer.js``.
"""
from __future__ import annotations

import json
import re

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from pos.approvals import passes
from pos.approvals.dialog import pass_for_request
from pos.auth.access import current_till_id, requires
from pos.db import get_db, read_session, transaction
from pos.errors import PosError
from pos.members.buyers import CATEGORIES, CATEGORY, FARMER, MEMBER, NIK, NeedsBuyer
from pos.members.nik import mask_nik
from pos.sales import buyers, cart, cart_queries, pricing, regulation
from pos.sales.cart_pricing import lines_for_pricing
from pos.settings import service as settings
from pos.web import business_today, is_htmx, render

bp = Blueprint("buyer", __name__, url_prefix="/kasir/pembeli")
_KNOWN = (NIK, MEMBER, FARMER, CATEGORY)
_TARGET = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,40}")
_FORM = ("buyer", "category", "name", "proxy_name", "proxy_nik", "proxy_relation")
# A PIN is never carried in the page (an approval goes as ``passes``); a carried buyer with its
# name and proxy fits in a value.
_NOT_CARRIED = ("csrf_token", "approval_pin")
_VALUE_MAX = 1000


@bp.app_template_filter("mask_nik")
def _mask_nik(nik: str | None) -> str:
    return mask_nik(nik)


@bp.app_context_processor
def _buyer_categories() -> dict:
    return {"buyer_categories": CATEGORIES}


def _needs(text: str) -> frozenset[str]:
    return frozenset(n for n in (text or "").split(",") if n in _KNOWN)


def _retry_of_request() -> dict:
    """The request that failed, to send again once the buyer is known."""
    target = request.headers.get("HX-Target") or "cart"
    values = {k: v for k, v in request.form.items() if k not in (*_NOT_CARRIED, passes.FIELD)}
    if token := pass_for_request():  # the PIN checked for it stays out of the page (``passes``)
        values[passes.FIELD] = token
    return {"url": request.path, "target": target if _TARGET.fullmatch(target) else "cart",
            "values": values}


def _retry_of_form() -> dict | None:
    """The retry the dialog carried: only a till URL, only plain text values."""
    try:
        retry = json.loads(request.form.get("retry") or "null")
    except ValueError:
        return None
    if not isinstance(retry, dict) or not str(retry.get("url", "")).startswith("/kasir/"):
        return None
    values = retry.get("values")
    if not isinstance(values, dict):
        return None
    target = str(retry.get("target") or "cart")
    return {"url": str(retry["url"]), "target": target if _TARGET.fullmatch(target) else "cart",
            "values": {str(k): str(v)[:_VALUE_MAX] for k, v in list(values.items())[:20]
                       if k not in _NOT_CARRIED}}


def _current() -> str:
    """Who is on the cart now, masked, for the dialog's heading."""
    view = cart.view(read_session(), current_till_id(), _tax(), today=business_today(), strict=False)
    buyer = view.terms.buyer
    if buyer is None:
        return ""
    if buyer.nik:
        return f"NIK {mask_nik(buyer.nik)}"
    return f"Anggota {view.terms.member_name}" if view.terms.member_name else ""


def _dialog(needs: frozenset[str], message: str, retry: dict | None, *, status: int = 200,
            error: str = "", form: dict | None = None):
    return render("sales/_buyer_dialog.html", status, needs=needs, message=message,
                  error=error, retry=json.dumps(retry) if retry else "", form=form or {},
                  categories=CATEGORIES, relations=buyers.RELATIONS,
                  needs_text=",".join(sorted(needs)), current=_current(),
                  headers={"HX-Retarget": "#buyer-dialog", "HX-Reswap": "innerHTML"})


def _tax() -> pricing.TaxSettings:
    cfg = current_app.config  # PKP as Pengaturan (else POS_PKP) says now, like the till's cart
    return pricing.TaxSettings.from_config(cfg, pkp=settings.pkp(read_session(), cfg))


@bp.app_errorhandler(NeedsBuyer)
def needs_buyer(error: NeedsBuyer):
    """Ask who buys at the till; elsewhere, say what is missing."""
    if not is_htmx():
        flash(error.message, "error")
        return redirect(request.referrer or url_for("sales.till"), 303)
    if request.endpoint == "buyer.save":  # the dialog itself: ask again, keep its retry
        needs = error.needs | _needs(request.form.get("needs", ""))
        return _dialog(needs, error.message, _retry_of_form(), status=error.status,
                       error=error.message, form=request.form)
    return _dialog(error.needs, error.message, _retry_of_request(), status=error.status)


@bp.get("")
@requires("sell")
def dialog():
    """The dialog opened by the cashier (Alt+B) to set or change the buyer, asking what the goods
    already in the cart need (a farmer and their proxy for subsidised fertiliser)."""
    return _dialog(frozenset({NIK}) | _asked_by_cart(), "Pembeli barang bersubsidi/terbatas.", None)


def _asked_by_cart() -> frozenset[str]:
    session = read_session()
    head = cart_queries.CART_HEAD.first(session.connection(), {"till": current_till_id()})
    if head is None:
        return frozenset()
    return regulation.asks(lines_for_pricing(session, head.id, business_today(), _tax().het_zone))


@bp.post("")
@requires("sell")
def save():
    """Set the buyer in one transaction; a refusal comes back in the dialog, nothing changed.
    Success answers with the cart and ``buyer-set`` carrying the request to send again. On a cart
    with no lines the buyer asked for a line is only checked here and goes on with that line
    (``buyers.carry``): a line refused then leaves no buyer for the next customer."""
    needs, retry = _needs(request.form.get("needs", "")), _retry_of_form()
    form = {k: request.form.get(k, "") for k in _FORM}
    carry = retry is not None and _no_lines()
    try:
        with get_db().rehearsal() if carry else transaction() as db_session:
            buyers.set_buyer(db_session, current_till_id(), form["buyer"],
                             day=business_today(), category=form["category"],
                             name=form["name"], needs=needs, proxy_name=form["proxy_name"],
                             proxy_nik=form["proxy_nik"], proxy_relation=form["proxy_relation"],
                             cashier_id=g.staff.id, limit_bp=current_app.config["CASHIER_MAX_DISCOUNT_BP"])
            view = cart.view(db_session, current_till_id(), _tax(), today=business_today())
    except NeedsBuyer:
        raise
    except PosError as refused:
        if not is_htmx():
            raise
        return _dialog(needs, request.form.get("message", ""), retry, status=refused.status,
                       error=refused.message, form=form)
    if carry:  # the cart as it stands: the retried request's answer shows the buyer with its line
        retry["values"]["pembeli"] = buyers.carry(form, needs)
        view = cart.view(read_session(), current_till_id(), _tax(), today=business_today(), strict=False)
    return render("sales/_cart.html", cart=view,
                  headers={"HX-Trigger": json.dumps({"buyer-set": {"retry": retry}})})


def _no_lines() -> bool:
    conn = read_session().connection()
    head = cart_queries.CART_OF_TILL.first(conn, {"till": current_till_id()})
    return head is None or cart_queries.HAS_LINES.first(conn, {"cart": head.id}) is None


@bp.post("/hapus")
@requires("sell")
def clear():
    """Take the buyer off the cart (the member stays on the sale)."""
    with transaction() as db_session:
        buyers.clear_buyer(db_session, current_till_id())
        view = cart.view(db_session, current_till_id(), _tax(), today=business_today())
    return render("sales/_cart.html", cart=view)
