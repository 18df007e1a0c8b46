"""Saldo awal simpanan: members' savings from before the gerai's first day, from a file (CSV or
XLSX, read by the catalog's ``spreadsheets``): every row checked first, then all rows saved or
none (the caller's transaction).

Columns: nomor (the member's number), nama (for people; not read), simpanan_pokok,
simpanan_wajib, wajib_lunas_sampai (the last month of wajib paid, ``MM-YYYY`` or ``YYYY-MM``;
needed when simpanan_wajib is above zero), simpanan_sukarela; amounts in Rupiah (``100000``,
``100.000`` or ``Rp100.000``, blank is 0).
The months from the member's join month to wajib_lunas_sampai count as paid: the counter no
longer lists them.  A row replaces the member's earlier saldo awal while the day it was
imported is still open (it goes to the hub with that day, as the member's savings); after
that it is refused, and a correction is a deposit or a cancellation at the counter.  A row left
empty is skipped (the downloaded list imports as it is); a row of zeros removes the member's
saldo awal.  A spreadsheet's date cell in wajib_lunas_sampai is read as its month.  Refused
too: an unknown member, a month or pokok the counter already took a document for, a month
before joining, sukarela below what the member has since withdrawn, a member twice in the file.
Used by ``pos members opening-savings`` and the page ``/kasbon/saldo-awal``.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.clock import business_date, utcnow
from pos.config import DefaultConfig
from pos.dates import parse_day_first
from pos.days.service import closed_message, ensure_open, is_closed
from pos.inventory.catalog.spreadsheets import Hint, ImportErrors, Row, in_row_order
from pos.members.accounts import savings
from pos.members.accounts.models import DocumentLine, MemberDocument, OpeningSaving, SavingKind
from pos.members.accounts.opening_members import members_of
from pos.members.models import Member
from pos.money import MoneyError, format_rupiah, is_negative_amount, parse_rupiah

COLUMNS = ["nomor", "simpanan_pokok", "simpanan_wajib", "wajib_lunas_sampai", "simpanan_sukarela"]
IMPORT_COLUMNS, KEY = ["nomor", "nama", *COLUMNS[1:]], "nomor"   # nama: read by people only
AMOUNTS = {"simpanan_pokok": "pokok", "simpanan_wajib": "wajib", "simpanan_sukarela": "sukarela"}
MAXIMUM = 10_000_000_000   # Rp10 milyar for one member's savings: beyond it a typo
Progress = Callable[[int, int], None] | None


def today_or(today: date | None) -> date:
    """The outlet's business date the caller gives (views and commands: in the outlet's zone,
    ``POS_TIMEZONE``); without one, the default zone's (tests)."""
    return today or business_date(utcnow(), DefaultConfig.TIMEZONE)


def _month(text: str) -> date:
    """``09-2026`` or ``2026-09``; a whole date (a spreadsheet's date cell, ``01-09-2026``, or
    ``2026-09-01``) is its month."""
    if len(text) == 19 and text.endswith(" 00:00:00"):
        text = text[:10]
    if len(text) == 10:
        return savings.month_start(parse_day_first(text))
    return savings.parse_month(text)


def blank(row: Row) -> bool:
    """A row of the list left empty (its amounts and month): skipped, whatever is stored."""
    return not any((row.get(column) or "").strip() for column in (*AMOUNTS, "wajib_lunas_sampai"))


def _values(row: Row) -> tuple[dict, list[str]]:
    """The row's amounts and last month of wajib, and its problems (no database needed)."""
    problems, values = [], {}
    if row.get("_extra"):
        problems.append("lebih banyak kolom daripada judul.")
    for column, key in AMOUNTS.items():
        text = (row.get(column) or "").strip()
        try:
            values[key] = parse_rupiah(text, MAXIMUM) if text else 0
        except MoneyError as error:
            problems.append(f"{column} harus 0 atau lebih." if is_negative_amount(text) else
                            error.of_field(column))
    month = (row.get("wajib_lunas_sampai") or "").strip()
    try:
        values["wajib_through"] = _month(month) if month else None
    except ValueError:
        problems.append(f"wajib_lunas_sampai '{month[:20]}' bukan bulan (MM-YYYY).")
    if values.get("wajib") and not month:
        problems.append("simpanan_wajib di atas nol perlu wajib_lunas_sampai (bulan terakhir dibayar).")
    if month and values.get("wajib") == 0:
        problems.append("wajib_lunas_sampai diisi tetapi simpanan_wajib nol.")
    return values, problems


def _member_problems(session: Session, member: Member, values: dict, today: date) -> list[str]:
    problems = []
    earlier = session.get(OpeningSaving, member.id)
    if sent_with_a_closed_day(session, earlier, today):
        problems.append(f"saldo awal {member.number} sudah terkirim bersama hari "
                        f"{earlier.business_date:%d-%m-%Y} yang sudah ditutup; koreksi lewat setoran atau "
                        "pembatalan di kasir.")
    through = values.get("wajib_through")
    if through is not None:
        if through < savings.month_start(member.joined_on):
            problems.append(f"wajib_lunas_sampai {savings.month_label(through)} sebelum bulan masuk "
                            f"({savings.month_label(savings.month_start(member.joined_on))}).")
        elif through > savings.month_start(today):
            problems.append(f"wajib_lunas_sampai {savings.month_label(through)} sesudah bulan ini.")
        taken = session.scalar(select(func.min(DocumentLine.paid_month)).where(
            DocumentLine.member_id == member.id, DocumentLine.saving == SavingKind.WAJIB,
            DocumentLine.paid_month <= through))
        if taken is not None:
            problems.append(f"simpanan wajib {savings.month_label(taken)} sudah dibayar di kasir.")
    if values.get("pokok") and session.scalar(   # paid in at the till (a leaver's refund is not)
            select(func.coalesce(func.sum(savings.signed_amount()), 0)).select_from(DocumentLine)
            .join(MemberDocument, MemberDocument.id == DocumentLine.document_id)
            .where(DocumentLine.member_id == member.id, DocumentLine.saving == SavingKind.POKOK)) > 0:
        problems.append("simpanan pokok sudah dibayar di kasir.")
    now = savings.summary(session, member.id, today).as_dict()
    for kind, done in (("pokok", "dikembalikan"), ("wajib", "dikembalikan"), ("sukarela", "ditarik")):
        held = now[kind] - (getattr(earlier, kind) if earlier else 0)   # the till's part of it
        if kind in values and held + values[kind] < 0:   # what went out would leave it below zero
            problems.append(f"{kind} sudah {done} {format_rupiah(-held)} di kasir; saldo awal "
                            "tidak boleh lebih kecil.")
    return problems


def sent_with_a_closed_day(session: Session, earlier, today: date) -> bool:
    """Whether a member's saldo awal imported before (``earlier``: its row, or None) went to the
    hub with a day since closed: then it is no longer replaced by a file, but corrected at the
    counter."""
    return (earlier is not None and earlier.business_date != today
            and is_closed(session, earlier.business_date))


def row_problems(session: Session, row: Row, members: dict[str, Member | str], seen: dict[int, int],
                 today: date,
                 values_of: Callable[[Row], tuple[dict, list[str]]],
                 problems_of: Callable[[Session, Member, dict, date], list[str]]) -> list[str]:
    """A saldo awal row's problems (savings or kasbon): its values' (``values_of``), its member
    unknown or named twice in the file (``seen``: member id -> row), or the member's own
    (``problems_of``, when the values are good)."""
    values, problems = values_of(row)
    number = (row.get("nomor") or "").strip()
    member = members.get(number.upper())
    if not isinstance(member, Member):   # unknown, or digits that may be two members (opening_members)
        problems.append(member or (f"anggota '{number[:40]}' tidak ditemukan." if number
                                   else "nomor wajib diisi."))
    elif member.id in seen:
        problems.append(f"anggota {member.number} juga ada di baris {seen[member.id]}.")
    else:
        seen[member.id] = row["_line"]
        problems += problems_of(session, member, values, today) if not problems else []
    return problems


WAJIB_CONFIRM = "wajib_ok"   # the upload's tick boxes
POKOK_CONFIRM = "pokok_ok"
WAJIB_HINT = Hint("Bila iuran wajib dulu berbeda dari sekarang, unggah lagi dengan centang “Simpanan "
                  "wajib memang berbeda dari iuran × bulan” (perintah: pos members opening-savings "
                  "--wajib-ok).")
POKOK_HINT = Hint("Bila simpanan pokok dulu berbeda dari sekarang, unggah lagi dengan centang “Simpanan "
                  "pokok memang berbeda dari iuran pokok sekarang” (perintah: pos members opening-savings "
                  "--pokok-ok).")


def validate(session: Session, rows: list[Row], progress: Progress = None, *,
             today: date | None = None, wajib_rate: int = 0, wajib_ok: bool = False,
             pokok_rate: int = 0, pokok_ok: bool = False) -> list[str]:
    """Every problem of every row, as "Baris N: ..."; an empty list means the file is good.
    With ``wajib_rate`` (a month's wajib now), a simpanan_wajib that is not the months paid
    times it is one too, unless ``wajib_ok`` (the manager confirmed an older rate); with
    ``pokok_rate`` (the pokok now), a simpanan_pokok other than it or nothing, unless
    ``pokok_ok``: any pokok imported is paid (the counter asks for no more of it)."""
    today = today_or(today)
    if is_closed(session, today):   # the upload would be refused (``ensure_open``): so is the check
        return [closed_message(today)]
    members, errors, seen = members_of(session, rows), [], {}
    differs: dict[str, list[str]] = {WAJIB_HINT: [], POKOK_HINT: []}
    for done, row in enumerate(rows, start=1):
        problems = [] if blank(row) else row_problems(session, row, members, seen, today, _values,
                                                      _member_problems)
        errors += [f"Baris {row['_line']}: {p}" for p in problems]
        if not problems and not blank(row):
            if wajib_rate and not wajib_ok:
                differs[WAJIB_HINT] += [f"Baris {row['_line']}: {d}"
                                        for d in _wajib_differs(row, members, wajib_rate)]
            if pokok_rate and not pokok_ok:
                differs[POKOK_HINT] += [f"Baris {row['_line']}: {d}" for d in _pokok_differs(row, pokok_rate)]
        if progress and (done % 250 == 0 or done == len(rows)):
            progress(done, len(rows))
    return in_row_order(errors + differs[WAJIB_HINT] + differs[POKOK_HINT]) + [
        hint for hint, said in differs.items() if said]


def _pokok_differs(row: Row, rate: int) -> list[str]:
    """A checked row's simpanan_pokok against the pokok now: paid (the rate) or not (nothing); any
    other amount is a typo or a pokok the cooperative asked before."""
    amount = _values(row)[0].get("pokok") or 0
    if amount in (0, rate):
        return []
    return [f"simpanan_pokok {format_rupiah(amount)} bukan simpanan pokok sekarang ({format_rupiah(rate)}, "
            "lunas) atau 0 (belum dibayar)."]


def _wajib_differs(row: Row, members: dict[str, Member], rate: int) -> list[str]:
    """A checked row's simpanan_wajib against the months from joining to wajib_lunas_sampai times
    a month's wajib now (a typo, or a rate the cooperative had before)."""
    values, _ = _values(row)
    through, amount = values.get("wajib_through"), values.get("wajib") or 0
    member = members[(row.get("nomor") or "").strip().upper()]
    if through is None or not amount:
        return []
    months = len(savings.months_between(member.joined_on, through))
    if amount == months * rate:
        return []
    return [f"simpanan_wajib {format_rupiah(amount)} untuk {months} bulan "
            f"({savings.month_label(savings.month_start(member.joined_on))} s.d. "
            f"{savings.month_label(through)}) dengan iuran {format_rupiah(rate)} sebulan semestinya "
            f"{format_rupiah(months * rate)}."]


def import_rows(session: Session, rows: list[Row], user_id: int | None = None,
                progress: Progress = None, *, today: date | None = None, **rates) -> dict[str, int]:
    """Save every row's saldo awal on today's business day, or raise ``ImportErrors`` (the
    caller then rolls back); ``rates`` as ``validate`` takes them."""
    today = today_or(today)
    ensure_open(session, today)
    errors = validate(session, rows, today=today, **rates)
    if errors:
        raise ImportErrors(errors)
    members = members_of(session, rows)
    summary = {"total": len(rows), "created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    for done, row in enumerate(rows, start=1):
        summary[_save(session, row, members, today, user_id)] += 1
        if progress and (done % 100 == 0 or done == len(rows)):
            progress(done, len(rows))
    session.flush()
    return summary


class OpeningFile:
    """The ``rules`` ``import_jobs`` runs for the page's upload and the command: the outlet's
    business date, a month's wajib and the pokok now, and the manager's answers to a wajib or a
    pokok that differs."""

    IMPORT_COLUMNS, KEY = IMPORT_COLUMNS, KEY

    def __init__(self, today: date, wajib_rate: int = 0, wajib_ok: bool = False, *,
                 pokok_rate: int = 0, pokok_ok: bool = False):
        self.rules = {"today": today, "wajib_rate": wajib_rate, "wajib_ok": wajib_ok,
                      "pokok_rate": pokok_rate, "pokok_ok": pokok_ok}

    def validate(self, session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
        return validate(session, rows, progress, **self.rules)

    def import_rows(self, session: Session, rows: list[Row], user_id: int | None = None,
                    progress: Progress = None) -> dict[str, int]:
        return import_rows(session, rows, user_id, progress, **self.rules)


def export_rows(session: Session) -> list[dict]:
    """Every member by number with their saldo awal (blank where none), to fill in and import."""
    rows = []
    for member, found in session.execute(
            select(Member, OpeningSaving).outerjoin(OpeningSaving, OpeningSaving.member_id == Member.id)
            .order_by(Member.number)):
        through = found and found.wajib_through
        amounts = {column: getattr(found, key) if found else "" for column, key in AMOUNTS.items()}
        rows.append({"nomor": member.number, "nama": member.name, **amounts,
                     "wajib_lunas_sampai": f"{through:%m-%Y}" if through else ""})
    return rows


def _save(session: Session, row: Row, members: dict[str, Member], today: date, user_id: int | None) -> str:
    """Store one checked row; what became of it (a summary's key)."""
    if blank(row):   # a row of the list left empty: nothing said of that member, skipped
        return "skipped"
    values, _ = _values(row)
    member = members[(row.get("nomor") or "").strip().upper()]
    found = session.get(OpeningSaving, member.id)
    if not any(values.values()):   # all zero: no saldo awal (an earlier one goes)
        if found is None:
            return "unchanged"
        session.delete(found)
        return "updated"
    if found is None:
        session.add(OpeningSaving(member_id=member.id, business_date=today, user_id=user_id, **values))
        return "created"
    if all(getattr(found, key) == value for key, value in values.items()):
        return "unchanged"
    for key, value in values.items():
        setattr(found, key, value)
    found.business_date, found.user_id, found.created_at = today, user_id, utcnow()
    return "updated"


def totals(session: Session) -> dict[str, int]:
    """How many members have a saldo awal, and its sums per kind (for the page)."""
    kinds = ("pokok", "wajib", "sukarela")
    count, *sums = session.execute(select(func.count(), *(
        func.coalesce(func.sum(getattr(OpeningSaving, kind)), 0) for kind in kinds))).one()
    return {"members": int(count), **{kind: int(amount) for kind, amount in zip(kinds, sums, strict=True)}}
