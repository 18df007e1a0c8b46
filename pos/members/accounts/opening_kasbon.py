"""Saldo awal kasbon: what members owed the gerai (piutang anggota) on the paper books before
its first day, from a file (CSV or XLSX, read by the catalog's ``spreadsheets``): every row
checked first, then all rows saved or none (the caller's transaction).

Columns: nomor (the member's number), nama (for people; not read), kasbon (Rupiah: ``150000``,
``150.000`` or ``Rp150.000``), tanggal (the oldest unpaid kasbon's date, ``dd-mm-yyyy``; blank:
the import day), from which the ageing (Umur kasbon) counts it.  The amount is owed as any
kasbon: one entry on the member's kartu piutang (*Saldo awal kasbon (buku lama)*, dated
tanggal) adds it to the balance, and repayments at the counter take it off.  No journal line is
made: as the savings' saldo awal, the balance sheet's account 113100 (piutang anggota) gets it
on the hub's Saldo awal, so what the members owe is that plus the days' journals; the day of the
import says how much in its summary (``opening_kasbon``).

A row replaces the member's earlier saldo awal kasbon while the day it was imported is open,
never below what was repaid since; after that day is closed it is refused (a correction is a
repayment or a kasbon correction).  A row left empty is skipped; a kasbon of 0 removes it.  A
kasbon above the member's limit is saved with a warning, as a limit lowered below what is owed
is (``credit.set_limit``): it only stops new kasbon at the till.  Refused: an unknown member, a
member twice in the file, an amount not in Rupiah, a date not in the calendar, after today or
before the member joined.
Used by ``pos members opening-kasbon`` and the page ``/kasbon/saldo-awal-kasbon``.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.dates import date_problem, parse_day_first
from pos.days.service import closed_message, ensure_open, is_closed
from pos.errors import PosError
from pos.inventory.catalog.spreadsheets import ImportErrors, Row, in_row_order
from pos.members.accounts import credit
from pos.members.accounts.models import OpeningKasbon
from pos.members.accounts.opening import Progress, row_problems, sent_with_a_closed_day, today_or
from pos.members.accounts.opening_members import members_of
from pos.members.models import Member
from pos.money import MoneyError, format_rupiah, is_negative_amount, parse_rupiah

IMPORT_COLUMNS, KEY = ["nomor", "nama", "kasbon", "tanggal"], "nomor"   # nama: read by people only
MAXIMUM = credit.MAX_LIMIT   # the largest limit there is: beyond it a typo


def blank(row: Row) -> bool:
    """A row of the list left empty: skipped, whatever is stored."""
    return not any((row.get(column) or "").strip() for column in ("kasbon", "tanggal"))


def _date(text: str) -> date:
    if len(text) == 19 and text.endswith(" 00:00:00"):   # a spreadsheet's date cell
        text = text[:10]
    return parse_day_first(text)


def _values(row: Row) -> tuple[dict, list[str]]:
    """The row's amount and date (None: blank), and its problems (no database needed)."""
    problems, values = [], {"amount": 0, "since": None}
    if row.get("_extra"):
        problems.append("lebih banyak kolom daripada judul.")
    text = (row.get("kasbon") or "").strip()
    try:
        values["amount"] = parse_rupiah(text, MAXIMUM) if text else 0
    except MoneyError as error:
        problems.append("kasbon harus 0 atau lebih." if is_negative_amount(text) else
                        error.of_field("kasbon"))
    typed = (row.get("tanggal") or "").strip()
    try:
        values["since"] = _date(typed) if typed else None
    except ValueError as error:
        problems.append(date_problem("tanggal", typed, error))
    if typed and not text:
        problems.append("tanggal diisi tetapi kasbon kosong.")
    return values, problems


def _member_problems(session: Session, member: Member, values: dict, today: date) -> list[str]:
    problems = []
    earlier = session.get(OpeningKasbon, member.id)
    if sent_with_a_closed_day(session, earlier, today):
        problems.append(f"saldo awal kasbon {member.number} sudah terkirim bersama hari "
                        f"{earlier.business_date:%d-%m-%Y} yang sudah ditutup; koreksi lewat angsuran di "
                        "kasir atau koreksi kasbon di kartu piutang.")
    since = values["since"]
    if since is not None and since > today:
        problems.append(f"tanggal {since:%d-%m-%Y} sesudah hari ini ({today:%d-%m-%Y}).")
    elif since is not None and since < member.joined_on:
        problems.append(f"tanggal {since:%d-%m-%Y} sebelum anggota masuk ({member.joined_on:%d-%m-%Y}).")
    repaid = (earlier.amount if earlier else 0) - credit.available(session, member.id)[1]   # since then
    if repaid > 0 and values["amount"] < repaid:
        problems.append(f"kasbon sudah diangsur {format_rupiah(repaid)} di kasir sejak saldo awal; saldo "
                        "awal kasbon tidak boleh lebih kecil.")
    return problems


def _warning(session: Session, member: Member, amount: int) -> str | None:
    """A kasbon the member's limit does not cover: saved, but no new kasbon at the till."""
    limit, owed = credit.available(session, member.id)
    earlier = session.get(OpeningKasbon, member.id)
    after = owed - (earlier.amount if earlier else 0) + amount
    if not amount or after <= limit:
        return None
    if limit <= 0:
        return (f"{member.number} belum punya batas kasbon: kasbon {format_rupiah(after)} tetap dicatat dan "
                "bisa diangsur, tetapi tidak bisa kasbon baru di kasir.")
    return (f"kasbon {member.number} {format_rupiah(after)} di atas batas kasbon {format_rupiah(limit)}: "
            "tetap dicatat, tetapi kasbon baru di kasir ditolak sampai di bawah batas.")


def checked(session: Session, rows: list[Row], progress: Progress = None, *,
            today: date | None = None) -> tuple[list[str], list[str]]:
    """Every problem of every row, as "Baris N: ..." (empty: the file is good), and the
    warnings of the good rows (above the member's kasbon limit)."""
    today = today_or(today)
    if is_closed(session, today):   # the upload would be refused (``ensure_open``): so is the check
        return [closed_message(today)], []
    members, errors, warnings, seen = members_of(session, rows), [], [], {}
    for done, row in enumerate(rows, start=1):
        problems = [] if blank(row) else row_problems(session, row, members, seen, today, _values,
                                                      _member_problems)
        errors += [f"Baris {row['_line']}: {p}" for p in problems]
        if not problems and not blank(row):
            member = members[(row.get("nomor") or "").strip().upper()]
            said = _warning(session, member, _values(row)[0]["amount"])
            warnings += [f"Baris {row['_line']}: {said}"] if said else []
        if progress and (done % 250 == 0 or done == len(rows)):
            progress(done, len(rows))
    return in_row_order(errors), warnings


def validate(session: Session, rows: list[Row], progress: Progress = None, *,
             today: date | None = None) -> list[str]:
    return checked(session, rows, progress, today=today)[0]


def import_rows(session: Session, rows: list[Row], user_id: int | None = None,
                progress: Progress = None, *, today: date | None = None) -> dict:
    """Save every row's saldo awal kasbon on today's business day, or raise ``ImportErrors``
    (the caller then rolls back).  The summary's ``notices``: the warnings."""
    if user_id is None:
        raise PosError("Saldo awal kasbon dicatat atas nama seorang manajer.")
    today = today_or(today)
    ensure_open(session, today)
    errors, warnings = checked(session, rows, today=today)
    if errors:
        raise ImportErrors(errors)
    members = members_of(session, rows)
    summary = {"total": len(rows), "created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    for done, row in enumerate(rows, start=1):
        summary[_save(session, row, members, today, user_id)] += 1
        if progress and (done % 100 == 0 or done == len(rows)):
            progress(done, len(rows))
    session.flush()
    return {**summary, "notices": warnings}


class OpeningKasbonFile:
    """The ``rules`` ``import_jobs`` runs for the page's upload and the command: the outlet's
    business date; the warnings of the last check (``notices``)."""

    IMPORT_COLUMNS, KEY = IMPORT_COLUMNS, KEY

    def __init__(self, today: date):
        self.today, self.warnings = today, []

    def validate(self, session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
        errors, self.warnings = checked(session, rows, progress, today=self.today)
        return errors

    def notices(self, session: Session) -> list[str]:
        return list(self.warnings)

    def import_rows(self, session: Session, rows: list[Row], user_id: int | None = None,
                    progress: Progress = None) -> dict:
        return import_rows(session, rows, user_id, progress, today=self.today)


def export_rows(session: Session) -> list[dict]:
    """Every member by number with their saldo awal kasbon (blank where none), to fill in."""
    return [{"nomor": member.number, "nama": member.name, "kasbon": found.amount if found else "",
             "tanggal": f"{found.since:%d-%m-%Y}" if found else ""}
            for member, found in session.execute(
                select(Member, OpeningKasbon).outerjoin(OpeningKasbon, OpeningKasbon.member_id == Member.id)
                .order_by(Member.number))]


def _save(session: Session, row: Row, members: dict[str, Member], today: date, user_id: int) -> str:
    """Store one checked row; what became of it (a summary's key)."""
    if blank(row):   # a row of the list left empty: skipped (not counted as unchanged)
        return "skipped"
    values, _ = _values(row)
    member = members[(row.get("nomor") or "").strip().upper()]
    amount, since, found = values["amount"], values["since"] or today, session.get(OpeningKasbon, member.id)
    if found is None and not amount:
        return "unchanged"
    if found is not None and (found.amount, found.since) == (amount, since):
        return "unchanged"
    now, entry_id = utcnow(), found.entry_id if found else None
    if found is not None and not amount:   # a kasbon of 0: no saldo awal (its entry goes after it)
        session.delete(found)
        session.flush()
    entry = credit.set_opening(session, member_id=member.id, amount=amount, since=since, user_id=user_id,
                               now=now, entry_id=entry_id)
    if found is None:
        session.add(OpeningKasbon(member_id=member.id, amount=amount, since=since, entry_id=entry,
                                  business_date=today, created_at=now, user_id=user_id))
        return "created"
    if amount:
        found.amount, found.since, found.business_date, found.created_at, found.user_id = (
            amount, since, today, now, user_id)
    return "updated"


def totals(session: Session) -> dict[str, int]:
    """How many members have a saldo awal kasbon, and its sum (for the page)."""
    count, amount = session.execute(
        select(func.count(), func.coalesce(func.sum(OpeningKasbon.amount), 0))).one()
    return {"members": int(count), "amount": int(amount)}
