"""Double submit and races (issue 14), on SQLite and PostgreSQL: one idempotency key posted
twice at once and twice after, for a sale and for a return; the last unit on two tills; a
buyer limit and a fertiliser allocation across tills; a farmer taken off the e-RDKK list while
her sale is paid; a shift closing while a sale commits; a day closing while a return commits.

Each race is made to happen, not hoped for.  ``overlap`` runs the first operation in its own
thread and transaction and stops it just before its commit, after the statement that matters
(its checks and writes done, its locks held).  Then it starts the second operation in another
thread, and lets the first commit only once the second really contends: on PostgreSQL when
``pg_stat_activity`` shows it waiting for a lock; on SQLite when it asks for the write lock
the first holds (``pos.db``'s in-process writer lock, else its ``BEGIN IMMEDIATE``).  A second
operation that finishes without waiting is reported too (``contended`` False): where the
outcome depends on waiting, that is the bug.  Every wait is bounded; nothing sleeps to
synchronise.
"""
from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.exc import IntegrityError

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.closing.service import close_day
from pos.days.models import BusinessDay
from pos.days.service import DayClosed, closed_message
from pos.fertilizer import quota
from pos.fertilizer.farmers import NotListed
from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation, RdkkFarmer, RdkkSeason
from pos.fertilizer.quota import QuotaError
from pos.fertilizer.rdkk import COLUMNS as RDKK_COLUMNS
from pos.fertilizer.rdkk import KEY as RDKK_KEY
from pos.fertilizer.rdkk import RdkkFile
from pos.inventory import stock
from pos.inventory.catalog.lookup import lookup_barcode
from pos.inventory.catalog.models import FertilizerType, Product
from pos.inventory.catalog.spreadsheets import ImportErrors, read_csv
from pos.inventory.models import MovementKind, StockMovement
from pos.inventory.stock import OutOfStock
from pos.ledger.models import LedgerOutbox
from pos.limits import rules
from pos.limits import service as limits
from pos.limits.models import LimitTake, LimitTotal
from pos.limits.service import LimitExceeded
from pos.members.buyers import Buyer
from pos.returns.models import ReturnRefund, ReturnSequence, SaleReturn
from pos.returns.service import RefundTo, Wanted, make_return
from pos.sales import buyers, cart, checkout
from pos.sales.models import (
    Cart,
    CartLine,
    Payment,
    PaymentMethod,
    PrintJob,
    ReceiptSequence,
    Sale,
    SaleLine,
)
from pos.sales.pricing import TaxSettings
from pos.shifts.figures import figures
from pos.shifts.gate import NO_SHIFT, NoOpenShift
from pos.shifts.models import Shift
from pos.shifts.service import Cash, close_shift
from tests.factories import _today as today
from tests.factories import login, make_product, make_till, make_user, open_shift, start_pending_sessions
from tests.fertilizer.conftest import add_farmer
from tests.members.accounts.conftest import make_sale

WAIT = 20.0   # seconds: the bound of every wait below
DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 3, 0)          # 11:00 WITA
EVENING = NOW + timedelta(hours=9)          # 20:00 WITA, after the shifts
TAX = TaxSettings(pkp=False, rate_bp=1100, inclusive=True)
NIK_A, DARMO = "6472010101900001", "6402101505700001"
MIE, LAST, SPHP, UREA = "8998866200301", "8990000090014", "8990000050001", "8990000500018"
HX = {"HX-Request": "true"}


# ---------------------------------------------------------------------------- the harness

@dataclass
class Raced:
    first: object      # what each operation returned, or the exception it raised
    second: object
    contended: bool    # the second was seen waiting behind the first (see the module doc)


def overlap(db, first: Callable[[], object], second: Callable[[], object], *, at: str) -> Raced:
    """Run ``first``, hold its transaction open at its commit once it has run a statement
    matching ``at`` (a regular expression), run ``second`` against it, then let both finish."""
    engine, marker = db.engine, re.compile(at, re.S)
    postgres = engine.dialect.name == "postgresql"
    threads: dict[str, threading.Thread] = {}
    holding, release, began, finished = (threading.Event() for _ in range(4))
    pids: list[int] = []
    results: dict[str, object] = {}

    def watch(conn, _cursor, statement, *_args):
        me = threading.current_thread()
        if me is threads.get("first") and marker.match(statement):
            conn.info["race_marked"] = True
        elif me is threads.get("second"):
            if postgres:
                pid = conn.connection.dbapi_connection.info.backend_pid
                if pid not in pids:
                    pids.append(pid)
            elif statement.startswith("BEGIN IMMEDIATE"):   # pos.db: a write transaction
                began.set()

    def hold_commit(conn):
        if conn.info.pop("race_marked", False):
            holding.set()
            release.wait(WAIT)

    def forget(conn):
        conn.info.pop("race_marked", None)

    def run(name: str, work: Callable[[], object], done: threading.Event) -> None:
        try:
            results[name] = work()
        except Exception as error:  # the refusal is the outcome under test
            results[name] = error
        finally:
            done.set()

    listeners = [("before_cursor_execute", watch), ("commit", hold_commit), ("rollback", forget)]
    for name, fn in listeners:
        event.listen(engine, name, fn)
    writer = db.writer
    if writer is not None:  # SQLite: the second waits for the writer lock before its BEGIN
        db.writer = _Watched(writer, lambda: threading.current_thread() is threads.get("second"), began)
    first_done = threading.Event()
    threads["first"] = threading.Thread(target=run, args=("first", first, first_done))
    threads["second"] = threading.Thread(target=run, args=("second", second, finished))
    contended = False
    try:
        threads["first"].start()
        _wait_any(holding, first_done)
        assert holding.is_set(), f"the first operation never reached its commit: {results}"
        threads["second"].start()
        contended = _contending(engine, began, finished, pids)
    finally:
        release.set()
        for thread in threads.values():
            if thread.ident is not None:
                thread.join(WAIT)
        for name, fn in listeners:
            event.remove(engine, name, fn)
        db.writer = writer
    assert not any(t.is_alive() for t in threads.values()), "a racer did not finish in time"
    return Raced(results["first"], results["second"], contended)


class _Watched:
    """A writer lock that notes when the second racer asks for it (held by the first, it waits)."""

    def __init__(self, lock, is_second: Callable[[], bool], asked: threading.Event):
        self.lock, self.is_second, self.asked = lock, is_second, asked

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self.is_second():
            self.asked.set()
        return self.lock.acquire(blocking, timeout)

    def release(self) -> None:
        self.lock.release()


def _wait_any(*events: threading.Event) -> None:
    deadline = time.monotonic() + WAIT
    while not any(e.is_set() for e in events):
        assert time.monotonic() < deadline, "timed out"
        events[0].wait(0.005)


def _contending(engine, began: threading.Event, finished: threading.Event, pids: list[int]) -> bool:
    """Wait until the second operation contends with the held first one (True) or is done
    without it (False)."""
    if engine.dialect.name != "postgresql":
        _wait_any(began, finished)
        return began.is_set()
    deadline = time.monotonic() + WAIT
    waiting = text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids) "
                   "AND wait_event_type = 'Lock'")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watch:
        while True:
            if pids and watch.execute(waiting, {"pids": list(pids)}).scalar():
                return True
            if finished.wait(0.005):
                return False
            assert time.monotonic() < deadline, "the second operation neither waited nor ended"


def at_once(n: int, work: Callable[[], object]) -> list[object]:
    """``work`` from ``n`` threads released together by a barrier; what each returned or raised."""
    start, outcomes = threading.Barrier(n, timeout=WAIT), []

    def run():
        start.wait()
        try:
            outcomes.append(work())
        except Exception as error:  # any failure is an outcome to assert on
            outcomes.append(error)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert len(outcomes) == n, outcomes
    return outcomes


# ---------------------------------------------------------------------------- the gerai

@pytest.fixture
def gerai(db):
    """Two tills, each with its own cashier's shift open (no float) on ``DAY``, a manager;
    Indomie (100), the last bottle of cooking oil (1, blocked below zero), SPHP rice under a
    2-per-buyer-per-day rule, subsidised urea with Darmo's allocation at 50 kg left."""
    with db.transaction() as s:
        tills = [make_till(s, "KASIR-1").id, make_till(s, "KASIR-2").id]
        cashiers = [make_user(s, "kasir1", "cashier", "1111").id,
                    make_user(s, "kasir2", "cashier", "3333").id]
        manager = make_user(s, "manajer1", "manager", "2222").id
        ids = dict(
            mie=make_product(s, name="Indomie Goreng", price=3_500, cost=3_000, on_hand=100,
                             barcodes_=[MIE]).id,
            last=make_product(s, name="Minyak Goreng 1 L", price=18_000, cost=16_000, on_hand=1,
                              stock_policy="block", barcodes_=[LAST]).id,
            sphp=make_product(s, name="Beras SPHP Bulog 5 kg", price=62_500, tax_class="bebas",
                              on_hand=100, barcodes_=[SPHP]).id,
            urea=make_product(s, name="Pupuk Urea Subsidi 50 kg", price=1_800, cost=1_600,
                              base_unit="gram", business_unit="pupuk", tax_class="tidak_dipungut",
                              on_hand=2_000_000, barcodes_=[(UREA, 50_000)]).id)
        s.execute(update(Product).where(Product.id == ids["urea"])
                  .values(subsidy=FertilizerType.UREA))
        rule = rules.save_rule(s, None, name="Beras SPHP", max_qty=2, period="day", buyer="any")
        rules.attach(s, rule.id, ids["sphp"])
        season = RdkkSeason(name="MT I 2026", starts_on=date(2026, 10, 1), ends_on=date(2027, 3, 31))
        s.add(season)
        s.flush()
        add_farmer(s, season.id, DARMO, "Darmo Santoso", urea=(150_000, 100_000))
        shifts = [open_shift(s, t, c, day=DAY).id for t, c in zip(tills, cashiers, strict=True)]
    return dict(ids, tills=tills, cashiers=cashiers, manager=manager, shifts=shifts, rule=rule.id)


def scan(db, till_id: int, code: str, times: int = 1) -> None:
    """Add to the till's cart and check it, as the scan view does."""
    with db.transaction() as s:
        cart.add(s, till_id, lookup_barcode(s, code), times=times)
        cart.view(s, till_id, TAX, today=DAY)


def put_buyer(db, till_id: int, nik: str) -> None:
    with db.transaction() as s:
        buyers.set_buyer(s, till_id, nik, day=DAY)


def selling(db, g, n: int, key: str | None = None, tenders=None) -> Callable[[], object]:
    """Checkout at till ``n`` (0 or 1) by its cashier, as a callable for ``overlap``; cash in the
    fewest Rp100.000 notes that cover the cart, as a buyer pays (change under Rp100.000: no drawer
    read, the race is the sale's own)."""
    def sell():
        with db.reading() as s:
            total = cart.view(s, g["tills"][n], TAX, today=DAY, strict=False).totals.total
        cash = max(-(-total // 100_000), 1) * 100_000
        with db.transaction() as s:
            return checkout.checkout(
                s, till_id=g["tills"][n], cashier_id=g["cashiers"][n],
                idempotency_key=key or str(uuid.uuid4()),
                tenders=tenders or [checkout.Tender(PaymentMethod.CASH, cash)],
                outlet_code="TST01", timezone="Asia/Makassar", tax=TAX, now=NOW)
    return sell


def manager(g, n: int = 0) -> Actor:
    return Actor(g["manager"], g["tills"][n], RIGHTS[Role.MANAGER], reason="diperiksa manajer")


def count(db, model, *where) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def on_hand(db, product_id: int) -> int:
    with db.reading() as s:
        return stock.on_hand(s, product_id)


def receipts_used(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.coalesce(func.max(ReceiptSequence.last_no), 0)))


def cart_lines(db, till_id: int) -> int:
    return count(db, CartLine, CartLine.cart_id.in_(select(Cart.id).where(Cart.till_id == till_id)))


def only_first_sold(db, raced: Raced) -> checkout.SaleRecord:
    """The first sold; the second was refused and wrote nothing of its sale."""
    assert isinstance(raced.first, checkout.CheckoutResult) and raced.first.created, raced.first
    assert count(db, Sale) == 1 and count(db, Payment) == 1 and count(db, PrintJob) == 1
    assert receipts_used(db) == 1   # the refused sale used no receipt number up
    assert count(db, StockMovement, StockMovement.kind == MovementKind.SALE) \
        == len(raced.first.sale.lines)
    return raced.first.sale


# ---------------------------------------------------------------------------- double submit

def shifts_of_today(db, gerai) -> None:
    """The gerai's shifts moved to today's business day: a shift of an earlier day takes no
    sale or refund (``shifts.gate``), and the views work on today."""
    with db.transaction() as s:
        s.execute(update(Shift).where(Shift.id.in_(gerai["shifts"])).values(business_date=today()))


def test_one_key_posted_twice_at_once_and_twice_after_makes_one_sale(app, db, gerai):
    """The double submit through the pay view: the first request is held at its commit while
    the second, with the same key, queues behind it; then the same key twice more."""
    shifts_of_today(db, gerai)   # the views sell on today's business day, not DAY
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        login(client, gerai["cashiers"][0], gerai["tills"][0])
        start_pending_sessions(client)
    assert clients[0].post("/kasir/pindai", data={"code": MIE}, headers=HX).status_code == 200
    key = str(uuid.uuid4())

    def post(client):
        return lambda: client.post("/kasir/bayar", headers=HX,
                                   data={"tendered": "5000", "idempotency_key": key})

    raced = overlap(db, post(clients[0]), post(clients[1]), at=r"INSERT INTO sale \(")
    after = [post(clients[n % 2])() for n in range(2)]
    answers = [raced.first, raced.second, *after]
    assert raced.contended
    assert [a.status_code for a in answers] == [200] * 4
    shown = {re.search(r'data-receipt-no="([^"]+)"', a.get_data(as_text=True)).group(1)
             for a in answers}
    assert shown == {"TST01-0000001"}
    with db.reading() as s:
        sale = s.execute(select(Sale.id, Sale.idempotency_key, Sale.total)).one()
        assert sale.idempotency_key == key and sale.total == 3_500
        assert s.scalar(select(func.count()).select_from(Payment)) == 1
        moves = s.scalars(select(StockMovement.qty).where(
            StockMovement.kind == MovementKind.SALE)).all()
    assert moves == [-1] and on_hand(db, gerai["mie"]) == 99
    assert receipts_used(db) == 1 and count(db, PrintJob) == 1


def test_one_key_from_four_requests_at_once_makes_one_sale_every_time(db, gerai):
    """The same key from four threads released together, three rounds (one cheap repeat of
    the held race above, without holding anyone)."""
    for round_no in range(1, 4):
        scan(db, gerai["tills"][0], MIE)
        outcomes = at_once(4, selling(db, gerai, 0, str(uuid.uuid4())))
        assert all(isinstance(o, checkout.CheckoutResult) for o in outcomes), outcomes
        assert sorted(o.created for o in outcomes) == [False, False, False, True]
        assert {(o.sale.id, o.sale.receipt_no) for o in outcomes} \
            == {(outcomes[0].sale.id, f"TST01-{round_no:07d}")}
    assert count(db, Sale) == 3 and count(db, Payment) == 3
    assert on_hand(db, gerai["mie"]) == 97


def sold_three(db, g) -> dict:
    """``g`` with a cash sale of three Indomie at till 1: its id and its line's."""
    scan(db, g["tills"][0], MIE, times=3)
    sale = selling(db, g, 0)().sale
    with db.reading() as s:
        return dict(g, sale=sale.id, line=s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id)))


def returned_once(db, g) -> None:
    """One of the three is back: one return with one refund, its number the first, the stock
    and the line's returned quantity moved once."""
    assert count(db, SaleReturn) == 1 and count(db, ReturnRefund) == 1
    assert count(db, StockMovement, StockMovement.kind == MovementKind.RETURN) == 1
    assert on_hand(db, g["mie"]) == 100 - 3 + 1
    with db.reading() as s:
        assert s.scalar(select(SaleLine.returned_qty).where(SaleLine.id == g["line"])) == 1
        assert s.scalar(select(ReturnSequence.last_no)) == 1


def test_one_return_form_posted_twice_at_once_and_twice_after_books_one_return(app, db, gerai):
    """A partial return (1 of 3) through the return view: the first post is held at its commit
    while the second, with the same key, queues behind it; then the same form twice more."""
    g = sold_three(db, gerai)
    shifts_of_today(db, gerai)   # the view refunds on today's business day, not DAY
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        login(client, g["manager"], g["tills"][0])
        start_pending_sessions(client)
    key = str(uuid.uuid4())

    def post(client):
        return lambda: client.post(f"/retur/struk/{g['sale']}", headers=HX, data={
            f"qty_{g['line']}": "1", "refund": "tunai", "reason": "Kemasan rusak",
            "idempotency_key": key})

    raced = overlap(db, post(clients[0]), post(clients[1]), at=r"INSERT INTO sale_return ")
    after = [post(clients[n % 2])() for n in range(2)]
    answers = [raced.first, raced.second, *after]
    assert raced.contended
    assert [a.status_code for a in answers] == [200] * 4
    shown = {re.search(r'id="return-done">Retur <b>([^<]+)</b>', a.get_data(as_text=True)).group(1)
             for a in answers}
    assert shown == {"R-TST01-000001"}
    assert ['id="return-again"' in a.get_data(as_text=True) for a in answers] == [False, True, True, True]
    returned_once(db, g)


def test_one_return_key_from_four_requests_at_once_books_one_return_every_time(db, gerai):
    """The same return's key from four threads released together, three rounds (one unit of
    the three each)."""
    g = sold_three(db, gerai)
    for round_no in range(1, 4):
        outcomes = at_once(4, returning(db, g, now=NOW, reference=None, key=str(uuid.uuid4())))
        assert sorted(getattr(o, "created", o) for o in outcomes) == [False, False, False, True], outcomes
        assert {(o.id, o.return_no) for o in outcomes} == {(outcomes[0].id, f"R-TST01-{round_no:06d}")}
    assert count(db, SaleReturn) == 3 and count(db, ReturnRefund) == 3
    assert on_hand(db, g["mie"]) == 100


def test_the_unique_key_alone_keeps_a_second_return_out(db, gerai, monkeypatch):
    """Without the return's queue (``numbering.hold``): on PostgreSQL the second post passes
    the lookup before the first commits, then its row with the same key is refused by the
    unique column and its whole transaction rolls back (a 409 "try again" on the screen; the
    retry answers with the first); SQLite's one writer makes it find the first."""
    g = sold_three(db, gerai)
    monkeypatch.setattr("pos.returns.numbering.hold", lambda *_args: None)
    key = str(uuid.uuid4())
    raced = overlap(db, returning(db, g, now=NOW, reference=None, key=key),
                    returning(db, g, now=NOW, reference=None, key=key, n=1),
                    at=r"INSERT INTO sale_return ")
    assert raced.contended and raced.first.created, raced.first
    if db.engine.dialect.name == "postgresql":
        assert isinstance(raced.second, IntegrityError) and "idempotency_key" in str(raced.second)
    else:
        assert (raced.second.id, raced.second.created) == (raced.first.id, False)
    returned_once(db, g)


# ---------------------------------------------------------------------------- two tills

def test_the_last_unit_on_two_tills_sells_once(db, gerai):
    for till in gerai["tills"]:
        scan(db, till, LAST)
    raced = overlap(db, selling(db, gerai, 0), selling(db, gerai, 1), at=r"INSERT INTO sale \(")
    assert raced.contended
    only_first_sold(db, raced)
    assert isinstance(raced.second, OutOfStock), raced.second
    assert raced.second.message == "Stok Minyak Goreng 1 L tidak cukup (tersisa 0)."
    assert on_hand(db, gerai["last"]) == 0
    assert cart_lines(db, gerai["tills"][1]) == 1   # the refused cart is still there to change


def test_a_buyer_limit_across_two_tills_is_never_passed(db, gerai):
    put_buyer(db, gerai["tills"][0], NIK_A)
    scan(db, gerai["tills"][0], SPHP, times=2)
    put_buyer(db, gerai["tills"][1], NIK_A)
    scan(db, gerai["tills"][1], SPHP)          # alone, each cart is within the limit
    raced = overlap(db, selling(db, gerai, 0), selling(db, gerai, 1), at=r"INSERT INTO sale \(")
    assert raced.contended
    sale = only_first_sold(db, raced)
    assert isinstance(raced.second, LimitExceeded), raced.second
    assert raced.second.message == ("Batas Beras SPHP: 2 per pembeli per hari; NIK 6472********0001 "
                                    "sudah membeli 2 hari ini, diminta 1.")
    with db.reading() as s:
        assert s.scalar(select(LimitTotal.taken)) == 2
        assert s.execute(select(LimitTake.sale_id, func.sum(LimitTake.qty))
                         .group_by(LimitTake.sale_id)).all() == [(sale.id, 2)]
    assert on_hand(db, gerai["sphp"]) == 98


def test_a_fertiliser_allocation_across_two_tills_is_never_passed(db, gerai):
    for till in gerai["tills"]:
        put_buyer(db, till, DARMO)
        scan(db, till, UREA)                   # one 50 kg sack each: what Darmo has left
    raced = overlap(db, selling(db, gerai, 0), selling(db, gerai, 1), at=r"INSERT INTO sale \(")
    assert raced.contended
    sale = only_first_sold(db, raced)
    assert isinstance(raced.second, QuotaError), raced.second
    assert raced.second.message == "Sisa kuota Urea petani ini 0 kg; diminta 50 kg."
    with db.reading() as s:
        assert s.scalar(select(RdkkAllocation.taken_grams)) == 150_000
        assert s.execute(select(FertilizerRedemption.sale_id, FertilizerRedemption.grams)).all() \
            == [(sale.id, 50_000)]
    assert on_hand(db, gerai["urea"]) == 2_000_000 - 50_000


@pytest.mark.parametrize("what", ["stock", "limit", "quota"])
def test_the_guarding_update_alone_lets_one_of_two_through(db, gerai, what):
    """Without checkout's earlier check and its queue: the conditional UPDATE itself decides.
    The second waits for the first's row lock (PostgreSQL), then finds no row to update."""
    with db.transaction() as s:
        sales = [make_sale(s, till=gerai["tills"][n], cashier=gerai["cashiers"][n],
                           product=gerai[{"stock": "last", "limit": "sphp", "quota": "urea"}[what]],
                           total=10_000) for n in (0, 1)]
        targets = [(sale.id, sale.receipt_no,
                    s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id)))
                   for sale in sales]

    def taking(n):
        sale_id, receipt_no, line_id = targets[n]

        def take():
            with db.transaction() as s:
                if what == "stock":
                    stock.apply(s, [stock.Move(gerai["last"], -1, True, "Minyak Goreng 1 L")],
                                MovementKind.SALE, user_id=gerai["cashiers"][n], sale_id=sale_id)
                    return "taken"
                row = Row(gerai["rule"], 2, "pcs", None) if what == "limit" \
                    else Row(None, 50_000, "gram", "urea")
                keyword = dict(sale_id=sale_id, receipt_no=receipt_no, line_ids={id(row): line_id})
                if what == "limit":
                    limits.take(s, [row], Buyer(nik=NIK_A), DAY, **keyword)
                else:
                    quota.redeem(s, [row], Buyer(nik=DARMO), DAY, cashier_id=gerai["cashiers"][n],
                                 **keyword)
            return "taken"
        return take

    at = {"stock": r"UPDATE stock_level", "limit": r"UPDATE limit_total",
          "quota": r"UPDATE rdkk_allocation"}[what]
    raced = overlap(db, taking(0), taking(1), at=at)
    assert raced.first == "taken"
    refusal = {"stock": OutOfStock, "limit": LimitExceeded, "quota": QuotaError}[what]
    assert isinstance(raced.second, refusal), raced.second
    assert raced.contended   # PostgreSQL: it waited on the row lock; SQLite: on the writer lock
    with db.reading() as s:
        if what == "stock":
            assert stock.on_hand(s, gerai["last"]) == 0
        elif what == "limit":
            assert s.scalar(select(LimitTotal.taken)) == 2
            assert s.scalar(select(func.count()).select_from(LimitTake)) == 1
        else:
            assert s.scalar(select(RdkkAllocation.taken_grams)) == 150_000
            assert s.scalar(select(func.count()).select_from(FertilizerRedemption)) == 1


@dataclass(frozen=True)
class Row:
    """A cart line as ``limits.take`` and ``quota.redeem`` read it."""

    limit_rule_id: int | None
    qty: int
    base_unit: str
    subsidy: str | None
    name: str = "Barang diatur"


# ---------------------------------------------------------------------------- the e-RDKK list

SUPARMI = "6402102003750002"
DARMO_ROW, SUPARMI_ROW = f"{DARMO},Darmo Santoso,,,padi,,150,,,,\n", f"{SUPARMI},Suparmi,,,padi,,200,,,,\n"


def list_suparmi(db) -> int:
    """Suparmi on the season's list with 200 kg of urea, none taken."""
    with db.transaction() as s:
        season = s.scalar(select(RdkkSeason.id).where(RdkkSeason.name == "MT I 2026"))
        return add_farmer(s, season, SUPARMI, "Suparmi", urea=(200_000, 0))


def importing(db, rows: str, ends_on: date | None = None) -> Callable[[], object]:
    """The manager importing season MT I 2026 again with ``rows`` (re-dated to end on
    ``ends_on`` when given; farmers missing from it leave the list), as a callable for ``overlap``."""
    data = (",".join(RDKK_COLUMNS) + "\n" + rows).encode()

    def bring_in():
        with db.transaction() as s:
            return RdkkFile("MT I 2026", *((date(2026, 10, 1), ends_on) if ends_on else ()),
                            remove_missing=True).import_rows(s, read_csv(data, RDKK_COLUMNS, RDKK_KEY))
    return bring_in


def taken_by(db, nik: str) -> int | None:
    with db.reading() as s:
        return s.scalar(select(RdkkAllocation.taken_grams)
                        .join(RdkkFarmer, RdkkFarmer.id == RdkkAllocation.farmer_id)
                        .where(RdkkFarmer.nik == nik, RdkkFarmer.listed.is_(True)))


@pytest.mark.parametrize("change", ["dropped", "ended"])
def test_a_farmer_taken_off_the_list_while_her_sale_is_paid_is_refused(db, gerai, change):
    """The cart's check passed; while the cashier pays, the manager imports the season again
    without Suparmi, or ending it yesterday.  The sale waits for the import (PostgreSQL: the
    share lock checkout's check takes on the season and the farmer; SQLite: the writer lock),
    then finds her no longer listed: refused in Indonesian, nothing of it written."""
    list_suparmi(db)
    put_buyer(db, gerai["tills"][0], SUPARMI)
    scan(db, gerai["tills"][0], UREA)
    removal = importing(db, DARMO_ROW) if change == "dropped" \
        else importing(db, DARMO_ROW + SUPARMI_ROW, ends_on=DAY - timedelta(days=1))
    raced = overlap(db, removal, selling(db, gerai, 0), at=r"UPDATE rdkk_season")
    assert raced.first["removed"] == {"dropped": 1, "ended": 0}[change], raced.first
    assert raced.contended
    assert isinstance(raced.second, NotListed), raced.second
    assert raced.second.message == {
        "dropped": "NIK 6402********0002 tidak terdaftar di e-RDKK musim MT I 2026.",
        "ended": "Belum ada daftar e-RDKK yang berlaku tanggal 30-11-2026: pupuk bersubsidi "
                 "belum dapat dijual. Impor daftar musim ini di menu Pupuk."}[change]
    assert count(db, Sale) == 0 and count(db, Payment) == 0 and receipts_used(db) == 0
    assert count(db, FertilizerRedemption) == 0
    assert taken_by(db, SUPARMI) == {"dropped": None, "ended": 0}[change]
    assert on_hand(db, gerai["urea"]) == 2_000_000
    assert cart_lines(db, gerai["tills"][0]) == 1   # the refused cart is still there to change


def test_an_import_dropping_a_farmer_whose_sale_is_being_paid_waits_and_refuses_the_file(db, gerai):
    """The other way round: the sale is at its commit when the import starts.  The import waits
    for it (the season's row) before checking the file, so it sees her redemption and refuses
    the file that leaves her out, with its message; the sale stands."""
    list_suparmi(db)
    put_buyer(db, gerai["tills"][0], SUPARMI)
    scan(db, gerai["tills"][0], UREA)
    raced = overlap(db, selling(db, gerai, 0), importing(db, DARMO_ROW), at=r"UPDATE rdkk_allocation")
    assert raced.contended
    assert isinstance(raced.first, checkout.CheckoutResult) and raced.first.created, raced.first
    assert isinstance(raced.second, ImportErrors), raced.second
    assert raced.second.errors == ["NIK 6402102003750002: sudah menebus 50 kg Urea musim MT I 2026 "
                                   "tetapi tidak ada di berkas."]
    assert taken_by(db, SUPARMI) == 50_000
    assert count(db, FertilizerRedemption) == 1


# ---------------------------------------------------------------------------- closing

def closing_shift(db, g, n: int = 0, counted: int = 7_000) -> Callable[[], object]:
    def close():
        with db.transaction() as s:
            return close_shift(s, manager(g, n), shift_id=g["shifts"][n], cash=Cash(counted),
                               counted_other={}, reason="dihitung saat ramai", now=EVENING)
    return close


def shift_close_holds(db, shift_id: int) -> dict:
    """What the closed shift stored, against what its rows add up to now."""
    with db.reading() as s:
        shift = s.get(Shift, shift_id)
        now = figures(s, shift)
        return dict(closed=shift.closed_at is not None, stored=shift.expected_cash,
                    now=now.expected["cash"], sales=now.sales_count)


@pytest.mark.parametrize("order", ["sale_first", "close_first"])
def test_a_shift_closing_while_a_sale_commits(db, gerai, order):
    """The sale is in the shift's close (its expected cash) or refused; never a sale on a
    closed shift that its close left out."""
    scan(db, gerai["tills"][0], MIE, times=2)   # Rp7.000
    sell, close = selling(db, gerai, 0), closing_shift(db, gerai)
    if order == "sale_first":
        raced = overlap(db, sell, close, at=r"INSERT INTO sale \(")
        sold, closed = raced.first, raced.second
    else:
        raced = overlap(db, close, sell, at=r"UPDATE shift SET .*closed_at")
        closed, sold = raced.first, raced.second
    assert not isinstance(closed, Exception), closed
    held = shift_close_holds(db, gerai["shifts"][0])
    assert held["closed"] and held["stored"] == held["now"]   # the invariant, either order
    assert raced.contended
    if order == "sale_first":
        assert isinstance(sold, checkout.CheckoutResult) and sold.sale.shift_id == gerai["shifts"][0]
        assert held == dict(closed=True, stored=7_000, now=7_000, sales=1)
        assert closed.shift.difference == 0
    else:
        assert isinstance(sold, NoOpenShift) and sold.message == NO_SHIFT, sold
        assert held == dict(closed=True, stored=0, now=0, sales=0)
        assert count(db, Sale) == 0 and receipts_used(db) == 0
        assert cart_lines(db, gerai["tills"][0]) == 1


@pytest.mark.parametrize("order", ["refund_first", "close_first"])
def test_a_shift_closing_while_a_cash_refund_commits(db, gerai, order):
    """A return refunded in cash from the drawer: in the shift's close or refused."""
    scan(db, gerai["tills"][0], MIE, times=2)
    sale = selling(db, gerai, 0)().sale                    # Rp7.000 in cash
    with db.reading() as s:
        g = dict(gerai, sale=sale.id,
                 line=s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id)))
    refund, close = returning(db, g, now=NOW, reference=None), closing_shift(db, gerai, counted=3_500)
    if order == "refund_first":
        raced = overlap(db, refund, close, at=r"INSERT INTO sale_return ")
        returned, closed = raced.first, raced.second
    else:
        raced = overlap(db, close, refund, at=r"UPDATE shift SET .*closed_at")
        closed, returned = raced.first, raced.second
    assert not isinstance(closed, Exception), closed
    held = shift_close_holds(db, gerai["shifts"][0])
    assert held["closed"] and held["stored"] == held["now"]   # the invariant, either order
    assert raced.contended
    if order == "refund_first":
        assert returned.refunds == [(PaymentMethod.CASH, 3_500)], returned
        assert held == dict(closed=True, stored=3_500, now=3_500, sales=1)
    else:
        assert isinstance(returned, NoOpenShift) and returned.message == NO_SHIFT, returned
        assert held == dict(closed=True, stored=7_000, now=7_000, sales=1)
        assert count(db, SaleReturn) == 0


@pytest.fixture
def closed_shifts_day(db, gerai):
    """``DAY`` with one sale of two Indomie paid by transfer at till 1, every shift closed
    as counted: only the day's closing is left, and a return refunded by transfer needs no
    drawer."""
    scan(db, gerai["tills"][0], MIE, times=2)
    sale = selling(db, gerai, 0, tenders=[checkout.Tender(PaymentMethod.TRANSFER, 7_000,
                                                          reference="TRF-0001")])().sale
    with db.transaction() as s:
        for n in (0, 1):
            close_shift(s, manager(gerai, n), shift_id=gerai["shifts"][n], cash=Cash(0),
                        counted_other={}, reason=None, now=EVENING)
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id))
    return dict(gerai, sale=sale.id, line=line)


def returning(db, g, now: datetime = EVENING, reference: str | None = "TRF-RETUR-1",
              key: str | None = None, n: int = 0) -> Callable[[], object]:
    """One of the sale's line back, refunded the way it was paid, approved by the manager (at
    till ``n``); a fresh form's key unless ``key``."""
    def give_back():
        with db.transaction() as s:
            return make_return(s, manager(g, n), sale_id=g["sale"], wanted=[Wanted(g["line"], 1)],
                               refund_to=RefundTo.ORIGINAL, reason="Kemasan rusak",
                               outlet_code="TST01", timezone="Asia/Makassar",
                               reference=reference, now=now,
                               idempotency_key=key or str(uuid.uuid4()))
    return give_back


def closing_day(db, g) -> Callable[[], object]:
    def close():
        with db.transaction() as s:
            return close_day(s, day=DAY, user_id=g["manager"], now=EVENING, today=DAY,
                             zone="Asia/Makassar", outlet_code="TST01")
    return close


def day_as_closed(db) -> tuple[dict, dict]:
    """The closed day's stored summary and its outbox document."""
    with db.reading() as s:
        summary = json.loads(s.get(BusinessDay, DAY).summary)
        body = json.loads(s.scalar(select(LedgerOutbox.body)))
    return summary, body


@pytest.mark.parametrize("order", ["return_first", "close_first"])
def test_a_day_closing_while_a_return_commits(db, closed_shifts_day, order):
    """The return is in the closed day's figures and its outbox document, or refused and then
    booked on the next day; never on the closed day outside them."""
    g = closed_shifts_day
    if order == "return_first":
        raced = overlap(db, returning(db, g), closing_day(db, g), at=r"INSERT INTO sale_return ")
        returned, closed = raced.first, raced.second
    else:
        raced = overlap(db, closing_day(db, g), returning(db, g), at=r"INSERT INTO business_day ")
        closed, returned = raced.first, raced.second
    assert isinstance(closed, BusinessDay), closed
    summary, body = day_as_closed(db)
    assert body["summary"] == summary and body["business_date"] == DAY.isoformat()
    on_day = count(db, SaleReturn, SaleReturn.business_date == DAY)
    assert summary["returns"]["count"] == on_day   # the invariant, either order
    assert raced.contended
    refunds = [x for x in body["journal"] if x["memo"] == "Pengembalian uang retur"]
    if order == "return_first":
        assert not isinstance(returned, Exception), returned
        assert on_day == 1 and summary["returns"]["amount"] == 3_500
        assert sum(x["credit"] for x in refunds) == 3_500
    else:
        assert isinstance(returned, DayClosed) and returned.message == closed_message(DAY)
        assert on_day == 0 and summary["returns"]["count"] == 0 and refunds == []
        with db.reading() as s:
            assert s.scalar(select(SaleLine.returned_qty).where(SaleLine.id == g["line"])) == 0
        later = returning(db, g, now=EVENING + timedelta(days=1))()   # placed on the next day
        with db.reading() as s:
            assert s.get(SaleReturn, later.id).business_date == DAY + timedelta(days=1)
        assert day_as_closed(db) == (summary, body)   # the closed day did not move
