"""Receiving one pushed document: authenticate, refuse replays, validate, store once.

``receive`` runs inside the caller's transaction and either returns the answer (201 stored,
200 duplicate) or raises ``Refused`` (the caller's transaction then rolls back, so a refused
request leaves nothing behind, not even its signature).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos.ledger_hub import outlets, protocol, schema, shu_basis
from pos.ledger_hub.models import HubDocument, HubJournalLine, HubSeenSignature

EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Pushed:
    """What arrived: the protocol's headers (missing ones as "") and the raw body."""
    outlet: str
    authorization: str
    timestamp: str
    signature: str
    idempotency_key: str
    body: bytes


class Refused(Exception):
    """The hub's refusal: an HTTP status, the protocol's ``error`` word and a message."""

    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message

    def answer(self) -> dict:
        return {"error": self.error, "message": self.message}


def _unauthorized(message: str, status: int = 401) -> Refused:
    return Refused(status, "unauthorized", message)


def _invalid(message: str) -> Refused:
    return Refused(422, "invalid", message)


def receive(session: Session, pushed: Pushed, now: datetime,
            window: int = protocol.WINDOW_SECONDS) -> tuple[int, dict]:
    """Check and store ``pushed``; returns (status, answer) or raises ``Refused``."""
    fresh = protocol.is_fresh(pushed.timestamp, int((now - EPOCH).total_seconds()), window)
    if fresh is None:
        raise _unauthorized(f"{protocol.HEADER_TIMESTAMP} harus detik unix (bilangan bulat).")
    if not fresh:
        raise Refused(401, "stale", f"Stempel waktu berbeda lebih dari {window} detik dari jam hub; "
                                    "periksa jam gerai.")
    scheme, _, token = pushed.authorization.partition(" ")
    outlet = outlets.authenticate(session, pushed.outlet, token.strip() if scheme.lower() == "bearer" else "")
    if outlet is None:
        raise _unauthorized("Gerai atau token tidak dikenal hub.")
    if not outlet.active:
        raise _unauthorized(f"Gerai {outlet.code} dinonaktifkan di hub.", 403)
    if not protocol.verify(outlet.secret, pushed.timestamp, pushed.body, pushed.signature):
        raise _unauthorized("Tanda tangan (X-Gerai-Signature) tidak cocok dengan isi dan rahasia gerai.")
    _remember(session, pushed.signature.lower(), now)
    try:
        document = protocol.parse(pushed.body)
        if document.get("outlet_code") != outlet.code and isinstance(document.get("outlet_code"), str):
            raise _unauthorized("Dokumen milik gerai lain (outlet_code tidak sama dengan "
                                f"{protocol.HEADER_OUTLET}).", 403)
        protocol.validate(document)
    except protocol.Invalid as error:
        raise _invalid(str(error)) from None
    if pushed.idempotency_key != document["document_id"]:
        raise _invalid(f"{protocol.HEADER_IDEMPOTENCY} harus sama dengan document_id.")
    return store(session, document, pushed.body.decode("utf-8"), now)


def _remember(session: Session, signature: str, now: datetime) -> None:
    """Record an accepted signature; a second request with it is a replay."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    table = HubSeenSignature.__table__
    result = session.connection().execute(upsert(table).values(signature=signature, seen_at=now)
                                          .on_conflict_do_nothing(index_elements=["signature"])
                                          .returning(table.c.signature))
    if result.first() is None:
        raise Refused(401, "replay", "Permintaan yang sama persis sudah diterima (replay).")


def prune(session: Session, now: datetime, window: int = protocol.WINDOW_SECONDS) -> int:
    """Forget signatures older than twice the window (their timestamps are stale by now)."""
    cutoff = now - timedelta(seconds=2 * window)
    table = HubSeenSignature.__table__
    return session.connection().execute(delete(table).where(table.c.seen_at < cutoff)).rowcount


def _existing(session: Session, document: dict) -> tuple[int, dict]:
    held = session.execute(select(HubDocument.hash).where(
        HubDocument.document_id == document["document_id"])).scalar_one()
    if held != document["hash"]:
        raise Refused(409, "conflict", f"Dokumen {document['document_id']} sudah diterima dengan isi "
                                       "lain; kirim koreksi dengan document_id baru.")
    return 200, {"status": "duplicate", "document_id": document["document_id"]}


def store(session: Session, document: dict, body: str, now: datetime) -> tuple[int, dict]:
    """Store a valid document and its journal lines once; the same id again is a duplicate
    (same hash) or a conflict (another hash), also when two pushes race."""
    document_id = document["document_id"]
    if session.execute(select(HubDocument.document_id).where(HubDocument.document_id == document_id)).first():
        return _existing(session, document)
    return insert_new(session, document, body, now)


def insert_new(session: Session, document: dict, body: str, now: datetime) -> tuple[int, dict]:
    """Insert the document (its unique id decides a race: the loser re-reads the winner's row
    and answers duplicate or conflict), its month's partition and its journal lines."""
    document_id = document["document_id"]
    day = date.fromisoformat(document["business_date"])
    try:
        with session.begin_nested():
            session.execute(insert(HubDocument.__table__).values(
                document_id=document_id, outlet_code=document["outlet_code"], kind=document["kind"],
                business_date=day, hash=document["hash"], body=body, received_at=now))
    except IntegrityError:   # the same id stored by a request that ran alongside this one
        return _existing(session, document)
    schema.ensure_month(session, day)
    lines = [{"business_date": day, "document_id": document_id, "line_no": number,
              "outlet_code": document["outlet_code"], "account": line["account"], "name": line["name"],
              "debit": line["debit"], "credit": line["credit"], "memo": line.get("memo") or "",
              "unit": line.get("unit"), "member": line.get("member")}
             for number, line in enumerate(document["journal"], start=1)]
    if lines:
        session.execute(insert(HubJournalLine.__table__), lines)
    shu_basis.record(session, document)   # members' purchases and savings, the SHU basis
    return 201, {"status": "stored", "document_id": document_id}
