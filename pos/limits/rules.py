"""Limit rules kept by managers: a name, the most one buyer may take per day or week (in the
products' base unit), who counts as the buyer, and the products under the rule (each product
under at most one rule; all of one rule's products share a base unit, so their quantities add
up).  Putting a product under a rule or taking it out is logged in the catalog's change log
(``Batas per pembeli``: the rule's name before and after), on its page and in the audit log;
making a rule, and every change of its name, most per buyer, period, buyer kind, active flag
or note, in ``limit_rule_change`` (the audit log's ``Ubah batas per pembeli``)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pos.errors import NotFound, PosError
from pos.inventory.catalog import history
from pos.inventory.catalog.models import Product
from pos.limits.models import BuyerKind, LimitPeriod, LimitRule, LimitRuleChange
from pos.text import clean
from pos.units import BaseUnit, format_number


class RuleError(PosError):
    pass


@dataclass(frozen=True)
class RuleRow:
    """A rule as the list shows it, with its products' unit and names."""

    rule: LimitRule
    unit: BaseUnit | None
    products: list[tuple[int, str, str]]  # (id, sku, name)


def _text(value: str | None, limit: int) -> str:
    return clean(" ".join((value or "").split()))[:limit]


def save_rule(session: Session, rule_id: int | None, *, name: str, max_qty: int | None,
              period: str, buyer: str, active: bool = True, note: str = "",
              user_id: int | None = None) -> LimitRule:
    """Create (``rule_id`` None) or change a rule; bad input is refused and changes nothing."""
    name = _text(name, 80)
    if not name:
        raise RuleError("Nama batas wajib diisi.")
    if not isinstance(max_qty, int) or max_qty <= 0:
        raise RuleError("Jumlah paling banyak harus angka bulat lebih dari nol.")
    try:
        period_value, buyer_value = LimitPeriod(period), BuyerKind(buyer)
    except ValueError:
        raise RuleError("Periode atau jenis pembeli tidak dikenal.") from None
    clash = session.scalar(select(LimitRule.id).where(func.lower(LimitRule.name) == name.lower()))
    if clash is not None and clash != rule_id:
        raise RuleError(f"Sudah ada batas bernama '{name}'.", 409)
    rule = LimitRule(created_by=user_id) if rule_id is None else get_rule(session, rule_id)
    before = None if rule_id is None else _shown(rule)
    rule.name, rule.max_qty, rule.period, rule.buyer = name, max_qty, period_value, buyer_value
    rule.active, rule.note = bool(active), _text(note, 200) or None
    session.add(rule)
    session.flush()
    _log(session, rule, before, user_id)
    return rule


def _shown(rule: LimitRule) -> dict[str, str | None]:
    """The rule's fields in words, as the audit log shows them."""
    return {"name": rule.name, "max_qty": format_number(rule.max_qty), "period": rule.period.label,
            "buyer": rule.buyer.label, "active": "ya" if rule.active else "tidak", "note": rule.note}


def _log(session: Session, rule: LimitRule, before: dict | None, user_id: int | None) -> None:
    """A new rule as one row (``Batas baru``: what it holds), a change as a row per field that
    changed, before and after; nothing when nothing changed."""
    after = _shown(rule)
    if before is None:
        made = (f"{rule.name}: {after['max_qty']} per pembeli {after['period']}, {after['buyer']}, "
                f"{'aktif' if rule.active else 'tidak aktif'}")
        rows = [("created", None, made)]
    else:
        rows = [(field, before[field], value) for field, value in after.items()
                if before[field] != value]
    session.add_all(LimitRuleChange(rule_id=rule.id, field=field, old_text=old, new_text=new,
                                    changed_by=user_id) for field, old, new in rows)
    session.flush()


def get_rule(session: Session, rule_id: int) -> LimitRule:
    rule = session.get(LimitRule, rule_id)
    if rule is None:
        raise NotFound("Batas tidak ditemukan.")
    return rule


def products_of(session: Session, rule_id: int) -> list[tuple[int, str, str, BaseUnit]]:
    return [tuple(r) for r in session.execute(
        select(Product.id, Product.sku, Product.name, Product.base_unit)
        .where(Product.limit_rule_id == rule_id).order_by(Product.name))]


def rules(session: Session) -> list[RuleRow]:
    """Every rule, by name, with its products."""
    found = []
    for rule in session.execute(select(LimitRule).order_by(LimitRule.name)).scalars():
        products = products_of(session, rule.id)
        unit = BaseUnit(products[0][3]) if products else None
        found.append(RuleRow(rule, unit, [(p[0], p[1], p[2]) for p in products]))
    return found


def attach(session: Session, rule_id: int, product_id: int, user_id: int | None = None) -> str:
    """Put a product under the rule, logged as a change by ``user_id``; returns its name.
    Refused when it is under another rule, or when its base unit differs from the rule's other
    products."""
    rule = get_rule(session, rule_id)
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound("Barang tidak ditemukan.")
    if product.limit_rule_id == rule.id:
        return product.name
    if product.limit_rule_id is not None:
        other = get_rule(session, product.limit_rule_id)
        raise RuleError(f"{product.name} sudah masuk batas '{other.name}'. Lepaskan dulu di sana.",
                        409)
    units = {BaseUnit(p[3]) for p in products_of(session, rule.id)}
    if units and BaseUnit(product.base_unit) not in units:
        unit = next(iter(units))
        raise RuleError(f"{product.name} dihitung dalam {BaseUnit(product.base_unit).value}, "
                        f"barang lain di batas ini dalam {unit.value}: satu batas hanya untuk "
                        "barang dengan satuan dasar yang sama.")
    product.limit_rule_id = rule.id
    history.record(session, product.id, "limit_rule", None, rule.name, user_id)
    session.flush()
    return product.name


def detach(session: Session, rule_id: int, product_id: int, user_id: int | None = None) -> None:
    """Take a product out of the rule, logged as a change by ``user_id`` (nothing happens, and
    nothing is logged, when it is not under it)."""
    taken = session.execute(update(Product).where(Product.id == product_id,
                                                  Product.limit_rule_id == rule_id)
                            .values(limit_rule_id=None))
    if taken.rowcount:
        history.record(session, product_id, "limit_rule", get_rule(session, rule_id).name, None,
                       user_id)
        session.flush()
