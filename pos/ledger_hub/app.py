"""``create_hub_app``: the ledger hub's own Flask app: the JSON API and the operators' pages.

The hub's composition root: its settings, its database (``DATABASE_URL``, the hub's, created
or migrated here on first use), the API blueprint (token-authenticated, no session, no CSRF)
and the pages (an operator's session, CSRF on every POST, the outlet's Content-Security-Policy,
``templates/ledger_hub/``).  It shares nothing with an outlet's app but ``pos.db.Database``
and the glue in ``pos.web`` (headers, the htmx files).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from pos import dates
from pos.clock import to_local, zone_abbreviation
from pos.errors import PosError
from pos.ledger_hub import access, protocol, schema
from pos.ledger_hub.database import DEFAULT_POOL_SIZE, hub_database
from pos.ledger_hub.shu_runs import BOOK_ZONE
from pos.money import format_rupiah
from pos.money import input_text as money_input

ROOT = Path(__file__).resolve().parent.parent.parent

DEFAULTS = {
    "DATABASE_URL": "",                          # the hub's database (POS_LEDGER_DATABASE_URL)
    "DATABASE_POOL_SIZE": DEFAULT_POOL_SIZE,     # PostgreSQL connections kept: one per server thread
    "WINDOW_SECONDS": protocol.WINDOW_SECONDS,   # timestamps further from the hub's clock are stale
    "PRUNE_SECONDS": 60,                         # forget old signatures at most this often
    "MAX_CONTENT_LENGTH": protocol.MAX_BODY_BYTES,
    "SECRET_KEY": "",                            # signs the operators' session (POS_LEDGER_SECRET_KEY)
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "hub_session",
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_IDLE_SECONDS": 30 * 60,             # an operator's session ends after this long unused
    "SESSION_MAX_SECONDS": 12 * 3600,            # ... and this long after signing in, whatever
    # Operators' logins (pos.auth.throttle, counted per hub process): per address a minute;
    # wrong passwords for one operator from one address, and from all, before a lock; its length;
    # refusals held back a second at once (the server's threads less two).
    "LOGIN_ATTEMPTS_PER_MINUTE": 10,
    "LOGIN_MAX_ATTEMPTS": 5,
    "LOGIN_MAX_ATTEMPTS_PER_USER": 20,
    "LOGIN_LOCK_SECONDS": 5 * 60,
    "LOGIN_TARPIT_SLOTS": 6,
    "LEDGER_ACCOUNTS": {},                       # the chart's overrides (POS_LEDGER_ACCOUNTS), for hints
}


def create_hub_app(config: dict | None = None) -> Flask:
    config = dict(config or {})
    instance = config.pop("INSTANCE_PATH", None) or os.environ.get("POS_INSTANCE_PATH")
    app = Flask("pos.ledger_hub", instance_path=str(Path(instance).resolve()) if instance else None,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.update(DEFAULTS)
    app.config.update(config)
    if not app.config["DATABASE_URL"]:
        raise ValueError("create_hub_app needs DATABASE_URL (POS_LEDGER_DATABASE_URL)")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = (os.environ.get("POS_LEDGER_SECRET_KEY")
                                    or _instance_secret(Path(app.instance_path)))
    database = hub_database(app.config["DATABASE_URL"], app.config["DATABASE_POOL_SIZE"])
    schema.ensure(database.engine)
    app.extensions["ledger_hub_db"] = database
    app.extensions["ledger_hub_pruned"] = None
    _pages(app)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(PosError, _pos_error)
    app.register_error_handler(CSRFError, _csrf_error)
    return app


def _pages(app: Flask) -> None:
    """The API (exempt from CSRF: it is signed) and the operators' pages."""
    from pos import assets
    from pos.ledger_hub.books_views import bp as books_bp
    from pos.ledger_hub.shu_views import bp as shu_bp
    from pos.ledger_hub.views import bp
    from pos.ledger_hub.web_views import bp as web_bp
    from pos.web import security_headers, vendor_bp

    csrf = CSRFProtect(app)
    csrf.exempt(bp)
    access.init_app(app)
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["money_input"] = money_input
    app.jinja_env.filters["day"] = dates.shown  # as the outlet's screens write a date
    app.jinja_env.filters["book_time"] = _book_time
    app.jinja_env.globals.update(date_words=dates.in_words)
    app.after_request(security_headers)
    assets.init_app(app)
    for blueprint in (bp, web_bp, books_bp, shu_bp, vendor_bp):
        app.register_blueprint(blueprint)


def _book_time(moment):
    """A stored UTC moment in the books' zone, with its name: ``04-12-2026 10:01 WIB``."""
    local = to_local(moment, BOOK_ZONE).replace(tzinfo=None)
    return dates.shown(local) + Markup(" ") + zone_abbreviation(BOOK_ZONE)


def _instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so the operators' sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "ledger_hub_secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _page(message: str, status: int):
    return render_template("ledger_hub/error.html", message=message, status=status), status


def _pos_error(error: PosError):
    if _is_api():
        return jsonify(error="invalid", message=error.message), error.status
    return _page(error.message, error.status)


def _csrf_error(_error):
    return _page("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.", 400)


_HTTP_TEXTS = {400: "Permintaan tidak sah.", 404: "Halaman tidak ditemukan.",
               405: "Permintaan tidak diizinkan.", 413: "Berkas terlalu besar."}
_API_TEXTS = {404: "Alamat API tidak ada; dokumen dikirim ke /api/v1/documents.",
              405: "Cara permintaan ini tidak diizinkan di alamat ini (dokumen dikirim dengan POST)."}


def _http_error(error: HTTPException):
    code = error.code or 500
    if not _is_api():
        return _page(_HTTP_TEXTS.get(code, "Terjadi kesalahan pada hub." if code >= 500 else
                                     "Permintaan tidak dapat diproses."), code)
    if error.code == 413:
        return jsonify(error="invalid", message="Dokumen terlalu besar untuk hub."), 422
    if code >= 500:   # a hub bug or its database down: the outlet keeps the document and retries
        return jsonify(error="server", message="Hub sedang bermasalah; dokumen dikirim ulang nanti."), code
    return jsonify(error="http", message=_API_TEXTS.get(code, _HTTP_TEXTS.get(
        code, "Permintaan tidak dapat diproses."))), code
