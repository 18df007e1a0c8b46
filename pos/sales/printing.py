"""The receipt print queue and the cash-drawer log (services: a session and plain values).

A sale writes its ``PrintJob`` in the sale's own transaction, so a receipt can
never be forgotten: the view prints right after the commit, and whatever failed
stays pending for the retry worker or the cashier's "Cetak ulang".  Copies are
jobs too, which makes the job table the reprint log (who, when).  A copy prints only while the
cashier who asked for it waits: one that failed keeps its error in the log and is dropped (never
retried, never on the list of receipts waiting for paper); the cashier asks again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import PosError, typed
from pos.sales.models import DrawerEvent, PrintJob, PrintKind, PrintStatus, Sale
from pos.sql_direct import Direct, DirectInsert

_job_t = PrintJob.__table__
_INSERT_JOB = DirectInsert(_job_t, returning=_job_t.c.id)  # after every sale: on the cursor
# Built once: the print thread runs them after every sale, beside the tills.
_JOB = Direct(select(_job_t).where(_job_t.c.id == bindparam("job_id")))
_CLAIM = Direct(update(_job_t).where(_job_t.c.id == bindparam("job_id"),
                                     _job_t.c.status == PrintStatus.PENDING,
                                     _job_t.c.attempts == bindparam("seen"))
                .values(attempts=_job_t.c.attempts + 1))
_PRINTED = Direct(update(_job_t).where(_job_t.c.id == bindparam("job_id")).values(
    status=PrintStatus.PRINTED, printed_at=bindparam("at"), last_error=None))
_FAILED = Direct(update(_job_t).where(_job_t.c.id == bindparam("job_id"))
                 .values(last_error=bindparam("error")))
_drawer_t = DrawerEvent.__table__
_INSERT_DRAWER = DirectInsert(_drawer_t, returning=_drawer_t.c.id)
_OUTCOME = Direct(update(_drawer_t).where(_drawer_t.c.id == bindparam("event_id")).values(
    opened=bindparam("did_open"), error=bindparam("failure")))


def enqueue(session: Session, sale_id: int, kind: PrintKind = PrintKind.RECEIPT,
            requested_by: int | None = None, check: bool = True, till_id: int | None = None) -> int:
    """A job for the printer of ``till_id`` (the sale's till, or the till asking for a copy)."""
    if check and session.scalar(select(Sale.id).where(Sale.id == sale_id)) is None:
        raise PosError("Transaksi tidak ditemukan.", 404)
    return _INSERT_JOB.scalar(session.connection(), dict(
        sale_id=sale_id, till_id=till_id, kind=kind, status=PrintStatus.PENDING,
        requested_by=requested_by, attempts=0, created_at=utcnow()))


def _waiting_receipt(sale_id):
    """The sale's own receipt job, while it has not printed (copies are other jobs)."""
    return (PrintJob.sale_id == sale_id, PrintJob.kind == PrintKind.RECEIPT,
            PrintJob.status == PrintStatus.PENDING)


def unprinted_receipt(session: Session, sale_id: int) -> int | None:
    """The sale's own receipt job while it has not printed: "Cetak ulang" prints it (the
    customer has none yet), rather than a copy beside it that the retry would print too."""
    return session.scalar(select(PrintJob.id).where(*_waiting_receipt(sale_id))
                          .order_by(PrintJob.id).limit(1))


RECENT = timedelta(minutes=2)   # a reload this soon after a sale may have come mid-payment


@dataclass(frozen=True)
class Unprinted:
    sale_id: int
    receipt_no: str
    problem: tuple[str, str] | None   # ``problem``'s pair when its print failed, else None
    total: int = 0
    change: int = 0
    recent: bool = True     # made within ``RECENT``: the till shows it as made, with its change
    waiting: bool = False   # its receipt has not printed, and no print of it failed: never run,
    #                         or cut off by the server's end (a power cut right after the sale)


def left_unprinted(session: Session, shift_id: int, now: datetime | None = None) -> Unprinted | None:
    """The shift's last sale, which the till shows again after a reload: for ``RECENT`` after
    it was made (a reload during the payment, or the server's restart after a power cut, saved
    the sale and showed nothing of it: the cashier sees it was made, and its change); and while
    its receipt waits after a print was tried (Cetak ulang), as it did right after the sale.

    A try that failed left the device's words (``problem``); one that left none was cut off
    (the server ended while it printed) or is printing now: the receipt is only not printed yet
    (``waiting``), the printer is not blamed."""
    last = select(Sale.id).where(Sale.shift_id == shift_id).order_by(Sale.id.desc()).limit(1)
    row = session.execute(   # one statement: the last sale, and its receipt while it waits
        select(Sale.id, Sale.receipt_no, Sale.total, Sale.change, Sale.created_at,
               PrintJob.id.label("job"), PrintJob.attempts, PrintJob.last_error)
        .outerjoin(PrintJob, and_(*_waiting_receipt(Sale.id)))
        .order_by(PrintJob.id).where(Sale.id == last.scalar_subquery()).limit(1)).first()
    if row is None:
        return None
    recent = row.created_at >= (now or utcnow()) - RECENT
    if not recent and (row.job is None or row.attempts == 0):  # printed, or the retry's to print
        return None
    failed = row.job is not None and row.last_error is not None
    return Unprinted(row.id, row.receipt_no, problem(row.last_error) if failed else None,
                     row.total, row.change, recent=recent, waiting=row.job is not None and not failed)


def job(session: Session, job_id: int):
    return _JOB.first(session.connection(), {"job_id": job_id})


def claim(session: Session, job_id: int, seen_attempts: int) -> bool:
    """Take a pending job for one attempt; False when another process took it first.

    The attempt counter doubles as an optimistic lock, so the server's print
    thread and a ``pos hardware retry-prints`` never print the same receipt twice.
    """
    return _CLAIM.run(session.connection(), {"job_id": job_id, "seen": seen_attempts}) == 1


# Parts the cashier's sentence from the device's own words in a job's stored error (the column
# keeps no control characters, so no newline).
_DETAIL = " | "


ERROR_LENGTH = 200   # print_job.last_error, drawer_event.error


def error_text(error) -> str:
    """What a job keeps of a device's failure (a ``HardwareError``): the cashier's sentence,
    then the device's own words, when there are any (``problem`` parts them again)."""
    summary = error.summary or str(error)
    return f"{summary}{_DETAIL}{error.detail}" if error.detail else summary


def fitted(text: str) -> str:
    """``text`` (``error_text``'s) within ``ERROR_LENGTH`` for its column: the device's words are
    cut first (the log has them whole), then the sentence's advice (a printer not found:
    ``hardware.presence.cannot_open``), never the sentence saying what is wrong."""
    if len(text) <= ERROR_LENGTH:
        return text
    summary, _, _ = text.partition(_DETAIL)
    if len(summary) + len(_DETAIL) + 20 <= ERROR_LENGTH:
        return text[:ERROR_LENGTH]
    cut = summary[:ERROR_LENGTH]
    return cut[:cut.rfind(". ") + 1] or cut


def problem(text: str | None) -> tuple[str, str]:
    """A job's error as (the cashier's sentence, the device's own words or "")."""
    summary, _, detail = (text or "").partition(_DETAIL)
    return summary, detail


def record_result(session: Session, job_id: int, error: str | None,
                  now: datetime | None = None) -> None:
    """A success marks the job printed; a failure keeps it pending with the reason (a receipt's
    for the retry; a copy's for the log only: ``retryable`` drops it)."""
    if error is None:
        _PRINTED.run(session.connection(), {"job_id": job_id, "at": now or utcnow()})
    else:
        _FAILED.run(session.connection(), {"job_id": job_id, "error": fitted(error) or None})


# A job that still waits for paper: a sale's own receipt (a copy that failed is dropped).
_WAITING = (PrintJob.status == PrintStatus.PENDING, PrintJob.kind == PrintKind.RECEIPT)


def retryable(session: Session, *, now: datetime, min_age_s: int, max_age_s: int,
              limit: int = 20) -> list:
    """Receipts not printed, old enough that the view is done with them, young enough to still
    matter.  Never a copy: one printed minutes after the cashier was told it failed (and pressed
    again, or gave up) is paper nobody asked for.  Rows of (id, till_id)."""
    return list(session.execute(
        select(PrintJob.id, PrintJob.till_id).where(
            *_WAITING,
            PrintJob.created_at <= now - timedelta(seconds=min_age_s),
            PrintJob.created_at >= now - timedelta(seconds=max_age_s))
        .order_by(PrintJob.id).limit(limit)))


def unprinted(session: Session, limit: int = 50) -> list:
    """Receipts still waiting for paper, newest first (the manager's list)."""
    return session.execute(
        select(PrintJob.id, PrintJob.sale_id, PrintJob.kind, PrintJob.attempts,
               PrintJob.last_error, PrintJob.created_at, Sale.receipt_no)
        .join(Sale, Sale.id == PrintJob.sale_id)
        .where(*_WAITING)
        .order_by(PrintJob.id.desc()).limit(limit)).all()


def pending_count(session: Session) -> int:
    """How many receipts are still waiting for paper (the manager's home page)."""
    return session.scalar(select(func.count()).select_from(PrintJob).where(*_WAITING)) or 0


def drawer_reason(reason: str | None) -> str:
    """The reason typed for opening the drawer, whole (never cut: the log keeps it), at least 3
    letters; else ``PosError``."""
    reason = typed(reason, 200, "Alasan membuka laci")
    if len(reason) < 3:
        raise PosError("Tulis alasan membuka laci (minimal 3 huruf).")
    return reason


def log_drawer(session: Session, *, till_id: int, user_id: int, reason: str,
               sale_id: int | None = None, now: datetime | None = None) -> int:
    """Write who opens the drawer and why, before the drawer is kicked (``now``: when the
    document that opens it was made, if not now)."""
    reason = drawer_reason(reason)
    return _INSERT_DRAWER.scalar(session.connection(), dict(
        till_id=till_id, user_id=user_id, sale_id=sale_id, reason=reason, opened=False,
        error=None, created_at=now or utcnow(), no_sale=False))


def drawer_outcome(session: Session, event_id: int, error: str | None) -> None:
    """Whether the drawer opened (the error, when not). A statement built once: as an ORM
    update made per call it cost 0.27 ms of a cash sale's 1.9 ms print job (print thread)."""
    _OUTCOME.run(session.connection(), {"event_id": event_id, "did_open": error is None,
                                        "failure": fitted(error) if error else None})
