"""The SHU basis the hub keeps: members' purchases and savings per stored document, and a
book year's PHU (the books' ``statements.phu``) and its member / non-member revenue.

``basis_rows`` are written by ``receive.store`` with the document, so a document's basis rows
exist exactly when the document does.  Rows come from the day summary's ``member_purchases``
(net of that day's returns) and ``member_savings``; members are matched across outlets by
the cooperative's member number, in capitals as the outlets' tills read it: a number an outlet
sent in small letters (from its register before revision 0032 wrote it in capitals) counts with
the same member's later days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from pos.ledger_hub import statements
from pos.ledger_hub.accounts import Period
from pos.ledger_hub.shu import Member
from pos.ledger_hub.shu_models import HubMemberPurchase, HubMemberSaving

SAVING_KEYS = ("pokok", "wajib", "sukarela", "repayments")


def _amount(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _rows(entries, keys: tuple[str, ...]) -> dict[str, dict]:
    """Summary entries by member number (a number twice is summed); bad entries skipped."""
    out: dict[str, dict] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not str(entry.get("number") or "").strip():
            continue
        number = str(entry["number"]).strip()[:40]
        row = out.setdefault(number, {"number": number, "name": str(entry.get("name") or "")[:120],
                                      **{key: 0 for key in keys}})
        for key in keys:
            row[key] += _amount(entry.get(key))
    return out


def basis_rows(document: dict) -> dict[Table, list[dict]]:
    """The member basis rows of a valid ``document``, by table (``receive.store`` writes
    them with the document's journal lines)."""
    summary = document.get("summary")
    if not isinstance(summary, dict):
        return {}
    common = {"document_id": document["document_id"], "outlet_code": document["outlet_code"],
              "business_date": date.fromisoformat(document["business_date"])}
    bought = [{**common, "number": r["number"], "name": r["name"], "amount": r["total"]}
              for r in _rows(summary.get("member_purchases"), ("total",)).values()]
    saved = [{**common, **r} for r in _rows(summary.get("member_savings"), SAVING_KEYS).values()]
    return {HubMemberPurchase.__table__: bought, HubMemberSaving.__table__: saved}


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class Profit:
    """A year's PHU as the books show it (``statements.phu``, all outlets) and its sales split
    by the revenue lines' member flag."""
    phu: int
    sales: int
    member_revenue: int       # revenue lines marked member
    non_member_revenue: int   # revenue lines marked non-member


def profit(session: Session, year: int) -> Profit:
    """The year's PHU (SHU before sharing) and member / non-member sales, all outlets."""
    first, last = year_bounds(year)
    result = statements.phu(session, Period(first, last))
    return Profit(result.shu, result.revenue, sum(u.revenue.get(True, 0) for u in result.units),
                  sum(u.revenue.get(False, 0) for u in result.units))


def savings_column(basis: str):
    saving = HubMemberSaving
    if basis == "wajib":
        return saving.wajib
    if basis == "semua":
        return saving.pokok + saving.wajib + saving.sukarela
    return saving.pokok + saving.wajib


def members(session: Session, year: int, savings_basis: str) -> list[Member]:
    """Every member with purchases in the year or savings held at its end: V_a the year's
    purchases (net of returns, never below zero), S_a every saving paid up to 31 December
    (the member's capital then, not only what came in that year: a pokok paid in an earlier
    year earns jasa modal too), summed over all outlets by member number in capitals."""
    first, last = year_bounds(year)
    purchase, saving = HubMemberPurchase, HubMemberSaving
    bought_by, saved_by = func.upper(purchase.number), func.upper(saving.number)
    bought = session.execute(select(bought_by, func.max(purchase.name), func.sum(purchase.amount))
                             .where(purchase.business_date >= first, purchase.business_date <= last)
                             .group_by(bought_by)).all()
    saved = session.execute(select(saved_by, func.max(saving.name),
                                   func.sum(savings_column(savings_basis)))
                            .where(saving.business_date <= last)
                            .group_by(saved_by)).all()
    names = {number: name for number, name, _ in saved} | {number: name for number, name, _ in bought}
    v = {number: max(int(amount or 0), 0) for number, _, amount in bought}
    s = {number: max(int(amount or 0), 0) for number, _, amount in saved}
    return [Member(number, names[number] or "", v.get(number, 0), s.get(number, 0))
            for number in sorted(names) if v.get(number, 0) or s.get(number, 0)]
