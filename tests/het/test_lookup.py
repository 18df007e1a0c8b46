"""The ceiling (HET) schedule: which ceiling is in force on a day in a zone, written once in
Python (``service.ceiling``) and once in SQL (the till's cart query); both agree, on SQLite and
PostgreSQL."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pos.het import service
from pos.het.models import CeilingPrice
from pos.inventory.catalog.models import PriceChange, Product
from tests.factories import make_product, set_het

D1, D2, D3 = date(2025, 1, 1), date(2025, 10, 22), date(2026, 3, 1)


@pytest.fixture
def rice(db):
    """SPHP rice: every zone 60.000 from D1; zone 2 its own 65.500 from D1; every zone cut to
    58.000 from D2; zone 3 67.500 from D2 (the same date as the every-zone row); zone 2 70.000
    from D3."""
    with db.transaction() as s:
        p = make_product(s, name="Beras SPHP 5 kg", price=62_500, on_hand=0)
        for price, day, zone in ((60_000, D1, None), (65_500, D1, "2"), (58_000, D2, None),
                                 (67_500, D2, "3"), (70_000, D3, "2")):
            set_het(s, p, price, from_=day, zone=zone)
        return p.id


@pytest.mark.parametrize("day, zone, expected", [
    (D1 - timedelta(days=1), None, None),      # before any ceiling
    (D1 - timedelta(days=1), "2", None),
    (D1, None, 60_000),                        # on its effective date
    (D1, "1", 60_000),                         # a zone without its own row: every zone's
    (D1, "2", 65_500),                         # the zone's own row on the same date wins
    (D2 - timedelta(days=1), "2", 65_500),     # the day before the cut
    (D2, None, 58_000),                        # the cut, from its date
    (D2, "1", 58_000),
    (D2, "2", 58_000),                         # a later every-zone row beats an older zone row
    (D2, "3", 67_500),                         # a tie: the zone's own row wins
    (D3, "2", 70_000),                         # the zone's own later row
    (D3, "3", 67_500),
    (D3, "", 58_000),                          # no zone configured: every-zone rows only
])
def test_ceiling_at_a_date_and_zone(db, rice, day, zone, expected):
    with db.reading() as s:
        assert service.ceiling(s, rice, day, zone) == expected


def test_sql_and_python_lookups_agree(db, rice):
    with db.transaction() as s:
        other = make_product(s, on_hand=0).id  # no ceiling at all
    query = select(Product.id, service.ceiling_column(Product.id)).where(
        Product.id.in_([rice, other]))
    days = [D1 + timedelta(days=n) for n in range(-3, 500, 7)] + [D1, D2, D3, D2 - timedelta(1)]
    with db.reading() as s:
        for zone in (None, "", "1", "2", "3", "9"):
            for day in days:
                found = dict(s.execute(query, service.sql_params(day, zone)).all())
                assert found == {rice: service.ceiling(s, rice, day, zone),
                                 other: None}, (day, zone)


def test_the_rule_over_rows_read_agrees_with_the_lookup(db, rice):
    """``in_force`` (a file's check, over the rows it read) gives the ceiling ``ceiling`` finds."""
    days = [D1 + timedelta(days=n) for n in range(-3, 500, 7)] + [D1, D2, D3, D2 - timedelta(1)]
    with db.reading() as s:
        rows = s.scalars(select(CeilingPrice).where(CeilingPrice.product_id == rice)).all()
        for zone in (None, "", "1", "2", "3", "9"):
            for day in days:
                found = service.in_force(list(reversed(rows)), day, zone)
                assert (found.price if found else None) == service.ceiling(s, rice, day, zone), (day, zone)
        assert service.in_force([], D3, "2") is None


def test_setting_the_same_date_again_replaces_the_price_and_logs_both(db, rice):
    with db.transaction() as s:
        service.set_ceiling(s, rice, price=59_000, effective_from=D2, note="revisi", user_id=None)
        service.set_ceiling(s, rice, price=66_000, effective_from=D1, zone="2")
    with db.reading() as s:
        assert service.ceiling(s, rice, D2, None) == 59_000
        assert service.ceiling(s, rice, D1, "2") == 66_000
        assert s.query(CeilingPrice).filter_by(product_id=rice).count() == 5
        log = s.execute(select(PriceChange.field, PriceChange.old, PriceChange.new,
                               PriceChange.reason).where(PriceChange.product_id == rice)
                        .order_by(PriceChange.id)).all()
    assert log == [("het", 58_000, 59_000, "semua zona, mulai 22-10-2025: revisi"),
                   ("het", 65_500, 66_000, "zona 2, mulai 01-01-2025")]


@pytest.mark.parametrize("kwargs, message", [
    ({"price": 0}, "lebih dari nol"), ({"price": -5}, "lebih dari nol"),
    ({"zone": "zona satu"}, "tidak sah"), ({"zone": "123456789"}, "tidak sah")])
def test_bad_ceilings_are_refused_and_change_nothing(db, rice, kwargs, message):
    values = {"price": 50_000, "effective_from": D3, **kwargs}
    with pytest.raises(service.CeilingError, match=message), db.transaction() as s:
        service.set_ceiling(s, rice, **values)
    with db.reading() as s:
        assert s.query(CeilingPrice).filter_by(product_id=rice).count() == 5
        assert s.query(PriceChange).count() == 0


def test_lowest_from_takes_scheduled_ceilings_too(db, rice):
    with db.reading() as s:
        assert service.lowest_from(s, rice, D1, "2") == 58_000   # the cut to come
        assert service.lowest_from(s, rice, D3, "2") == 70_000
        assert service.lowest_from(s, rice, D1 - timedelta(days=9), None) == 58_000


def test_schedule_and_above(db, rice):
    with db.reading() as s:
        entries = service.schedule(s, D2, "2")
        above = service.above(s, D2 - timedelta(days=1), "2")
    assert [(e.zone, e.price, e.state) for e in entries] == [
        (None, 60_000, "lewat"), ("2", 65_500, "lewat"), (None, 58_000, "berlaku"),
        ("2", 70_000, "akan")]
    # the catalog price 62.500 is within zone 2's 65.500 today, above the cut from D2
    assert above.now == [] and list(above.upcoming) == [D2]
    assert [(e.price, e.catalog_price) for e in above.upcoming[D2]] == [(58_000, 62_500)]
    assert above.count == 1
