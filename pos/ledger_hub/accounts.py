"""What the books share: the period and outlet asked for, the journal lines within it, the
account names (the latest a journal line used per code) and the classes of the chart.

Account codes follow the cooperative ministry's 6-digit chart: the first digit is the class
(1 aset, 2 kewajiban, 3 ekuitas, 4 pendapatan, 5 harga pokok, 6 beban); 49xxxx and 69xxxx
are other income and other expense, 7-9 other results.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from pos.errors import PosError
from pos.ledger_hub.models import (
    HubDocument,
    HubDocumentVoid,
    HubJournalLine,
    HubOpening,
    HubOpeningLine,
    HubOutlet,
)

BALANCE_CLASSES = ("1", "2", "3")
RESULT_CLASSES = ("4", "5", "6", "7", "8", "9")
CLASS_NAMES = {"1": "Aset", "2": "Kewajiban", "3": "Ekuitas", "4": "Pendapatan", "5": "Harga pokok",
               "6": "Beban", "7": "Pendapatan dan beban lain", "8": "Pendapatan dan beban lain",
               "9": "Pendapatan dan beban lain"}
LONGEST_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    """The books asked for: business dates ``start``..``end`` and one outlet (None: all)."""
    start: date
    end: date
    outlet: str | None = None

    def __post_init__(self):
        if self.end < self.start:
            raise PosError("Tanggal awal harus sebelum atau sama dengan tanggal akhir.", 400)
        if (self.end - self.start).days > LONGEST_DAYS:
            raise PosError("Rentang buku paling lama 5 tahun.", 400)

    @property
    def scope(self) -> str:
        return f"gerai {self.outlet}" if self.outlet else "semua gerai (gabungan)"

    @property
    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} s.d. {self.end:%d-%m-%Y}, {self.scope}"

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "outlet": self.outlet}


def within(query: Select, period: Period, *, start: bool = True) -> Select:
    """``query`` over journal lines limited to the period's outlet and dates (from its start
    only when ``start``)."""
    line = HubJournalLine
    query = query.where(line.business_date <= period.end)
    if start:
        query = query.where(line.business_date >= period.start)
    if period.outlet:
        query = query.where(line.outlet_code == period.outlet)
    return query


def since_books_start(query: Select, end: date) -> Select:
    """``query`` over journal lines limited to those a balance at ``end`` counts: from the line's
    outlet's opening date, else the cooperative's (outlet ""), else all; a saldo awal dated after
    ``end`` starts books that period has not reached, so it takes nothing from it.  An outer
    join on the small opening table and one uncorrelated subquery, so PostgreSQL runs it once,
    not per line."""
    line = HubJournalLine
    own = aliased(HubOpening)
    whole = select(HubOpening.as_of).where(HubOpening.outlet_code == "",
                                           HubOpening.as_of <= end).scalar_subquery()
    return (query.outerjoin(own, and_(own.outlet_code == line.outlet_code, own.as_of <= end))
            .where(line.business_date >= func.coalesce(own.as_of, whole, date(1900, 1, 1))))


FIRST_DAY, LAST_DAY = date(1, 1, 1), date(9999, 12, 31)   # a trial balance asked without dates


def opening_balances(session: Session, end: date | None, outlet: str | None) -> dict[str, int]:
    """Per account, debit minus credit of the saldo awal in force at ``end``: the outlet's own
    (None: every outlet's and the cooperative's), dated by ``end``; one dated after it starts
    books that period has not reached.  The neraca, the general ledger and the trial balance
    count these."""
    query = (select(HubOpeningLine.account, func.sum(HubOpeningLine.debit - HubOpeningLine.credit))
             .join(HubOpening, HubOpening.outlet_code == HubOpeningLine.outlet_code)
             .where(HubOpening.as_of <= (end or LAST_DAY))
             .group_by(HubOpeningLine.account))
    if outlet:
        query = query.where(HubOpening.outlet_code == outlet)
    return {account: int(amount or 0) for account, amount in session.execute(query)}


def movements(session: Session, start: date | None, end: date | None,
              outlet: str | None) -> dict[str, tuple[int, int, int]]:
    """Per account, of the journal lines a balance at ``end`` counts (``since_books_start``):
    debit minus credit before ``start``, then the debits and the credits from ``start`` to
    ``end`` (no ``start``: every line is the period's; no ``end``: up to the last)."""
    line = HubJournalLine
    before = line.business_date < (start or FIRST_DAY)
    query = since_books_start(
        select(line.account, func.sum(case((before, line.debit - line.credit), else_=0)),
               func.sum(case((before, 0), else_=line.debit)), func.sum(case((before, 0), else_=line.credit)))
        .select_from(line), end or LAST_DAY).group_by(line.account)
    if end is not None:
        query = query.where(line.business_date <= end)
    if outlet:
        query = query.where(line.outlet_code == outlet)
    return {account: (int(earlier or 0), int(debit or 0), int(credit or 0))
            for account, earlier, debit, credit in session.execute(query)}


def openings_within(session: Session, start: date | None, end: date | None,
                    outlet: str | None) -> list[tuple[str, date]]:
    """(outlet code, "" for the cooperative's, as of) of the saldo awal of the scope dated after
    the period's first day and by its last: the journal before each is held in it, not counted."""
    query = select(HubOpening.outlet_code, HubOpening.as_of).where(HubOpening.as_of <= (end or LAST_DAY))
    if start is not None:
        query = query.where(HubOpening.as_of > start)
    if outlet:
        query = query.where(HubOpening.outlet_code.in_((outlet, "")))
    return [(code, as_of) for code, as_of in session.execute(query.order_by(HubOpening.as_of,
                                                                            HubOpening.outlet_code))]


def account_class(account: str) -> str:
    return account[:1]


def is_result(account: str) -> bool:
    return account_class(account) in RESULT_CLASSES


def account_names(session: Session) -> dict[str, str]:
    """Code -> name: the name on the account's latest journal line (ties: the largest name),
    else its opening balance's."""
    line = HubJournalLine
    latest = (select(line.account, func.max(line.business_date).label("day"))
              .group_by(line.account).subquery())
    names = {code: name for code, name in session.execute(
        select(HubOpeningLine.account, func.max(HubOpeningLine.name)).group_by(HubOpeningLine.account))}
    names.update((code, name) for code, name in session.execute(
        select(line.account, func.max(line.name))
        .join(latest, and_(line.account == latest.c.account, line.business_date == latest.c.day))
        .group_by(line.account)))
    return names


def outlet_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every registered outlet, for the outlet selector."""
    return [(code, name) for code, name in session.execute(
        select(HubOutlet.code, HubOutlet.name).order_by(HubOutlet.code))]


SHOWN_CODES = 10   # an unknown outlet's refusal names this many registered ones


def check_outlet(session: Session, code: str | None) -> str | None:
    """``code`` if it is a registered outlet (None: consolidated); else a clear refusal naming
    the registered codes (the first ``SHOWN_CODES``, and how many more)."""
    if not code:
        return None
    if session.get(HubOutlet, code) is None:
        known = list(session.scalars(select(HubOutlet.code).order_by(HubOutlet.code)))
        listed = ("belum ada gerai terdaftar" if not known else "gerai terdaftar: "
                  + ", ".join(known[:SHOWN_CODES])
                  + (f" dan {len(known) - SHOWN_CODES} lainnya" if len(known) > SHOWN_CODES else ""))
        raise PosError(f"Gerai {code} tidak terdaftar di hub ({listed}).", 404)
    return code


def check_account(session: Session, account: str) -> str:
    """``account`` if the hub's chart has it (a journal line or a saldo awal on it); else the
    refusal the screen and ``books ledger`` both give (an unknown code read as an empty book)."""
    if account not in account_names(session):
        raise PosError(f"Akun {account[:20]} tidak ada di bagan akun hub; pilih dari daftar.", 404)
    return account


def default_end(session: Session, today: date) -> date:
    """Where a period asked without its end ends, on every screen and command alike: ``today``
    (the books' date, WIB), or the last business date of a document the hub holds (not voided)
    when that is later: the hub accepts a day dated tomorrow (an outlet in WIT is ahead of WIB),
    and a book drawn without dates shows it."""
    last = session.scalar(select(func.max(HubDocument.business_date)).where(
        HubDocument.document_id.not_in(select(HubDocumentVoid.document_id))))
    return max(today, last) if last is not None else today
