"""Talking to a real server over HTTP: the server process, a keep-alive browser, the tills.

``ServerProcess`` starts a WSGI app with the production command (``waitress-serve
--threads=8 --call ...``) on 127.0.0.1 and a free port, and times Popen to the first 200.
``Browser`` is one keep-alive ``http.client`` connection with its cookies, as a till's
Chromium holds one. ``PosTill`` is a cashier logged in at a till through ``/masuk`` (CSRF
token from the page, session cookie), with an open shift; ``BareTill`` the same load
against ``bench/bare_app.py``. Every request is timed from sending to the last body byte.
"""
from __future__ import annotations

import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

ROOT = Path(__file__).resolve().parent.parent
WAITRESS = Path(sys.executable).with_name("waitress-serve")
NOTE = 100_000  # cash is handed in Rp100.000 notes, the fewest that cover the cart's total: change
# under Rp100.000, as nearly every sale's, so no checkout meets the drawer check (``pay_change``)
# The servers' bytecode, outside the checkout and kept between runs (checked against the
# sources' mtimes as usual, so an edit is recompiled).
PYCACHE = Path(tempfile.gettempdir()) / f"gerai-pos-bench-pycache-{os.getuid()}"


def service_environment(unit: Path = ROOT / "kiosk" / "pos-web.service") -> dict[str, str]:
    """The ``Environment=`` settings of the mini-PC's server unit, so a benchmarked server (and
    its floor: the same command) runs as the mini-PC runs it."""
    found = {}
    for line in unit.read_text().splitlines():
        if line.startswith("Environment="):
            found.update(item.split("=", 1) for item in shlex.split(line.removeprefix("Environment=")))
    return found


class ServerError(RuntimeError):
    """The server did not start or answered what a till cannot work with."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ns: int  # from sending the request to the last byte of the body


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """``waitress-serve --host=127.0.0.1 --port=<free> --threads=8 --call <target>`` as
    kiosk/pos-web.service runs it, with the unit's ``Environment=`` and ``env`` added to this
    process's environment."""

    def __init__(self, target: str, env: dict[str, str], cwd: Path, log: Path, threads: int = 8):
        self.port = free_port()
        self.command = [str(WAITRESS), "--host=127.0.0.1", f"--port={self.port}",
                        f"--threads={threads}", "--call", target]
        # Only the settings given here (no POS_* of the shell), and bytecode kept in PYCACHE:
        # an installed release is compiled (kiosk/release.sh runs compileall), so a start must
        # not pay for compiling every module when this shell says PYTHONDONTWRITEBYTECODE.
        inherited = {k: v for k, v in os.environ.items()
                     if not k.startswith("POS_") and k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**inherited, **service_environment(), "PYTHONPATH": str(ROOT),
                    "PYTHONPYCACHEPREFIX": str(PYCACHE), **env}
        self.cwd, self.log = cwd, log
        self.process: subprocess.Popen | None = None
        self.first_response_s: float | None = None
        self.first_response_cpu_s: float | None = None  # CPU the server used until then

    def start(self, path: str = "/masuk", timeout: float = 60.0) -> float:
        """Start the server and poll ``path`` until it answers 200; seconds from Popen."""
        with self.log.open("ab") as log:
            begin = time.perf_counter()
            self.process = subprocess.Popen(self.command, env=self.env, cwd=self.cwd, stdout=log,
                                            stderr=subprocess.STDOUT)
        while time.perf_counter() - begin < timeout:
            if self.process.poll() is not None:
                raise ServerError(f"server exited with {self.process.returncode}; see {self.log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", path)
                status = conn.getresponse().status
                conn.close()
            except OSError:
                status = 0
            if status == 200:
                self.first_response_s = time.perf_counter() - begin
                self.first_response_cpu_s = self.cpu_seconds()
                return self.first_response_s
            time.sleep(0.005)
        self.stop()
        raise ServerError(f"no 200 from {path} within {timeout} s; see {self.log}")

    def rss_mb(self, field: str = "VmRSS") -> float:
        """The server's resident memory (``VmRSS``, or ``RssAnon``, ``RssFile``) in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1)) / 1024

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far (user + system, all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


class Browser:
    """One keep-alive connection and its cookies (``source``: the client address to use,
    e.g. 127.0.0.2, so the server sees another device)."""

    def __init__(self, port: int, source: str = "127.0.0.1", timeout: float = 30.0):
        self.port, self.source, self.timeout = port, source, timeout
        self.cookies: dict[str, str] = {}
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout,
                                          source_address=(self.source, 0))

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> Reply:
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        sent = {**(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            begin = time.perf_counter_ns()
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = self._connect()
                if attempt == 2:
                    raise
                continue
            ns = time.perf_counter_ns() - begin
            break
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, response.headers, data, ns)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str], headers: dict[str, str] | None = None) -> Reply:
        return self.request("POST", path, form, headers)

    def close(self) -> None:
        self.conn.close()


def find(pattern: str, text: bytes, what: str) -> str:
    match = re.search(pattern.encode(), text)
    if match is None:
        raise ServerError(f"no {what} in the page")
    return match.group(1).decode()


def login_token(browser: Browser) -> str:
    """The CSRF token of the login form (bound to this browser's session cookie)."""
    return find(r'name="csrf_token" value="([^"]+)"', browser.get("/masuk").body, "login CSRF token")


class PosTill:
    """A cashier logged in at a till over HTTP, with an open shift, as its browser talks."""

    def __init__(self, port: int, username: str, pin: str, till_id: int):
        self.browser = Browser(port)
        reply = self.browser.post("/masuk", {"username": username, "pin": pin,
                                             "till_id": str(till_id),
                                             "csrf_token": login_token(self.browser)})
        if reply.status != 303:
            raise ServerError(f"login of {username} failed with HTTP {reply.status}")
        page = self.browser.get("/kasir").body
        self.token = find(r'"X-CSRFToken": "([^"]+)"', page, "till CSRF token")
        if b'id="open-shift"' in page:  # no sale without an open shift: count a float first
            reply = self.post("/shift/buka", {"kas_awal": "200000"})
            if reply.status not in (200, 303):
                raise ServerError(f"opening the shift failed with HTTP {reply.status}")
            page = self.browser.get("/kasir").body
            self.token = find(r'"X-CSRFToken": "([^"]+)"', page, "till CSRF token")
        self.sale_ids: list[int] = []
        self.total = 0   # the cart's total as the last scan drew it (``data-total``)

    def post(self, path: str, form: dict[str, str]) -> Reply:
        return self.browser.post(path, form, {"HX-Request": "true", "X-CSRFToken": self.token})

    def scan(self, code: str, name: str) -> tuple[int, bool]:
        reply = self.post("/kasir/pindai", {"code": code})
        total = re.search(rb'data-total="(\d+)"', reply.body)
        if total is not None:
            self.total = int(total.group(1))
        return reply.ns, reply.status == 200 and str(escape(name)).encode() in reply.body

    def pay(self) -> tuple[int, bool]:
        cash = -(-self.total // NOTE) * NOTE   # whole notes, the fewest that cover the total
        reply = self.post("/kasir/bayar", {"tendered": str(cash), "idempotency_key": str(uuid.uuid4())})
        match = re.search(rb'class="sale-done" data-sale-id="(\d+)"', reply.body)
        if reply.status == 200 and match:
            self.sale_ids.append(int(match.group(1)))
            return reply.ns, True
        return reply.ns, False

    def clear(self) -> None:
        self.post("/kasir/kosongkan", {})
        self.total = 0

    def close(self) -> None:
        self.browser.close()


class BareTill:
    """The same load against the bare Flask + SQLAlchemy app (``bench/bare_app.py``)."""

    def __init__(self, port: int, till: str):
        self.browser, self.till = Browser(port), till
        self.sale_ids: list[int] = []

    def scan(self, code: str, name: str) -> tuple[int, bool]:
        reply = self.browser.post("/scan", {"code": code, "till": self.till})
        return reply.ns, reply.status == 200 and str(escape(name)).encode() in reply.body

    def pay(self) -> tuple[int, bool]:
        reply = self.browser.post("/pay", {"till": self.till})
        ok = reply.status == 200 and b"sale-done" in reply.body
        if ok:
            self.sale_ids.append(int(find(r'data-sale-id="(\d+)"', reply.body, "sale id")))
        return reply.ns, ok

    def clear(self) -> None:
        self.browser.post("/clear", {"till": self.till})

    def close(self) -> None:
        self.browser.close()
