"""``GET /healthz``: is the database reachable and migrated, which printer is set."""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from pos import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """JSON for monitoring; 503 when the database cannot answer."""
    database = db.get_db()
    checks = {"database": {"ok": False, "dialect": database.engine.dialect.name}}
    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"].update(ok=True, revision=db.current_revision(database.engine))
    except Exception as error:  # report any failure, never crash the probe
        checks["database"]["error"] = str(error)[:200]
    checks["printer"] = {"configured": current_app.config["PRINTER"].split("?")[0]}
    ok = checks["database"]["ok"]
    return jsonify(status="ok" if ok else "error", outlet=current_app.config["OUTLET_CODE"],
                   **checks), 200 if ok else 503
