"""Builders that add and flush plain test objects (the caller's transaction commits)."""
from __future__ import annotations

import codecs
import csv
import io
import itertools
from datetime import date, datetime, time

from pos.auth.service import create_user
from pos.het.models import CeilingPrice
from pos.inventory import stock
from pos.inventory.catalog.barcodes import with_check_digit
from pos.inventory.catalog.products import create_product
from pos.inventory.models import MovementKind
from pos.tills.models import Till

_counter = itertools.count(1)


def ean13(prefix: str = "899") -> str:
    n = next(_counter)
    return with_check_digit(f"{prefix}{n:0{12 - len(prefix)}d}")


def make_product(session, *, on_hand: int = 100, expiry: date | None = date(2030, 12, 31),
                 **overrides):
    """A product with opening stock; batch-tracked ones get it as batch AWAL-<sku>."""
    n = next(_counter)
    values = dict(sku=f"T-{n:05d}", name=f"Barang Uji {n}", price=10_000, cost=8_000,
                  business_unit="sembako", barcodes_=[ean13()])
    het = overrides.pop("het", None)  # a ceiling for every zone since long ago (pos.het)
    values.update(overrides)
    if het is not None and "stock_policy" not in values and not values.get("batch_tracked"):
        values["stock_policy"] = "block"  # as the catalog did for goods with a HET
    product = create_product(session, **values)
    if het is not None:
        set_het(session, product, het)
    if on_hand:
        batch = stock.ensure_batch(session, product.id, f"AWAL-{product.sku}", expiry) \
            if product.batch_tracked else None
        stock.move(session, product, on_hand, MovementKind.OPENING, reason="uji", batch_id=batch)
    return product


def set_het(session, product, price: int, *, from_: date = date(2000, 1, 1),
            zone: str | None = None, note: str | None = None):
    """A ceiling price (HET) for ``product`` from ``from_`` (every zone unless ``zone``), as
    data: no price-log row (``pos.het.service.set_ceiling`` is what managers use)."""
    row = CeilingPrice(product_id=product.id, price=price, effective_from=from_, zone=zone,
                       note=note)
    session.add(row)
    session.flush()
    return row


def make_till(session, code: str = "KASIR-1") -> Till:
    till = Till(code=code, name=code.title())
    session.add(till)
    session.flush()
    return till


def notes_covering(session, till_id: int, tax, today=None) -> int:
    """The cash a buyer hands over for the till's cart: whole Rp100.000 notes, the fewest that
    cover its total, so the change is under Rp100.000 and asks nothing of the drawer (change from
    Rp100.000 up must be in it: ``shifts.gate.pay_change``)."""
    from pos.sales import cart

    total = cart.view(session, till_id, tax, today=today, strict=False).totals.total
    return max(-(-total // 100_000), 1) * 100_000


def make_user(session, username: str = "kasir1", role: str = "cashier", pin: str = "1111"):
    """A staff account; a manager's or admin's PIN may be an easy one here, as in the demo."""
    return create_user(session, username, username.title(), role, pin, guessable_pin_ok=True)


def open_shift(session, till_id: int, user_id: int, opening_float: int = 0, day=None):
    """The till's shift for ``user_id`` with a float typed as a total, as ``Buka shift`` does
    (nothing when the till already has an open shift)."""
    from sqlalchemy import select

    from pos.clock import utcnow
    from pos.shifts.models import Shift

    found = session.scalar(select(Shift).where(Shift.till_id == till_id,
                                               Shift.closed_at.is_(None)))
    if found is not None:
        return found
    day = day or _today()   # opened at 08:00 WITA of an earlier or later day: its clock agrees
    now = utcnow() if day == _today() else datetime.combine(day, time(0, 0))
    shift = Shift(till_id=till_id, cashier_id=user_id, opened_at=now, opening_float=opening_float,
                  business_date=day)
    session.add(shift)
    session.flush()
    return shift


def outlet_today() -> date:
    """Today as the outlet counts it (WITA): from 16:00 UTC the machine's ``date.today()`` is
    still yesterday there, and a date built from it is a day behind the app's."""
    from pos.clock import business_date, utcnow

    return business_date(utcnow(), "Asia/Makassar")


def shift_of_day(session, till_id: int, user_id: int, day):
    """The till's shift for ``day``: one left open from another day is closed first (the
    till takes no sale into it), then ``open_shift``."""
    from sqlalchemy import select

    from pos.shifts.models import Shift

    left = session.scalar(select(Shift).where(Shift.till_id == till_id, Shift.closed_at.is_(None),
                                              Shift.business_date != day))
    if left is not None:
        left.closed_at = left.opened_at   # (no later than its day: the records' clock agrees)
        session.flush()
    return open_shift(session, till_id, user_id, day=day)


def _today():
    from pos.clock import business_date, utcnow

    return business_date(utcnow(), "Asia/Makassar")


def login(client, user_id: int, till_id: int | None = None, *, shift: bool = True) -> str:
    """Log a test client in without typing the PIN: a server-side session at ``till_id``,
    with an open shift there for ``user_id`` unless the till has one or ``shift`` is False.

    The cookie gets its token now; the session row is written just before the client's
    next request, because callers often log in a user their own transaction has not
    committed yet.  Returns the token."""
    import secrets

    token = secrets.token_urlsafe(32)
    with client.session_transaction() as s:
        s.clear()
        s["sid"] = token
    pending = client.__dict__.setdefault("_pos_pending_sessions", [])
    pending.append((token, user_id, till_id, shift))
    if "open" not in client.__dict__:  # wrap this client's requests once
        send = client.open

        def open_after_writing_sessions(*args, **kwargs):
            start_pending_sessions(client)
            return send(*args, **kwargs)

        client.open = open_after_writing_sessions
    return token


def cashier_at_till(app, *, price: int = 3_500, code: str = "8998866200301"):
    """A test client of ``app`` (one a test built itself: ``app_factory``) signed in as a new
    cashier at a new till with its shift open, and one product (``code`` at ``price``) to sell."""
    from pos.db import get_db

    with get_db(app).transaction() as s:
        till, user = make_till(s).id, make_user(s).id
        make_product(s, price=price, barcodes_=[code])
    client = app.test_client()
    login(client, user, till)
    return client


def start_pending_sessions(client) -> None:
    """Write the session rows of ``login`` calls not yet followed by a request."""
    from pos.auth.models import StaffSession
    from pos.auth.sessions import token_hash
    from pos.clock import utcnow
    from pos.db import get_db

    pending = client.__dict__.get("_pos_pending_sessions")
    if not pending:
        return
    with get_db(client.application).transaction() as s:
        for token, user_id, till_id, shift in pending:
            s.add(StaffSession(token_hash=token_hash(token), user_id=user_id, till_id=till_id,
                               address="127.0.0.1", last_seen=utcnow()))
            if shift and till_id is not None:
                open_shift(s, till_id, user_id)
    pending.clear()


def move_to_till(client, till_id: int | None, *, shift: bool = True) -> None:
    """Point the client's staff session at another till (or none), as logging in there would
    (with a shift open there, as ``login``)."""
    from sqlalchemy import select, update

    from pos.auth.models import StaffSession
    from pos.auth.sessions import token_hash
    from pos.db import get_db

    start_pending_sessions(client)
    with client.session_transaction() as s:
        token = s["sid"]
    with get_db(client.application).transaction() as s:
        s.execute(update(StaffSession).where(StaffSession.token_hash == token_hash(token))
                  .values(till_id=till_id))
        if shift and till_id is not None:
            user_id = s.scalar(select(StaffSession.user_id).where(
                StaffSession.token_hash == token_hash(token)))
            open_shift(s, till_id, user_id)


def csv_rows(response) -> list[list[str]]:
    """A downloaded CSV's rows; it must start with UTF-8's byte-order mark (``pos.web.download``:
    a spreadsheet program then reads its accents), which is not part of the first cell."""
    assert response.status_code == 200 and response.data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))



def pdf_text(body: bytes) -> str:
    """The text drawn in a PDF's (compressed) content streams."""
    import re
    import zlib

    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "".join(out)



def poll_until_finished(client, body: str, timeout: float = 60) -> str:
    """An import job's outcome as its page shows it: the progress partial's hx-get followed
    every poll, as htmx does, until it stops polling (a quick job is drawn finished at once);
    its words on one line."""
    import re
    import time

    deadline = time.monotonic() + timeout
    while 'hx-trigger="every 500ms"' in body:
        assert time.monotonic() < deadline, "import did not finish"
        url = re.search(r'hx-get="([^"]+)"', body).group(1)
        time.sleep(0.05)
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
    return " ".join(body.split())


def sealed(client, path: str, data: dict) -> dict:
    """``data`` with the seal the approval dialog carries when drawn for these fields at ``path``
    (``approvals.seal``): a test posting an approval straight, as the dialog would post it."""
    from pos.approvals import seal

    pairs = [(name, str(v)) for name, value in data.items()
             for v in (value if isinstance(value, list | tuple) else [value])]
    return {**data, seal.FIELD: seal.make(client.application.config["SECRET_KEY"], path, pairs)}



def page_form(client, product_id: int, **typed) -> dict[str, list[str]]:
    """The product form (Data barang) as a browser posts it from the page as loaded: every
    field, hidden ones too, a ticked checkbox after its hidden "0"; ``typed`` changed."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields: dict[str, list[str]] = {}
            self.inside = False
            self.select: str | None = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = "catalog-form" in (a.get("class") or "")
            elif self.inside and tag == "input" and a.get("name") and (
                    a.get("type") != "checkbox" or "checked" in a):
                self.fields.setdefault(a["name"], []).append(a.get("value") or "")
            elif self.inside and tag == "select":
                self.select = a["name"]
            elif self.select and tag == "option" and ("selected" in a or self.select not in self.fields):
                self.fields[self.select] = [a.get("value") or ""]

        def handle_endtag(self, tag):
            self.inside = self.inside and tag != "form"
            self.select = None if tag == "select" else self.select

    parser = Form()
    parser.feed(client.get(f"/katalog/{product_id}").get_data(as_text=True))
    parser.fields.pop("csrf_token", None)
    return {**parser.fields, **{k: [v] for k, v in typed.items()}}


def loaded(client, product_id: int) -> dict[str, list[str]]:
    """The product page's values as loaded (its hidden ``asal_`` fields), which a form posted from
    it carries: only the fields it changes from them are saved."""
    return {k: v for k, v in page_form(client, product_id).items() if k.startswith("asal_")}
