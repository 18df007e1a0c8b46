"""The app side: scans and checkouts through Gerai POS's full WSGI stack, in process.

The app is built as in production (CSRF on, background WAL checkpointer,
``synchronous=FULL``) with a recording printer.  Each request is built with
``werkzeug.test.EnvironBuilder`` before the clock starts and carries what a
logged-in till's browser sends: the session cookie, ``HX-Request: true`` and the
CSRF token read from the till page.  Only ``app(environ, start_response)`` and
reading the body are timed.
"""
from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from markupsafe import escape
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from bench.dataset import APP_TILL, CASHIER_PIN, CASHIER_USERNAME, OUTLET_CODE
from pos import create_app
from pos.auth.models import User
from pos.db import get_db
from pos.hardware import Hardware
from pos.hardware.fakes import RecordingPrinter
from pos.sales import checkout as sales_checkout
from pos.sales import pricing, print_worker
from pos.sales.models import PaymentMethod
from pos.tills.models import Till

SCAN, PAY, CLEAR = "/kasir/pindai", "/kasir/bayar", "/kasir/kosongkan"
NOTE = 100_000  # cash is handed in Rp100.000 notes, the fewest that cover the total: change under
# Rp100.000, as nearly every sale's, so no checkout meets the drawer check (``shifts.gate.pay_change``)
SHOWN = re.compile(rb'id="cart-shown" name="shown" value="([^"]*)"')
TOTAL = re.compile(rb'data-total="(\d+)"')


def tendered(total: int) -> int:
    """The cash a buyer hands over for ``total``: whole Rp100.000 notes, the fewest that cover it."""
    return -(-total // NOTE) * NOTE


class BenchError(RuntimeError):
    """The app did not behave as a till expects; the numbers would be meaningless."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    ns: int  # time spent in the WSGI call, body included


def make_app(db_path: Path, instance: Path) -> Flask:
    """The app on the benchmark database, configured as it runs at the outlet, but without the
    print-retry thread: the recording printer never fails, so it would retry nothing, and it
    outlives the scratch copy (its next pass, every 20 s, would make the deleted file again,
    empty, and log "no such table")."""
    config = {"INSTANCE_PATH": str(instance), "DATABASE_URL": f"sqlite:///{db_path}",
              "SECRET_KEY": "bench-secret", "SQLITE_BACKGROUND_CHECKPOINT": True,
              "OUTLET_CODE": OUTLET_CODE, "PKP": True,  # the dataset's sales carry PPN
              "PRINT_RETRY_SECONDS": 0,
              "VOID_APPROVAL_ABOVE": None}  # the tills empty carts between rounds: no manager stands by
    return create_app(config, hardware=Hardware(printer=RecordingPrinter(columns=32)))


def _find(pattern: str, text: str, what: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise BenchError(f"no {what} in the page")
    return match.group(1)


def _discard(_data: bytes) -> None:
    """The ``write`` callable WSGI's ``start_response`` must return."""


def htmx_post(path: str, form: dict[str, str], headers: dict[str, str]) -> dict:
    """A ready WSGI environ for an htmx POST (``HX-Request: true`` plus ``headers``)."""
    builder = EnvironBuilder(path=path, method="POST", data=form,
                             headers={"HX-Request": "true", **headers})
    try:
        return builder.get_environ()
    finally:
        builder.close()


def call_wsgi(app: Callable, environ: dict) -> tuple[Reply, list[tuple[str, str]]]:
    """One timed WSGI call: ``app(environ, start_response)`` plus reading the body.

    The app and the bare-Flask floor are timed by this same function."""
    started: list = []

    def start_response(status: str, headers: list, exc_info=None) -> Callable:
        started[:] = [status, headers]
        return _discard

    begin = time.perf_counter_ns()
    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    ns = time.perf_counter_ns() - begin
    return Reply(int(started[0][:3]), body, ns), started[1]


class AppTill:
    """A logged-in cashier's browser at the app's till, talking WSGI directly."""

    def __init__(self, app: Flask):
        self.app = app
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.cookie, self.token = self._log_in()
        self.shown: str | None = None  # what the till shows of its cart (``#cart-shown``)
        self.total = 0                 # and its total (``data-total``), what the cash covers

    def _log_in(self) -> tuple[str, str]:
        """Log in through the login form, then read the CSRF token from the till page."""
        client = self.app.test_client()
        with get_db(self.app).reading() as session:
            till_id = session.scalar(select(Till.id).where(Till.code == APP_TILL))
        form_token = _find(r'name="csrf_token" value="([^"]+)"',
                           client.get("/masuk").get_data(as_text=True), "login CSRF token")
        reply = client.post("/masuk", data={"username": CASHIER_USERNAME, "pin": CASHIER_PIN,
                                            "till_id": str(till_id), "csrf_token": form_token})
        if reply.status_code != 303:
            raise BenchError(f"login failed with HTTP {reply.status_code}")
        self.till_id = till_id
        with get_db(self.app).reading() as session:
            self.cashier_id = session.scalar(select(User.id).where(User.username == CASHIER_USERNAME))
        page = client.get("/kasir").get_data(as_text=True)
        token = _find(r'"X-CSRFToken": "([^"]+)"', page, "till CSRF token")
        if 'id="open-shift"' in page:  # no sale without an open shift: count a float first
            reply = client.post("/shift/buka", data={"kas_awal": "200000", "csrf_token": token})
            if reply.status_code not in (200, 303):
                raise BenchError(f"opening the shift failed with HTTP {reply.status_code}")
            page = client.get("/kasir").get_data(as_text=True)
            token = _find(r'"X-CSRFToken": "([^"]+)"', page, "till CSRF token")
        return client.get_cookie(self.cookie_name).value, token

    def environ(self, path: str, form: dict[str, str]) -> dict:
        """A ready WSGI environ for an htmx POST from this browser."""
        return htmx_post(path, form, {"X-CSRFToken": self.token,
                                      "Cookie": f"{self.cookie_name}={self.cookie}"})

    def call(self, environ: dict) -> Reply:
        """Run one request; keeps a re-issued session cookie as a browser would."""
        reply, headers = call_wsgi(self.app, environ)
        self._keep_cookie(headers)
        shown = SHOWN.search(reply.body)
        if shown is not None:  # the till sends it back with its next scan, as pos.js does
            self.shown = shown.group(1).decode()
        total = TOTAL.search(reply.body)
        if total is not None:
            self.total = int(total.group(1))
        return reply

    def scan_environ(self, code: str) -> dict:
        """A scan as the till sends it: the code and what it shows of the cart."""
        form = {"code": code} if self.shown is None else {"code": code, "shown": self.shown}
        return self.environ(SCAN, form)

    def post(self, path: str, form: dict[str, str]) -> Reply:
        return self.call(self.environ(path, form))

    def _keep_cookie(self, headers: list[tuple[str, str]]) -> None:
        prefix = f"{self.cookie_name}="
        for name, value in headers:
            if name.lower() == "set-cookie" and value.startswith(prefix):
                self.cookie = value.split(";", 1)[0][len(prefix):]

    def clear(self) -> None:
        if self.post(CLEAR, {}).status != 200:
            raise BenchError("clearing the cart failed")


def scanned(reply: Reply, name: str) -> bool:
    """True when a scan answered 200 with the product's row in the fragment."""
    return reply.status == 200 and str(escape(name)).encode() in reply.body


def scan_batch(till: AppTill, products: list[tuple[str, str]],
               pause: float = 0.0) -> tuple[list[int], int, int]:
    """Empty the cart (untimed), then time one scan per (code, name), each after ``pause``
    seconds idle (untimed).

    Returns the timings in ns, the number of failed scans and the bytes answered.
    """
    till.clear()
    times, failures, size = [], 0, 0
    for code, name in products:
        environ = till.scan_environ(code)  # untimed; carries the last answer's ``shown``
        if pause:
            time.sleep(pause)
        reply = till.call(environ)
        times.append(reply.ns)
        failures += not scanned(reply, name)
        size += len(reply.body)
    return times, failures, size


def checkout(till: AppTill, products: list[tuple[str, str]]) -> tuple[int, bool]:
    """Scan ``products`` (untimed), then time a cash payment; returns (ns, succeeded)."""
    for code, name in products:
        if not scanned(till.call(till.scan_environ(code)), name):
            till.clear()
            return 0, False
    printing = till.app.extensions.get("pos_print_queue")
    if printing is not None:
        printing.join()  # receipts of earlier sales are out, as at a counter where sales are seconds apart
    reply = till.post(PAY, {"tendered": str(tendered(till.total)), "idempotency_key": str(uuid.uuid4())})
    ok = reply.status == 200 and b"sale-done" in reply.body
    if not ok:
        till.clear()
    return reply.ns, ok


def checkout_commit(till: AppTill, products: list[tuple[str, str]]) -> tuple[int, bool]:
    """Scan ``products`` (untimed), then time the checkout transaction itself: the
    service and its commit at synchronous=FULL, as the view runs it, without the
    HTTP request around it.  The receipt is then printed (untimed), as after a sale."""
    sold = _sell(till, products)
    if sold is None:
        return 0, False
    ns, result = sold
    print_worker.submit(till.app, result.print_job_id)
    return ns, result.created


def _sell(till: AppTill, products: list[tuple[str, str]]):
    """Scan ``products`` (untimed), then pay cash in the checkout transaction: (ns of the
    transaction, the checkout's result), or None when a scan failed. Receipts of earlier sales
    are out first, as at a counter where sales are seconds apart."""
    for code, name in products:
        if not scanned(till.call(till.scan_environ(code)), name):
            till.clear()
            return None
    app, printing = till.app, till.app.extensions.get("pos_print_queue")
    if printing is not None:
        printing.join()
    cfg = app.config
    tax = pricing.TaxSettings(cfg["PKP"], cfg["TAX_RATE_BP"], cfg["TAX_INCLUSIVE"])
    begin = time.perf_counter_ns()
    with get_db(app).transaction() as session:
        result = sales_checkout.checkout(
            session, till_id=till.till_id, cashier_id=till.cashier_id,
            idempotency_key=str(uuid.uuid4()),
            tenders=[sales_checkout.Tender(PaymentMethod.CASH, tendered(till.total))],
            outlet_code=cfg["OUTLET_CODE"], timezone=cfg["TIMEZONE"], tax=tax)
    return time.perf_counter_ns() - begin, result


def receipt_jobs(till: AppTill, carts: list[list[tuple[str, str]]]) -> list[int]:
    """The CPU time (ns) of each cart's receipt, printed as the print thread prints it after a
    sale (``print_worker.run_job``: the job and the sale read, the job claimed and the drawer
    logged, the receipt built and drawn to ESC/POS bytes by the recording printer, the result
    written), run in this thread and timed with its CPU clock, so the other threads' work is
    not counted. The sales are made untimed first; a failed print is not counted."""
    times = []
    till.clear()  # the rounds may end on scans: each sale is its own 5 lines, paid for its total
    for cart in carts:
        sold = _sell(till, cart)
        if sold is None:
            continue
        begin = time.thread_time_ns()
        error = print_worker.run_job(till.app, sold[1].print_job_id, first_print=True)
        if error is None:
            times.append(time.thread_time_ns() - begin)
    return times


def close(app: Flask) -> None:
    get_db(app).engine.dispose()
