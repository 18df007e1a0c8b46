"""Alembic: the migrations build exactly the schema the models describe, on both databases."""
from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, delete, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import pos.models
from pos import db as pos_db
from pos.days.models import BusinessDay
from pos.inventory.catalog import lookup
from pos.inventory.catalog.models import ProductWord
from pos.inventory.receiving import receipts
from pos.inventory.receiving.models import GoodsReceipt
from pos.reports import day_totals
from pos.reports.models import SalesDayProduct
from pos.returns.models import SaleReturn, SaleReturnLine
from pos.sales.models import SaleLine
from tests.conftest import PG_ADMIN, unavailable
from tests.factories import make_product, make_till, make_user, open_shift
from tests.reports.helpers import insert_sale


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield engine
        engine.dispose()
        return
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = f"gerai_mig_{uuid.uuid4().hex[:10]}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any connection failure
        unavailable(f"PostgreSQL not reachable: {error}")
    engine = pos_db.make_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()



def _cashier(session) -> int:
    """A cashier made at an older revision: the row only (the service also logs the account's
    making in ``staff_change``, a table of revision 0028)."""
    from werkzeug.security import generate_password_hash

    from pos.auth.models import Role, User
    user = User(username="kasir1", full_name="Kasir1", role=Role.CASHIER,
                pin_hash=generate_password_hash("1111"))
    session.add(user)
    session.flush()
    return user.id

def head_revision(engine) -> str:
    return ScriptDirectory.from_config(pos_db.migrations_config(engine)).get_current_head()


# SQLite's reflection skips an index on an expression (saying so); Alembic then compares them on
# PostgreSQL only, and ``test_sku_any_case_index`` and ``test_member_codes_upper_index`` check the
# migrations make them on SQLite.  Only the indexes on capitals: ``upper(...)``, named ix_*_upper.
@pytest.mark.filterwarnings(r"ignore:Skipped unsupported reflection of expression-based index "
                            r"ix_\w+_upper$:sqlalchemy.exc.SAWarning")
@pytest.mark.filterwarnings(r"ignore:autogenerate skipping metadata-specified expression-based index "
                            r"'ix_\w+_upper'; dialect 'sqlite':UserWarning")
def test_upgrade_builds_the_models_schema_and_is_idempotent(empty_engine):
    pos_db.upgrade(empty_engine)
    pos_db.upgrade(empty_engine)  # a second run changes nothing and does not fail
    assert pos_db.current_revision(empty_engine) == head_revision(empty_engine)
    with empty_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                pos.models.metadata)
    assert diff == []
    tables = set(inspect(empty_engine).get_table_names())
    assert set(pos.models.metadata.tables) <= tables


def test_sqlite_connections_use_wal_full_sync_and_foreign_keys(tmp_path):
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    engine.dispose()


def test_write_transactions_take_the_lock_up_front(tmp_path):
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    database = pos_db.Database(engine)
    seen = []

    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, *args):
        seen.append(statement)

    with database.transaction() as session:
        session.execute(text("SELECT 1"))
    with database.reading() as session:
        session.execute(text("SELECT 1"))
    assert seen.count("BEGIN IMMEDIATE") == 1 and seen.count("BEGIN DEFERRED") == 1
    engine.dispose()


def test_an_upgrade_holds_the_write_lock_so_a_commit_beside_it_waits(tmp_path):
    """The migrations take SQLite's write lock at their BEGIN: begun DEFERRED, they read first
    (is ``alembic_version`` there?), and a commit by another connection before their first write
    (the WAL checkpointer's, started with the app) failed ``pos init`` at once with "database is
    locked" (SQLITE_BUSY_SNAPSHOT: the busy timeout never waits for it), as a CI run under load
    did. Now that commit is the one kept waiting, and the upgrade goes on."""
    import sqlite3

    from sqlalchemy import event

    path = tmp_path / "p.db"
    engine = pos_db.make_engine(f"sqlite:///{path}")
    engine.connect().close()  # the file made (WAL), as pos init's first look at it does
    beside = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    refused = []

    @event.listens_for(engine, "before_cursor_execute")
    def commit_beside(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("CREATE TABLE") and not refused:
            try:
                beside.execute("BEGIN IMMEDIATE")
                beside.execute("PRAGMA user_version=0")
                beside.execute("COMMIT")
                refused.append(False)
            except sqlite3.OperationalError:
                refused.append(True)

    pos_db.upgrade(engine)
    assert refused == [True]
    assert pos_db.current_revision(engine) == head_revision(engine)
    beside.close()
    engine.dispose()


def test_a_failed_transaction_leaves_nothing(tmp_path):
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    pos.models.metadata.create_all(engine)
    database = pos_db.Database(engine)
    from pos.tills.models import Till

    with pytest.raises(RuntimeError):
        with database.transaction() as session:
            session.add(Till(code="K1", name="K1"))
            session.flush()
            raise RuntimeError("power cut mid-sale")
    with database.reading() as session:
        assert session.query(Till).count() == 0
    engine.dispose()


def test_a_rehearsal_keeps_no_write(tmp_path):
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    pos.models.metadata.create_all(engine)
    database = pos_db.Database(engine)
    from pos.tills.models import Till

    with database.rehearsal() as session:
        session.add(Till(code="K1", name="K1"))
        session.flush()
        assert session.query(Till).count() == 1
    with database.reading() as session:
        session.add(Till(code="K2", name="K2"))
        session.flush()  # a write through a read session by mistake is not kept either
    with database.reading() as session:
        assert session.query(Till).count() == 0
    engine.dispose()


def test_upgrading_a_database_in_use_keeps_rows_that_point_at_rebuilt_tables(tmp_path):
    """SQLite rebuilds a table to alter it (batch mode): with foreign keys on, dropping the
    old ``cart`` would cascade into ``cart_line`` and a till's open sale would vanish."""
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    pos_db.upgrade(engine, "0010")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO till (id, code, name, active, manual_weight)"
                             " VALUES (1, 'K1', 'Kasir 1', 1, 0)")
        conn.exec_driver_sql(
            "INSERT INTO product (id, sku, name, business_unit, base_unit, price, cost, tax_class,"
            " weighed, batch_tracked, active, stock_policy, reorder_point, created_at, updated_at)"
            " VALUES (1, 'B1', 'Beras', 'sembako', 'pcs', 15000, 12000, 'bebas', 0, 0, 1, 'allow',"
            " 0, '2026-11-30', '2026-11-30')")
        conn.exec_driver_sql("INSERT INTO cart (id, till_id, updated_at) VALUES (1, 1, '2026-11-30')")
        conn.exec_driver_sql("INSERT INTO cart_line (id, cart_id, product_id, qty, unit_price, manual,"
                             " added_at) VALUES (1, 1, 1, 2, 15000, 0, '2026-11-30')")
    pos_db.upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT cart_id, qty FROM cart_line").all() == [(1, 2)]
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_0023_sums_the_days_closed_before_it_as_the_closing_does(empty_engine):
    """Days closed before ``sales_day_product`` existed get its rows from their lines; an open
    day gets none."""
    closed, still_open = date(2026, 11, 2), date(2026, 11, 3)
    pos_db.upgrade(empty_engine, "0022")
    with Session(empty_engine) as s, s.begin():
        till, cashier = make_till(s).id, _cashier(s)
        products = [make_product(s, name="Beras", category="Beras"),
                    make_product(s, name="Urea", business_unit="pupuk")]
        for day in (closed, still_open):
            for n, status in enumerate(("completed", "completed", "voided")):
                insert_sale(s, till_id=till, cashier_id=cashier, products=products,
                            when=datetime.combine(day, datetime.min.time()), day=day,
                            lines=[(n % 2, 2, 9_000, 500), (1, 1, 4_000, 0)],
                            tenders=[("cash", 13_000)], status=status)
        s.add(BusinessDay(business_date=closed, closed_by=cashier, summary="{}", summary_hash="0"))
    pos_db.upgrade(empty_engine)

    def kept(s):
        return s.execute(select(SalesDayProduct.business_date, SalesDayProduct.product_id,
                                SalesDayProduct.business_unit, SalesDayProduct.category_id,
                                SalesDayProduct.lines, SalesDayProduct.qty, SalesDayProduct.amount,
                                SalesDayProduct.discount, SalesDayProduct.cost)
                         .order_by(SalesDayProduct.product_id)).all()

    with Session(empty_engine) as s, s.begin():
        migrated = kept(s)
        s.execute(delete(SalesDayProduct))
        day_totals.write(s, closed)
        assert kept(s) == migrated
    assert [(r.business_date, r.lines, r.qty, r.amount) for r in migrated] == [
        (closed, 1, 2, 9_000), (closed, 3, 4, 17_000)]


def test_0024_counts_earlier_returns_into_the_lpg_lines(empty_engine):
    """An LPG line returned before ``lpg_sale.returned_qty`` existed comes out of 0024 with
    the quantity its return lines took back; a line never returned keeps 0."""
    day = date(2026, 11, 2)
    pos_db.upgrade(empty_engine, "0023")
    with Session(empty_engine) as s, s.begin():
        till, cashier = make_till(s).id, _cashier(s)
        products = [make_product(s, name="LPG 3 kg isi ulang")]
        sale = insert_sale(s, till_id=till, cashier_id=cashier, products=products,
                           when=datetime.combine(day, datetime.min.time()), day=day,
                           lines=[(0, 3, 54_000, 0), (0, 1, 18_000, 0)], tenders=[("cash", 72_000)])
        lines = s.scalars(select(SaleLine.id).where(SaleLine.sale_id == sale)
                          .order_by(SaleLine.line_no)).all()
        for line, qty in zip(lines, (3, 1), strict=True):
            s.execute(text("INSERT INTO lpg_sale (sale_id, sale_line_id, receipt_no, business_date, nik,"
                           " category, kind, qty, created_at) VALUES (:sale, :line, 'R-1', :day,"
                           " '6401010101010001', 'rumah_tangga', 'refill', :qty, :day)"),
                      {"sale": sale, "line": line, "qty": qty, "day": day})
        back = _old_return(s, sale, till, cashier, day)
        s.add_all([SaleReturnLine(return_id=back, sale_line_id=lines[0], qty=q, amount=18_000 * q)
                   for q in (1, 1)])
    pos_db.upgrade(empty_engine)
    with Session(empty_engine) as s:
        assert s.execute(text("SELECT qty, returned_qty FROM lpg_sale ORDER BY id")).all() == [
            (3, 2), (1, 0)]
        # 0025: a return made before refunds were rounded keeps what it paid: rounding 0
        assert s.execute(select(SaleReturn.refund_total, SaleReturn.rounding)).all() == [(36_000, 0)]


def _old_return(s, sale: int, till: int, cashier: int, day: date) -> int:
    """A return row as the table was before 0025 (no ``rounding``); its id."""
    return s.execute(text(
        "INSERT INTO sale_return (return_no, seq_no, outlet_code, sale_id, till_id, cashier_id,"
        " approved_by, business_date, created_at, reason, refund_total, tax_total) VALUES"
        " ('R-TST01-000001', 1, 'TST01', :sale, :till, :cashier, :cashier, :day, :day, 'bocor',"
        " 36000, 0) RETURNING id"), {"sale": sale, "till": till, "cashier": cashier, "day": day}).scalar_one()


def test_0029_leaves_earlier_returns_without_a_key_and_takes_each_key_once(empty_engine):
    """Returns booked before 0029 have no form key (any number of them); a key books one."""
    day = date(2026, 11, 2)
    pos_db.upgrade(empty_engine, "0028")
    with Session(empty_engine) as s, s.begin():
        till, cashier = make_till(s).id, _cashier(s)
        sale = insert_sale(s, till_id=till, cashier_id=cashier, products=[make_product(s)],
                           when=datetime.combine(day, datetime.min.time()), day=day,
                           lines=[(0, 3, 54_000, 0)], tenders=[("cash", 54_000)])
        _old_return(s, sale, till, cashier, day)
        s.execute(text("UPDATE sale_return SET return_no = 'R-TST01-000009'"))
        _old_return(s, sale, till, cashier, day)   # R-TST01-000001
    pos_db.upgrade(empty_engine)
    key = str(uuid.uuid4())
    with Session(empty_engine) as s, s.begin():
        assert s.scalars(select(SaleReturn.idempotency_key)).all() == [None, None]
        s.execute(text("UPDATE sale_return SET idempotency_key = :key WHERE return_no = 'R-TST01-000001'"),
                  {"key": key})
    with pytest.raises(IntegrityError), Session(empty_engine) as s, s.begin():
        s.execute(text("UPDATE sale_return SET idempotency_key = :key WHERE return_no = 'R-TST01-000009'"),
                  {"key": key})


def test_0045_indexes_again_the_names_with_other_scripts_only(empty_engine):
    """Words indexed by the old rule (ASCII runs only): ``Беляш`` was not a word of its product.
    0045 rebuilds those products' words; a name in Latin letters keeps its rows as they were."""
    pos_db.upgrade(empty_engine, "0044")
    with Session(empty_engine) as s, s.begin():
        ids = [make_product(s, sku=sku, name=name).id for sku, name in (
            ("RU-1", "Беляш Русский 250 g"), ("TH-1", "ข้าวหอมมะลิ 5 kg"), ("CN-1", "Kopi 田中"),
            ("GP-1", "Gula Pasir 1 kg"))]
        s.execute(delete(ProductWord))
        s.add_all([ProductWord(word=word, name=name, product_id=product_id)   # the old rule's words
                   for product_id, name, word in ((ids[0], "Беляш Русский 250 g", "250"),
                                                  (ids[0], "Беляш Русский 250 g", "g"),
                                                  (ids[2], "Kopi 田中", "kopi"),
                                                  (ids[3], "Gula Pasir 1 kg", "gula"))])
    pos_db.upgrade(empty_engine)
    with Session(empty_engine) as s:
        indexed = {(row.product_id, row.word) for row in s.scalars(select(ProductWord))}
        assert indexed == {(ids[0], "250"), (ids[0], "g"), (ids[0], "беляш"), (ids[0], "русский"),
                           (ids[0], "ru"), (ids[0], "1"), (ids[1], "ข้าวหอมมะลิ"), (ids[1], "5"),
                           (ids[1], "kg"), (ids[1], "th"), (ids[1], "1"), (ids[2], "kopi"),
                           (ids[2], "田中"), (ids[2], "cn"), (ids[2], "1"), (ids[3], "gula")}
        assert [row["id"] for row in lookup.search(s, "беляш")] == [ids[0]]   # Gula Pasir: untouched


PARTIAL = {"uq_shift_open_till": "closed_at IS NULL", "uq_ceiling_price_every_zone": "zone IS NULL"}


def index_sql(engine, name: str) -> str:
    query = ("SELECT sql FROM sqlite_master WHERE name = :n" if engine.dialect.name == "sqlite"
             else "SELECT indexdef FROM pg_indexes WHERE indexname = :n")
    with engine.connect() as conn:
        return conn.execute(text(query), {"n": name}).scalar_one()


@pytest.mark.parametrize("build", ["models", "migrations"])
def test_partial_indexes_keep_their_condition_on_both_databases(empty_engine, build):
    if build == "models":
        pos.models.metadata.create_all(empty_engine)
    else:
        pos_db.upgrade(empty_engine)
    for name, where in PARTIAL.items():
        made = index_sql(empty_engine, name)
        assert "UNIQUE" in made.upper()
        assert "WHERE" in made.upper() and where in made.replace("(", "").replace(")", ""), made


def test_an_outlet_on_sqlite_never_loads_the_postgresql_dialect(tmp_path):
    """It costs about 5 MB and 0.1 s at every start (``pos.partial_index``)."""
    probe = ("import sys, pos; pos.create_app({'DATABASE_URL': %r, 'INSTANCE_PATH': %r}); "
             "print(sorted(m for m in sys.modules if 'postgresql' in m))")
    done = subprocess.run([sys.executable, "-c", probe % (f"sqlite:///{tmp_path / 'o.db'}",
                                                          str(tmp_path))],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_0040_rebuilds_goods_receipt_keeping_its_lines_and_never_reuses_an_id(tmp_path):
    """A deleted last receipt's id (its GR number) was given to the next one on SQLite."""
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    pos_db.upgrade(engine, "0039")
    database = pos_db.Database(engine)
    with database.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk").id
        supplier = receipts.create_supplier(s, "Bulog", "bulog")
    with engine.begin() as conn:   # 0039's columns (the model has 0043's cancellation too)
        for number, note in (("GR-000001", "SJ-1"), ("GR-000002", "SJ-2")):
            conn.exec_driver_sql(
                "INSERT INTO goods_receipt (number, supplier_id, delivery_note, status, self_approved, "
                "delivery_note_reused, created_by, created_at) VALUES (?, ?, ?, 'draft', 0, 0, ?, ?)",
                (number, supplier, note, clerk, "2026-12-01 08:00:00"))
        conn.exec_driver_sql("DELETE FROM goods_receipt WHERE number = 'GR-000002'")
        kept = conn.exec_driver_sql("SELECT id FROM goods_receipt").scalar_one()
    pos_db.upgrade(engine)
    with database.transaction() as s:
        assert [r.number for r in s.query(GoodsReceipt)] == [f"GR-{kept:06d}"]
        receipts.discard_draft(s, receipts.create_draft(s, supplier, "SJ-3", clerk))
    with database.transaction() as s:
        again = receipts.create_draft(s, supplier, "SJ-4", clerk)
    assert again == kept + 2                      # the discarded SJ-3's id is not given again
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    engine.dispose()


def test_0042_rebuilds_shift_and_count_session_with_autoincrement_keeping_their_rows(tmp_path):
    """Their ids are numbers on paper (Z-12, SO-000012); only an AUTOINCREMENT table's sequence
    can be raised after a restore (``pos.backup.numbers``)."""
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    pos_db.upgrade(engine, "0041")
    database = pos_db.Database(engine)
    with database.transaction() as s:
        till = make_till(s)
        user = make_user(s)
        shift = open_shift(s, till.id, user.id).id
    pos_db.upgrade(engine)
    with engine.connect() as conn:
        for name in ("shift", "count_session"):
            made = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).scalar()
            assert "AUTOINCREMENT" in made, made
        assert conn.exec_driver_sql("SELECT id, till_id FROM shift").all() == [(shift, till.id)]
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    engine.dispose()


def test_a_percent_sign_in_the_database_url_is_no_interpolation():
    """A PostgreSQL password written %-escaped (p%40ss for p@ss) or SQLite's file: URI made
    ``pos init`` and ``pos db upgrade`` end in ConfigParser's "invalid interpolation syntax"."""
    from pos.db import migrations_config

    engine = create_engine("postgresql+psycopg://kasir:p%40ss@127.0.0.1:5432/gerai")
    assert migrations_config(engine).get_main_option("sqlalchemy.url") == \
        "postgresql+psycopg://kasir:p%40ss@127.0.0.1:5432/gerai"
    engine.dispose()
