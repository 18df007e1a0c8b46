"""The drawers' reports: every shift with its float, its difference from the till's previous
closing count (money gone or come between two shifts), expected and counted cash, the difference
and its reason (``Shift dan selisih kas``), and every Kas masuk/keluar (``Kas masuk/keluar``).

Both take outlet-local business dates.  A closed shift shows what was stored when it closed
(a closed shift never changes); a shift still open shows its expected cash so far
(``pos.shifts.figures``), and no count.  Only reads.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.clock import to_local
from pos.reports.shape import Column, Report, Stack, page_bounds, totals_of
from pos.shifts.figures import figures
from pos.shifts.models import CashDirection, CashMovement, Shift
from pos.tills.models import Till

SHIFT_COLUMNS = [
    Column("date", "Tanggal", "date"), Column("till", "Mesin kasir"), Column("cashier", "Kasir"),
    Column("opened", "Buka", "time"), Column("closed", "Tutup", "time"),
    # only the differences add up to something: every drawer's float (often the same notes,
    # carried from shift to shift) is inside its expected and counted cash
    Column("float", "Kas awal", "rupiah"),
    Column("opening_difference", "Selisih kas awal", "rupiah", True, signed=True),
    Column("expected", "Kas diharapkan", "rupiah"),
    Column("counted", "Kas dihitung", "rupiah"), Column("difference", "Selisih", "rupiah", True, signed=True),
    Column("reason", "Alasan"), Column("approver", "Disetujui")]
# On screen the twelve columns are seven (1.348 px were too wide for a 1024 px screen): the
# float over its difference, expected over counted, times under the date, the till under the
# cashier, who approved under the reason; the files keep every column.
SHIFT_SCREEN = [
    Stack(("Tanggal", "Buka–tutup"), "Tanggal usaha; jam buka–tutup shift (tanggalnya ditulis "
          "bila lain dari tanggal usaha)", (("date",), ("opened", "closed"))),
    Stack(("Kasir", "Mesin kasir"), "Kasir; mesin kasir", (("cashier",), ("till",))),
    Stack(("Kas awal", "Selisih awal"), "Kas awal; selisih kas awal (kas awal - kas dihitung saat "
          "tutup shift sebelumnya di mesin itu)", (("float",), ("opening_difference",))),
    Stack(("Diharapkan", "Dihitung"), "Kas diharapkan; kas dihitung", (("expected",), ("counted",))),
    Stack(("Selisih",), "Selisih = kas dihitung - kas diharapkan (lebih +, kurang -)",
          (("difference",),)),
    Stack(("Alasan", "Disetujui"), "Alasan selisih; disetujui oleh", (("reason",), ("approver",)))]
CASH_COLUMNS = [
    Column("at", "Waktu", "time"), Column("till", "Mesin kasir"), Column("user", "Oleh"),
    Column("kind", "Jenis"), Column("cash_in", "Masuk", "rupiah", True),
    Column("cash_out", "Keluar", "rupiah", True), Column("reason", "Alasan"),
    Column("approver", "Disetujui")]
STILL_OPEN = "Shift masih terbuka"


def shift_report(session: Session, start: date, end: date, *, zone: str,
                 page: int | None = None, per_page: int = 50) -> Report:
    """Shifts opened from ``start`` to ``end``, oldest first; totals over every page."""
    cashier, approver, opener = aliased(User), aliased(User), aliased(User)
    rows = []
    for shift, till, who, boss, float_boss in session.execute(
            select(Shift, Till.name, cashier.full_name, approver.full_name, opener.full_name)
            .join(Till, Till.id == Shift.till_id).join(cashier, cashier.id == Shift.cashier_id)
            .outerjoin(approver, approver.id == Shift.approved_by)
            .outerjoin(opener, opener.id == Shift.opening_approved_by)
            .where(Shift.business_date.between(start, end))
            .order_by(Shift.business_date, Shift.opened_at, Shift.id)):
        still_open = shift.closed_at is None
        reason = shift.close_reason or ""
        if shift.opening_note:
            reason = "; ".join(x for x in (f"Kas awal: {shift.opening_note}", reason) if x)
        if still_open:
            reason = "; ".join(x for x in (reason if shift.opening_note else "", STILL_OPEN) if x)
        approvers = "; ".join(x for x in (float_boss and f"Kas awal: {float_boss}", boss) if x)
        rows.append({
            "date": shift.business_date, "till": till, "cashier": who,
            "opened": _local(shift.opened_at, zone), "closed": _local(shift.closed_at, zone),
            "float": shift.opening_float, "opening_difference": shift.opening_difference,
            "expected": figures(session, shift).expected["cash"] if still_open
            else shift.expected_cash,
            "counted": shift.counted_cash,
            "difference": None if still_open else shift.counted_cash - shift.expected_cash,
            "reason": reason, "approver": approvers})
    report = Report("shift", "Shift dan selisih kas", list(SHIFT_COLUMNS), rows,
                    totals_of(SHIFT_COLUMNS, rows), len(rows), 1, per_page, screen=SHIFT_SCREEN,
                    note="Selisih = kas dihitung - kas diharapkan (lebih +, kurang -). Selisih kas "
                    "awal = kas awal - kas dihitung saat tutup shift sebelumnya di mesin itu.")
    if page is not None:
        limit, offset = page_bounds(page, per_page)
        report.rows, report.page = rows[offset:offset + limit], max(page, 1)
    return report


def cash_movements(session: Session, start: date, end: date, *, zone: str,
                   page: int | None = None, per_page: int = 50) -> Report:
    """Kas masuk and Kas keluar of ``start`` to ``end``, oldest first; totals in SQL."""
    where = (CashMovement.business_date.between(start, end),)
    incoming = CashMovement.direction == CashDirection.IN
    cash_in = case((incoming, CashMovement.amount), else_=0)
    cash_out = case((incoming, 0), else_=CashMovement.amount)
    count, total_in, total_out = session.execute(
        select(func.count(CashMovement.id), func.coalesce(func.sum(cash_in), 0),
               func.coalesce(func.sum(cash_out), 0)).where(*where)).one()
    who, approver = aliased(User), aliased(User)
    query = (select(CashMovement.created_at, Till.name, who.full_name, CashMovement.direction,
                    CashMovement.amount, CashMovement.reason, approver.full_name)
             .join(Till, Till.id == CashMovement.till_id).join(who, who.id == CashMovement.user_id)
             .outerjoin(approver, approver.id == CashMovement.approved_by)
             .where(*where).order_by(CashMovement.created_at, CashMovement.id))
    if page is not None:
        limit, offset = page_bounds(page, per_page)
        query = query.limit(limit).offset(offset)
    rows = [{"at": _local(at, zone), "till": till, "user": user, "kind": direction.label,
             "cash_in": amount if direction is CashDirection.IN else 0,
             "cash_out": amount if direction is CashDirection.OUT else 0,
             "reason": reason, "approver": boss or ""}
            for at, till, user, direction, amount, reason, boss in session.execute(query)]
    totals = {"at": "Total", "cash_in": int(total_in), "cash_out": int(total_out)}
    return Report("kas", "Kas masuk/keluar", list(CASH_COLUMNS), rows, totals, int(count),
                  page or 1, per_page)


def _local(moment, zone: str):
    return None if moment is None else to_local(moment, zone).replace(tzinfo=None)
