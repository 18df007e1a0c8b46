"""One cashier, one drawer: a cashier with a shift still open at one till opens none at
another (the second till's sales and drawer would be counted apart from the cashier's
first), whether by the service, the Buka shift screen or its form."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from pos.shifts import service as shifts
from pos.shifts.models import Shift
from tests.factories import _today as today
from tests.factories import login, make_till
from tests.shifts.conftest import HX

OPENED = datetime(2026, 12, 5, 0, 0)   # 08:00 WITA


@pytest.fixture
def two_tills(db, staff):
    with db.transaction() as s:
        second = make_till(s, "KASIR-2").id
        shifts.open_shift(s, till_id=staff["till"], cashier_id=staff["cashier"], cash=shifts.Cash(0),
                          note=None, day=today(), now=OPENED)
    return dict(staff, second=second)


def count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Shift))


def test_the_service_refuses_a_second_till_naming_the_first_and_when(db, two_tills):
    with db.transaction() as s, pytest.raises(shifts.ShiftError) as refused:
        shifts.open_shift(s, till_id=two_tills["second"], cashier_id=two_tills["cashier"],
                          cash=shifts.Cash(0), note=None, day=today(), now=OPENED)
    assert refused.value.status == 409
    assert refused.value.message == (
        "Anda masih punya shift terbuka di Kasir-1 (KASIR-1), dibuka 05-12-2026 08:00. Tutup "
        "shift itu dulu (hitung laci), lalu buka shift di sini.")
    with db.transaction() as s:   # in the outlet's zone: WIB is an hour behind
        with pytest.raises(shifts.ShiftError, match="dibuka 05-12-2026 07:00"):
            shifts.open_shift(s, till_id=two_tills["second"], cashier_id=two_tills["cashier"],
                              cash=shifts.Cash(0), note=None, day=today(), now=OPENED,
                              zone="Asia/Jakarta")
        # another cashier opens the second till
        shifts.open_shift(s, till_id=two_tills["second"], cashier_id=two_tills["other"],
                          cash=shifts.Cash(0), note=None, day=today(), now=OPENED)
    assert count(db) == 2


def test_the_second_till_shows_the_open_shift_elsewhere_and_its_form_is_refused(client, db, two_tills):
    login(client, two_tills["cashier"], two_tills["second"], shift=False)
    for url in ("/kasir", "/shift/buka"):
        page = " ".join(client.get(url).get_data(as_text=True).split())
        assert 'id="shift-elsewhere"' in page and 'id="open-shift"' not in page and 'id="scan"' not in page
        assert "di Kasir-1 (KASIR-1), dibuka" in page and ">05-12-2026 08:00<" in page
        with db.reading() as s:
            first = s.scalar(select(Shift.id).where(Shift.till_id == two_tills["till"]))
        assert f'href="/shift/{first}/tutup"' in page
    refused = client.post("/shift/buka", data={"kas_awal": "0"}, headers=HX)
    said = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Anda masih punya shift terbuka di Kasir-1 (KASIR-1), dibuka 05-12-2026 08:00" in said
    assert count(db) == 1


def test_once_the_first_is_closed_the_second_till_opens(client, db, two_tills):
    with db.transaction() as s:
        first = s.scalar(select(Shift).where(Shift.till_id == two_tills["till"]))
        first.closed_at = OPENED
    login(client, two_tills["cashier"], two_tills["second"], shift=False)
    assert 'id="open-shift"' in client.get("/kasir").get_data(as_text=True)
    done = client.post("/shift/buka", data={"kas_awal": "0"}, headers=HX)
    assert done.status_code == 200 and done.headers["HX-Redirect"].endswith("/kasir")
    assert count(db) == 2
