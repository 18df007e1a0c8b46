"""The read-only screens opened by a token link, without a staff login (views): a till's
customer screen (Layar pelanggan), polled by htmx every second, and the shelf price check
(Cek harga).  A wrong token is a plain 404 that names nothing; nothing here writes, and
every read goes through ``db.read_session()`` (never the write lock)."""
from __future__ import annotations

from flask import Blueprint, current_app, request

from pos.clock import utcnow
from pos.db import read_session
from pos.display import price_check, screen, tokens
from pos.errors import NotFound, PosError
from pos.het.service import zone_of
from pos.payments import qr
from pos.sales import pricing, qris_shown
from pos.settings import service as settings
from pos.web import business_today, render

bp = Blueprint("display", __name__)

GONE = "Halaman tidak ditemukan."


def _screen_allowed(till_id: int, token: str) -> None:
    if not tokens.valid(tokens.screen_token(current_app.config["SECRET_KEY"], till_id), token):
        raise NotFound(GONE)


def _price_check_allowed(token: str) -> None:
    if not tokens.valid(tokens.price_check_token(current_app.config["SECRET_KEY"]), token):
        raise NotFound(GONE)


@bp.get("/layar/<int:till_id>/<token>")
def customer_screen(till_id: int, token: str):
    """The customer screen's page: it asks for its content every second."""
    _screen_allowed(till_id, token)
    return render("display/screen.html", till_id=till_id, token=token,
                  till_name=screen.till_name(read_session(), till_id))


@bp.get("/layar/<int:till_id>/<token>/isi")
def customer_screen_part(till_id: int, token: str):
    """What the customer sees now: the lines and total, the QRIS, or Terima kasih and change."""
    _screen_allowed(till_id, token)
    shown = screen.screen(read_session(), till_id, current_app.config,
                          qris_shown.of(current_app.extensions), utcnow())
    svg = qr.svg(shown.qris.payload, size=320) if shown.qris else None
    return render("display/_screen.html", s=shown, svg=svg)


@bp.get("/cek-harga/<token>")
def price_check_page(token: str):
    """The shelf tablet's price check: one scan field, nothing else to open."""
    _price_check_allowed(token)
    return render("display/price_check.html", token=token)


@bp.get("/cek-harga/<token>/cari")
def price_lookup(token: str):
    """The prices of the scanned code, large; an unknown code says so in the same place."""
    _price_check_allowed(token)
    code = request.args.get("kode", "").strip()[:64]
    if not code:
        return render("display/_price.html", code="", found=None, error=None)
    session, cfg = read_session(), current_app.config
    tax = pricing.TaxSettings.from_config(cfg, pkp=settings.pkp(session, cfg))   # as the till prices
    try:
        found = price_check.check(session, code, current_app.extensions["pos_patterns"],
                                  business_today(), zone_of(cfg), tax)
    except PosError as problem:  # unknown or inactive: shown in the result area, not as an error
        return render("display/_price.html", code=code, found=None, error=problem.message)
    return render("display/_price.html", code=code, found=found, error=None)
