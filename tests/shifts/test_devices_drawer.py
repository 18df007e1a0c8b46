"""Perangkat's Buka laci by a manager while a cashier's shift is open at the manager's till: the
opening is that shift's, listed on its Tutup shift screen and its Laporan X/Z as a no-sale
opening (the manager who opened it, the reason typed on Perangkat, marked as from Perangkat),
and never in another till's shift."""
from __future__ import annotations

from sqlalchemy import select

from pos.sales.models import DrawerEvent
from pos.shifts.models import Shift
from pos.shifts.zreport import build
from tests.factories import login, make_till
from tests.shifts.conftest import HX


def _open_shift(client, db, user_id: int, till_id: int) -> int:
    login(client, user_id, till_id, shift=False)
    assert client.post("/shift/buka", data={"pecahan_k100000": "2"}, headers=HX).status_code in (200, 303)
    with db.reading() as s:
        return s.scalar(select(Shift.id).where(Shift.till_id == till_id, Shift.closed_at.is_(None)))


def _no_sales(db, shift_id: int) -> list[tuple[str, str, str | None, bool]]:
    """The X report's data: its no-sale openings."""
    with db.reading() as s:
        z = build(s, shift_id)
    return [(n["reason"], n["by"], n["approved_by"], n.get("from_devices")) for n in z.as_json()["no_sales"]]


def test_a_perangkat_opening_is_listed_in_the_shift_open_at_that_till(client, db, staff, printer):
    with db.transaction() as s:
        till2 = make_till(s, "KASIR-2").id
    first = _open_shift(client, db, staff["cashier"], staff["till"])
    second = _open_shift(client, db, staff["other"], till2)

    login(client, staff["manager"], staff["till"], shift=False)     # Kasir1's shift is open here
    done = client.post("/perangkat/laci", data={"reason": "Ambil uang untuk setor bank"}, headers=HX)
    said = done.get_data(as_text=True)
    assert done.status_code == 200 and f"shift #{first}" in said and "di luar shift" not in said
    login(client, staff["manager"], till2, shift=False)             # Kasir2's
    assert client.post("/perangkat/laci", data={"reason": "Periksa isi laci"}, headers=HX).status_code == 200
    assert printer.drawer_opens == 2

    with db.reading() as s:
        rows = s.scalars(select(DrawerEvent).order_by(DrawerEvent.id)).all()
    assert [(e.no_sale, e.shift_id, e.user_id, e.till_id, e.opened) for e in rows] == [
        (True, first, staff["manager"], staff["till"], True), (True, second, staff["manager"], till2, True)]
    assert _no_sales(db, first) == [("Ambil uang untuk setor bank", "Manajer1", "Manajer1", True)]
    assert _no_sales(db, second) == [("Periksa isi laci", "Manajer1", "Manajer1", True)]

    close = client.get(f"/shift/{first}/tutup").get_data(as_text=True)
    assert "Buka laci tanpa penjualan: 1 kali" in close and "Ambil uang untuk setor bank" in close
    assert "Periksa isi laci" not in close and "Manajer1" in close and "dari Perangkat" in close
    report = client.get(f"/shift/{first}").get_data(as_text=True)
    assert "BUKA LACI TANPA PENJUALAN: 1x" in report and "Ambil uang untuk setor bank" in report
    assert "Periksa isi laci" not in report
    csv = client.get(f"/shift/{first}/laporan.csv").get_data(as_text=True)
    assert "Ambil uang untuk setor bank" in csv and "Manajer1 (dari Perangkat)" in csv
    assert "Periksa isi laci" not in csv
    other = client.get(f"/shift/{second}/tutup").get_data(as_text=True)
    assert "Buka laci tanpa penjualan: 1 kali" in other and "Ambil uang untuk setor bank" not in other


def test_outside_a_shift_it_stays_in_no_shift(client, db, staff, printer):
    login(client, staff["manager"], staff["till"], shift=False)
    done = client.post("/perangkat/laci", data={"reason": "Ambil kunci serep"}, headers=HX)
    assert done.status_code == 200 and "di luar shift" in done.get_data(as_text=True)
    with db.reading() as s:
        (event,) = s.scalars(select(DrawerEvent)).all()
    assert (event.no_sale, event.shift_id, event.approved_by, event.user_id) == (
        False, None, None, staff["manager"])
