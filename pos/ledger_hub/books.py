"""What the hub holds, read back: one outlet's day, and the trial balance (neraca saldo)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.errors import NotFound
from pos.ledger_hub import accounts, outlet_opening, voids
from pos.ledger_hub.accounts import account_names, check_outlet
from pos.ledger_hub.models import HubDocument, HubJournalLine

# The day document's summary figures the report repeats, as ``pos report day --json`` has them.
DAY_KEYS = ("sale_count", "gross", "discount", "tax", "total", "rounding", "payments", "business_units",
            "opening_stock", "opening_kasbon", "opening_savings")


def day_report(session: Session, outlet_code: str, day: date, chart: dict | None = None) -> dict:
    """The documents of ``outlet_code`` for business date ``day``, the day document's figures,
    what it brought from the paper books for the Saldo awal (``opening_balances``, ``opening_note``;
    accounts the summary lacks from ``chart``, the hub's ``POS_LEDGER_ACCOUNTS``) and every journal
    line (day and corrections) with their totals; an outlet the hub does not know is refused as
    such (``accounts.check_outlet``), not as a day it has not received."""
    check_outlet(session, outlet_code)
    documents = session.execute(select(HubDocument.document_id, HubDocument.kind, HubDocument.body)
                                .where(HubDocument.outlet_code == outlet_code,
                                       HubDocument.business_date == day)
                                .order_by(HubDocument.kind.desc(), HubDocument.document_id)).all()
    if not documents:
        raise NotFound(f"Hub belum menerima dokumen gerai {outlet_code} untuk {day:%d-%m-%Y}.")
    void = voids.void_ids(session, [document_id for document_id, _, _ in documents])
    summary = next((json.loads(body)["summary"] for document_id, kind, body in documents
                    if kind == "day" and document_id not in void), {})
    lines = session.execute(select(HubJournalLine).where(HubJournalLine.outlet_code == outlet_code,
                                                         HubJournalLine.business_date == day)
                            .order_by(HubJournalLine.document_id, HubJournalLine.line_no)).scalars().all()
    journal = [{"document_id": line.document_id, "line_no": line.line_no, "account": line.account,
                "name": line.name, "debit": line.debit, "credit": line.credit, "memo": line.memo,
                "unit": line.unit, "member": line.member} for line in lines]
    report = {"outlet_code": outlet_code, "business_date": day.isoformat(),
              "documents": [document_id for document_id, _, _ in documents if document_id not in void],
              "void_documents": [document_id for document_id, _, _ in documents if document_id in void]}
    report.update({key: summary.get(key) for key in DAY_KEYS})
    report.update(opening_balances=outlet_opening.balances(summary, chart),
                  opening_note=outlet_opening.note(summary, chart))
    report.update(journal=journal, debit=sum(line.debit for line in lines),
                  credit=sum(line.credit for line in lines))
    return report


@dataclass(frozen=True)
class AccountRow:
    """One account of the trial balance; amounts signed debit minus credit (minus: a credit
    balance)."""
    account: str
    name: str
    opening: int   # saldo awal: the balance the period starts from, with a saldo awal dated inside it
    debit: int     # mutasi debit: the period's journal lines the books count
    credit: int    # mutasi kredit

    @property
    def closing(self) -> int:
        """Saldo akhir: the general ledger's and the neraca's closing figure."""
        return self.opening + self.debit - self.credit


@dataclass(frozen=True)
class TrialBalance:
    start: date | None
    end: date | None
    outlet: str | None
    rows: list[AccountRow]
    # the results (4xxxxx-9xxxxx) before the period, debit minus credit: the neraca's "SHU sebelum
    # periode" (its minus), which no account of the chart holds until it is shared
    results_before: int = 0
    # saldo awal dated inside the period, (outlet code or "" for the cooperative's, as of)
    opened_within: list[tuple[str, date]] = field(default_factory=list)

    @property
    def opening_total(self) -> int:
        return sum(row.opening for row in self.rows) + self.results_before

    @property
    def debit(self) -> int:
        return sum(row.debit for row in self.rows)

    @property
    def credit(self) -> int:
        return sum(row.credit for row in self.rows)

    @property
    def closing_total(self) -> int:
        return self.opening_total + self.debit - self.credit

    @property
    def balanced(self) -> bool:
        return self.opening_total == 0 and self.debit == self.credit

    @property
    def label(self) -> str:
        first = f"{self.start:%d-%m-%Y}" if self.start else "awal buku"
        last = f"{self.end:%d-%m-%Y}" if self.end else "jurnal terakhir"
        scope = f"gerai {self.outlet}" if self.outlet else "semua gerai (gabungan)"
        return f"{first} s.d. {last}, {scope}"

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None, "outlet": self.outlet,
                "accounts": [{"account": r.account, "name": r.name, "opening": r.opening, "debit": r.debit,
                              "credit": r.credit, "closing": r.closing} for r in self.rows],
                "results_before": self.results_before, "opening": self.opening_total, "debit": self.debit,
                "credit": self.credit, "closing": self.closing_total, "balanced": self.balanced,
                "opened_within": [{"outlet": code or None, "as_of": as_of.isoformat()}
                                  for code, as_of in self.opened_within]}


def trial_balance(session: Session, start: date | None = None, end: date | None = None,
                  outlet: str | None = None) -> TrialBalance:
    """Per account: the saldo awal at the period's start, the debits and credits in it, and the
    closing balance, counted as the general ledger and the neraca count them
    (``accounts.opening_balances`` and ``accounts.movements``): a balance-sheet account opens on
    the saldo awal in force by the period's end plus the journal before the period since the
    books' start; a result account opens on nothing, its lines before the period being the SHU
    before it (``results_before``).  A saldo awal dated inside the period is in the opening
    column (the general ledger shows it as a row on its day)."""
    opened = accounts.opening_balances(session, end, outlet)
    moved = accounts.movements(session, start, end, outlet)
    names = account_names(session)   # the latest name per code, not the largest
    rows, results_before = [], 0
    for account in sorted(set(opened) | set(moved)):
        earlier, debit, credit = moved.get(account, (0, 0, 0))
        if accounts.is_result(account):
            results_before += earlier
            earlier = 0
        row = AccountRow(account, names.get(account, account), opened.get(account, 0) + earlier,
                         debit, credit)
        if row.opening or row.debit or row.credit:
            rows.append(row)
    return TrialBalance(start, end, outlet or None, rows, results_before,
                        accounts.openings_within(session, start, end, outlet))
