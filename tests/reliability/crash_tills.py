"""The crash suite's tills: one thread per cashier, a browser's requests over plain HTTP
(cookies, the CSRF token of the page, ``HX-Request`` like htmx), scanning, paying cash with an
idempotency key, sometimes returning a line of a recent sale (a manager's PIN in the form, as
the approval dialog posts it) or closing the shift and opening the next.

Each till writes down what the server CONFIRMED (a 200 with the sale's number, a return's
number) and nothing else.  A request cut by the kill leaves the till not knowing: a payment is
posted again with the same key once the server is back (its answer is the sale, made then or
before); a scan's cart is emptied; a return or shift close cut short is not counted.
"""
from __future__ import annotations

import http.client
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from tests.reliability.crash_server import MANAGER, PIN

TIMEOUT = 20.0
LOGIN_TRIES = 50
RETURN_EVERY, CLOSE_EVERY = 5, 12   # a till's 2nd, 7th, … action is a return, its 4th, 16th, … a
# shift close and reopen; the others are sales
NOTE = 100_000    # cash is handed in whole Rp100.000 notes, the least that covers the total
CASH = 1_000_000  # handed over when no total was seen: change from Rp100.000 up must be in the drawer


class Refused(Exception):
    """The server answered, but not with what the till asked for."""


class Failed(Exception):
    """A 5xx: the request's transaction was rolled back (e.g. its database connection ended)."""


Cut = (OSError, http.client.HTTPException, Failed)  # the server went away mid-request, or failed


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location") or self.headers.get("hx-redirect") or ""


class Browser:
    """One till's browser: its cookies and the page's CSRF token, a new connection a request."""

    def __init__(self, port: int):
        self.port, self.cookies, self.csrf = port, {}, ""
        self.failures: list[str] = []   # 5xx answers

    def send(self, method: str, path: str, form: list | dict | None = None, htmx: bool = True) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            if self.csrf:
                headers["X-CSRFToken"] = self.csrf
            if htmx:
                headers["HX-Request"] = "true"
            body = None
            if form is not None:
                body = urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for raw in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(raw).items():
                    self.cookies[name] = morsel.value
            token = re.search(r'name="csrf_token" value="([^"]+)"', text) or \
                re.search(r'"X-CSRFToken": "([^"]+)"', text)
            if token:
                self.csrf = token.group(1)
            if response.status >= 500:
                self.failures.append(f"{method} {path} {response.status}")
                raise Failed(f"{method} {path}: {response.status}")
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
        finally:
            conn.close()


@dataclass
class Confirmed:
    sale_id: int
    receipt_no: str
    key: str
    lines: dict[int, int]   # product id -> quantity
    total: int
    tendered: int


@dataclass
class Till:
    """One cashier at one till; ``run`` until ``stop``, waiting through the server's kills."""
    cashier: str
    till_id: int
    goods: list[tuple[int, str]]
    seed: int
    port: int
    up: threading.Event
    stop: threading.Event
    sales: list[Confirmed] = field(default_factory=list)
    returns: list[tuple[str, int, int]] = field(default_factory=list)   # (number, sale line, qty)
    shift_closes: int = 0
    cuts: int = 0
    refusals: list[str] = field(default_factory=list)
    repaid: int = 0   # sales confirmed by posting a cut payment again with its key
    errors: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.browser = Browser(self.port)
        # a payment cut short: its key, the lines scanned, the total the till showed
        self.pending: tuple[str, dict[int, int], int | None] | None = None
        self.synced = False
        self.actions = 0

    # -- the loop ---------------------------------------------------------------------------
    def run(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    if not self.synced:
                        self.sync()
                    self.actions += 1
                    if self.actions % RETURN_EVERY == 2 and self.sales:
                        self.give_back()
                    elif self.actions % CLOSE_EVERY == 4:
                        self.close_and_reopen()
                    else:
                        self.sell()
                except Cut:
                    self.cuts += 1
                    self.synced = False
                    self.wait_for_server()
        except Exception as error:  # reported by the test, never lost in a thread
            self.errors.append(f"{self.cashier}: {type(error).__name__}: {error}")

    def wait_for_server(self) -> None:
        while not self.stop.is_set() and not self.up.wait(timeout=0.2):
            pass

    # -- after a start or a cut -------------------------------------------------------------
    def sync(self) -> None:
        """Signed in (the cookie survives a restart: same key, sessions in the database), a
        shift open, a cut payment posted again, and an empty cart."""
        page = self.browser.send("GET", "/kasir", htmx=False)
        if page.status in (302, 303) and "/masuk" in page.location:
            self.login()
            page = self.browser.send("GET", "/kasir", htmx=False)
        if page.status != 200:
            raise Refused(f"/kasir {page.status}: {page.body[:300]}")
        if 'action="/shift/buka"' in page.body or 'hx-post="/shift/buka"' in page.body:
            self.open_shift()
        if self.pending is not None:
            answer = self.pay(*self.pending)
            if answer is not None:
                self.repaid += 1
        self.pending = None
        # a cart above POS_VOID_APPROVAL_ABOVE is emptied with a manager's PIN, as at the till
        self.approved("/kasir/kosongkan", {"reason": "Server mati"}, "Server mati")
        self.synced = True

    def login(self) -> None:
        """Sign in; a 429 (another PIN is being hashed, on a busy machine) is tried again."""
        for _ in range(LOGIN_TRIES):
            self.browser.send("GET", "/masuk", htmx=False)
            answer = self.browser.send("POST", "/masuk", {"username": self.cashier, "pin": PIN,
                                                          "till_id": str(self.till_id)}, htmx=False)
            if answer.status != 429:
                break
            time.sleep(0.2)
        if answer.status != 303:
            raise Refused(f"login {self.cashier}: {answer.status} {answer.body[-600:]}")

    def open_shift(self) -> None:
        """Buka shift with the float the till's last closing counted (the first: Rp200.000),
        as a drawer left untouched overnight has: a different one needs a note and a PIN."""
        form = self.browser.send("GET", "/shift/buka", htmx=False)
        previous = re.search(r'data-previous="(\d*)"', form.body)
        float_ = previous.group(1) if previous and previous.group(1) else "200000"
        answer = self.browser.send("POST", "/shift/buka", {"kas_awal": float_})
        if answer.status != 200 or "/kasir" not in answer.location:
            raise Refused(f"Buka shift {answer.status}: {answer.body[:300]}")
        self.browser.send("GET", "/kasir", htmx=False)   # the till page's CSRF token

    # -- what a till does -------------------------------------------------------------------
    def sell(self) -> None:
        lines: dict[int, int] = {}
        shown: int | None = None   # the total the till shows, as each answer draws it
        for product_id, code in self.rng.sample(self.goods, self.rng.randint(1, 5)):
            qty = self.rng.choice((1, 1, 1, 2, 3))
            answer = self.browser.send("POST", "/kasir/pindai",
                                       {"code": f"{qty}*{code}" if qty > 1 else code})
            if answer.status == 200:
                lines[product_id] = lines.get(product_id, 0) + qty
                total = re.search(r'data-total="(\d+)"', answer.body)
                shown = int(total.group(1)) if total else shown
            else:   # refused (a blocked good out of stock): nothing was added
                self.refusals.append(f"scan {answer.status}")
        if not lines:
            return
        key = str(uuid.uuid4())
        self.pending = (key, lines, shown)
        if self.pay(key, lines, shown) is None:   # refused: the cart is emptied, nothing sold
            self.approved("/kasir/kosongkan", {"reason": "Pembeli batal"}, "Pembeli batal")
        self.pending = None

    def pay(self, key: str, lines: dict[int, int], shown: int | None) -> Confirmed | None:
        """Pay as the till's pay panel does: with the total it shows (``expected_total``), so
        a cart that lost a scan to a database crash is refused, not sold short."""
        cash = (shown // NOTE + 1) * NOTE if shown is not None else CASH   # as a buyer pays
        form = {"tendered": str(cash), "idempotency_key": key}
        if shown is not None:
            form["expected_total"] = str(shown)
        answer = self.browser.send("POST", "/kasir/bayar", form)
        found = re.search(r'data-sale-id="(\d+)" data-receipt-no="([^"]+)"', answer.body)
        if answer.status != 200 or not found:
            self.refusals.append(f"pay {answer.status}: {answer.body[:200]}")
            return None
        total = re.search(r"Total Rp\s?([\d.]+)", answer.body)
        sale = Confirmed(int(found.group(1)), found.group(2), key, dict(lines),
                         int(total.group(1).replace(".", "")) if total else -1, cash)
        self.sales.append(sale)
        return sale

    def give_back(self) -> None:
        """Return one piece of a line of one of this till's last sales (cash back, a manager's
        PIN in the approval dialog)."""
        sale = self.rng.choice(self.sales[-10:])
        form = self.browser.send("GET", f"/retur/struk/{sale.sale_id}", htmx=False)
        line_ids = re.findall(r'name="qty_(\d+)"', form.body)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', form.body)
        if form.status != 200 or not line_ids or not key:
            self.refusals.append(f"return form {form.status}")
            return
        line = self.rng.choice(line_ids)
        answer = self.approved(f"/retur/struk/{sale.sale_id}", {
            "idempotency_key": key.group(1),
            f"qty_{line}": "1", "refund": "tunai", "reason": "Kemasan rusak"}, "Retur diperiksa")
        number = re.search(r'id="return-done">Retur <b>([^<]+)</b>', answer.body)
        if answer.status == 200 and number:
            self.returns.append((number.group(1), int(line), 1))
        else:   # e.g. the line is already returned in full
            self.refusals.append(f"return {answer.status}: {answer.body[:200]}")

    def approved(self, path: str, form: dict, reason: str) -> Answer:
        """``form`` posted to ``path``; when the approval dialog comes back, posted again as
        the dialog posts it, with its seal and a manager's name, PIN and reason."""
        asked = self.browser.send("POST", path, form)
        seal = re.search(r'name="approval_seal" value="([^"]+)"', asked.body)
        if seal is None:    # done without a manager, or refused
            return asked
        return self.browser.send("POST", path, {
            **form, "approval_user": MANAGER[0], "approval_pin": MANAGER[1],
            "approval_reason": reason, "approval_seal": seal.group(1)})

    def close_and_reopen(self) -> None:
        """Tutup shift (the cash counted, its difference explained, a manager's PIN), then
        Buka shift with a new float."""
        found = self.browser.send("GET", "/shift/tutup", htmx=False)
        shift = re.search(r"/shift/(\d+)/tutup", found.location)
        if not shift:
            raise Refused(f"/shift/tutup {found.status} {found.location}: {found.body[:300]}")
        self.browser.send("GET", found.location, htmx=False)
        answer = self.approved(f"/shift/{shift.group(1)}/tutup", {
            "kas_dihitung": "1000000", "alasan": "Hitung uji"}, "Tutup shift diperiksa")
        if answer.status == 429:   # the manager's PIN waited too long for its turn to hash
            self.refusals.append("shift close 429")
            return
        if answer.status != 200 or f"/shift/{shift.group(1)}" not in answer.location:
            raise Refused(f"Tutup shift {answer.status}: {answer.body[-600:]}")
        self.shift_closes += 1
        self.open_shift()


@dataclass
class Manager:
    """The manager closes the day left open, once, at ``at`` seconds into the load (again
    after a cut, until the server says it is closed)."""
    port: int
    day: str
    at: float
    up: threading.Event
    stop: threading.Event
    closed: bool = False
    answers: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)   # 5xx answers

    def run(self) -> None:
        start = time.monotonic()
        while not self.stop.is_set() and time.monotonic() - start < self.at:
            time.sleep(0.05)
        while not self.stop.is_set() and not self.closed:
            try:
                self.up.wait(timeout=10)
                browser = Browser(self.port)
                browser.failures = self.failures
                browser.send("GET", "/masuk", htmx=False)
                login = browser.send("POST", "/masuk", {"username": MANAGER[0], "pin": MANAGER[1],
                                                        "till_id": ""}, htmx=False)
                if login.status == 429:   # another PIN is being hashed: again in a moment
                    time.sleep(0.2)
                    continue
                browser.send("GET", f"/tutup-hari/{self.day}/tutup", htmx=False)
                answer = browser.send("POST", f"/tutup-hari/{self.day}/tutup", {"yakin": "1"})
                self.answers.append(f"{login.status}/{answer.status} {urlsplit(answer.location).path}")
                self.closed = answer.status == 200 and "ditutup=1" in answer.location \
                    or "sudah ditutup" in answer.body
                if not self.closed:
                    self.errors.append(f"Tutup hari {answer.status}: {answer.body[:300]}")
                    return
            except Cut:
                time.sleep(0.1)
