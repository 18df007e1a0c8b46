"""Setting aside a stored document that is wrong (``pos ledger-hub document void``), and the
list of stored documents to find it (``document list``).

An outlet signs what its computer says: a day closed while its clock said 01-01-2000, or a
made-up day, arrives valid and is booked.  Voiding keeps the document row and its body
exactly as sent (the hash still covers it) and records who voided it, when and why
(``HubDocumentVoid``: the hub's trail of voids); its journal lines and SHU basis rows, which
are made from that body when it is stored, are deleted in the same transaction, so every book
(journal, buku besar, neraca saldo, PHU, neraca, SHU) leaves it out without a filter of its
own.  The same document id pushed again stays void: ``receive.store`` finds the id held and
answers duplicate (with ``void``), booking nothing.  A document of a year whose SHU is frozen
is not voided (those books are closed; a correction goes in a later year), nor one voided
already, nor an id the hub does not hold.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pos.errors import NotFound, PosError
from pos.ledger_hub import operators, shu_runs
from pos.ledger_hub.models import HubDocument, HubDocumentVoid, HubJournalLine
from pos.ledger_hub.shu_models import HubMemberPurchase, HubMemberSaving

REASON_MIN, REASON_MAX = 5, 300


@dataclass(frozen=True)
class Listed:
    """One stored document as ``document list`` shows it."""
    document_id: str
    outlet_code: str
    kind: str
    business_date: date
    received_at: datetime
    voided_at: datetime | None = None
    voided_by: str | None = None
    reason: str | None = None

    @property
    def void(self) -> bool:
        return self.voided_at is not None

    def as_dict(self) -> dict:
        return {"document_id": self.document_id, "outlet_code": self.outlet_code, "kind": self.kind,
                "business_date": self.business_date.isoformat(),
                "received_at": self.received_at.isoformat(timespec="seconds"), "void": self.void,
                "voided_at": self.voided_at.isoformat(timespec="seconds") if self.voided_at else None,
                "voided_by": self.voided_by, "reason": self.reason}


def listing(session: Session, outlet: str | None = None, first: date | None = None,
            last: date | None = None) -> list[Listed]:
    """Stored documents (void ones too, marked), by business date then id."""
    query = (select(HubDocument.document_id, HubDocument.outlet_code, HubDocument.kind,
                    HubDocument.business_date, HubDocument.received_at, HubDocumentVoid.voided_at,
                    HubDocumentVoid.voided_by, HubDocumentVoid.reason)
             .outerjoin(HubDocumentVoid, HubDocumentVoid.document_id == HubDocument.document_id)
             .order_by(HubDocument.business_date, HubDocument.document_id))
    if outlet:
        query = query.where(HubDocument.outlet_code == outlet)
    if first:
        query = query.where(HubDocument.business_date >= first)
    if last:
        query = query.where(HubDocument.business_date <= last)
    return [Listed(*row) for row in session.execute(query)]


def void_ids(session: Session, ids) -> set[str]:
    """Which of ``ids`` are void."""
    ids = list(ids)
    if not ids:
        return set()
    return set(session.scalars(select(HubDocumentVoid.document_id)
                               .where(HubDocumentVoid.document_id.in_(ids))))


def is_void(session: Session, document_id: str) -> bool:
    return session.get(HubDocumentVoid, document_id) is not None


def void(session: Session, document_id: str, reason: str, operator: str, now: datetime) -> Listed:
    """Void stored document ``document_id``: recorded with ``operator`` (an active hub
    operator), ``now`` and ``reason``; its journal lines and SHU basis deleted.  ``PosError``
    (nothing changed) for an unknown id, one voided already, a frozen SHU year, a missing
    reason or an operator who may not."""
    reason = " ".join((reason or "").split())
    example = "(misalnya \"jam komputer gerai salah, tanggal 01-01-2000\")"
    if not reason:
        raise PosError(f"Alasan pembatalan wajib diisi, {REASON_MIN}-{REASON_MAX} huruf {example}.", 422)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        which = "pendek" if len(reason) < REASON_MIN else "panjang"
        raise PosError(f"Alasan pembatalan terlalu {which} ({len(reason)} huruf): tulis "
                       f"{REASON_MIN}-{REASON_MAX} huruf {example}.", 422)
    who = operators.find(session, operator)
    if not who.active:
        raise PosError(f"Operator {who.username} nonaktif; pembatalan dicatat atas nama operator aktif.", 403)
    document = session.execute(select(HubDocument).where(HubDocument.document_id == document_id)
                               .with_for_update()).scalar_one_or_none()
    if document is None:
        raise NotFound(f"Hub tidak menyimpan dokumen {document_id}; lihat nomornya dengan "
                       "`pos ledger-hub document list`. Tidak ada yang berubah.")
    held = session.get(HubDocumentVoid, document_id)
    if held is not None:
        raise PosError(f"Dokumen {document_id} sudah dibatalkan pada {held.voided_at:%d-%m-%Y %H:%M} UTC "
                       f"oleh {held.voided_by} ({held.reason}). Tidak ada yang berubah.", 409)
    day = document.business_date
    closed = shu_runs.frozen_from(session, day.year)
    if closed is not None:
        raise PosError(f"Buku s.d. 31-12-{closed.year} sudah ditutup (SHU tahun {closed.year} dibekukan); "
                       f"dokumen tanggal {day:%d-%m-%Y} tidak bisa dibatalkan. Catat koreksinya "
                       "di tahun buku berikutnya. Tidak ada yang berubah.", 409)
    session.add(HubDocumentVoid(document_id=document_id, voided_at=now, voided_by=who.username,
                                reason=reason))
    connection = session.connection()
    connection.execute(delete(HubJournalLine).where(HubJournalLine.business_date == day,
                                                    HubJournalLine.document_id == document_id))
    for table in (HubMemberPurchase, HubMemberSaving):
        connection.execute(delete(table).where(table.document_id == document_id))
    session.flush()
    return Listed(document.document_id, document.outlet_code, document.kind, day, document.received_at,
                  now, who.username, reason)
