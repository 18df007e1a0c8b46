"""The crash suite's outlet: a demo gerai made through the app's own services, and the
production server (``waitress-serve --threads=8 --call pos:create_app``) on it as a child
process on 127.0.0.1, started, killed with SIGKILL and started again on the same database.

The outlet has four tills and four cashiers (the demo has two and one: the others are made
with the same services), one closed day of history and, the day before today, a day of
sales whose shifts are closed but which is not closed yet: the load closes it over HTTP
(``Tutup hari``), so a day close happens while the server may be killed.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

from sqlalchemy import select

SECRET_KEY = "crash-suite-secret"
OUTLET = "CRASH01"
CASHIERS = ("kasir1", "kasir2", "kasir3", "kasir4")
PIN = "1111"
MANAGER = ("manajer1", "9999")
TILL_CODES = ("KASIR-1", "KASIR-2", "KASIR-3", "KASIR-4")
BIN = Path(sys.executable).parent
START_TIMEOUT = 30.0


@dataclass
class Outlet:
    """What the load needs to know of the seeded outlet."""
    url: str
    instance: Path
    tills: dict[str, int] = field(default_factory=dict)      # cashier -> till id
    products: list[tuple[int, str]] = field(default_factory=list)  # (product id, barcode)
    open_day: date | None = None                              # the day the load closes

    def env(self) -> dict[str, str]:
        """The settings the server and the CLI read (``POS_*``), as ``pos.env`` would hold them."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
        env.update(POS_DATABASE_URL=self.url, POS_INSTANCE_PATH=str(self.instance),
                   POS_SECRET_KEY=SECRET_KEY, POS_OUTLET_CODE=OUTLET,
                   # every till and every manager PIN comes from 127.0.0.1 here: the per-address
                   # login pace (10 a minute) is for a LAN of browsers, not four test threads
                   POS_LOGIN_ATTEMPTS_PER_MINUTE="100000", POS_LOGIN_MAX_ATTEMPTS="1000",
                   POS_LOGIN_MAX_ATTEMPTS_PER_USER="1000")
        return env


def seed(url: str, instance: Path) -> Outlet:
    """Migrate (as ``pos init``) and seed the demo gerai (as ``pos demo``) with two days of
    history, yesterday left open with its shifts closed; add tills and cashiers."""
    from pos import create_app
    from pos.auth.models import User
    from pos.auth.service import create_user
    from pos.cli import ensure_reference_data
    from pos.clock import business_date, utcnow
    from pos.db import get_db, transaction, upgrade
    from pos.demo import history
    from pos.demo.seed import seed_demo
    from pos.hardware import Hardware
    from pos.hardware.fakes import RecordingPrinter
    from pos.tills import service as tills
    from pos.tills.models import Till

    instance.mkdir(parents=True, exist_ok=True)
    outlet = Outlet(url=url, instance=instance)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET_KEY,
                      "OUTLET_CODE": OUTLET, "CLI": True, "PRINT_IN_BACKGROUND": False,
                      "SQLITE_BACKGROUND_CHECKPOINT": False},
                     hardware=Hardware(printer=RecordingPrinter(columns=32)))
    today = business_date(utcnow(), app.config["TIMEZONE"])
    outlet.open_day = today - timedelta(days=1)
    real_close = history.close_day

    def close_all_but_the_last(session, *, day, **kwargs):
        if day != outlet.open_day:
            return real_close(session, day=day, **kwargs)
        return None

    with app.app_context():
        upgrade(get_db().engine)
        with transaction() as session, mock.patch.object(history, "close_day", close_all_but_the_last):
            ensure_reference_data(session)
            seed_demo(session, history_days=2, config=app.config)
        with transaction() as session:
            for code in TILL_CODES:
                tills.ensure_till(session, code, code.title())
            for name in CASHIERS:
                if session.scalar(select(User.id).where(User.username == name)) is None:
                    create_user(session, name, name.title(), "cashier", PIN)
            ids = dict(session.execute(select(Till.code, Till.id)).all())
            outlet.tills = {name: ids[code] for name, code in zip(CASHIERS, TILL_CODES, strict=True)}
            outlet.products = plain_goods(session)
    get_db(app).engine.dispose()
    return outlet


def plain_goods(session) -> list[tuple[int, str]]:
    """Goods a till sells with a scan and nothing else: packaged, in pieces, unregulated, with
    a barcode; sold below zero (policy "allow") or batch-tracked with stock (FEFO batches)."""
    from pos.inventory.catalog.models import Product, ProductBarcode
    from pos.inventory.models import StockLevel

    rows = session.execute(
        select(Product.id, ProductBarcode.code, Product.batch_tracked)
        .join(ProductBarcode, ProductBarcode.product_id == Product.id)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(Product.active, ~Product.weighed, Product.base_unit == "pcs",
               Product.drug_class.is_(None), Product.subsidy.is_(None), Product.lpg.is_(None),
               Product.limit_rule_id.is_(None), Product.price > 0, ProductBarcode.qty == 1,
               (Product.stock_policy == "allow") | (Product.batch_tracked & (StockLevel.on_hand >= 40)))
        .order_by(Product.id)).all()
    allow: dict[int, tuple[int, str]] = {}
    batches: dict[int, tuple[int, str]] = {}
    for product_id, code, batch in rows:
        (batches if batch else allow).setdefault(product_id, (product_id, code))
    return list(allow.values())[:30] + list(batches.values())[:10]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """The production server command on ``outlet``'s database; ``start``, ``kill`` (SIGKILL),
    ``start`` again on the same port.  ``stop`` in a ``finally`` ends it whatever happened."""

    def __init__(self, outlet: Outlet, log: Path):
        self.outlet, self.log, self.port = outlet, log, free_port()
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert self.process is None
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [str(BIN / "waitress-serve"), "--host=127.0.0.1", f"--port={self.port}",
                 "--threads=8", "--call", "pos:create_app"],
                env=self.outlet.env(), cwd=self.outlet.instance, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}: "
                                     f"{self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:
                    answer.read()
                return
            except urllib.error.HTTPError as answer:  # 503: up, with a warning or an error
                answer.close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"server not answering after {START_TIMEOUT} s: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no checkpoint, no flush; waited for."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """The end of the test: the server and anything it started, killed and reaped."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)
        self.process = None


@contextmanager
def running(outlet: Outlet, log: Path):
    server = Server(outlet, log)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def cli(outlet: Outlet, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``pos <args>`` on the outlet's database, as the manager would run it."""
    return subprocess.run([str(BIN / "pos"), *args], env=outlet.env(), cwd=outlet.instance,
                          capture_output=True, text=True, timeout=timeout, check=False)
