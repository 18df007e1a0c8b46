"""The outlet's first business day, and the one rule for a single business day asked for outside
the outlet's life: a day not yet come (``pos.dates.not_yet``) or before its first activity has
nothing to show, close or send, so it is refused with what there is not and why, never shown as
a summary of zeros (with downloads) that reads as a day with nothing sold.  Used by the day
report (``/laporan/harian``, ``pos report day``) and Tutup hari (its preview, summary page and
close, ``pos day close`` / ``status``)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.clock import business_date
from pos.dates import not_yet
from pos.days.models import BusinessDay
from pos.inventory.models import StockMovement
from pos.members.accounts import corrections
from pos.members.accounts.models import CreditEntry, MemberDocument, OpeningKasbon, OpeningSaving
from pos.returns.models import SaleReturn
from pos.sales.models import Sale
from pos.shifts.models import Shift

# The business-date columns that make a day one with something to close, each with the rows
# that count (None: all): of the kasbon entries only a manager's Koreksi kasbon (its journal lines).
ACTIVE = ((Shift.business_date, None), (Sale.business_date, None), (SaleReturn.business_date, None),
          (MemberDocument.business_date, None), (OpeningSaving.business_date, None),
          (OpeningKasbon.business_date, None), (CreditEntry.business_date, corrections.free))


def active(col, only, *where):
    """``select(col)`` of an ``ACTIVE`` source's rows (``only``) where ``where`` holds."""
    return select(col).where(*where, *([only()] if only else []))

# What a summary refused says there is not (``summary_refused``).
NO_SUMMARY_YET, NO_SUMMARY = "belum ada ringkasan", "tidak punya ringkasan"


def first_activity(session: Session, zone: str) -> date | None:
    """The outlet's first business day with anything in its books: a shift, sale, return,
    member document, members' saldo awal, Koreksi kasbon or closed day, or the first stock movement (receiving
    and counts come before the first sale); None for an outlet that has done nothing yet."""
    # one round trip; the first stock movement by id (ids follow time: read by the key)
    *found, moved = session.execute(select(
        *(active(func.min(col), only).scalar_subquery()
          for col, only in (*ACTIVE, (BusinessDay.business_date, None))),
        select(StockMovement.created_at).order_by(StockMovement.id).limit(1).scalar_subquery(),
    )).one()
    days = [d for d in (*found, moved and business_date(moved, zone)) if d is not None]
    return min(days) if days else None


def before_first(session: Session, day: date, zone: str, then: str = "tidak dapat ditutup", *,
                 today: date | None = None) -> str | None:
    """Why ``day`` is refused when it comes before the outlet's first activity (a slip of the
    date: a day never lived), saying what it cannot (``then``); else None.  With ``today``, today
    itself is never refused (a new outlet's report of today: all zeros, and true), nor asked."""
    if today is not None and day >= today:
        return None
    first = first_activity(session, zone)
    if first is not None and day >= first:
        return None
    since = "belum ada kegiatan apa pun" if first is None else f"kegiatan pertama gerai pada {first:%d-%m-%Y}"
    return f"Hari {day:%d-%m-%Y} {then}: {since}. Periksa tanggalnya."


def summary_refused(session: Session, day: date, today: date, zone: str) -> str | None:
    """Why there is no summary of ``day`` to show (not yet come, or before the first activity),
    as the day report and Tutup hari say it; None for a day of the outlet's life."""
    return not_yet(day, today, NO_SUMMARY_YET) or before_first(session, day, zone, NO_SUMMARY, today=today)
