"""The scan as the cashier sees it: headless Chromium, the scanner's Enter to the new row.

The app is served by waitress in a thread on a scratch copy of the outlet (CSRF on, as at an
outlet); a cashier logs in at the app's till in Playwright with Debian's Chromium (the browser
tests' launch arguments), opens a shift if asked, then each scan types a real barcode into the
scan field as a USB scanner does (key events, a few ms apart) and presses Enter.  The time is
taken in the page itself: a capturing ``keydown`` listener notes ``performance.now()`` at the
Enter, a ``MutationObserver`` notes it again when the cart's last row is the scanned product's
(its SKU), so Playwright's round trips are not counted.  The same scans are also timed in the
server, around the app's WSGI call (wall clock and the serving thread's CPU), so the figures
tell what of the wait is the server and what the browser.

Two carts: an empty one (emptied, untimed, between scans) and one already holding 60 distinct
lines (filled once; each timed scan adds a 61st line, which is then removed, untimed).  A few
warm-up scans at each size are thrown away.  Figures are p50 and p95 per round, the median over
rounds, with the spread of the per-round values.
"""
from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select

from bench import dataset, machine
from bench.app_bench import SCAN, BenchError, close, make_app
from bench.figures import Context, figure, median_of
from bench.in_thread import serving
from pos.auth.models import User
from pos.db import get_db
from pos.sales import scanning

CHROMIUM = os.environ.get("POS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1366, "height": 768}
SCANNER_DELAY_MS = 5  # a USB scanner types 100+ characters per second
FULL_LINES = 60
GOAL_MS = 50.0

# Piece goods a till sells with a plain scan: no weighing, batch, prescription, buyer or limit.
PLAIN_GOODS = """
SELECT b.code, p.sku FROM product_barcode b JOIN product p ON p.id = b.product_id
JOIN stock_level s ON s.product_id = p.id
WHERE b.qty = 1 AND p.active = 1 AND p.base_unit = 'pcs' AND p.weighed = 0
  AND p.batch_tracked = 0 AND p.drug_class IS NULL AND p.subsidy IS NULL AND p.lpg IS NULL
  AND p.limit_rule_id IS NULL AND s.on_hand >= 10
ORDER BY p.id LIMIT ?
"""

# In the page: the Enter's time (capturing, before pos.js), and the time the cart's last row
# becomes the awaited SKU's; ``__bench.arm(sku)`` before each scan.
TIMER_JS = """() => {
  const b = window.__bench = { sku: null, start: null, end: null };
  const lastSku = () => {
    const small = document.querySelector('#cart tbody tr.line:last-child td.name small');
    return small ? small.textContent : null;
  };
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && b.sku && b.start === null) b.start = performance.now();
  }, true);
  new MutationObserver(() => {
    if (b.sku && b.start !== null && b.end === null && lastSku() === b.sku) b.end = performance.now();
  }).observe(document.body, { childList: true, subtree: true });
  b.arm = (sku) => { b.sku = sku; b.start = null; b.end = null; };
}"""

POST_JS = """async ([url, values]) => {
  await htmx.ajax('POST', url, { source: '#scan-form', values: values, target: '#cart',
                                 swap: 'outerHTML' });
}"""


def measure(ctx: Context, chromium=None) -> dict[str, dict]:
    """``scan_browser_p50_ms`` / ``_p95_ms`` in an empty cart and in a cart of 60 lines, and
    ``scan_browser_server_p50_ms`` (``_60_lines``): the server's part of those scans.

    ``chromium``: a Playwright browser already launched (the tests' own: Playwright's sync API
    runs one event loop per thread, so a second ``sync_playwright()`` there would fail)."""
    if not Path(CHROMIUM).exists():
        raise BenchError(f"Chromium not found at {CHROMIUM}")
    rounds, per_round, warmup = (1, 3, 1) if ctx.quick else (5, 20, 3)
    with tempfile.TemporaryDirectory(dir=ctx.workdir, prefix="browser-") as folder:
        db = dataset.scratch_copy(ctx.outlet, Path(folder) / "outlet.db")
        codes = _goods(db, FULL_LINES + rounds * per_round + warmup + 1)
        app = make_app(db, Path(folder))
        clock = ServerClock(app)
        try:
            with serving(app) as base, _chromium(chromium) as browser:
                context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
                page = context.new_page()
                page.set_default_timeout(30_000)
                till_id = _till_id(db)
                _log_in(page, base, till_id)
                empty, full = _time_scans(page, clock, codes, rounds, per_round, warmup,
                                          ctx.settle, lambda codes: _fill(app, till_id, codes))
                context.close()
        finally:
            close(app)
    return {**_figures("scan_browser", empty), **_figures("scan_browser", full, "_60_lines"),
            **_server_figure(empty), **_server_figure(full, "_60_lines")}


class Timed(NamedTuple):
    """One scan: Enter to the row in the page, and the server's WSGI call for it (ms)."""

    browser: float
    server: float
    server_cpu: float


class ServerClock:
    """Times each scan's WSGI call in the serving thread: wall clock and that thread's CPU,
    the body included (as ``bench.app_bench.call_wsgi`` times it)."""

    def __init__(self, app):
        self.samples: list[tuple[float, float]] = []
        inner = app.wsgi_app

        def timed(environ, start_response):
            if environ.get("PATH_INFO") != SCAN:
                return inner(environ, start_response)
            began, cpu = time.perf_counter_ns(), time.thread_time_ns()
            result = inner(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                getattr(result, "close", lambda: None)()
            self.samples.append(((time.perf_counter_ns() - began) / 1e6,
                                 (time.thread_time_ns() - cpu) / 1e6))
            return [body]

        app.wsgi_app = timed

    def take(self) -> tuple[float, float]:
        """The one scan timed since the last call."""
        if len(self.samples) != 1:
            raise BenchError(f"{len(self.samples)} scans reached the server, 1 expected")
        return self.samples.pop()


def _time_scans(page, clock: ServerClock, codes: list[tuple[str, str]], rounds: int,
                per_round: int, warmup: int, settle: bool, fill: Callable[[list[str]], None]
                ) -> tuple[list[list[Timed]], list[list[Timed]]]:
    """Per round, the empty-cart times, then (the cart filled once) the 60-line times."""
    filler, fresh = codes[:FULL_LINES], codes[FULL_LINES:]
    picked = [fresh[index * per_round:(index + 1) * per_round] for index in range(rounds)]
    spare = fresh[rounds * per_round:][:warmup]  # warm-up scans, thrown away
    empty_rounds = []
    for goods in [spare, *picked]:
        if settle and goods is not spare:
            machine.wait_for_idle(timeout=5.0)
        times = []
        for code, sku in goods:
            _post(page, "/kasir/kosongkan", {"reason": "Pembeli batal"})
            times.append(_timed_scan(page, clock, code, sku))
        empty_rounds.append(times)
    _post(page, "/kasir/kosongkan", {"reason": "Pembeli batal"})
    fill([code for code, _sku in filler])
    page.reload()  # the long cart as the till opens it
    _install_timer(page)
    if page.locator("#cart tr.line").count() != FULL_LINES:
        raise BenchError(f"the cart does not hold {FULL_LINES} lines")
    full_rounds = []
    for goods in [spare, *picked]:
        if settle and goods is not spare:
            machine.wait_for_idle(timeout=5.0)
        times = []
        for code, sku in goods:  # a product not on the cart: a 61st line, then taken off
            times.append(_timed_scan(page, clock, code, sku))
            line = page.locator("#cart tbody tr.line").last.get_attribute("data-line")
            _post(page, f"/kasir/baris/{line}/hapus", {"reason": "Salah pindai"})
        full_rounds.append(times)
    _post(page, "/kasir/kosongkan", {"reason": "Pembeli batal"})
    return empty_rounds[1:], full_rounds[1:]


def _timed_scan(page, clock: ServerClock, code: str, sku: str) -> Timed:
    """Type ``code`` and Enter into the focused scan field: ms from Enter to the row, and the
    server's time for the scan."""
    page.evaluate("(sku) => window.__bench.arm(sku)", sku)
    page.locator("#scan").focus()
    clock.samples.clear()
    page.keyboard.type(code, delay=SCANNER_DELAY_MS)
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__bench.end !== null")
    shown = page.evaluate("() => window.__bench.end - window.__bench.start")
    return Timed(shown, *clock.take())


def _fill(app, till_id: int, codes: list[str]) -> None:
    """Scan ``codes`` onto the till's cart in one transaction, in process (untimed; drawing the
    cart after each of 60 scans through HTTP would only make the run longer)."""
    with get_db(app).transaction() as session:
        cashier = session.scalar(select(User.id).where(User.username == dataset.CASHIER_USERNAME))
        for code in codes:
            scanning.scan(session, till_id, code, patterns=app.extensions["pos_patterns"],
                          cashier_id=cashier)


def _post(page, url: str, values: dict[str, str]) -> None:
    """An untimed cart change through htmx, as the till's own buttons send it."""
    page.evaluate(POST_JS, [url, values])


def _install_timer(page) -> None:
    page.evaluate(TIMER_JS)


def _log_in(page, base: str, till_id: int) -> None:
    """Log the bench cashier in at the app's till; open a shift when the till asks for one."""
    page.goto(f"{base}/masuk")
    page.fill("#username", dataset.CASHIER_USERNAME)
    page.fill("#pin", dataset.CASHIER_PIN)
    page.select_option("#till_id", str(till_id))
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/kasir")
    page.locator("#scan, #open-shift").first.wait_for()
    if page.locator("#open-shift").count():
        page.get_by_label("Kas awal", exact=True).fill("200000")
        with page.expect_navigation(url=f"{base}/kasir"):
            page.get_by_role("button", name="Buka shift").click()
    page.locator("#scan").wait_for()
    _install_timer(page)


def _figures(prefix: str, rounds: list[list[Timed]], suffix: str = "") -> dict[str, dict]:
    p50s = [statistics.median(t.browser for t in times) for times in rounds]
    p95s = [_nearest_rank([t.browser for t in times], 95) for times in rounds]
    n = sum(len(times) for times in rounds)
    return {f"{prefix}_p50_ms{suffix}": figure(median_of(p50s), "ms", spread=p50s, n=n),
            f"{prefix}_p95_ms{suffix}": figure(median_of(p95s), "ms", max_value=GOAL_MS,
                                               spread=p95s, n=n)}


def _server_figure(rounds: list[list[Timed]], suffix: str = "") -> dict[str, dict]:
    """The server's median per round (reported), with its CPU and its share of the wait."""
    p50s = [statistics.median(t.server for t in times) for times in rounds]
    cpu = median_of([statistics.median(t.server_cpu for t in times) for times in rounds])
    shown = median_of([statistics.median(t.browser for t in times) for times in rounds])
    value = median_of(p50s)
    return {f"scan_browser_server_p50_ms{suffix}": figure(
        value, "ms", spread=p50s, n=sum(len(times) for times in rounds),
        note=f"the WSGI call of the same scans, in the serving thread: {cpu:.1f} ms of its CPU; "
             f"{value / shown:.0%} of the {shown:.1f} ms from Enter to the row (p50)")}


def _nearest_rank(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * percent // 100) - 1)]


def _goods(db: Path, count: int) -> list[tuple[str, str]]:
    """(barcode, SKU) of ``count`` distinct plain piece goods with stock."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(PLAIN_GOODS, (count,)).fetchall()
    if len(rows) < count:
        raise BenchError(f"only {len(rows)} plain goods in the outlet, {count} wanted")
    return [(code, sku) for code, sku in rows]


def _till_id(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT id FROM till WHERE code = ?", (dataset.APP_TILL,)).fetchone()
    if row is None:
        raise BenchError(f"no till {dataset.APP_TILL} in the outlet")
    return row[0]


@contextmanager
def _chromium(launched=None) -> Iterator:
    if launched is not None:
        yield launched
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
