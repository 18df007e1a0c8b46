"""The outlets a hub accepts documents from: issuing credentials and checking them."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.config import OUTLET_CODE_RULE
from pos.errors import PosError
from pos.ledger_hub.accounts import check_outlet
from pos.ledger_hub.models import HubDocument, HubDocumentVoid, HubOutlet
from pos.ledger_hub.shu_models import HubShuRun


@dataclass(frozen=True)
class Credentials:
    code: str
    token: str
    secret: str

    def env_lines(self) -> list[str]:
        """What the outlet puts in its environment (``pos ledger push`` reads them)."""
        return [f"POS_LEDGER_TOKEN={self.token}", f"POS_LEDGER_SECRET={self.secret}"]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _fresh(code: str) -> Credentials:
    """A new token and secret for ``code``: the outlet is shown them once; the hub keeps the
    token's digest and the secret."""
    return Credentials(code, secrets.token_urlsafe(32), secrets.token_urlsafe(32))


def add(session: Session, code: str, name: str = "") -> Credentials:
    """Register outlet ``code`` with a fresh token and secret (shown once, never again)."""
    code = (code or "").strip()
    if not OUTLET_CODE_RULE.fullmatch(code):   # (the protocol's rule takes every code it takes)
        # the outlet's own rule (POS_OUTLET_CODE): "gerai02" was registered, and GERAI02's
        # documents then found no outlet of that name
        raise PosError("Kode gerai harus 2-20 huruf besar, angka atau '-', diawali huruf (mis. "
                       "KDMP-SKP01), sama dengan POS_OUTLET_CODE gerainya.")
    if session.get(HubOutlet, code) is not None:
        raise PosError(f"Gerai {code} sudah terdaftar di hub; kodenya tidak dipakai dua kali.")
    issued = _fresh(code)
    session.add(HubOutlet(code=code, name=(name or code).strip()[:120],
                          token_hash=token_digest(issued.token), secret=issued.secret, active=True,
                          created_at=utcnow()))
    session.flush()
    return issued


def _find(session: Session, code: str) -> HubOutlet:
    """Outlet ``code``; an unknown one is refused naming the registered codes, as the books do."""
    outlet = session.get(HubOutlet, (code or "").strip())
    if outlet is None:
        check_outlet(session, (code or "").strip() or "-")   # raises
    return outlet


def set_active(session: Session, code: str, active: bool) -> HubOutlet:
    """Accept (or refuse, with 403) outlet ``code``'s pushes from its next request on."""
    outlet = _find(session, code)
    outlet.active = active
    session.flush()
    return outlet


def rotate(session: Session, code: str) -> Credentials:
    """A new token and secret for outlet ``code`` (shown once); the old pair is refused from
    the next request on (``authenticate`` reads the row afresh on every push)."""
    outlet = _find(session, code)
    issued = _fresh(outlet.code)
    outlet.token_hash, outlet.secret = token_digest(issued.token), issued.secret
    session.flush()
    return issued


# ``latest_run``: the latest year with a SHU run, read in the same round trip: a document of a
# later year touches no run, so only an older one is checked against a frozen year (``receive``)
_CREDENTIALS = select(HubOutlet.code, HubOutlet.token_hash, HubOutlet.secret, HubOutlet.active,
                      select(func.max(HubShuRun.year)).scalar_subquery().label("latest_run")) \
    .where(HubOutlet.code == bindparam("code"))


def listing(session: Session) -> list[HubOutlet]:
    return list(session.scalars(select(HubOutlet).order_by(HubOutlet.code)))


def last_days(session: Session) -> dict[str, date]:
    """Outlet code -> the last business day whose day document the hub holds and has not voided
    (an outlet that sent none is absent): how far each outlet's days have arrived."""
    document = HubDocument
    return dict(session.execute(select(document.outlet_code, func.max(document.business_date))
                                .where(document.kind == "day", document.document_id.not_in(
                                    select(HubDocumentVoid.document_id)))
                                .group_by(document.outlet_code)).all())


def authenticate(session: Session, code: str, token: str) -> Row | None:
    """Outlet ``code`` (``code``, ``secret``, ``active``, ``latest_run``) if ``token`` is its token, else None
    (constant-time compare).  Read afresh on every push (one indexed row, no ORM object), so a
    deactivated outlet or a new token counts from the next request on."""
    outlet = session.connection().execute(_CREDENTIALS, {"code": code}).first() \
        if code and len(code) <= 32 else None
    presented = token_digest(token or "")
    expected = outlet.token_hash if outlet is not None else token_digest(secrets.token_hex(16))
    if not hmac.compare_digest(presented, expected) or outlet is None:
        return None
    return outlet
