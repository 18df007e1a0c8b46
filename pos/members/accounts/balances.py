"""Saldo simpanan anggota: every member's savings per kind at the end of a business day, and
the totals the cooperative's books carry for them (the RAT's list; the counter's savings card
shows one member's, ``savings.summary``, and agrees with it).

A member's savings on a day are the saldo awal imported on or before it, plus every saving
paid in by then, less what was withdrawn or cancelled (``savings.held_on``, as every other sum
of savings counts them).  Listed: the members who had joined by that day and are
active, and any other member who still holds savings (one who left and was paid out is not).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.members.accounts import savings
from pos.members.accounts.savings import KINDS
from pos.members.models import Member

FUTURE = "Tanggal tidak boleh setelah hari ini."
COLUMNS = ["per_tanggal", "nomor", "nama", "status", "pokok", "wajib", "sukarela", "jumlah"]


@dataclass(frozen=True)
class Balance:
    member_id: int
    number: str
    name: str
    active: bool
    pokok: int
    wajib: int
    sukarela: int

    @property
    def total(self) -> int:
        return self.pokok + self.wajib + self.sukarela

    @property
    def status(self) -> str:
        return "aktif" if self.active else "nonaktif"

    def as_dict(self) -> dict:
        return {"number": self.number, "name": self.name, "status": self.status, "pokok": self.pokok,
                "wajib": self.wajib, "sukarela": self.sukarela, "total": self.total}


@dataclass(frozen=True)
class Balances:
    day: date
    rows: list[Balance]
    totals: dict[str, int]     # pokok, wajib, sukarela and total over every row

    @property
    def holders(self) -> int:
        """How many of the listed members hold any savings."""
        return sum(1 for row in self.rows if row.total)

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat(), "members": [row.as_dict() for row in self.rows],
                "total": self.totals}


def on_day(session: Session, day: date, today: date) -> Balances:
    """Every listed member's savings per kind at the end of ``day``, by member number (a day
    after ``today`` is refused: its savings are not known yet)."""
    if day > today:
        raise PosError(FUTURE, 400)
    held = savings.held_on(session, day)
    rows = []
    for member_id, number, name, active, joined in session.execute(
            select(Member.id, Member.number, Member.name, Member.active, Member.joined_on)
            .order_by(Member.number)):
        kinds = held.get(member_id)
        has_savings = kinds is not None and any(kinds.values())
        if has_savings or (active and joined <= day):
            rows.append(Balance(member_id, number, name, active, **(kinds or dict.fromkeys(KINDS, 0))))
    totals = {kind: sum(getattr(row, kind) for row in rows) for kind in KINDS}
    totals["total"] = sum(totals.values())
    return Balances(day, rows, totals)


def export_rows(balances: Balances) -> list[dict]:
    """The list as spreadsheet rows (``COLUMNS``), the totals last, plain integers of Rupiah."""
    day = balances.day.strftime("%d-%m-%Y")
    rows = [{"per_tanggal": day, "nomor": r.number, "nama": r.name, "status": r.status, "pokok": r.pokok,
             "wajib": r.wajib, "sukarela": r.sukarela, "jumlah": r.total} for r in balances.rows]
    totals = balances.totals
    rows.append({"per_tanggal": day, "nomor": "TOTAL", "nama": f"{len(balances.rows)} anggota",
                 "pokok": totals["pokok"], "wajib": totals["wajib"], "sukarela": totals["sukarela"],
                 "jumlah": totals["total"]})
    return rows
