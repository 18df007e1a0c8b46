"""Per-buyer limits at the till: what a buyer may still take under a rule (``check``, on every
cart change), the race-safe take inside checkout (``take``), and giving it back (``give_back``);
what buyers bought before a rule held a product (``seed``) and its totals counted again when
its period or buyer kind changes (``recount``).

A rule covers the products that point at it (``product.limit_rule_id``); one buyer may take
``max_qty`` of them (in their base unit) per business day, or per week (Monday to Sunday).
The buyer is known by a NIK (typed, or a member's registered one) or, for rules that allow
it, by the member: ``nik:<16 digits>`` or ``member:<id>``.

Takes run as one conditional UPDATE on the buyer's running total (``limit_total``), the
pattern of ``members.accounts.credit.charge``: two tills selling to one buyer at once queue on
the row, and the second one's condition fails once the first has taken the rest.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Date, and_, bindparam, column, delete, func, insert, select, table, update
from sqlalchemy.orm import Session

from pos import upserts
from pos.errors import PosError
from pos.limits.models import BuyerKind, LimitPeriod, LimitRule, LimitTake, LimitTotal
from pos.members.buyers import MEMBER, NIK, Buyer, NeedsBuyer
from pos.members.nik import mask_nik
from pos.units import BaseUnit, format_number


class LimitExceeded(PosError):
    """More than a buyer may take under a rule; the message says how much they took."""

    status = 409


_total = LimitTotal.__table__
_TAKE = (_total.update().where(and_(
    _total.c.rule_id == bindparam("rule"), _total.c.buyer_key == bindparam("key"),
    _total.c.period_start == bindparam("start"),
    _total.c.taken + bindparam("qty") <= bindparam("max")))
    .values(taken=_total.c.taken + bindparam("qty")))


def period_start(period: LimitPeriod, day: date) -> date:
    """The first day of the period ``day`` falls in: the day, or its Monday."""
    return day if period is LimitPeriod.DAY else day - timedelta(days=day.weekday())


def buyer_key(kind: BuyerKind, buyer: Buyer) -> str | None:
    """Who the rule counts: the NIK where it allows one and one is known, else the member."""
    if kind is not BuyerKind.MEMBER and buyer.key_nik:
        return f"nik:{buyer.key_nik}"
    if kind is not BuyerKind.NIK and buyer.member_id is not None:
        return f"member:{buyer.member_id}"
    return None


def _who(key: str, buyer: Buyer) -> str:
    if key.startswith("nik:"):
        return f"NIK {mask_nik(key.removeprefix('nik:'))}"   # masked as everywhere else
    return f"anggota {buyer.name}" if buyer.name else "anggota ini"


def _qty(unit: BaseUnit, qty: int) -> str:
    return format_number(qty) if unit is BaseUnit.PCS else unit.format(qty)


def _when(period: LimitPeriod) -> str:
    return "hari ini" if period is LimitPeriod.DAY else "minggu ini"


def _ask(rule: LimitRule, product: str) -> NeedsBuyer:
    needs = {BuyerKind.MEMBER: frozenset({MEMBER}), BuyerKind.NIK: frozenset({NIK})}
    what = {BuyerKind.MEMBER: "nomor anggota", BuyerKind.NIK: "NIK (KTP)"}.get(
        rule.buyer, "NIK atau nomor anggota")
    return NeedsBuyer(f"{product} dibatasi per pembeli ({rule.name}): isi {what} pembeli dulu.",
                      needs.get(rule.buyer, frozenset({NIK})), product=product)


def _touched(session: Session, rows) -> list[tuple[LimitRule, list]]:
    """The active rules the rows fall under, each with its rows."""
    by_rule: dict[int, list] = {}
    for row in rows:
        if row.limit_rule_id is not None:
            by_rule.setdefault(row.limit_rule_id, []).append(row)
    if not by_rule:
        return []
    rules = session.execute(select(LimitRule).where(
        LimitRule.id.in_(list(by_rule)), LimitRule.active)).scalars().all()
    return [(rule, by_rule[rule.id]) for rule in sorted(rules, key=lambda r: r.id)]


def taken(session: Session, rule_id: int, key: str, start: date) -> int:
    """What the buyer ``key`` has taken under the rule in the period starting ``start``."""
    return session.scalar(select(LimitTotal.taken).where(
        LimitTotal.rule_id == rule_id, LimitTotal.buyer_key == key,
        LimitTotal.period_start == start)) or 0


def refusal(rule: LimitRule, unit: BaseUnit, who: str, before: int, wanted: int) -> str:
    text = (f"Batas {rule.name}: {_qty(unit, rule.max_qty)} per pembeli {rule.period.label}; "
            f"{who} sudah membeli {_qty(unit, before)} {_when(rule.period)}")
    if wanted:
        text += f", diminta {_qty(unit, wanted)}"
    return text + "."


def check(session: Session, rows, buyer: Buyer, today: date, *, strict: bool = True) -> list[str]:
    """Refuse what passes a buyer's limit (or ask for the buyer); the notes the cart shows
    ("Beras SPHP: boleh 1 lagi hari ini (batas 2 per pembeli per hari)")."""
    notes = []
    for rule, found in _touched(session, rows):
        unit = BaseUnit(found[0].base_unit)
        key = buyer_key(rule.buyer, buyer)
        if key is None:
            asked = _ask(rule, found[0].name)
            if strict:
                raise asked
            notes.append(asked.message)
            continue
        wanted = sum(r.qty for r in found)
        before = taken(session, rule.id, key, period_start(rule.period, today))
        if before + wanted > rule.max_qty:
            text = refusal(rule, unit, _who(key, buyer), before, wanted)
            if strict:
                raise LimitExceeded(text)
            notes.append(text)
            continue
        left = rule.max_qty - before - wanted
        notes.append(f"{rule.name}: boleh {_qty(unit, left)} lagi {_when(rule.period)} "
                     f"(batas {_qty(unit, rule.max_qty)} per pembeli {rule.period.label}).")
    return notes


def _ensure_total(session: Session, rule_id: int, key: str, start: date) -> None:
    conn = session.connection()
    conn.execute(upserts.insert(conn, _total)
                 .values(rule_id=rule_id, buyer_key=key, period_start=start, taken=0)
                 .on_conflict_do_nothing())


def take(session: Session, rows, buyer: Buyer, day: date, *, sale_id: int, receipt_no: str,
         line_ids: dict[int, int]) -> None:
    """Take the rows' quantities from the buyer's allowance, race-safely (inside checkout):
    past the limit ``LimitExceeded`` is raised and the whole sale rolls back."""
    for rule, found in _touched(session, rows):
        key = buyer_key(rule.buyer, buyer)
        if key is None:
            raise _ask(rule, found[0].name)
        start = period_start(rule.period, day)
        wanted = sum(r.qty for r in found)
        _ensure_total(session, rule.id, key, start)
        done = session.connection().execute(_TAKE, {"rule": rule.id, "key": key, "start": start,
                                                    "qty": wanted, "max": rule.max_qty}).rowcount
        if done != 1:
            raise LimitExceeded(refusal(rule, BaseUnit(found[0].base_unit), _who(key, buyer),
                                        taken(session, rule.id, key, start), wanted))
        session.execute(insert(LimitTake), [
            {"sale_id": sale_id, "sale_line_id": line_ids[id(r)], "rule_id": rule.id,
             "buyer_key": key, "period_start": start, "qty": r.qty, "given_back": 0,
             "receipt_no": receipt_no} for r in found])


def give_back(session: Session, sale_line_id: int, qty: int) -> int:
    """Give ``qty`` of a sold line back to its buyer's allowance (a return) under every rule
    that counted the line (one it was sold under, and one a manager later moved it to, whose
    ``seed`` counted it too), under each at most what the line took there and has not given
    back yet; returns the most given back under one rule."""
    if qty <= 0:
        raise PosError("Jumlah yang dikembalikan harus lebih dari nol.")
    back_by_rule: dict[int, int] = {}
    for t in session.execute(select(LimitTake).where(LimitTake.sale_line_id == sale_line_id)
                             .order_by(LimitTake.id)).scalars():
        back = min(qty - back_by_rule.get(t.rule_id, 0), t.qty - t.given_back)
        if back <= 0:
            continue
        t.given_back += back
        session.execute(_total.update().where(
            _total.c.rule_id == t.rule_id, _total.c.buyer_key == t.buyer_key,
            _total.c.period_start == t.period_start).values(taken=_total.c.taken - back))
        back_by_rule[t.rule_id] = back_by_rule.get(t.rule_id, 0) + back
    session.flush()
    return max(back_by_rule.values(), default=0)


# The sales a rule's products were already sold in, read as plain tables: pos.sales imports this
# package (its checkout takes the allowances), so this one names no model of it.
_sale = table("sale", column("id"), column("business_date", Date), column("status"),
              column("receipt_no"))
_line = table("sale_line", column("id"), column("sale_id"), column("product_id"), column("qty"))
_buyer = table("sale_buyer", column("sale_id"), column("nik"), column("member_id"))
_member = table("member", column("id"), column("nik"))
_product = table("product", column("id"), column("limit_rule_id"))
_back = table("sale_return_line", column("sale_line_id"), column("qty"))


def seed(session: Session, rule_id: int, day: date) -> None:
    """Count, in each buyer's running total of the period ``day`` falls in, what they already
    bought of the rule's products this period before the rule held them (a rule made or a
    product put under it mid-day): 3 tubes bought in the morning, then a rule of 4 a day, leave
    1. Each such line, net of its returns, becomes the rule's take of it (``LimitTake``), so a
    later return of it gives it back; lines the rule already took are not counted twice. A buyer
    the sale did not name (no NIK, no member) cannot be counted."""
    rule = session.get(LimitRule, rule_id)
    if rule is None or not rule.active:
        return
    start = period_start(rule.period, day)
    back = (select(func.coalesce(func.sum(_back.c.qty), 0))   # this line's returns (indexed)
            .where(_back.c.sale_line_id == _line.c.id).scalar_subquery())
    taken_before = select(LimitTake.id).where(LimitTake.sale_line_id == _line.c.id,
                                              LimitTake.rule_id == rule_id).exists()
    lines = session.execute(
        select(_sale.c.id, _line.c.id, _sale.c.receipt_no, func.coalesce(_buyer.c.nik, _member.c.nik),
               _buyer.c.member_id, _line.c.qty - back)
        .select_from(_line).join(_sale, _sale.c.id == _line.c.sale_id)
        .join(_buyer, _buyer.c.sale_id == _sale.c.id)
        .join(_product, _product.c.id == _line.c.product_id)
        .outerjoin(_member, _member.c.id == _buyer.c.member_id)
        .where(_product.c.limit_rule_id == rule_id, _sale.c.status == "completed",
               _sale.c.business_date >= start, _sale.c.business_date <= day, ~taken_before)
        .order_by(_line.c.id))
    takes, by_key = [], {}
    for sale_id, line_id, receipt_no, nik, member_id, qty in lines:
        key = buyer_key(rule.buyer, Buyer(nik=nik, member_id=member_id))
        if key is not None and qty and qty > 0:
            takes.append({"sale_id": sale_id, "sale_line_id": line_id, "rule_id": rule.id,
                          "buyer_key": key, "period_start": start, "qty": int(qty), "given_back": 0,
                          "receipt_no": receipt_no})
            by_key[key] = by_key.get(key, 0) + int(qty)
    if takes:
        session.execute(insert(LimitTake), takes)
    for key, qty in by_key.items():
        _ensure_total(session, rule.id, key, start)
        session.connection().execute(_total.update().where(
            _total.c.rule_id == rule.id, _total.c.buyer_key == key, _total.c.period_start == start)
            .values(taken=_total.c.taken + qty))


def settle(session: Session, rule: LimitRule, counted: tuple | None, today: date) -> None:
    """After ``rule`` was saved: its totals counted again when its period or buyer kind changed
    from ``counted`` (the (period, buyer) it had; None for a new rule), from the earlier of the
    two periods' starts (``recount``), then what buyers already took this period that it never
    counted (``seed``)."""
    if counted is not None and counted != (rule.period, rule.buyer):
        recount(session, rule.id, min(period_start(counted[0], today), period_start(rule.period, today)))
    seed(session, rule.id, today)


def recount(session: Session, rule_id: int, since: date) -> None:
    """A rule's running totals from ``since`` on made again from its takes, after a manager
    changed its period or who counts as the buyer (``seed`` only adds lines it never took):
    each take of a sale on or after ``since`` moves to the period its sale's day now falls in,
    and to the buyer the rule now counts (kept when the sale names none it would), and each
    buyer's total becomes the sum of their takes, net of what returns gave back.  2 taken under
    "2 per day" leave 2 of "4 per week", and a week's takes today still count under "3 per
    day"."""
    rule = session.get(LimitRule, rule_id)
    if rule is None:
        return
    found = session.execute(
        select(LimitTake.id, LimitTake.buyer_key, LimitTake.qty - LimitTake.given_back,
               _sale.c.business_date, func.coalesce(_buyer.c.nik, _member.c.nik), _buyer.c.member_id)
        .join(_sale, _sale.c.id == LimitTake.sale_id)
        .outerjoin(_buyer, _buyer.c.sale_id == LimitTake.sale_id)
        .outerjoin(_member, _member.c.id == _buyer.c.member_id)
        .where(LimitTake.rule_id == rule.id, _sale.c.business_date >= since)).all()
    moved, sums = [], {}
    for take_id, old_key, open_qty, day, nik, member_id in found:
        key = buyer_key(rule.buyer, Buyer(nik=nik, member_id=member_id)) or old_key
        start = period_start(rule.period, day)
        moved.append({"id": take_id, "buyer_key": key, "period_start": start})
        sums[(key, start)] = sums.get((key, start), 0) + max(int(open_qty), 0)
    if moved:
        session.execute(update(LimitTake), moved)
    session.execute(delete(LimitTotal).where(LimitTotal.rule_id == rule.id,
                                             LimitTotal.period_start >= since))
    if sums:
        session.execute(insert(LimitTotal), [
            {"rule_id": rule.id, "buyer_key": key, "period_start": start, "taken": qty}
            for (key, start), qty in sums.items()])
    session.flush()
