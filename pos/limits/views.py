"""Limit rules per buyer: the managers' screen (views).  A rule: a name, the most one buyer
may take per day or week in the products' base unit, who counts as the buyer, and the
products under it (found by SKU, barcode or name)."""
from __future__ import annotations

from flask import Blueprint, g, request, url_for

from pos.auth.access import requires
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.inventory.catalog import lookup
from pos.limits import rules, service
from pos.limits.models import BuyerKind, LimitPeriod
from pos.web import business_today, go, int_field, live_search, render

bp = Blueprint("limits", __name__, url_prefix="/batas")


def _form() -> dict:
    f = request.form
    return {"name": f.get("name", ""), "max_qty": f.get("max_qty", ""),
            "period": f.get("period", "day"), "buyer": f.get("buyer", "any"),
            "active": f.get("active") == "1", "note": f.get("note", "")}


def _page(rule_id: int | None = None, form: dict | None = None, error: str = "",
          status: int = 200):
    session = read_session()
    rule = rules.get_rule(session, rule_id) if rule_id is not None else None
    products = rules.products_of(session, rule_id) if rule_id is not None else []
    return render("limits/index.html", status, rows=rules.rules(session), rule=rule,
                  products=products, form=form, error=error, periods=list(LimitPeriod),
                  kinds=list(BuyerKind))


@bp.get("")
@requires("manage")
def index():
    """Every rule with its products, and the form for a new one."""
    return _page()


@bp.get("/<int:rule_id>")
@requires("manage")
def edit(rule_id: int):
    return _page(rule_id)


@bp.post("")
@bp.post("/<int:rule_id>")
@requires("manage")
def save(rule_id: int | None = None):
    """Create or change a rule; a refusal shows the form again with what was typed."""
    form = _form()
    try:
        max_qty = int_field("max_qty", "Jumlah paling banyak", low=1, high=10_000_000)
        with transaction() as db_session:
            before = rules.get_rule(db_session, rule_id) if rule_id is not None else None
            counted = (before.period, before.buyer) if before is not None else None
            rule = rules.save_rule(db_session, rule_id, name=form["name"], max_qty=max_qty,
                                   period=form["period"], buyer=form["buyer"],
                                   active=form["active"], note=form["note"], user_id=g.staff.id)
            service.settle(db_session, rule, counted, business_today())
            saved = rule.id
    except PosError as refused:
        return _page(rule_id, form, refused.message, refused.status)
    return go(url_for("limits.edit", rule_id=saved))


@bp.get("/<int:rule_id>/cari")
@requires("manage")
def search(rule_id: int):
    """Products to put under the rule, by SKU, barcode or name."""
    return live_search(lookup.search, "limits/_search.html", dated=True, rule_id=rule_id)


@bp.post("/<int:rule_id>/barang")
@requires("manage")
def attach(rule_id: int):
    product_id = int_field("product_id", "Barang", low=1)
    with transaction() as db_session:
        rules.attach(db_session, rule_id, product_id, g.staff.id)
        service.seed(db_session, rule_id, business_today())
    return go(url_for("limits.edit", rule_id=rule_id))


@bp.post("/<int:rule_id>/barang/<int:product_id>/lepas")
@requires("manage")
def detach(rule_id: int, product_id: int):
    with transaction() as db_session:
        rules.detach(db_session, rule_id, product_id, g.staff.id)
    return go(url_for("limits.edit", rule_id=rule_id))
