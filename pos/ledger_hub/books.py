"""What the hub holds, read back: one outlet's day, and the trial balance (neraca saldo)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.errors import NotFound
from pos.ledger_hub.accounts import account_names, check_outlet
from pos.ledger_hub.models import HubDocument, HubJournalLine

# The day document's summary figures the report repeats, as ``pos report day --json`` has them.
DAY_KEYS = ("sale_count", "gross", "discount", "tax", "total", "rounding", "payments", "business_units")


def day_report(session: Session, outlet_code: str, day: date) -> dict:
    """The documents of ``outlet_code`` for business date ``day``, the day document's figures
    and every journal line (day and corrections) with their totals; an outlet the hub does not
    know is refused as such (``accounts.check_outlet``), not as a day it has not received."""
    check_outlet(session, outlet_code)
    documents = session.execute(select(HubDocument.document_id, HubDocument.kind, HubDocument.body)
                                .where(HubDocument.outlet_code == outlet_code,
                                       HubDocument.business_date == day)
                                .order_by(HubDocument.kind.desc(), HubDocument.document_id)).all()
    if not documents:
        raise NotFound(f"Hub belum menerima dokumen gerai {outlet_code} untuk {day:%d-%m-%Y}.")
    summary = next((json.loads(body)["summary"] for _, kind, body in documents if kind == "day"), {})
    lines = session.execute(select(HubJournalLine).where(HubJournalLine.outlet_code == outlet_code,
                                                         HubJournalLine.business_date == day)
                            .order_by(HubJournalLine.document_id, HubJournalLine.line_no)).scalars().all()
    journal = [{"document_id": line.document_id, "line_no": line.line_no, "account": line.account,
                "name": line.name, "debit": line.debit, "credit": line.credit, "memo": line.memo,
                "unit": line.unit, "member": line.member} for line in lines]
    report = {"outlet_code": outlet_code, "business_date": day.isoformat(),
              "documents": [document_id for document_id, _, _ in documents]}
    report.update({key: summary.get(key) for key in DAY_KEYS})
    report.update(journal=journal, debit=sum(line.debit for line in lines),
                  credit=sum(line.credit for line in lines))
    return report


@dataclass(frozen=True)
class AccountRow:
    account: str
    name: str
    debit: int
    credit: int

    @property
    def balance(self) -> int:
        """Debit minus credit: positive is a debit balance."""
        return self.debit - self.credit


@dataclass(frozen=True)
class TrialBalance:
    start: date | None
    end: date | None
    outlet: str | None
    rows: list[AccountRow]

    @property
    def debit(self) -> int:
        return sum(row.debit for row in self.rows)

    @property
    def credit(self) -> int:
        return sum(row.credit for row in self.rows)

    @property
    def balanced(self) -> bool:
        return self.debit == self.credit

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None, "outlet": self.outlet,
                "accounts": [{"account": r.account, "name": r.name, "debit": r.debit, "credit": r.credit,
                              "balance": r.balance} for r in self.rows],
                "debit": self.debit, "credit": self.credit, "balanced": self.balanced}


def trial_balance(session: Session, start: date | None = None, end: date | None = None,
                  outlet: str | None = None) -> TrialBalance:
    """Per account: the sum of debits and credits of the lines in the period (and outlet)."""
    line = HubJournalLine
    query = (select(line.account, func.max(line.name), func.coalesce(func.sum(line.debit), 0),
                    func.coalesce(func.sum(line.credit), 0))
             .group_by(line.account).order_by(line.account))
    if start is not None:
        query = query.where(line.business_date >= start)
    if end is not None:
        query = query.where(line.business_date <= end)
    if outlet:
        query = query.where(line.outlet_code == outlet)
    names = account_names(session)   # the latest name per code, not the largest
    rows = [AccountRow(account, names.get(account, name), int(debit), int(credit))
            for account, name, debit, credit in session.execute(query)]
    return TrialBalance(start, end, outlet or None, rows)
