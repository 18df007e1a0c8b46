"""Push the outbox to the ledger hub: in order, each document once, nothing ever dropped.

Each document is sent with the outlet's token, an HMAC signature over the timestamp and
the body (``pos.ledger_hub.protocol``), and its id as the idempotency key, so a retry of a
document the hub already stored is answered "duplicate" and marked sent.  The answer
decides what happens to the row:

- 201 stored / 200 duplicate: sent; a duplicate the hub's operator voided (``"void": true``) is
  kept with the hub's message, "dibatalkan di hub: …", not counted as booked.
- 422 invalid, 409 conflict: rejected, kept with the hub's message for the manager and not
  retried (a person must look); later documents still go.
- 401/403 (credentials, clock): still pending, the run stops; every document would fail alike.
  A "replay" is the same body signed in the same second by two runs at once: once the other run
  has recorded the document sent it is counted as sent there (``Run.elsewhere``) and the run goes
  on; otherwise it is retried later.
- 5xx, a timeout, no connection, an answer that is not the protocol's: still pending, the next
  attempt backs off exponentially with jitter, and the run stops so the order is kept.

Each row's outcome is committed on its own (``db.transaction()`` per document): a power cut
mid-run loses at most the answer to one request, and the hub's idempotency covers that.
"""
from __future__ import annotations

import errno
import json
import random
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from pos.clock import utcnow
from pos.ledger import outbox
from pos.ledger.models import LedgerOutbox, OutboxStatus
from pos.ledger_hub import protocol

BASE_DELAY = 30            # seconds before the first retry
MAX_DELAY = 3600           # never wait more than an hour between attempts
TIMEOUT = 15               # seconds for one request
REPLAY_SETTLE = timedelta(seconds=1)        # a replay waits for the other run to record it sent
REPLAY_POLL = timedelta(milliseconds=100)   # asking again this often meanwhile


@dataclass(frozen=True)
class Answer:
    status: int            # HTTP status; 0 when no answer came (down, timeout)
    body: dict | None      # the parsed JSON answer, None when it was not JSON
    error: str = ""        # why there was no usable answer


@dataclass
class Run:
    sent: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)   # of ``sent``: the hub had them already
    voided: dict[str, str] = field(default_factory=dict)  # of ``sent``: the hub voided them, its words
    rejected: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)    # sent by another push at the same moment
    waiting: int = 0             # still pending when the run stopped
    stopped: str | None = None   # why the run stopped early (None: every due document went)
    retry_at: datetime | None = None   # stopped by the backoff: when the next try is due (UTC)

    @property
    def waiting_words(self) -> str:
        """The stopped run in words, for the command and Buku besar alike ("4 dokumen masih
        menunggu, tidak dikirim: ...", not "menunggu: tidak dikirim: ...")."""
        marker = f"{outbox.NOT_SENT}: "
        if self.stopped and self.stopped.startswith(marker):
            return f"{self.waiting} dokumen masih menunggu, {self.stopped}"
        return f"{self.waiting} dokumen masih menunggu: {self.stopped}"


NOT_CONFIGURED = ("POS_LEDGER_URL, POS_LEDGER_TOKEN dan POS_LEDGER_SECRET belum diisi; dokumen tetap "
                  "menunggu di antrean.")


# A document the hub already held (sent again after ``pos ledger resend``, or its answer lost):
# sent, and booked once.
DUPLICATE = "duplikat"
# Of a retry-later message: the hub answered "replay" (``_sent_elsewhere`` asks about the row).
_REPLAYED = "REPLAY "


def _other_code(document_id: str, made_by, outlet_code: str) -> str:
    """Why a document made under another outlet code is not sent: the hub books a document
    only from the outlet whose code it carries."""
    return (f"{outbox.NOT_SENT}: dokumen {document_id} dibuat dengan kode gerai {made_by}, sedangkan "
            f"POS_OUTLET_CODE sekarang {outlet_code}. Kembalikan POS_OUTLET_CODE ke {made_by} (dengan "
            f"POS_LEDGER_TOKEN dan POS_LEDGER_SECRET gerai {made_by} di hub).")


def configured(config) -> bool:
    """Whether the outlet's settings name a hub to push to: its address, token and secret."""
    return bool(config["LEDGER_URL"] and config["LEDGER_TOKEN"] and config["LEDGER_SECRET"])


def backoff(attempts: int, rng: random.Random | None = None) -> int:
    """Seconds to wait after ``attempts`` failed tries: doubling from BASE_DELAY, capped,
    with jitter (half to all of it) so many outlets do not retry in step."""
    delay = min(MAX_DELAY, BASE_DELAY * 2 ** max(0, attempts - 1))
    return (rng or random).randint(delay // 2, delay)


def http_send(url: str, headers: dict[str, str], body: bytes, timeout: int = TIMEOUT) -> Answer:
    try:   # the request too: a URL without its scheme is refused there (a ValueError)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read(65536)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read(65536)
    except (OSError, ValueError) as error:   # refused, reset, timeout, bad URL
        return Answer(0, None, f"hub tidak terjangkau: {unreachable(error, timeout)}")
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    return Answer(status, parsed if isinstance(parsed, dict) else None,
                  "" if isinstance(parsed, dict) else "jawaban hub bukan JSON")


def unreachable(error: Exception, timeout: float = TIMEOUT) -> str:
    """Why no answer came, in words a manager can act on, with the system's own words after."""
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(cause, TimeoutError):
        what = f"tidak ada jawaban dalam {timeout:g} detik"
    elif isinstance(cause, ConnectionRefusedError):
        what = "sambungan ditolak (layanan hub mati?)"
    elif isinstance(cause, socket.gaierror):
        what = "alamat hub tidak ditemukan (periksa internet dan POS_LEDGER_URL)"
    elif isinstance(cause, ssl.SSLError):
        what = "sertifikat TLS hub tidak sah"
    elif isinstance(cause, ConnectionError):      # reset, aborted, closed without an answer
        what = "sambungan diputus sebelum hub menjawab"
    elif isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        what = "tidak ada jaringan ke hub (periksa internet)"
    elif isinstance(cause, ValueError | str):   # urllib's words for a URL it cannot use
        what = "alamat hub (POS_LEDGER_URL) tidak sah"
    else:
        what = "galat jaringan"
    return f"{what} ({cause})"


def headers_for(*, outlet_code: str, token: str, secret: str, document_id: str, body: bytes,
                now: datetime) -> dict[str, str]:
    stamp = str(int((now - datetime(1970, 1, 1)).total_seconds()))
    return {"Content-Type": "application/json", "Authorization": f"Bearer {token}",
            "X-Gerai-Outlet": outlet_code, "X-Gerai-Timestamp": stamp,
            "X-Gerai-Signature": protocol.sign(secret, stamp, body),
            "Idempotency-Key": document_id}


def classify(answer: Answer, document_id: str) -> tuple[OutboxStatus | None, str]:
    """(new status or None to retry later, message).  ``None`` with a message starting
    "STOP" means the run stops without counting an attempt against the document."""
    body = answer.body or {}
    if answer.status in (200, 201) and body.get("status") in ("stored", "duplicate") \
            and body.get("document_id") == document_id:
        if body["status"] == "duplicate" and body.get("void") is True:   # held, set aside at the hub
            said = str(body.get("message") or f"dokumen {document_id} dibatalkan pengelola buku besar "
                                               "koperasi; tidak dibukukan.")
            return OutboxStatus.SENT, f"{outbox.VOIDED}: {said}"[:300]
        return OutboxStatus.SENT, DUPLICATE if body["status"] == "duplicate" else ""
    message = str(body.get("message") or body.get("error") or answer.error)[:250]
    if answer.status in (409, 422) and body.get("error") in ("conflict", "invalid"):
        return OutboxStatus.REJECTED, f"ditolak hub (HTTP {answer.status}): {message}"
    if answer.status == 401 and body.get("error") == "replay":   # the same second, sent twice
        return None, f"{_REPLAYED}HTTP 401: {message.rstrip('. ')}; dikirim ulang nanti"
    if answer.status in (401, 403) and body.get("error"):
        return None, f"STOP {outbox.REFUSED} (HTTP {answer.status}): {message}"
    if answer.status == 404:   # the hub always has its documents' address: the setting is wrong
        return None, ("HTTP 404: tidak ada hub di alamat itu; periksa POS_LEDGER_URL (alamat hub "
                      "saja, mis. http://server:8090, tanpa /api/v1/documents)")
    if answer.status:
        return None, f"HTTP {answer.status}: {message or 'jawaban tidak dikenal'}"
    return None, message


def endpoint_of(url: str) -> str:
    """Where documents go: the hub's address in POS_LEDGER_URL, with the API's own path ending
    it taken off (``…/api/v1``, as ``pos ledger-hub serve`` once printed it, or
    ``…/api/v1/documents``), then the protocol's path."""
    base = url.strip().rstrip("/")
    for tail in (protocol.PATH, protocol.PATH.rsplit("/", 1)[0]):
        if base.endswith(tail):
            base = base[:-len(tail)]
            break
    return base.rstrip("/") + protocol.PATH


def push(database, *, url: str, outlet_code: str, token: str, secret: str,
         send: Callable[[str, dict, bytes], Answer] = http_send, now: Callable[[], datetime] = utcnow,
         force: bool = False, rng: random.Random | None = None) -> Run:
    """Send every due pending document in order (``force``: ignore the backoff)."""
    run = Run()
    endpoint = endpoint_of(url)
    with database.reading() as session:
        due = session.execute(select(LedgerOutbox.id, LedgerOutbox.document_id, LedgerOutbox.body,
                                     LedgerOutbox.attempts, LedgerOutbox.next_attempt_at)
                              .where(LedgerOutbox.status == OutboxStatus.PENDING)
                              .order_by(LedgerOutbox.id)).all()
    for n, row in enumerate(due):
        moment = now()
        if not force and row.next_attempt_at is not None and row.next_attempt_at > moment:
            run.waiting, run.stopped = len(due) - n, "menunggu jadwal coba lagi"
            run.retry_at = row.next_attempt_at
            break
        made_by = json.loads(row.body).get("outlet_code")
        if made_by != outlet_code:   # the hub would refuse it (403) as another outlet's: not sent
            status, message = None, "STOP " + _other_code(row.document_id, made_by, outlet_code)
        else:
            body = row.body.encode("utf-8")
            answer = send(endpoint, headers_for(outlet_code=outlet_code, token=token, secret=secret,
                                                document_id=row.document_id, body=body, now=moment),
                          body)
            status, message = classify(answer, row.document_id)
        if message.startswith(_REPLAYED):
            message = message.removeprefix(_REPLAYED)
            if _sent_elsewhere(database, row.id):
                run.elsewhere.append(row.document_id)
                continue
        values: dict = {"last_error": message[:300] or None}
        if status is OutboxStatus.SENT:
            void = message.startswith(outbox.VOIDED)
            values.update(status=status, sent_at=moment, last_error=message if void else None)
            run.sent.append(row.document_id)
            if message == DUPLICATE:
                run.duplicates.append(row.document_id)
            elif void:
                run.voided[row.document_id] = message
        elif status is OutboxStatus.REJECTED:
            values.update(status=status, attempts=row.attempts + 1)
            run.rejected.append(row.document_id)
        elif message.startswith("STOP "):
            values["last_error"] = message[5:300]
        else:
            values.update(attempts=row.attempts + 1,
                          next_attempt_at=moment + timedelta(seconds=backoff(row.attempts + 1, rng)))
        with database.transaction() as session:
            session.execute(update(LedgerOutbox).where(LedgerOutbox.id == row.id,
                                                       LedgerOutbox.status == OutboxStatus.PENDING)
                            .values(**values))
        if status is None:
            run.waiting, run.stopped = len(due) - n, values["last_error"]
            break
    if run.stopped:   # another push running beside this one may have sent some of them
        run.waiting = _still_pending(database, due[len(due) - run.waiting].id, due[-1].id)
    return run


def _sent_elsewhere(database, row_id: int) -> bool:
    """After a replay: whether the other run, which sent the same request in the same second, has
    recorded the document sent; its answer may still be on the way, so ask again for a moment."""
    deadline = time.monotonic() + REPLAY_SETTLE.total_seconds()
    while True:
        with database.reading() as session:
            status = session.scalar(select(LedgerOutbox.status).where(LedgerOutbox.id == row_id))
        if status == OutboxStatus.SENT:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(REPLAY_POLL.total_seconds())


def _still_pending(database, first_id: int, last_id: int) -> int:
    """How many of the run's documents from ``first_id`` on still wait."""
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(LedgerOutbox)
                              .where(LedgerOutbox.id.between(first_id, last_id),
                                     LedgerOutbox.status == OutboxStatus.PENDING))
