"""Statements run straight on the DBAPI cursor (``pos.sql_direct.Direct``) give what Core gives:
the same rows, names and Python types, the same conversions of what is bound, the same errors,
inside the caller's transaction, on SQLite and PostgreSQL."""
from datetime import date, datetime

import pytest
from sqlalchemy import bindparam, event, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.exc import DBAPIError, IntegrityError

from pos.auth.models import StaffSession
from pos.inventory.catalog.models import Product
from pos.sales import cart_queries as q
from pos.sales.models import Cart, CartLine
from pos.settings.models import OutletSetting
from pos.sql_direct import Direct, _converter
from pos.units import BaseUnit
from tests.factories import make_product, make_till

_line_t = CartLine.__table__


def test_every_direct_statement_compiles_for_both_databases(app):
    """A statement Direct cannot run (a column default left for SQLAlchemy to fill in, a list
    expanded per call) is refused when compiled: each one the app made compiles for both."""
    assert len(Direct.made) >= 15
    for statement in list(Direct.made):
        for dialect in (sqlite.dialect(), psycopg.dialect()):
            assert statement._plan(dialect).sql


@pytest.mark.parametrize("clause", [
    _line_t.insert().values(cart_id=bindparam("cart"), product_id=1, qty=1, unit_price=1),
    Cart.__table__.update().values(member_id=None),  # its updated_at has an onupdate
    select(_line_t.c.id).where(_line_t.c.id.in_(bindparam("ids", expanding=True))),
    select(_line_t.c.id.label("x"), Cart.__table__.c.id.label("x")).join_from(Cart, CartLine),
])
def test_a_statement_direct_cannot_run_as_core_would_is_refused(clause):
    with pytest.raises(ValueError, match="Direct"):
        Direct(clause)._plan(sqlite.dialect())


def test_an_insert_without_its_columns_named_is_refused():
    """Core writes only the columns given (the server fills in its defaults); Direct would write
    every other one NULL, so it asks for them by name."""
    with pytest.raises(ValueError, match="names its columns"):
        Direct(_line_t.insert())._plan(sqlite.dialect())


def _cart_with_lines(db):
    with db.transaction() as session:
        till = make_till(session)
        rice = make_product(session, name="Beras 5 kg", price=72_000)
        flour = make_product(session, sku="TPG1", name="Tepung\x1b curah", price=12_000,
                             base_unit=BaseUnit.GRAM)
        cart = Cart(till_id=till.id)
        session.add(cart)
        session.flush()
        for product, qty in ((rice, 2), (flour, 1500)):
            session.add(CartLine(cart_id=cart.id, product_id=product.id, qty=qty,
                                 unit_price=product.price, added_at=datetime(2026, 12, 4, 8, 30)))
        return till.id, cart.id


def test_rows_names_and_types_are_those_core_gives(db):
    till_id, cart_id = _cart_with_lines(db)
    params = {"cart": cart_id, "het_day": date(2026, 12, 4), "het_zone": "1"}
    with db.reading() as session:
        conn = session.connection()
        core = conn.execute(q.LINES.clause, params).all()
        direct = q.LINES.all(conn, params)
        head = q.CART_HEAD.first(conn, {"till": till_id})
        assert q.CART_HEAD.first(conn, {"till": till_id + 999}) is None
    assert [tuple(row) for row in direct] == [tuple(row) for row in core]
    assert [[type(value) for value in row] for row in direct] == \
        [[type(value) for value in row] for row in core]
    assert direct[1].base_unit is BaseUnit.GRAM and direct[1].manual is False
    assert direct[1].name == "Tepung curah"  # as stored: cleaned on the way in
    assert direct[0]._fields == tuple(core[0]._fields)
    assert direct[0][:3] == (direct[0].line_id, 2, 72_000)
    assert (head.id, head.member_id, head.member_active) == (cart_id, None, None)


def test_bound_values_are_converted_as_core_converts_them(db):
    """A string bound to a cleaned column loses its control characters, as through Core; a
    datetime is stored so Core reads it back."""
    with db.transaction() as session:
        session.add(OutletSetting(key="pkp", value="true"))
    statement = Direct(select(OutletSetting.value).where(OutletSetting.key == bindparam("key")))
    moment = datetime(2026, 12, 4, 23, 59, 58, 123456)
    till_id, cart_id = _cart_with_lines(db)
    with db.transaction() as session:
        conn = session.connection()
        assert statement.scalar(conn, {"key": "p\x1bkp"}) == "true"
        line_id = q.INSERT_LINE.scalar(conn, {"cart_id": cart_id, "product_id": 1, "qty": 3,
                                              "unit_price": 5, "fixed_amount": None,
                                              "manual": True, "added_at": moment})
    with db.reading() as session:
        line = session.get(CartLine, line_id)
        assert (line.added_at, line.manual, line.discount_bp, line.below_cost_ok) == \
            (moment, True, 0, False)


def test_writes_count_rows_and_roll_back_with_their_transaction(db):
    _till_id, cart_id = _cart_with_lines(db)
    with pytest.raises(RuntimeError), db.transaction() as session:
        assert q.CLEAR_LINES.run(session.connection(), {"cart": cart_id}) == 2
        raise RuntimeError("the sale went wrong after the write")
    with db.reading() as session:
        assert len(q.LINES.all(session.connection(), {"cart": cart_id, "het_day": date(2026, 12, 4),
                                                      "het_zone": "1"})) == 2


def test_a_database_error_is_core_s_own(db):
    """The check ``qty > 0`` refuses the line; the caller catches SQLAlchemy's error, as from Core."""
    _till_id, cart_id = _cart_with_lines(db)
    with pytest.raises(IntegrityError) as raised, db.transaction() as session:
        q.INSERT_LINE.scalar(session.connection(), {
            "cart_id": cart_id, "product_id": 1, "qty": 0, "unit_price": 5, "fixed_amount": None,
            "manual": False, "added_at": datetime(2026, 12, 4)})
    assert isinstance(raised.value, DBAPIError) and raised.value.orig is not None


def test_a_listener_on_the_engine_sees_direct_statements(db):
    """While something listens to the engine's statements, Direct runs them through Core."""
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with db.reading() as session:
            row = Direct(select(StaffSession.id).where(StaffSession.id == bindparam("id"))).first(
                session.connection(), {"id": 1})
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert row is None
    assert any("FROM staff_session" in statement for statement in seen)


def test_a_parameter_left_out_is_refused_as_core_refuses_it(db):
    """A misspelt parameter never runs the statement with NULL in its place."""
    from sqlalchemy.exc import SQLAlchemyError

    with db.reading() as session, pytest.raises(SQLAlchemyError, match="required for bind parameter 'cart'"):
        q.LINES.all(session.connection(), {"kart": 1, "het_day": date(2026, 12, 4), "het_zone": ""})


@pytest.mark.parametrize("dialect", [sqlite.dialect(), psycopg.dialect()], ids=["sqlite", "postgresql"])
def test_an_enum_column_is_read_as_core_reads_it_and_a_stranger_raises_its_error(dialect):
    """Enum columns are read through a lookup, not SQLAlchemy's processor: the same members
    (None stays None), and the same ``LookupError`` for a value not among them."""
    column_type = Product.__table__.c.base_unit.type
    core = column_type._cached_result_processor(dialect, None)
    direct = _converter(column_type, dialect)
    assert direct is not core
    for value in ("pcs", "gram", "ml", None):
        assert direct(value) is core(value)
    with pytest.raises(LookupError) as core_error:
        core("kg")
    with pytest.raises(LookupError) as direct_error:
        direct("kg")
    assert str(direct_error.value) == str(core_error.value)
    assert _converter(Product.__table__.c.name.type, dialect) is None   # a string needs none
