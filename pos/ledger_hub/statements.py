"""The two statements: the income statement (*PHU*, Perhitungan Hasil Usaha) per business
unit and in total, and the statement of financial position (*neraca*) from the opening
balances.  Sums in SQL (grouped by account, unit and member); Python only arranges them.

Signs: revenue and other income are credit minus debit; cost and expense debit minus credit;
assets debit minus credit; liabilities and equity credit minus debit.  The SHU of a period is
the credit minus the debit of every result account (4xxxxx-9xxxxx), so PHU's total equals
revenue minus expenses and the neraca balances with it in equity.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.ledger_hub import accounts
from pos.ledger_hub.accounts import Period
from pos.ledger_hub.models import HubJournalLine, HubOpening

MEMBER_WORDS = {True: "anggota", False: "bukan anggota", None: "tidak dirinci"}


_UNIT_NAMES = {"umkm": "UMKM"}   # an acronym, as the trial balance writes it


@dataclass
class UnitResult:
    unit: str
    revenue: dict[bool | None, int] = field(default_factory=dict)   # member? -> net sales
    cogs: int = 0

    @property
    def label(self) -> str:
        if not self.unit:
            return "Tanpa unit"
        return _UNIT_NAMES.get(self.unit) or self.unit.replace("_", " ").capitalize()

    @property
    def sales(self) -> int:
        return sum(self.revenue.values())

    @property
    def gross_profit(self) -> int:
        return self.sales - self.cogs


@dataclass
class Phu:
    period: Period
    units: list[UnitResult]
    expenses: list[tuple[str, str, int]]     # (account, name, amount) 6xxxxx but 69xxxx
    others: list[tuple[str, str, int]]       # (account, name, income) 49xxxx, 69xxxx, 7-9xxxxx
    # saldo awal dated inside the period, (outlet code or "" for the cooperative's, as of): the
    # journal before it is not counted, its results being in that saldo awal (as the neraca has it)
    opened_within: list[tuple[str, date]] = field(default_factory=list)

    @property
    def revenue(self) -> int:
        return sum(u.sales for u in self.units)

    @property
    def cogs(self) -> int:
        return sum(u.cogs for u in self.units)

    @property
    def gross_profit(self) -> int:
        return self.revenue - self.cogs

    @property
    def expense(self) -> int:
        return sum(amount for _, _, amount in self.expenses)

    @property
    def other(self) -> int:
        return sum(amount for _, _, amount in self.others)

    @property
    def shu(self) -> int:
        return self.gross_profit - self.expense + self.other

    def as_dict(self) -> dict:
        return {**self.period.as_dict(),
                "units": [{"unit": u.unit, "sales_member": u.revenue.get(True, 0),
                           "sales_non_member": u.revenue.get(False, 0), "sales_other": u.revenue.get(None, 0),
                           "sales": u.sales, "cogs": u.cogs, "gross_profit": u.gross_profit}
                          for u in self.units],
                "expenses": [{"account": a, "name": n, "amount": v} for a, n, v in self.expenses],
                "others": [{"account": a, "name": n, "amount": v} for a, n, v in self.others],
                "revenue": self.revenue, "cogs": self.cogs, "gross_profit": self.gross_profit,
                "expense": self.expense, "other": self.other, "shu": self.shu}


def _kind(account: str) -> str:
    if account.startswith(("49", "69")) or accounts.account_class(account) in ("7", "8", "9"):
        return "other"
    return {"4": "revenue", "5": "cogs", "6": "expense"}[accounts.account_class(account)]


def phu(session: Session, period: Period) -> Phu:
    """The period's results, from the books' start (``accounts.since_books_start``) as the neraca
    counts them: a saldo awal dated inside the period holds the results before it, so the PHU and
    the neraca's SHU of the period are one figure."""
    line = HubJournalLine
    result_account = func.substr(line.account, 1, 1).in_(accounts.RESULT_CLASSES)
    query = accounts.within(accounts.since_books_start(
        select(line.account, line.unit, line.member, func.sum(line.debit), func.sum(line.credit))
        .select_from(line).where(result_account), period.end).group_by(line.account, line.unit, line.member),
        period)
    names = accounts.account_names(session)
    units: dict[str, UnitResult] = {}
    expenses: dict[str, int] = {}
    others: dict[str, int] = {}
    for account, unit, member, debit, credit in session.execute(query):
        debit, credit, kind = int(debit or 0), int(credit or 0), _kind(account)
        if kind == "revenue":
            result = units.setdefault(unit or "", UnitResult(unit or ""))
            result.revenue[member] = result.revenue.get(member, 0) + credit - debit
        elif kind == "cogs":
            units.setdefault(unit or "", UnitResult(unit or "")).cogs += debit - credit
        elif kind == "expense":
            expenses[account] = expenses.get(account, 0) + debit - credit
        else:
            others[account] = others.get(account, 0) + credit - debit
    return Phu(period, sorted(units.values(), key=lambda u: (u.unit == "", u.unit)),
               [(a, names.get(a, a), v) for a, v in sorted(expenses.items())],
               [(a, names.get(a, a), v) for a, v in sorted(others.items())],
               accounts.openings_within(session, period.start, period.end, period.outlet))


@dataclass
class Neraca:
    period: Period
    assets: list[tuple[str, str, int]]
    liabilities: list[tuple[str, str, int]]
    equity: list[tuple[str, str, int]]
    shu_before: int      # results from the books' start up to the day before the period
    shu_period: int      # results of the period (PHU's SHU)
    opened: bool = True  # opening balances (saldo awal) were imported for the scope by its end
    # Assets the outlets' journal moved that end below zero (stock sold the books never had); an
    # account only the saldo awal holds (a contra account, akumulasi penyusutan) is not one.
    below_zero: list[tuple[str, str, int]] = field(default_factory=list)
    # Combined, with saldo awal for some outlets only: the others whose journal it counts.
    unopened: list[str] = field(default_factory=list)

    @property
    def total_assets(self) -> int:
        return sum(v for _, _, v in self.assets)

    @property
    def total_liabilities(self) -> int:
        return sum(v for _, _, v in self.liabilities)

    @property
    def total_equity(self) -> int:
        return sum(v for _, _, v in self.equity) + self.shu_before + self.shu_period

    @property
    def balanced(self) -> bool:
        return self.total_assets == self.total_liabilities + self.total_equity

    def as_dict(self) -> dict:
        def rows(items):
            return [{"account": a, "name": n, "amount": v} for a, n, v in items]
        return {**self.period.as_dict(), "assets": rows(self.assets), "liabilities": rows(self.liabilities),
                "equity": rows(self.equity), "shu_before": self.shu_before, "shu_period": self.shu_period,
                "total_assets": self.total_assets, "total_liabilities": self.total_liabilities,
                "total_equity": self.total_equity, "balanced": self.balanced, "opening": self.opened,
                "outlets_without_opening": self.unopened}


def neraca(session: Session, period: Period) -> Neraca:
    """The position at the end of the period: opening balances plus the journal since the
    books' start; results before the period and in it shown as SHU in equity."""
    movement = {a: (earlier, debit - credit) for a, (earlier, debit, credit)
                in accounts.movements(session, period.start, period.end, period.outlet).items()}
    balance = accounts.opening_balances(session, period.end, period.outlet)
    had_opening = bool(balance)
    shu_before = shu_period = 0
    for account, (earlier, during) in movement.items():
        if accounts.is_result(account):
            shu_before -= earlier
            shu_period -= during
        else:
            balance[account] = balance.get(account, 0) + earlier + during
    names = accounts.account_names(session)

    def part(cls: str, sign: int):
        return [(a, names.get(a, a), sign * v) for a, v in sorted(balance.items())
                if accounts.account_class(a) == cls and v]
    assets = part("1", 1)
    return Neraca(period, assets, part("2", -1), part("3", -1), shu_before, shu_period, had_opening,
                  [row for row in assets if row[2] < 0 and row[0] in movement],
                  _unopened(session, period) if had_opening and not period.outlet else [])


def _unopened(session: Session, period: Period) -> list[str]:
    """Outlets with journal by the period's end and no saldo awal of their own by then, unless
    the cooperative's own saldo awal (outlet "") holds them all."""
    held = select(HubOpening.outlet_code).where(HubOpening.as_of <= period.end)
    if session.scalar(held.where(HubOpening.outlet_code == "")) is not None:
        return []
    line = HubJournalLine
    return list(session.scalars(select(line.outlet_code).distinct()
                                .where(line.business_date <= period.end, line.outlet_code.not_in(held))
                                .order_by(line.outlet_code)))


def year_start(day: date) -> date:
    return day.replace(month=1, day=1)
