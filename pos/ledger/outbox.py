"""Writing documents into the outbox and reading its state for the manager."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pos.ledger.models import LedgerOutbox, OutboxStatus
from pos.ledger_hub import protocol


def enqueue(session: Session, document: dict) -> LedgerOutbox:
    """Add ``document`` (without its hash) to the outbox, hashed and frozen as sent text.

    Called inside the transaction of the change it reports; the unique document id makes a
    second enqueue of the same document fail with that transaction."""
    sealed = dict(document)
    sealed["hash"] = protocol.content_hash(document)
    row = LedgerOutbox(document_id=document["document_id"], kind=document["kind"],
                       business_date=date.fromisoformat(document["business_date"]),
                       body=protocol.canonical(sealed).decode("utf-8"),
                       content_hash=sealed["hash"], status=OutboxStatus.PENDING, attempts=0)
    session.add(row)
    session.flush()
    return row


# A push the hub refused for the outlet itself (``push``): its token, secret or clock, or the
# outlet deactivated at the hub ("hub menolak kiriman gerai ini (HTTP 401): …"). Every document
# would fail alike until it is put right, however new the queue.
REFUSED = "hub menolak kiriman gerai ini"
_REFUSED_BEFORE = "hub menolak kredensial/jam gerai"   # the same, as stored before 06-12-2026
# Documents made under another outlet code than POS_OUTLET_CODE: the push sends none of them
# ("tidak dikirim: dokumen … dibuat dengan kode gerai …"); the outlet's own setting, not the hub.
NOT_SENT = "tidak dikirim"
_NOT_SENT_BEFORE = f"{REFUSED}: dokumen "   # the same, as stored before 07-12-2026
# A document the hub holds but its operator voided (answered "duplicate" with "void"): sent, never
# sent again, and not booked; kept on the sent row's ``last_error`` as "dibatalkan di hub: …" with
# the hub's message (a sent row's ``last_error`` is otherwise empty).
VOIDED = "dibatalkan di hub"


@dataclass(frozen=True)
class State:
    pending: int
    rejected: int
    oldest_pending: date | None
    last_error: str | None
    voided: tuple[tuple[str, str], ...] = ()   # (document id, "dibatalkan di hub: …"), oldest first

    @property
    def refused_credentials(self) -> bool:
        """Nothing can go until the outlet's settings are put right: the hub refused the outlet,
        or its documents were made under another outlet code (``held_at_outlet``)."""
        return bool(self.pending and self.last_error
                    and self.last_error.startswith((REFUSED, _REFUSED_BEFORE, NOT_SENT)))

    @property
    def held_at_outlet(self) -> bool:
        """Of ``refused_credentials``: the outlet sent nothing (another outlet code), the hub was
        never asked."""
        return self.refused_credentials and self.last_error.startswith((NOT_SENT, _NOT_SENT_BEFORE))

    @property
    def refusal(self) -> str:
        """The refusal without the marker in front: the hub's (``(HTTP 403): Gerai …``) or, held
        at the outlet, why (``dokumen … dibuat dengan kode gerai …``)."""
        text = self.last_error or ""
        for marker in (REFUSED, _REFUSED_BEFORE, NOT_SENT):
            text = text.removeprefix(marker)
        return text.lstrip(": ")

    @property
    def _since(self) -> str:
        return f" (sejak {self.oldest_pending:%d-%m-%Y})" if self.oldest_pending else ""

    @property
    def _error(self) -> str:
        return f". Galat terakhir: {self.last_error}" if self.last_error else ""

    @property
    def waiting_words(self) -> str:
        """The words beside the number of days waiting (pending + rejected) on the manager's
        home page: the message without a count in front of it ("14" and "14 hari …")."""
        if self.pending and self.rejected:
            words = (f"hari belum masuk buku besar koperasi: {self.pending} belum terkirim"
                     f"{self._since}, {self.rejected} ditolak hub, perlu diperiksa")
        elif self.rejected:
            words = "hari ditolak hub buku besar koperasi, perlu diperiksa"
        else:
            words = f"hari belum terkirim ke buku besar koperasi{self._since}"
        return words + self._error

    @property
    def message(self) -> str | None:
        """"N hari belum terkirim" (with the last error) for the manager, or None."""
        parts = []
        if self.pending:
            parts.append(f"{self.pending} hari belum terkirim ke buku besar koperasi{self._since}")
        if self.rejected:
            parts.append(f"{self.rejected} ditolak hub, perlu diperiksa")
        if not parts:
            return None
        return "; ".join(parts) + (self._error or ".")


def state(session: Session) -> State:
    counts = dict(session.execute(select(LedgerOutbox.status, func.count())
                                  .where(LedgerOutbox.status != OutboxStatus.SENT)
                                  .group_by(LedgerOutbox.status)).all())
    oldest = session.scalar(select(func.min(LedgerOutbox.business_date))
                            .where(LedgerOutbox.status == OutboxStatus.PENDING))
    # a waiting document's error first: what stops sending now (an older day rejected beside
    # it says less: it is counted as rejected), the newest of them
    error = session.scalar(select(LedgerOutbox.last_error)
                           .where(LedgerOutbox.status != OutboxStatus.SENT,
                                  LedgerOutbox.last_error.is_not(None))
                           .order_by((LedgerOutbox.status == OutboxStatus.PENDING).desc(),
                                     LedgerOutbox.id.desc()).limit(1))
    voided = session.execute(select(LedgerOutbox.document_id, LedgerOutbox.last_error)
                             .where(LedgerOutbox.status == OutboxStatus.SENT,
                                    LedgerOutbox.last_error.is_not(None))
                             .order_by(LedgerOutbox.id)).all()
    return State(counts.get(OutboxStatus.PENDING, 0), counts.get(OutboxStatus.REJECTED, 0),
                 oldest, error, tuple((row.document_id, row.last_error) for row in voided))


def is_voided(row: LedgerOutbox) -> bool:
    """Whether the hub answered that it voided this sent document (``VOIDED``)."""
    return row.status == OutboxStatus.SENT and bool(row.last_error)


def recent(session: Session, limit: int = 60) -> list[LedgerOutbox]:
    """The newest ``limit`` outbox rows, newest first, for the manager's screen."""
    return list(session.scalars(select(LedgerOutbox).order_by(LedgerOutbox.id.desc()).limit(limit)))


def find(session: Session, document_id: str) -> LedgerOutbox | None:
    return session.scalar(select(LedgerOutbox).where(LedgerOutbox.document_id == document_id))


def requeue(session: Session, start: date, end: date | None = None) -> int:
    """Send again, at the next push, what the hub accepted of the business days from ``start``
    (to ``end``): after the hub was restored from an older backup, the documents it received
    since are gone from it, though the outlet holds them sent. The hub stores a document once
    and answers one it has as a duplicate, so nothing is booked twice; a rejected document
    stays as it is (it needs looking at first). How many go again."""
    chosen = [LedgerOutbox.business_date >= start]
    if end is not None:
        chosen.append(LedgerOutbox.business_date <= end)
    return _requeue(session, chosen)


def requeue_sent_since(session: Session, since: datetime) -> int:
    """``requeue`` by when the hub accepted them, not by business day: every document sent at
    or after ``since`` (naive UTC), the moment ``pos ledger-hub restore`` names. Days close in
    any order, so a day dated before the newest day the backup holds may have been sent after
    it was made."""
    return _requeue(session, [LedgerOutbox.sent_at >= since])


def _requeue(session: Session, chosen: list) -> int:
    resend = update(LedgerOutbox).where(LedgerOutbox.status == OutboxStatus.SENT, *chosen)
    return session.execute(resend.values(status=OutboxStatus.PENDING, attempts=0,
                                         next_attempt_at=None, last_error=None)).rowcount
