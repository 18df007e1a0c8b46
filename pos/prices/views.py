"""The Harga anggota and grosir screens (views): member discounts per business unit and
category, and per product its member price and quantity tiers.  Managers only ("manage").

A refused form comes back with what was typed and why, and nothing is written.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, url_for
from sqlalchemy import select

from pos.auth.access import requires
from pos.clock import to_local
from pos.db import read_session, transaction
from pos.errors import PosError
from pos.het.service import ceiling, next_change, zone_of
from pos.inventory.catalog import categories as catalog_categories
from pos.inventory.catalog import lookup
from pos.inventory.catalog.models import BusinessUnit
from pos.inventory.catalog.products import get_product
from pos.inventory.catalog.tax import TaxSettings
from pos.money import format_rate
from pos.prices import rules, setting
from pos.prices.models import MemberDiscount, MemberPrice
from pos.text import is_digits
from pos.web import business_today, render, rupiah_field

bp = Blueprint("prices", __name__, url_prefix="/harga")


def _local(rows: list[dict]) -> list[dict]:
    zone = current_app.config["TIMEZONE"]
    return [{**row, "changed_at": to_local(row["changed_at"], zone)} for row in rows]


def _discount_form(session) -> dict[str, str]:
    """The current rates as the form shows them: ``unit_sembako`` -> "2", ``cat_3`` -> "5"."""
    form = {}
    for row in session.scalars(select(MemberDiscount)):
        key = f"unit_{row.business_unit.value}" if row.business_unit else f"cat_{row.category_id}"
        form[key] = format_rate(row.rate_bp)
    return form


def _index_page(form: dict | None = None, errors: list[str] = (), status: int = 200):
    session = read_session()
    query = request.args.get("q", "").strip()[:60]
    shown = {**_discount_form(session), **(form or {})}
    categories = catalog_categories.in_use(session, also=session.scalars(   # a rule stays in sight
        select(MemberDiscount.category_id).where(MemberDiscount.category_id.is_not(None))))
    return render("prices/index.html", status, form=shown, errors=list(errors),
                  units=list(BusinessUnit), categories=categories, query=query,
                  found=lookup.search(session, query, 20) if query else [],
                  ruled=setting.products_with_rules(session),
                  history=_local(setting.history(session, limit=30)),
                  summary=rules.describe(rules.member_discounts(session)), rate=format_rate)


@bp.get("")
@requires("manage")
def index():
    """Member discounts; products with a member price or tiers; find a product."""
    return _index_page()


@bp.post("/diskon")
@requires("manage")
def discounts():
    """Save the member discount of every business unit and category at once (all or nothing)."""
    form = {k: v for k, v in request.form.items() if k.startswith(("unit_", "cat_"))}
    units = {k[5:]: v for k, v in form.items() if k.startswith("unit_")}
    keys = [k[4:] for k in form if k.startswith("cat_")]
    if not all(is_digits(k, 18) for k in keys):
        raise PosError("Kategori tidak dikenal.", 400)
    categories = {int(k[4:]): v for k, v in form.items() if k.startswith("cat_")}
    try:
        with transaction() as session:
            changed = setting.set_member_discounts(session, units, categories, g.staff.id)
    except setting.PriceRuleError as error:
        if error.status != 422:
            raise
        return _index_page(form, [error.message], 422)
    flash(f"Diskon anggota tersimpan ({changed} perubahan)." if changed else "Tidak ada perubahan.",
          "ok")
    return redirect(url_for("prices.index"), 303)


def _product_page(product_id: int, errors: list[str] = (), status: int = 200,
                  form: dict | None = None, ask_below_cost: str | None = None):
    session = read_session()
    product = get_product(session, product_id)
    member_price = session.get(MemberPrice, product_id)
    return render("prices/product.html", status, product=product, errors=list(errors),
                  het=ceiling(session, product_id, **_het()),
                  het_next=next_change(session, product_id, **_het()),
                  member_price=member_price.price if member_price else None,
                  tiers=setting.tiers_of(session, product_id), form=form or {},
                  ask_below_cost=ask_below_cost, qty_text=setting.qty_text,
                  history=_local(setting.history(session, product_id)), rate=format_rate)


@bp.get("/barang/<int:product_id>")
@requires("manage")
def product(product_id: int):
    """One product's member price and harga grosir, with their history."""
    return _product_page(product_id)


def _het() -> dict:
    """The day and zone a member price or tier is checked against the ceilings (HET) for."""
    return {"day": business_today(), "zone": zone_of(current_app.config)}


def _below_cost_ok() -> bool:
    return request.form.get("below_cost_ok") == "1"


def _saved(product_id: int, text: str):
    flash(text, "ok")
    return redirect(url_for("prices.product", product_id=product_id), 303)


@bp.post("/barang/<int:product_id>/anggota")
@requires("manage")
def member_price(product_id: int):
    """Set the member price (empty: remove it)."""
    form = {"member_price": request.form.get("member_price", "")}
    try:
        price = rupiah_field("member_price", "Harga anggota", required=False)
        with transaction() as session:
            changed = setting.set_member_price(session, product_id, price, g.staff.id,
                                               _below_cost_ok(), **_het(),
                                               tax=TaxSettings.of_outlet(current_app.config, session))
    except setting.BelowCost as error:
        return _product_page(product_id, [error.message], 422, form, "member")
    except PosError as error:
        if error.status != 422:
            raise
        return _product_page(product_id, [error.message], 422, form)
    return _saved(product_id, "Harga anggota tersimpan." if changed else "Tidak ada perubahan.")


@bp.post("/barang/<int:product_id>/grosir")
@requires("manage")
def add_tier(product_id: int):
    """Add a tier: from a quantity (pcs, or kg / litre with a decimal comma) a lower unit price."""
    form = {"min_qty": request.form.get("min_qty", ""), "tier_price": request.form.get("tier_price", "")}
    unit = get_product(read_session(), product_id).base_unit
    try:
        try:
            min_qty = unit.parse_input(form["min_qty"])
        except ValueError as problem:
            raise PosError(f"Jumlah minimal: {problem}") from None
        price = rupiah_field("tier_price", "Harga grosir")
        with transaction() as session:
            setting.add_tier(session, product_id, min_qty, price, g.staff.id, _below_cost_ok(),
                             **_het(), tax=TaxSettings.of_outlet(current_app.config, session))
    except setting.BelowCost as error:
        return _product_page(product_id, [error.message], 422, form, "tier")
    except PosError as error:
        if error.status != 422:
            raise
        return _product_page(product_id, [error.message], 422, form)
    return _saved(product_id, "Harga grosir tersimpan.")


@bp.post("/barang/<int:product_id>/grosir/<int:tier_id>/hapus")
@requires("manage")
def remove_tier(product_id: int, tier_id: int):
    with transaction() as session:
        setting.remove_tier(session, product_id, tier_id, g.staff.id)
    return _saved(product_id, "Harga grosir dihapus.")
