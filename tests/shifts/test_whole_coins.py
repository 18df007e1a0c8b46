"""Cash moved into or out of a drawer by hand is money a drawer can hold: whole coins of the
outlet's smallest (``POS_CASH_ROUNDING``).  Kas keluar Rp12.345 "Bayar parkir" was recorded,
and the Z report then asked for Rp1.032.955 in the drawer; a float or a count typed as a total
is held to the same rule (pieces counted by denomination are what is there)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.money import MoneyError, in_coins
from pos.shifts import service as shifts
from pos.shifts.models import CashDirection, CashMovement, Shift
from tests.factories import login
from tests.shifts import test_figures
from tests.shifts.conftest import HX
from tests.shifts.test_figures import DAY, MORNING, at, cashier, expected, manager

COIN = 100
shop = test_figures.shop   # the till, cashier and manager of the figures' tests


def test_in_coins_names_the_nearest_amounts_a_drawer_can_pay():
    assert in_coins(12_300, COIN, "Kas keluar") == 12_300
    assert in_coins(12_345, 0, "Kas keluar") == in_coins(12_345, 1, "Kas keluar") == 12_345  # no rounding
    with pytest.raises(MoneyError, match=r"^Kas keluar Rp12\.345 tidak bisa dibayar dengan uang tunai: "
                                         r"pecahan terkecil di laci Rp100\. Tulis Rp12\.300 "
                                         r"atau Rp12\.400\.$"):
        in_coins(12_345, COIN, "Kas keluar")
    with pytest.raises(MoneyError, match=r"Tulis Rp500\.$"):        # no Rp0 to name below it
        in_coins(120, 500, "Kas masuk")
    with pytest.raises(MoneyError, match=r"Tulis Rp1\.000 atau Rp1\.050\.$"):
        in_coins(1_020, 50, "Uang diterima")


def movements(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(CashMovement.id)))


def test_cash_in_or_out_not_in_whole_coins_is_refused_and_nothing_is_written(db, shop):
    with db.transaction() as s:
        shift = shifts.open_shift(s, till_id=shop["till"], cashier_id=shop["cashier"],
                                  cash=shifts.Cash(1_045_300), note=None, day=DAY, now=MORNING, coin=COIN).id

    def move(direction, amount):
        with db.transaction() as s:
            return shifts.move_cash(s, cashier(shop), direction=direction, amount=amount,
                                    reason="Bayar parkir", day=DAY, now=at(10), approval_above=1_000_000,
                                    coin=COIN)

    with pytest.raises(shifts.ShiftError, match=r"^Kas keluar Rp12\.345 tidak bisa dibayar dengan uang "
                                                r"tunai: pecahan terkecil di laci Rp100\. Tulis Rp12\.300 "
                                                r"atau Rp12\.400\.$"):
        move(CashDirection.OUT, 12_345)
    with pytest.raises(shifts.ShiftError, match=r"^Kas masuk Rp50 .* Tulis Rp100\.$"):
        move(CashDirection.IN, 50)
    assert movements(db) == 0 and expected(db, shift)["cash"] == 1_045_300
    move(CashDirection.OUT, 12_300)
    assert expected(db, shift)["cash"] == 1_033_000


def test_a_float_or_a_count_typed_as_a_total_must_be_whole_coins(db, shop):
    def open_(cash):
        with db.transaction() as s:
            return shifts.open_shift(s, till_id=shop["till"], cashier_id=shop["cashier"], cash=cash,
                                     note=None, day=DAY, now=MORNING, coin=COIN).id

    with pytest.raises(shifts.ShiftError, match=r"^Kas awal Rp200\.050 .* Tulis Rp200\.000 atau "
                                                r"Rp200\.100\.$"):
        open_(shifts.Cash(200_050))
    with db.reading() as s:
        assert s.scalar(select(func.count(Shift.id))) == 0
    shift = open_(shifts.Cash(200_100, {"k100000": 2, "c100": 1}))     # counted pieces: what is there

    def close(cash):
        with db.transaction() as s:
            return shifts.close_shift(s, manager(shop), shift_id=shift, cash=cash, counted_other={},
                                      reason="selisih", now=at(17), coin=COIN)

    with pytest.raises(shifts.ShiftError, match=r"^Uang tunai dihitung Rp200\.150 .* Tulis Rp200\.100 "
                                                r"atau Rp200\.200\.$"):
        close(shifts.Cash(200_150))
    with db.reading() as s:
        assert s.get(Shift, shift).closed_at is None
    assert close(shifts.Cash(200_100)).shift.counted_cash == 200_100


@pytest.fixture
def app(app_factory):
    return app_factory(CASH_ROUNDING=COIN)


def test_the_tills_forms_refuse_amounts_no_coin_pays(client, db, staff):
    login(client, staff["cashier"], staff["till"], shift=False)
    refused = client.post("/shift/buka", data={"kas_awal": "200.050"}, headers=HX)
    assert refused.status_code == 422
    assert "Kas awal Rp200.050 tidak bisa dibayar dengan uang tunai" in refused.get_data(as_text=True)
    assert client.post("/shift/buka", data={"kas_awal": "1.045.300"}, headers=HX).status_code == 200
    out = client.post("/shift/kas/keluar", data={"jumlah": "12.345", "alasan": "Bayar parkir"}, headers=HX)
    assert out.status_code == 422 and "Tulis Rp12.300 atau Rp12.400." in out.get_data(as_text=True)
    assert movements(db) == 0
    with db.reading() as s:
        shift = s.scalar(select(Shift.id))
    close = client.post(f"/shift/{shift}/tutup", data={"kas_dihitung": "1.032.955", "alasan": "x"},
                        headers=HX)
    assert close.status_code == 422 and "Uang tunai dihitung Rp1.032.955" in close.get_data(as_text=True)
    with db.reading() as s:
        assert s.get(Shift, shift).closed_at is None
