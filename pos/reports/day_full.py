"""The whole day summary: ``day.day_summary`` extended with tills, cashiers, member
split and purchases, member payments, cash movements, returns, voids, regulated goods (the
fertiliser per type too), shifts and the stock changes approved that day (``stock_changes``: each
count, adjustment and write-off with its value at cost, as the journal books them).  A closed
day's summary is the text stored when it closed (``pos.days``), byte for byte; an open day's is
computed now with ``"closed": false``.  A key added later is absent from the days closed before
it: every reader takes it with ``.get`` (the stored text and its hash are never rewritten).
"""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from pos.days.models import BusinessDay
from pos.inventory.opening.service import day_value as opening_stock
from pos.ledger.stock_changes import of_day as stock_changes
from pos.members.accounts import corrections
from pos.reports import day_fertilizer, day_money, day_parts
from pos.reports.day import day_summary


def full_summary(session: Session, day: date, *, zone: str, outlet_pkp: bool = False,
                 dpp_share: tuple[int, int] = (11, 12), accounts: dict | None = None) -> dict:
    """The day's summary as of now (``closed`` false; closing sets it); ``accounts``: the chart's
    overrides (POS_LEDGER_ACCOUNTS) naming the opening stock's Persediaan per unit and the
    account of the day's Koreksi kasbon."""
    summary = day_summary(session, day, outlet_pkp=outlet_pkp, dpp_share=dpp_share)
    cash_difference, difference = day_money.differences(session, day)
    summary.update(
        closed=False,
        tills=day_parts.tills(session, day),
        cashiers=day_parts.cashiers(session, day),
        members=day_parts.member_split(session, day),
        member_purchases=day_parts.member_purchases(session, day),
        member_savings=day_parts.member_savings(session, day),
        opening_savings=day_parts.opening_savings(session, day),
        opening_kasbon=day_parts.opening_kasbon(session, day, accounts),
        kasbon_corrections=corrections.of_day(session, day, accounts),
        opening_stock=opening_stock(session, day, accounts),
        stock_changes=stock_changes(session, day, zone),   # a day closed before has no such key
        member_payments=day_money.member_payments(session, day),
        cash_movements=day_money.cash_movements(session, day),
        returns=day_money.returns(session, day),
        voids=day_money.voids(session, day, zone),
        regulated=day_money.regulated(session, day),
        fertilizer_types=day_fertilizer.per_type(session, day),   # beside regulated's total
        shifts=day_money.shifts(session, day),
        cash_difference=cash_difference,
        difference=difference,
        opening_difference=day_money.opening_difference(session, day),
    )
    return summary


def canonical(summary: dict) -> str:
    """The summary's stored text: sorted keys, no spaces, UTF-8 (its hash is over this)."""
    return json.dumps(summary, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def summary_text(session: Session, day: date, *, zone: str, outlet_pkp: bool = False,
                 dpp_share: tuple[int, int] = (11, 12), accounts: dict | None = None) -> str:
    """The stored text of a closed day, else the open day's summary computed now."""
    closed = session.get(BusinessDay, day)
    if closed is not None:
        return closed.summary
    return canonical(full_summary(session, day, zone=zone, outlet_pkp=outlet_pkp,
                                  dpp_share=dpp_share, accounts=accounts))
