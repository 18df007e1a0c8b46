"""Receiving one pushed document: authenticate, refuse replays, validate, store once.

``receive`` runs inside the caller's transaction and either returns the answer (201 stored,
200 duplicate) or raises ``Refused`` (the caller's transaction then rolls back, so a refused
request leaves nothing behind, not even its signature).

Two refusals guard the books' dates: a business date later than the hub's tomorrow (WIB; the
outlets' zones run to WIT, two hours ahead) is invalid (422, a wrong date or clock at the
outlet), and a new document dated in or before a year whose SHU is frozen is a conflict (409:
the members' meeting approved those books; a correction goes in a later year).  The outlet
keeps either with the hub's message and does not send it again (``pos.ledger.push``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pos.ledger_hub import outlets, protocol, schema, shu_basis, shu_runs, voids, writes
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
    signature = pushed.signature.lower()
    try:
        document = _document(pushed, outlet.code, shu_runs.book_today(now))
    except Refused:   # the protocol checks a replay first: a replayed bad request is a replay
        _remember(session, signature, now)
        raise         # ... and the signature of a refused request is rolled back with it
    return store(session, document, pushed.body.decode("utf-8"), now, signature, outlet.latest_run)


def _document(pushed: Pushed, outlet: str, today: date) -> dict:
    """The valid document in ``pushed``'s body, sent by ``outlet``, dated at most the day after
    ``today`` (the books' date, WIB), or ``Refused``; pure."""
    try:
        document = protocol.parse(pushed.body)
        if document.get("outlet_code") != outlet and isinstance(document.get("outlet_code"), str):
            raise _unauthorized("Dokumen milik gerai lain (outlet_code tidak sama dengan "
                                f"{protocol.HEADER_OUTLET}).", 403)
        protocol.validate(document)
    except protocol.Invalid as error:
        raise _invalid(str(error)) from None
    if pushed.idempotency_key != document["document_id"]:
        raise _invalid(f"{protocol.HEADER_IDEMPOTENCY} harus sama dengan document_id.")
    day = date.fromisoformat(document["business_date"])
    if day > today + timedelta(days=1):
        raise _invalid(f"Tanggal usaha {day:%d-%m-%Y} belum tiba (hari ini di hub {today:%d-%m-%Y} WIB); "
                       "dokumen tidak dibukukan. Periksa tanggal dan jam komputer gerai.")
    return document


def _remember(session: Session, signature: str, now: datetime) -> None:
    if not writes.remember(session, signature, now):
        raise _replay()


def _replay() -> Refused:
    return Refused(401, "replay", "Permintaan yang sama persis sudah diterima (replay).")


def prune(session: Session, now: datetime, window: int = protocol.WINDOW_SECONDS) -> int:
    """Forget signatures older than twice the window (their timestamps are stale by now)."""
    cutoff = now - timedelta(seconds=2 * window)
    table = HubSeenSignature.__table__
    return session.connection().execute(delete(table).where(table.c.seen_at < cutoff)).rowcount


def _existing(session: Session, document: dict) -> tuple[int, dict]:
    held = session.connection().execute(select(HubDocument.hash).where(
        HubDocument.document_id == document["document_id"])).scalar_one()
    if held != document["hash"]:
        raise Refused(409, "conflict", f"Dokumen {document['document_id']} sudah diterima hub dengan "
                                       "angka lain; yang ini tidak dibukukan. Hubungi pengelola buku "
                                       "besar koperasi untuk memeriksa hari itu.")
    if voids.is_void(session, document["document_id"]):   # set aside at the hub: stays so
        return 200, {"status": "duplicate", "document_id": document["document_id"], "void": True,
                     "message": f"Dokumen {document['document_id']} sudah diterima dan dibatalkan "
                                "pengelola buku besar koperasi; tidak dibukukan lagi."}
    return 200, {"status": "duplicate", "document_id": document["document_id"]}


ANY_RUN = 10_000   # ``latest_run`` not known: check every year


def store(session: Session, document: dict, body: str, now: datetime,
          signature: str | None = None, latest_run: int | None = ANY_RUN) -> tuple[int, dict]:
    """Store a valid document, its journal lines and its SHU basis once, remembering the
    request's ``signature`` (a replay if already there); the same id again is a duplicate
    (same hash) or a conflict (another hash), also when two pushes race.  A new document of a
    closed year (``shu_runs.frozen_from``; only looked up when ``latest_run``, the latest year
    with a SHU run, is its year or later) is refused.

    The insert itself decides (``ON CONFLICT DO NOTHING``): no row back means the id is held,
    by an earlier request or by one that ran alongside (PostgreSQL makes this insert wait for
    that one's commit), and the held row, read afterwards, answers duplicate or conflict.
    """
    day = date.fromisoformat(document["business_date"])
    row = {"document_id": document["document_id"], "outlet_code": document["outlet_code"],
           "kind": document["kind"], "business_date": day, "hash": document["hash"], "body": body,
           "received_at": now}
    if signature is None:
        inserted = writes.insert_document(session, row)
    else:
        remembered, inserted = writes.remember_and_insert(session, signature, now, row)
        if not remembered:
            raise _replay()
    if not inserted:
        return _existing(session, document)
    if latest_run is not None and day.year <= latest_run:
        _refuse_closed(session, day)
    schema.ensure_month(session, day)
    writes.insert_rows(session, {HubJournalLine.__table__: _lines(document, day),
                                 **shu_basis.basis_rows(document)})   # the SHU basis
    return 201, {"status": "stored", "document_id": document["document_id"]}


def _refuse_closed(session: Session, day: date) -> None:
    closed = shu_runs.frozen_from(session, day.year)
    if closed is not None:
        year = closed.year
        raise Refused(409, "conflict", f"Buku s.d. 31-12-{year} sudah ditutup: SHU tahun {year} "
                                       "dibekukan (disahkan rapat anggota). Dokumen tanggal "
                                       f"{day:%d-%m-%Y} tidak dibukukan; koreksinya dicatat sesudah "
                                       f"31-12-{year}, di tahun buku berikutnya. Hubungi pengelola "
                                       "buku besar koperasi.")


def _lines(document: dict, day: date) -> list[dict]:
    return [{"business_date": day, "document_id": document["document_id"], "line_no": number,
             "outlet_code": document["outlet_code"], "account": line["account"], "name": line["name"],
             "debit": line["debit"], "credit": line["credit"], "memo": line.get("memo") or "",
             "unit": line.get("unit"), "member": line.get("member")}
            for number, line in enumerate(document["journal"], start=1)]
