"""Glue between Flask and the services: pages or partials, form fields, live search, the
hardware, the outlet's clock and Jinja filters (the ``pos`` command groups are ``pos.group_cli``'s).

It imports no domain package: a view hands it what it needs (a template, a
search function).  Every form or query value is read through the field
parsers here, which turn bad input into a ``PosError`` with a message in
Indonesian; a view never converts an error itself.
"""
from __future__ import annotations

import importlib.resources
import re
from collections.abc import Callable
from datetime import date, datetime

from flask import Blueprint, Response, current_app, make_response, redirect, render_template, request, url_for
from werkzeug.routing import IntegerConverter

from pos import dates, money, text
from pos.clock import business_date, to_local, utcnow
from pos.db import read_session
from pos.errors import PosError
from pos.units import BaseUnit, format_number

vendor_bp = Blueprint(
    "vendor_htmx", __name__,
    static_folder=str(importlib.resources.files("js_lib_htmx") / "static" / "htmx"),
    static_url_path="/vendor/htmx",
)


def init_app(app) -> None:
    app.url_map.converters["int"] = RouteInt  # before any blueprint adds its rules
    app.jinja_env.filters.update(rupiah=money.format_rupiah, difference=money.format_difference,
                                 qty=format_qty)   # Rp12.500; +Rp10 / -Rp10 / Rp0; 1,5 kg
    app.jinja_env.filters["qty_input"] = lambda qty, unit: _unit(unit).input_text(qty)
    app.jinja_env.filters["qty_unit"] = lambda qty, unit: _unit(unit).with_unit(qty)   # 3 pcs, 1,5 kg
    app.jinja_env.filters.update(number=format_number, money_input=money.input_text,
                                 sentence=text.sentence)   # a reason: one full stop, never two
    app.jinja_env.filters["day"] = dates.shown
    app.jinja_env.filters.update(dates_kept=dates.kept_whole, typed=dates.typed)
    app.jinja_env.globals.update(local_time=local_time, date_words=dates.in_words, fixed_url=fixed_url)
    app.extensions["pos_fixed_urls"] = {}
    app.context_processor(lambda: {"outlet_name": app.config["OUTLET_NAME"]})
    app.after_request(security_headers)


# Every script is a file the app serves (no inline script, no eval: htmx runs with
# allowEval off), so an injected <script> or handler in a name never runs; nothing
# may frame the app (clickjacking a till's Bayar), and no page leaks its URL onwards.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
_SECURITY_HEADERS = tuple((name.lower(), name, value) for name, value in (  # unless set by the answer
    ("Cache-Control", "no-store"), ("Content-Security-Policy", CSP), ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin")))


def security_headers(response: Response) -> Response:
    """The browser-side defences, on every answer.

    What the app draws (pages, fragments, files, errors) is never stored by the browser: it
    holds the outlet's figures and members' data, on counter computers the staff share, where
    the back button after a logout would show it again. Files under ``static`` keep their own
    caching (``pos.assets``), so a till still loads its scripts and styles once."""
    have = {name.lower() for name, _value in response.headers.items()}  # one pass, not one each
    for lower, name, value in _SECURITY_HEADERS:
        if lower not in have:
            response.headers.add(name, value)
    return response


def fixed_url(endpoint: str, **values) -> str:
    """``url_for`` of a URL the same on every request, built once per script root (8 µs each)."""
    key = (request.script_root, endpoint, *sorted(values.items()))
    urls = current_app.extensions["pos_fixed_urls"]
    url = urls.get(key)
    if url is None:
        url = urls[key] = url_for(endpoint, **values)
    return url


# --- Pages and partials ----------------------------------------------------------------------

def is_htmx() -> bool:
    """An htmx request that wants a fragment (a boosted link wants the whole page)."""
    helper = current_app.htmx  # flask-htmx reads the HX-Request and HX-Boosted headers
    return bool(helper) and not helper.boosted


def render(template: str, status: int = 200, *, partial: str | None = None,
           headers: dict | None = None, **context) -> Response:
    """``template`` (a page), or ``partial`` when htmx asked for a fragment.

    A URL that answers with either carries ``Vary: HX-Request``, so no cache
    hands a fragment to a full page load or the other way round.
    """
    chosen = partial if partial is not None and is_htmx() else template
    response = make_response(render_template(chosen, **context), status)
    if partial is not None:
        response.vary.add("HX-Request")
    if headers:
        response.headers.update(headers)
    return response


def message(kind: str, text: str, status: int = 200, headers: dict | None = None) -> Response:
    """The messages partial with one message (``ok``, ``info``, ``warn`` or ``error``)."""
    return render("_messages.html", status, messages=[(kind, text)], headers=headers)


def go(url: str) -> Response:
    """Another page: htmx follows ``HX-Redirect``; a plain form gets a 303."""
    if is_htmx():
        return make_response("", 200, {"HX-Redirect": url})
    return redirect(url, 303)


# What a download's name ends with -> its media type.
DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_FILE_NAME = re.compile(r"[A-Za-z0-9_.-]+\.(csv|pdf|xlsx)")


def download(body: bytes | str, filename: str) -> Response:
    """A file the browser saves as ``filename`` (``.csv``, ``.xlsx`` or ``.pdf``: the type).

    Like every answer it goes out ``no-store`` (``security_headers``, in both apps). A CSV given
    as text goes out as UTF-8 with a byte-order mark, so a spreadsheet program reads its
    accents and dashes.
    """
    match = _FILE_NAME.fullmatch(filename)
    if match is None:  # made by the code from dates and slugs, so a programming error
        raise ValueError(f"not a download name: {filename!r}")
    if isinstance(body, str):
        body = body.encode("utf-8-sig" if match.group(1) == "csv" else "utf-8")
    return Response(body, content_type=DOWNLOAD_TYPES[match.group(1)],  # mimetype= adds a charset
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def live_search(search: Callable, template: str, *, dated: bool = False, **context) -> Response:
    """``search(session, text, limit)`` for ``?q=``, rendered; ``dated``: ``today=`` the business day too."""
    on, query = {"today": business_today()} if dated else {}, request.args.get("q", "")
    found = search(read_session(), query, current_app.config["SEARCH_LIMIT"], **on)
    return render(template, results=found, query=query, **context)


# --- Form and query fields -------------------------------------------------------------------

_LONG = re.compile(r"[+-]?[0-9]{13,}")  # a whole number, too long to be a real one
_INT = re.compile(r"[+-]?[0-9]{1,12}")  # ASCII digits only ("\d" would take ８ or ٣), 12 at most
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+")  # 1.250, 12.500.000: Indonesian thousands
_UNSIGNED = re.compile(r"[0-9]{1,12}")


class RouteInt(IntegerConverter):
    """``<int:...>`` in every route: 1-18 ASCII digits, so an id always fits a BIGINT (a longer
    one is a 404, never an overflow in the database)."""

    regex = r"[0-9]{1,18}"


def _raw(name: str) -> str:
    return request.values.get(name, "").strip()


def int_field(name: str, label: str, *, required: bool = True, signed: bool = False,
              low: int | None = None, high: int | None = None, blank: int | None = None,
              status: int = 422) -> int | None:
    """A whole number from the form or query string; ``blank`` when empty and not required.
    Thousands may be grouped with dots as Indonesians write them (``1.250`` gram is 1250)."""
    raw = _raw(name)
    if _GROUPED.fullmatch(raw):
        raw = raw.replace(".", "")
    if not raw:
        if required:
            raise PosError(f"{label} wajib diisi.", status)
        return blank
    if not _INT.fullmatch(raw) or (not signed and raw[0] in "+-"):
        if low is not None and high is not None:
            raise PosError(_range_text(label, low, high), status)
        if _LONG.fullmatch(raw) and (signed or raw[0] not in "+-"):
            raise PosError(f"{label} terlalu besar.", status)
        raise PosError(f"{label} harus berupa angka bulat{'' if signed else ' tanpa tanda'}.",
                       status)
    value = int(raw)
    if (low is not None and value < low) or (high is not None and value > high):
        raise PosError(_range_text(label, low, high), status)
    return value


def _range_text(label: str, low: int | None, high: int | None) -> str:
    if high is None:
        return f"{label} harus angka bulat paling sedikit {format_number(low)}."
    if low is None:
        return f"{label} harus angka bulat paling banyak {format_number(high)}."
    return f"{label} harus angka bulat {format_number(low)} sampai {format_number(high)}."


def typed_field(field: Callable, name: str, label: str, default, **rules) -> tuple:
    """A page's filter field (``?hari=``, ``?tanggal=``) read by ``field`` (``int_field``,
    ``date_field``) as ``date_range`` reads Dari/Sampai: typed wrong, the page is drawn again with
    the field as typed and the message by it, not an error page. (The value, ``default`` when
    blank or refused; what was typed; the problem, or None.)"""
    try:
        value = field(name, label, required=False, **rules)
    except PosError as problem:
        return default, _raw(name), problem.message
    return (default if value is None else value), _raw(name), None


def int_list(name: str, problem: str, *, signed: bool = False) -> list[int]:
    """Every posted value of ``name`` (or ``name[]``) as a whole number; else ``problem``."""
    values = [v.strip() for v in (request.form.getlist(name) or request.form.getlist(f"{name}[]"))]
    pattern = _INT if signed else _UNSIGNED
    if any(not pattern.fullmatch(value) for value in values):
        raise PosError(problem)
    return [int(value) for value in values]


def rupiah_field(name: str, label: str, *, maximum: int | None = None,
                 required: bool = True, signed: bool = False) -> int | None:
    """An amount of Rupiah as a cashier types it (``50000``, ``50.000``, ``Rp50.000``; with
    ``signed`` also ``-12.000``, money that went out)."""
    raw = _raw(name)
    if not raw and not required:
        return None
    limit = maximum if maximum is not None else current_app.config["MAX_AMOUNT"]
    negative = signed and raw.startswith("-")
    try:
        return -money.parse_rupiah(raw[1:], limit) if negative else money.parse_rupiah(raw, limit)
    except money.MoneyError as problem:
        raise PosError(problem.of_field(label)) from None


def date_field(name: str, label: str, *, required: bool = False, status: int = 422) -> date | None:
    """A date typed day first whatever the browser's language (``dates.parse_day_first``)."""
    raw = _raw(name)
    if not raw:
        if required:
            raise PosError(f"{label} wajib diisi.", status, field=name)
        return None
    try:
        return dates.parse_day_first(raw)
    except ValueError as problem:
        raise PosError(f"{label} {problem}", status, field=name) from None


def date_range(default_start: date, default_end: date | None = None, *,
               labels: tuple[str, str] = ("Tanggal awal", "Tanggal akhir"),
               longest_days: int | None = None) -> dates.TypedRange:
    """A report page's ``dari`` / ``sampai`` (``dates.typed_range``): a range typed wrong is
    not an error page but a ``problem`` the page shows by its fields, as typed."""
    return dates.typed_range(request.args.get("dari"), request.args.get("sampai"), default_start,
                             default_end, labels=labels, longest_days=longest_days)


def range_refused(period: dates.TypedRange, *, as_file: bool = False) -> Response | None:
    """A range typed wrong where no page is drawn again: htmx's messages box (a ``PosError``),
    a download link's file (its message as plain text, 400). None: right, or the page shows it."""
    if period.problem and is_htmx():
        raise PosError(period.problem, 422)
    if period.problem and as_file:
        return Response(period.problem, 400, content_type="text/plain; charset=utf-8")
    return None


# --- The outlet: hardware, clock, numbers ----------------------------------------------------

def hardware():
    """The outlet's devices (its printer, scale, display); a screen prints on ``access.till_printer()``."""
    return current_app.extensions["pos_hardware"]


def devices():
    """Every device of the gerai: ``till_printer(till_id)``, ``till_display(till_id)``."""
    return current_app.extensions["pos_devices"]


def business_today() -> date:
    """Today's business date in the outlet's zone."""
    return business_date(utcnow(), current_app.config["TIMEZONE"])


def local_time(moment: datetime | None, clock: bool = False) -> str:
    """A stored UTC timestamp as the outlet's local ``dd-mm-yyyy HH:MM`` on one line
    (``dates.shown``), or only its ``HH:MM`` with ``clock``; empty for None."""
    if moment is None:
        return ""
    local = to_local(moment, current_app.config["TIMEZONE"])
    return local.strftime("%H:%M") if clock else dates.shown(local)


def format_qty(qty: int, base_unit) -> str:
    """The ``qty`` filter: 1500 gram -> ``1,5 kg``; 3 pcs -> ``3``."""
    return _unit(base_unit).format(qty)


def _unit(base_unit) -> BaseUnit:
    return BaseUnit(getattr(base_unit, "value", base_unit))
