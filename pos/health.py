"""``GET /healthz``: is the database reachable and migrated; device details for managers only.

Anyone on the LAN may ask (monitoring needs no login), so the anonymous answer
carries the status, the outlet code and the database's state and revision, and
no device address or error text that could map the network.  A logged-in manager
also sees which printer is configured and the database error.
"""
from flask import Blueprint, current_app, g, jsonify
from sqlalchemy import text

from pos import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """JSON for monitoring; 503 when the database cannot answer."""
    staff = g.get("staff")
    manager = staff is not None and staff.may("manage")
    database = db.get_db()
    checks = {"database": {"ok": False, "dialect": database.engine.dialect.name}}
    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"].update(ok=True, revision=db.current_revision(database.engine))
    except Exception as error:  # report any failure, never crash the probe
        checks["database"]["error"] = str(error)[:200] if manager else "database tidak menjawab"
    if manager:
        checks["printer"] = {"configured": current_app.config["PRINTER"].split("?")[0]}
    ok = checks["database"]["ok"]
    return jsonify(status="ok" if ok else "error", outlet=current_app.config["OUTLET_CODE"],
                   **checks), 200 if ok else 503
