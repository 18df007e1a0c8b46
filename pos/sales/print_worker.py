"""Runs print jobs against the printer: right after a sale, on "Cetak ulang", and on retry.

An entry point like a view or a CLI command (it opens its own transactions and
touches hardware, always after the sale's commit).  A job is claimed in-process
so the retry thread and a view never print the same receipt twice at once, and
only the first print of a sale may kick the cash drawer: a receipt that comes
out minutes later must not open the drawer.
"""
from __future__ import annotations

import dataclasses
import queue
import threading
import time
from contextlib import contextmanager

from sqlalchemy import bindparam, select

from pos.approvals.service import Actor
from pos.auth.models import User
from pos.clock import utcnow
from pos.db import get_db
from pos.hardware import HardwareError, no_drawer, not_printed
from pos.hardware.presence import missing
from pos.members.models import Member
from pos.sales import checkout, printing, receipt
from pos.sales.models import PrintKind, PrintStatus
from pos.shifts import drawer
from pos.sql_direct import Direct

_claimed: set[int] = set()
_claim_lock = threading.Lock()


@contextmanager
def _claim(job_id: int):
    with _claim_lock:
        free = job_id not in _claimed
        if free:
            _claimed.add(job_id)
    try:
        yield free
    finally:
        if free:
            with _claim_lock:
                _claimed.discard(job_id)


def in_flight(job_id: int) -> bool:
    """Whether this server is printing ``job_id`` now (claimed, at the printer: a slow one may
    take seconds); a job claimed and left without a result otherwise was cut off."""
    with _claim_lock:
        return job_id in _claimed


_CASHIER = Direct(select(User.__table__.c.full_name).where(User.__table__.c.id == bindparam("user")))
_MEMBER = Direct(select(Member.__table__.c.number, Member.__table__.c.name)
                 .where(Member.__table__.c.id == bindparam("member")))


def build_receipt(app, session, sale: checkout.SaleRecord, copy: bool = False,
                  cashier: str | None = None):
    """The receipt for ``sale``; pass ``cashier`` when the name is already known."""
    conn = session.connection()
    if cashier is None:
        cashier = _CASHIER.scalar(conn, {"user": sale.cashier_id}) or "-"
    member = None
    if sale.member_id is not None:
        row = _MEMBER.first(conn, {"member": sale.member_id})
        member = receipt.MemberInfo(*row) if row else None
    return receipt.build(sale, receipt.OutletInfo.from_config(app.config), cashier,
                         app.config["RECEIPT_COLUMNS"], copy=copy,
                         secret=app.config["SECRET_KEY"], member=member)


def run_job(app, job_id: int, *, first_print: bool = False) -> str | None:
    """Print one job; the error text when the printer failed, else None.

    Only a cash sale's first print may kick the drawer (never a copy, never a late
    retry).  That opening is logged (who, why) with the claim, before the drawer
    can move, and whether it opened is recorded with the attempt's result (not opened on a
    ``dummy://`` printer, which has no drawer: ``hardware.no_drawer``).

    Both writes are bookkeeping, not money (the sale is on disk already): they commit
    without an fsync, so a receipt costs only its sale's.  A power cut may lose them; the
    job is then printed once more, a copy too many rather than a sale too few.
    """
    with _claim(job_id) as free:
        if not free:
            return "struk sedang dicetak"
        database = get_db(app)
        with database.reading() as session:
            job = printing.job(session, job_id)
            if job is None or job.status == PrintStatus.PRINTED:
                return None
            sale = checkout.get_sale(session, job.sale_id)
            slip = build_receipt(app, session, sale, copy=job.kind == PrintKind.COPY)
        if not first_print or job.kind != PrintKind.RECEIPT:
            slip = dataclasses.replace(slip, open_drawer=False)
        drawer_event = None
        with database.transaction(durable=False) as session:
            if not printing.claim(session, job_id, job.attempts):
                return "struk sedang dicetak"
            if slip.open_drawer:
                drawer_event = printing.log_drawer(session, till_id=sale.till_id, user_id=sale.cashier_id,
                                                   sale_id=sale.id, reason="Penjualan tunai")
        error = _send(app, slip, job.till_id)
        with database.transaction(durable=False) as session:
            printing.record_result(session, job_id, error)
            if drawer_event is not None:   # on dummy:// no drawer answered the kick
                printing.drawer_outcome(session, drawer_event, error or no_drawer(
                    app.extensions["pos_devices"].till_printer(job.till_id)))
        return error


def no_printer(app, till_id: int | None) -> str | None:
    """"Struk tidak dicetak: …" when the till prints on a ``dummy://`` printer (its own, or the
    outlet's: ``hardware.not_printed``): its receipts are kept in memory and none comes out."""
    return not_printed(app.extensions["pos_devices"].till_printer(till_id), "Struk")


def open_drawer(app, actor: Actor, *, reason: str) -> tuple[str | None, int | None]:
    """Open the till's drawer on a manager's request (Perangkat); who and why are logged
    before it moves, whether it opened after.  While a shift is open at the till the opening is
    that shift's, as a no-sale opening (``shifts.drawer.open_at_till``), else a log row of no
    shift.  Returns the device's error in the staff's words (its own, often English, go to the
    log and the drawer's record) or None, and the shift it was recorded in or None."""
    reason = printing.drawer_reason(reason)   # refused before anything is written
    database = get_db(app)
    with database.transaction() as session:
        opened = drawer.open_at_till(session, actor, reason=reason, now=utcnow())
        event_id = opened.event_id if opened else printing.log_drawer(
            session, till_id=actor.till_id, user_id=actor.user_id, reason=reason)
    printer = app.extensions["pos_devices"].till_printer(actor.till_id)
    try:
        printer.open_drawer()
        error = said = no_drawer(printer)   # dummy://: no drawer answers it
    except HardwareError as failure:
        error, said = str(failure), failure.summary or str(failure)
        app.logger.warning("Laci kasir %s tidak terbuka: %s", actor.till_id, error)
    with database.transaction() as session:
        printing.drawer_outcome(session, event_id, error)
    return said, opened and opened.shift_id


def submit(app, job_id: int) -> str | None:
    """A sale's first print: queued for the print thread, or printed now when there is none.

    Returns the error of an immediate print; None when queued or printed.
    """
    queue_ = app.extensions.get("pos_print_queue")
    if queue_ is None:
        return run_job(app, job_id, first_print=True)
    queue_.put(job_id)
    return None


def start_print_thread(app) -> threading.Thread:
    """Prints queued receipts one after another, so the till never waits for paper."""
    jobs: queue.Queue = queue.Queue()
    app.extensions["pos_print_queue"] = jobs

    def loop():
        while True:
            job_id = jobs.get()
            try:
                run_job(app, job_id, first_print=True)
            except Exception:  # a broken job must not stop the printing of the next ones
                app.logger.exception("Cetak struk gagal")
            finally:
                jobs.task_done()

    thread = threading.Thread(target=loop, name="pos-printer", daemon=True)
    thread.start()
    return thread


def _send(app, slip, till_id: int | None) -> str | None:
    """Print on the till's own printer (the outlet's when it has none)."""
    try:
        app.extensions["pos_devices"].till_printer(till_id).print_receipt(slip)
    except HardwareError as error:
        app.logger.warning("Struk %s belum tercetak: %s", slip.receipt_no, error)
        return printing.error_text(error)
    return None


def retry_pending(app) -> int:
    """One pass over pending jobs; returns how many printed.

    Each printer is looked for first (``presence.missing``, 0.3 s at most, without its lock) and
    skipped for the pass when it is not there, or once a job on it failed: tried job after job, a
    printer that does not answer held its lock for seconds, and Cetak uji or a till's receipt on
    it waited behind the retry."""
    cfg = app.config
    with get_db(app).reading() as session:
        jobs = printing.retryable(session, now=utcnow(), min_age_s=cfg["PRINT_RETRY_MIN_AGE"],
                                  max_age_s=cfg["PRINT_RETRY_MAX_AGE"])
    devices, usable, printed = app.extensions["pos_devices"], {}, 0   # id(printer) -> try it now
    for job_id, till_id in jobs:
        device = devices.till_printer(till_id)
        if id(device) not in usable:
            usable[id(device)] = missing(device) is None
        if not usable[id(device)]:
            continue
        if run_job(app, job_id) is None:
            printed += 1
        else:
            usable[id(device)] = False
    return printed


def start_retry_thread(app) -> threading.Thread | None:
    interval = app.config["PRINT_RETRY_SECONDS"]
    if not interval:
        return None

    def loop():
        while True:
            time.sleep(interval)
            try:
                if get_db(app).schema.refusal() is None:   # as the pages: nothing on another schema
                    retry_pending(app)
            except Exception:  # keep retrying; a broken pass must not end the thread
                app.logger.exception("Percobaan ulang cetak gagal")

    thread = threading.Thread(target=loop, name="pos-print-retry", daemon=True)
    thread.start()
    return thread
