"""The rest of a day's money for the closing summary: member payments per tender, cash
movements, returns in detail, voids before payment, regulated goods, and every shift
with expected, counted and difference per tender.

Shift, cash-movement, LPG and fertiliser rows are read through plain table descriptions
(``pos.shifts`` may read reports' helpers; reports must not import it back).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, DateTime, Integer, String, case, column, func, select, table
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.clock import utc_iso
from pos.members.accounts.models import DocTender, DocumentLine, MemberDocument
from pos.money import round_half_up
from pos.returns.models import CartVoid, ReturnRefund, SaleReturn, SaleReturnLine
from pos.returns.records import day_totals
from pos.returns.restock import expired_units
from pos.sales.models import Sale
from pos.sales.net import with_ppn
from pos.tills.models import Till

_shift = table("shift", column("id", Integer), column("till_id", Integer),
               column("cashier_id", Integer), column("business_date", Date),
               column("opened_at", DateTime), column("closed_at", DateTime),
               column("opening_float", Integer), column("expected_cash", Integer),
               column("counted_cash", Integer), column("difference", Integer),
               column("close_reason", String), column("previous_counted", Integer),
               column("opening_note", String))
_opened = _shift.c.opening_float - _shift.c.previous_counted   # ``Shift.opening_difference``: NULL first
_tender = table("shift_tender", column("shift_id", Integer), column("method", String),
                column("expected", Integer), column("counted", Integer),
                column("difference", Integer))
_movement = table("cash_movement", column("direction", String), column("amount", Integer),
                  column("business_date", Date))
_lpg = table("lpg_sale", column("id", Integer), column("sale_id", Integer), column("qty", Integer),
             column("sale_line_id", Integer), column("business_date", Date))
_fertilizer = table("fertilizer_redemption", column("id", Integer), column("grams", Integer),
                    column("sale_line_id", Integer), column("business_date", Date))


def _value(member) -> str:
    return getattr(member, "value", member)


def member_payments(session: Session, day: date) -> dict[str, dict[str, int]]:
    """Member documents of ``day`` per tender: the documents received (``documents``) with their
    savings and kasbon repayments, savings withdrawn (``withdrawals``, by ``withdrawal_documents``),
    documents given back (``cancelled``, by ``cancelled_documents``, whatever day the first was
    taken; ``cancelled_repayments`` the kasbon repayments among them, owed again), ``rounding``
    what paying cash in whole coins gained (+) or cost (-) the cooperative, and ``total`` what the
    tender holds for them (in less out, the rounding included).  A withdrawal's cancellation, its
    money brought back, is received: among ``documents`` and ``savings``."""
    out: dict[str, dict[str, int]] = {}
    for tender, withdrawal, cancels, count, total, rounding in session.execute(
            select(MemberDocument.tender, MemberDocument.withdrawal, MemberDocument.reverses_id.is_not(None),
                   func.count(MemberDocument.id), func.sum(MemberDocument.total),
                   func.sum(MemberDocument.rounding))
            .where(MemberDocument.business_date == day)
            .group_by(MemberDocument.tender, MemberDocument.withdrawal,
                      MemberDocument.reverses_id.is_not(None))):
        row = out.setdefault(_value(tender), {
            "documents": 0, "savings": 0, "repayments": 0, "withdrawals": 0, "withdrawal_documents": 0,
            "cancelled": 0, "cancelled_documents": 0, "cancelled_repayments": 0, "rounding": 0, "total": 0})
        gained = -int(rounding) if withdrawal else int(rounding)
        row["rounding"] += gained
        row["total"] += (-int(total) if withdrawal else int(total)) + gained
        kind = ("cancelled" if cancels else "withdrawal") if withdrawal else ""
        row[f"{kind}_documents" if kind else "documents"] += int(count)
        if kind:
            row["cancelled" if cancels else "withdrawals"] += int(total)
    cancels, repayment = MemberDocument.reverses_id.is_not(None), DocumentLine.saving.is_(None)
    for tender, withdrawal, cancel, repaid, amount in session.execute(
            select(MemberDocument.tender, MemberDocument.withdrawal, cancels, repayment,
                   func.sum(DocumentLine.amount))
            .join(MemberDocument, MemberDocument.id == DocumentLine.document_id)
            .where(MemberDocument.business_date == day)
            .group_by(MemberDocument.tender, MemberDocument.withdrawal, cancels, repayment)):
        row = out[_value(tender)]
        if not withdrawal:
            row["repayments" if repaid else "savings"] += int(amount)
        elif cancel and repaid:   # of what was given back, the kasbon repayments (owed again)
            row["cancelled_repayments"] += int(amount)
    outside = _cash_outside_drawers(session, day)
    if outside:
        out["cash"]["outside_drawers"] = outside
    return dict(sorted(out.items()))


def _cash_outside_drawers(session: Session, day: date) -> int:
    """The cash of ``day``'s member documents taken with no shift (at no till, or none open):
    in the journal's Kas, in no drawer's count; + in, - out, the rounding included."""
    sign = case((MemberDocument.withdrawal, -1), else_=1)
    return int(session.scalar(
        select(func.coalesce(func.sum(sign * (MemberDocument.total + MemberDocument.rounding)), 0))
        .where(MemberDocument.business_date == day, MemberDocument.shift_id.is_(None),
               MemberDocument.tender == DocTender.CASH)) or 0)


def cash_movements(session: Session, day: date) -> dict[str, dict[str, int]]:
    """Kas masuk (``in``) and Kas keluar (``out``) of the day: count and amount."""
    out = {"in": {"count": 0, "amount": 0}, "out": {"count": 0, "amount": 0}}
    for direction, count, amount in session.execute(
            select(_movement.c.direction, func.count(), func.sum(_movement.c.amount))
            .where(_movement.c.business_date == day).group_by(_movement.c.direction)):
        out[_value(direction)] = {"count": int(count), "amount": int(amount)}
    return out


def returns(session: Session, day: date) -> dict:
    """Returns booked on ``day``: count, the returned lines' worth (``amount``) and the PPN
    inside it (``tax``), what was paid back per refund method, the cash rounding of those
    refunds (refunds = amount + rounding), lines restocked and lines written off (damaged, or
    returned into a batch already expired: ``restock.expired_units``), each with their worth as
    refunded (the PPN added to a sale's prices in: together they make ``amount``).  A line partly
    back in stock and partly written off (its units went into a good and an expired batch) counts
    in both, its worth split by its units."""
    head = day_totals(session, day)   # count, amount, rounding, tax: the day report's own
    refunds = {_value(m): int(a) for m, a in session.execute(
        select(ReturnRefund.method, func.sum(ReturnRefund.amount))
        .join(SaleReturn, SaleReturn.id == ReturnRefund.return_id)
        .where(SaleReturn.business_date == day).group_by(ReturnRefund.method))}
    lines = {"restocked": {"lines": 0, "amount": 0}, "written_off": {"lines": 0, "amount": 0}}
    for restock, added, qty, total, tax, expired in session.execute(
            select(SaleReturnLine.restock, Sale.tax_added, SaleReturnLine.qty, SaleReturnLine.amount,
                   SaleReturnLine.tax, expired_units())
            .join(SaleReturn, SaleReturn.id == SaleReturnLine.return_id)
            .join(Sale, Sale.id == SaleReturn.sale_id)
            .where(SaleReturn.business_date == day)):
        worth = with_ppn(int(total), int(tax), bool(added))   # as refunded: with its PPN
        gone = qty if not restock else min(int(expired or 0), qty)   # units written off
        off = round_half_up(worth * gone, qty)
        for key, units, amount in (("written_off", gone, off), ("restocked", qty - gone, worth - off)):
            if units:
                lines[key]["lines"] += 1
                lines[key]["amount"] += amount
    return {"count": head["count"], "amount": head["amount"], "tax": head["tax"],
            "refunds": dict(sorted(refunds.items())), "rounding": head["rounding"], **lines}


def voids(session: Session, day: date, zone: str) -> dict[str, int]:
    """Lines voided before payment during the outlet-local ``day`` (``cart_void``)."""
    start, end = (datetime.combine(d, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
                  .replace(tzinfo=None) for d in (day, day + timedelta(days=1)))
    count, amount, whole = session.execute(
        select(func.count(CartVoid.id), func.coalesce(func.sum(CartVoid.amount), 0),
               func.count(CartVoid.id).filter(CartVoid.whole_cart.is_(True)))
        .where(CartVoid.created_at >= start, CartVoid.created_at < end)).one()
    return {"count": int(count), "amount": int(amount), "whole_cart_lines": int(whole)}


def regulated(session: Session, day: date) -> dict[str, dict[str, int]]:
    """Subsidised fertiliser redeemed on ``day`` and returned on ``day`` (by the return's own
    business date, as every return is booked: a closed day's figure never changes), and LPG 3 kg
    likewise: the sales that held it (however many kinds of tube each), the tubes sold
    (``sold_qty``), the tubes returned that day (``returned_qty``, of ``returns`` returns).
    ``fertilizer.grams`` and ``lpg.qty`` are the day's net: sold less returned that day."""
    f_count, grams = session.execute(
        select(func.count(_fertilizer.c.id), func.coalesce(func.sum(_fertilizer.c.grams), 0))
        .where(_fertilizer.c.business_date == day)).one()
    r_count, back = session.execute(
        select(func.count(func.distinct(SaleReturn.id)), func.coalesce(func.sum(SaleReturnLine.qty), 0))
        .join(SaleReturn, SaleReturn.id == SaleReturnLine.return_id)
        .join(_fertilizer, _fertilizer.c.sale_line_id == SaleReturnLine.sale_line_id)
        .where(SaleReturn.business_date == day)).one()
    l_count, qty = session.execute(
        select(func.count(func.distinct(_lpg.c.sale_id)), func.coalesce(func.sum(_lpg.c.qty), 0))
        .where(_lpg.c.business_date == day)).one()
    l_returns, tubes = session.execute(
        select(func.count(func.distinct(SaleReturn.id)), func.coalesce(func.sum(SaleReturnLine.qty), 0))
        .join(SaleReturn, SaleReturn.id == SaleReturnLine.return_id)
        .join(_lpg, _lpg.c.sale_line_id == SaleReturnLine.sale_line_id)
        .where(SaleReturn.business_date == day)).one()
    return {"fertilizer": {"redemptions": int(f_count), "grams": int(grams) - int(back),
                           "redeemed_grams": int(grams), "returned_grams": int(back),
                           "returns": int(r_count)},
            "lpg": {"sales": int(l_count), "qty": int(qty) - int(tubes), "sold_qty": int(qty),
                    "returned_qty": int(tubes), "returns": int(l_returns)}}


def shifts(session: Session, day: date) -> list[dict]:
    """Every shift opened on ``day``: till, cashier, float and its difference from the till's
    previous closing count (with its note; None for a till's first shift), and per tender the
    expected, counted and difference written when it closed (empty while open)."""
    heads = session.execute(
        select(_shift, _opened.label("opening_difference"), Till.code, User.full_name)
        .join(Till, Till.id == _shift.c.till_id).join(User, User.id == _shift.c.cashier_id)
        .where(_shift.c.business_date == day).order_by(_shift.c.opened_at, _shift.c.id)).all()
    tenders: dict[int, dict[str, dict[str, int]]] = {}
    for row in session.execute(
            select(_tender).join(_shift, _shift.c.id == _tender.c.shift_id)
            .where(_shift.c.business_date == day).order_by(_tender.c.shift_id, _tender.c.method)):
        tenders.setdefault(row.shift_id, {})[row.method] = {
            "expected": row.expected, "counted": row.counted, "difference": row.difference}
    return [{"id": h.id, "till_id": h.till_id, "till": h.code, "cashier_id": h.cashier_id,
             "cashier": h.full_name, "opened_at": _iso(h.opened_at),
             "closed_at": _iso(h.closed_at), "opening_float": h.opening_float,
             "previous_counted": h.previous_counted, "opening_difference": h.opening_difference,
             "opening_note": h.opening_note,
             "expected_cash": h.expected_cash, "counted_cash": h.counted_cash,
             "difference": h.difference, "reason": h.close_reason,
             "tenders": tenders.get(h.id, {})} for h in heads]


def differences(session: Session, day: date) -> tuple[int, int]:
    """The day's cash difference and its difference over every tender (counted - expected)."""
    cash, every = session.execute(
        select(func.coalesce(func.sum(_tender.c.difference).filter(_tender.c.method == "cash"), 0),
               func.coalesce(func.sum(_tender.c.difference), 0))
        .join(_shift, _shift.c.id == _tender.c.shift_id)
        .where(_shift.c.business_date == day)).one()
    return int(cash), int(every)


def opening_difference(session: Session, day: date) -> int:
    """The floats of ``day``'s shifts less their tills' previous closing counts: cash gone from
    (or come into) the drawers between two shifts."""
    return int(session.scalar(select(func.coalesce(func.sum(_opened), 0))
                              .where(_shift.c.business_date == day)))


def _iso(moment) -> str | None:
    """A stored naive-UTC time with its zone said (``…+00:00``), as ``clock.utc_iso`` writes them:
    a script read 20:35 of a shift that opened at 04:35 WITA the next business day."""
    if isinstance(moment, str):  # SQLite through a plain table description
        moment = datetime.fromisoformat(moment)
    return utc_iso(moment)
