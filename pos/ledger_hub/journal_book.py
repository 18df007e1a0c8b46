"""The journal by day and account, and the general ledger of one account with its running
balance (opening balance + lines since the books' start before the period, then day by day)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.ledger_hub import accounts
from pos.ledger_hub.accounts import Period
from pos.ledger_hub.models import HubJournalLine, HubOpening, HubOpeningLine

MAX_ROWS = 20_000   # a screen (and a file) of one period; a longer one is asked to narrow it


@dataclass(frozen=True)
class JournalRow:
    day: date
    account: str
    name: str
    debit: int
    credit: int


def journal(session: Session, period: Period) -> list[JournalRow]:
    """Per business date and account: the debits and credits of the period (and outlet)."""
    line = HubJournalLine
    query = accounts.within(select(line.business_date, line.account, func.sum(line.debit),
                                   func.sum(line.credit))
                            .group_by(line.business_date, line.account)
                            .order_by(line.business_date, line.account).limit(MAX_ROWS), period)
    names = accounts.account_names(session)
    return [JournalRow(day, account, names.get(account, account), int(debit or 0), int(credit or 0))
            for day, account, debit, credit in session.execute(query)]


@dataclass(frozen=True)
class LedgerRow:
    day: date
    outlet: str
    debit: int
    credit: int
    balance: int      # running, debit minus credit
    opening: bool = False   # a saldo awal dated inside the period, on its day


@dataclass(frozen=True)
class GeneralLedger:
    period: Period
    account: str
    name: str
    opening: int      # debit minus credit before the period
    rows: list[LedgerRow]

    @property
    def debit(self) -> int:
        return sum(r.debit for r in self.rows)

    @property
    def credit(self) -> int:
        return sum(r.credit for r in self.rows)

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit

    def as_dict(self) -> dict:
        return {**self.period.as_dict(), "account": self.account, "name": self.name, "opening": self.opening,
                "rows": [{"date": r.day.isoformat(), "outlet": r.outlet, "debit": r.debit, "credit": r.credit,
                          "balance": r.balance, "opening": r.opening} for r in self.rows],
                "debit": self.debit, "credit": self.credit, "closing": self.closing}


def general_ledger(session: Session, period: Period, account: str) -> GeneralLedger:
    """One account per day and outlet in the period, after its balance at the period's start
    (balance-sheet accounts: opening import + lines since; result accounts: 0), counted as the
    neraca at the period's end counts them (``accounts.since_books_start``): a saldo awal dated
    inside the period is a row on its day, and the lines before it that it holds are left out,
    so the closing balance is the neraca's."""
    line = HubJournalLine
    opening, saldo = 0, []
    if not accounts.is_result(account):
        opened = (select(HubOpening.as_of, HubOpening.outlet_code,
                         func.sum(HubOpeningLine.debit), func.sum(HubOpeningLine.credit))
                  .join(HubOpening, HubOpening.outlet_code == HubOpeningLine.outlet_code)
                  .where(HubOpeningLine.account == account, HubOpening.as_of <= period.end)
                  .group_by(HubOpening.as_of, HubOpening.outlet_code))
        if period.outlet:
            opened = opened.where(HubOpening.outlet_code == period.outlet)
        saldo = session.execute(opened).all()
        earlier = accounts.within(accounts.since_books_start(
            select(func.sum(line.debit - line.credit)).select_from(line)
            .where(line.account == account, line.business_date < period.start), period.end),
            period, start=False)
        opening = sum(int(d or 0) - int(c or 0) for as_of, _, d, c in saldo if as_of <= period.start) \
            + int(session.scalar(earlier) or 0)
    query = accounts.within(accounts.since_books_start(
        select(line.business_date, line.outlet_code, func.sum(line.debit), func.sum(line.credit))
        .where(line.account == account), period.end)
        .group_by(line.business_date, line.outlet_code)
        .order_by(line.business_date, line.outlet_code).limit(MAX_ROWS), period)
    moved = [(day, outlet, int(d or 0), int(c or 0), False) for day, outlet, d, c in session.execute(query)]
    moved += [(as_of, outlet, int(d or 0), int(c or 0), True) for as_of, outlet, d, c in saldo
              if as_of > period.start]
    rows, running = [], opening
    for day, outlet, debit, credit, is_opening in sorted(moved, key=lambda r: (r[0], not r[4], r[1])):
        running += debit - credit
        rows.append(LedgerRow(day, outlet, debit, credit, running, is_opening))
    name = accounts.account_names(session).get(account, account)
    return GeneralLedger(period, account, name, opening, rows)
