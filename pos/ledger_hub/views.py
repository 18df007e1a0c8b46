"""The hub's API: ``POST /api/v1/documents`` (wire protocol v1) and ``GET /api/v1/health``."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from pos.clock import utcnow
from pos.ledger_hub import protocol
from pos.ledger_hub.models import HubSchemaVersion
from pos.ledger_hub.receive import Pushed, Refused, prune, receive

bp = Blueprint("ledger_hub", __name__, url_prefix="/api/v1")


def _db():
    return current_app.extensions["ledger_hub_db"]


@bp.errorhandler(Refused)
def _refused(refusal: Refused):
    return jsonify(refusal.answer()), refusal.status


@bp.post("/documents")
def documents():
    """Receive one document; the answer is the protocol's (201, 200, 401, 403, 409, 422)."""
    headers = request.headers
    pushed = Pushed(outlet=headers.get(protocol.HEADER_OUTLET, ""),
                    authorization=headers.get("Authorization", ""),
                    timestamp=headers.get(protocol.HEADER_TIMESTAMP, ""),
                    signature=headers.get(protocol.HEADER_SIGNATURE, ""),
                    idempotency_key=headers.get(protocol.HEADER_IDEMPOTENCY, ""),
                    body=request.get_data(cache=False))
    now = utcnow()
    window = current_app.config["WINDOW_SECONDS"]
    _prune_now_and_then(now, window)
    with _db().transaction() as session:
        status, answer = receive(session, pushed, now, window)
    return jsonify(answer), status


def _prune_now_and_then(now, window: int) -> None:
    last = current_app.extensions["ledger_hub_pruned"]
    if last is not None and now - last < timedelta(seconds=current_app.config["PRUNE_SECONDS"]):
        return
    current_app.extensions["ledger_hub_pruned"] = now
    with _db().transaction() as session:
        prune(session, now, window)


@bp.get("/health")
def health():
    """Is the hub's database reachable, and at which schema version."""
    database = _db()
    try:
        with database.reading() as session:
            version = session.scalar(select(HubSchemaVersion.version))
    except Exception:  # any failure of the database: report it, never crash the probe
        return jsonify(status="error", database=database.engine.dialect.name), 503
    return jsonify(status="ok", database=database.engine.dialect.name, schema_version=version,
                   protocol_version=protocol.VERSION)
