"""``GET /healthz``: the health checks (``pos.health_checks``) as JSON for monitoring.

Anyone on the LAN may ask (monitoring needs no login), so the anonymous answer carries
levels and figures only: the status, the outlet code, the database's state and revision,
per till whether its printer and display are there, the ledger queue, the backup's age,
the free disk and the clock; no device address or error text that could map the network.
A logged-in manager also gets the addresses, the error texts and each problem's fix.
503 only when no sale can be saved (database down or read-only, schema not current, disk
full); warnings keep 200 with ``status`` "warn".
"""
from flask import Blueprint, current_app, g, jsonify

from pos.clock import utcnow
from pos.db import get_db
from pos.health_checks import report
from pos.health_checks.run import run
from pos.web import devices

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """JSON for monitoring; 503 when selling is impossible."""
    staff = g.get("staff")
    manager = staff is not None and staff.may("manage")
    with get_db().reading() as session:
        checks = run(session, current_app.config, current_app.instance_path, devices(), utcnow())
    body = report.to_json(checks, detailed=manager, outlet=current_app.config["OUTLET_CODE"])
    return jsonify(body), report.http_status(checks)
