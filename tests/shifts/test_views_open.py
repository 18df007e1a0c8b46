"""Buka shift at the till: no shift shows the form instead of the scan screen; the float by
denomination or as a typed total; bad input refused in Indonesian with nothing changed; a
shift of another cashier at the till is shown with its Tutup shift."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override
from pos.days.models import BusinessDay
from pos.shifts.models import Shift
from tests.factories import _today as today
from tests.factories import login, open_shift, sealed
from tests.shifts.conftest import HX, MANAGER


@pytest.fixture
def cashier(client, staff):
    login(client, staff["cashier"], staff["till"], shift=False)
    return client


def shifts(db) -> list[Shift]:
    with db.reading() as s:
        return list(s.scalars(select(Shift).order_by(Shift.id)))


def test_the_till_without_a_shift_shows_buka_shift(cashier):
    till = cashier.get("/kasir")
    assert till.status_code == 200 and 'id="open-shift"' in till.get_data(as_text=True)
    assert 'id="scan"' not in till.get_data(as_text=True)
    page = cashier.get("/shift/buka").get_data(as_text=True)
    assert "Kas awal" in page and "Buka shift" in page
    assert 'name="pecahan_k100000"' in page and 'name="pecahan_c100"' in page
    assert "Belum ada shift yang ditutup" in page


def test_opening_by_denomination_keeps_the_pieces_and_then_the_till_sells(cashier, db):
    done = cashier.post("/shift/buka", data={"pecahan_k100000": "2", "pecahan_k5000": "3",
                                             "pecahan_c500": "4", "kas_awal": ""}, headers=HX)
    assert done.status_code == 200 and done.headers["HX-Redirect"].endswith("/kasir")
    (shift,) = shifts(db)
    assert shift.opening_float == 217_000
    assert shift.opening_counts == {"k100000": 2, "k5000": 3, "c500": 4}
    assert 'id="scan"' in cashier.get("/kasir").get_data(as_text=True)
    assert cashier.get("/shift/buka").headers["Location"].endswith("/kasir")


def test_opening_with_a_typed_total_and_a_note_against_the_last_closing(cashier, db, staff):
    with db.transaction() as s:
        old = open_shift(s, staff["till"], staff["other"])
        old.closed_at, old.counted_cash = old.opened_at, 150_000
    page = cashier.get("/shift/buka").get_data(as_text=True)
    assert "Kas dihitung saat tutup shift terakhir" in page and "Rp150.000" in page
    assert 'id="approval-dialog"' in page
    form = {"kas_awal": "Rp100.000", "catatan": "disetor ke kantor"}
    asked = cashier.post("/shift/buka", data=form, headers={**HX, "HX-Target": "messages"})
    dialog = asked.get_data(as_text=True)
    assert 'id="approval-form"' in dialog and asked.headers["HX-Retarget"] == "#approval-dialog"
    assert "selisih kas awal -Rp50.000" in dialog
    assert 'name="approval_reason" value="disetor ke kantor"' in dialog   # the note, for the manager
    assert len(shifts(db)) == 1   # nothing opened while the manager is asked
    done = cashier.post("/shift/buka", data=sealed(cashier, "/shift/buka", {**form, **MANAGER}), headers=HX)
    assert done.status_code == 200 and done.headers["HX-Redirect"].endswith("/kasir")
    shift = shifts(db)[-1]
    assert (shift.opening_float, shift.opening_counts) == (100_000, None)
    assert (shift.previous_counted, shift.opening_note) == (150_000, "disetor ke kantor")
    assert (shift.opening_difference, shift.opening_approved_by) == (-50_000, staff["manager"])
    with db.reading() as s:
        logged = s.scalars(select(Override).where(Override.kind == "shift_open")).one()
    assert (logged.asked_by, logged.approved_by) == (staff["cashier"], staff["manager"])


def test_a_float_short_of_the_last_count_is_refused_without_a_note(cashier, db, staff):
    """The walk-through: Rp521.200 counted at the close, Rp500.000 the next morning and Buka
    shift pressed with no note. The shift opened, and the Rp21.200 was nowhere."""
    with db.transaction() as s:
        old = open_shift(s, staff["till"], staff["other"])
        old.closed_at, old.counted_cash = old.opened_at, 521_200
    refused = cashier.post("/shift/buka", data={"pecahan_k100000": "5", "catatan": "  "},
                           headers=HX)
    said = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Kas awal Rp500.000 berbeda -Rp21.200" in said and "Tulis catatan selisih" in said
    assert len(shifts(db)) == 1
    with_pin = cashier.post("/shift/buka", headers=HX,
                           data=sealed(cashier, "/shift/buka", {"pecahan_k100000": "5", **MANAGER}))
    assert with_pin.status_code == 422 and len(shifts(db)) == 1   # a PIN is no note


def test_the_same_float_as_the_last_count_and_a_first_shift_need_no_note(cashier, db, staff):
    """No difference, nothing asked: the float equal to the last count, or a till's first shift
    (no count to differ from; a close at another till is that till's drawer)."""
    from tests.factories import make_till

    with db.transaction() as s:
        other_till = make_till(s, code="KASIR-2")
        old = open_shift(s, other_till.id, staff["other"])
        old.closed_at, old.counted_cash = old.opened_at, 300_000
    first = cashier.post("/shift/buka", data={"kas_awal": "200000"}, headers=HX)
    assert first.status_code == 200 and "HX-Redirect" in first.headers
    shift = shifts(db)[-1]
    assert (shift.previous_counted, shift.opening_difference, shift.opening_note) == (None, None, None)
    with db.transaction() as s:
        closed = s.get(Shift, shift.id)
        closed.closed_at, closed.counted_cash = closed.opened_at, 200_000
    again = cashier.post("/shift/buka", data={"kas_awal": "200.000"}, headers=HX)
    assert again.status_code == 200 and "HX-Redirect" in again.headers
    assert (shifts(db)[-1].previous_counted, shifts(db)[-1].opening_difference) == (200_000, 0)


@pytest.mark.parametrize("form, words", [
    ({"kas_awal": "-5000"}, "Kas awal"),
    ({"kas_awal": "lima ribu"}, "Kas awal"),
    ({"pecahan_k100000": "-1"}, "bilangan bulat"),
    ({"pecahan_k100000": "dua"}, "bilangan bulat"),
    ({"pecahan_k99999": "1"}, "Pecahan uang tidak dikenal"),
    ({"pecahan_k100000": "99999"}, "terlalu besar"),
    ({"kas_awal": "999999999999"}, "Kas awal"),
    ({"pecahan_k100000": "1", "kas_awal": "50000"}, "tidak sama dengan jumlah pecahan"),
    ({}, "hitung per pecahan"),
])
def test_bad_input_is_refused_in_indonesian_and_nothing_opens(cashier, db, form, words):
    refused = cashier.post("/shift/buka", data=form, headers=HX)
    assert refused.status_code in (400, 409, 422)
    assert words in refused.get_data(as_text=True)
    assert shifts(db) == []


def test_another_cashiers_open_shift_is_shown_with_its_close(cashier, db, staff):
    with db.transaction() as s:
        other = open_shift(s, staff["till"], staff["other"], opening_float=50_000)
    page = cashier.get("/kasir").get_data(as_text=True)
    assert "Shift lain masih terbuka" in page and 'id="scan"' not in page
    assert "Kasir2" in page and f"/shift/{other.id}/tutup" in page
    refused = cashier.post("/shift/buka", data={"kas_awal": "0"}, headers=HX)
    assert refused.status_code == 409 and "sudah punya shift terbuka" in refused.get_data(as_text=True)
    moved = cashier.post("/shift/kas/masuk", data={"jumlah": "10000", "alasan": "uang kecil"},
                         headers=HX)
    assert moved.status_code == 409 and "milik Kasir2" in moved.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Shift)) == 1


def test_the_managers_home_page_shows_the_open_shifts(client, db, staff):
    login(client, staff["manager"], None, shift=False)
    none_open = " ".join(client.get("/").get_data(as_text=True).split())
    assert "<span>shift kasir masih terbuka</span>" in none_open        # no ": -" after it
    with db.transaction() as s:
        open_shift(s, staff["till"], staff["cashier"])
    login(client, staff["manager"], None, shift=False)
    page = client.get("/").get_data(as_text=True)
    assert 'id="waiting-shifts"' in page and "masih terbuka: Kasir1" in page
    assert "/shift#open-shifts" in page and ">Shift kasir</a>" in page


def test_a_closed_day_says_so_instead_of_asking_for_the_float(cashier, db, staff):
    """The till asked for the whole drawer to be counted, then refused the shift: the day was
    closed. It now says so before anything is counted."""
    with db.transaction() as s:
        s.add(BusinessDay(business_date=today(), closed_by=staff["manager"], summary="{}",
                          summary_hash="0" * 64))
    for url in ("/kasir", "/shift/buka"):
        page = cashier.get(url).get_data(as_text=True)
        assert 'id="day-closed"' in page and f"Hari {today():%d-%m-%Y} sudah ditutup" in page
        assert 'id="open-shift"' not in page


def test_a_shift_left_open_overnight_is_closed_before_anything_is_sold(cashier, db, staff):
    """Yesterday's shift took today's sales: the day report of yesterday counted them in its
    drawer, today's had a sale and no shift."""
    import uuid
    from datetime import timedelta

    from pos.sales.models import Sale
    from tests.factories import make_product

    yesterday = today() - timedelta(days=1)
    with db.transaction() as s:
        old = open_shift(s, staff["till"], staff["cashier"], 100_000, day=yesterday)
        code = make_product(s, price=6_500, barcodes_=["8998866200301"]).barcodes[0].code
    till = cashier.get("/kasir").get_data(as_text=True)
    assert 'id="scan"' not in till and "Shift kemarin belum ditutup" in till
    assert f'href="/shift/{old.id}/tutup"' in till and yesterday.strftime("%d-%m-%Y") in till
    scanned = cashier.post("/kasir/pindai", data={"code": code}, headers=HX)   # a page left open
    assert scanned.status_code == 409 and scanned.headers["HX-Refresh"] == "true"
    assert f"Shift #{old.id} dari tanggal {yesterday:%d-%m-%Y}" in scanned.get_data(as_text=True)
    paid = cashier.post("/kasir/bayar", data={"tendered": "10000", "idempotency_key": str(uuid.uuid4())},
                        headers=HX)
    said = paid.get_data(as_text=True)
    assert paid.status_code == 409 and f"Shift #{old.id} dari tanggal {yesterday:%d-%m-%Y}" in said
    moved = cashier.post("/shift/kas/masuk", data={"jumlah": "5000", "alasan": "modal"}, headers=HX)
    assert moved.status_code == 409 and "belum ditutup" in moved.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 0


def test_a_clock_gone_back_sells_nothing_into_a_later_days_shift_nor_opens_one(cashier, db, staff,
                                                                               monkeypatch):
    """The mini-PC's clock went back to 01-01-2000 (a dead CMOS battery) while kasir1's shift of
    today stayed open: the till sold on, filing the sale under 01-01-2000 in today's shift. Now
    the till says the clock went back, naming both dates, and nothing is sold or opened."""
    import uuid
    from datetime import datetime

    from pos import web
    from pos.sales import checkout
    from pos.sales.models import Sale
    from pos.shifts import screens
    from pos.shifts import views as shift_views
    from tests.factories import make_product

    with db.transaction() as s:
        shift = open_shift(s, staff["till"], staff["cashier"], 100_000)
        code = make_product(s, price=6_500, barcodes_=["8998866200301"]).barcodes[0].code
    opened = today().strftime("%d-%m-%Y")
    back = datetime(2000, 1, 1, 0, 0)   # 08:00 WITA
    for module in (web, checkout, screens, shift_views):
        monkeypatch.setattr(module, "utcnow", lambda: back)
    said = (f"Jam komputer mundur: shift ini dibuka {opened}, jam komputer menunjukkan 01-01-2000. "
            "Betulkan jam komputer")
    till = cashier.get("/kasir").get_data(as_text=True)
    assert 'id="scan"' not in till and 'id="clock-behind"' in till and said in till
    assert 'id="open-shift"' not in till
    scanned = cashier.post("/kasir/pindai", data={"code": code}, headers=HX)
    assert scanned.status_code == 409 and said in scanned.get_data(as_text=True)
    paid = cashier.post("/kasir/bayar", data={"tendered": "10000", "idempotency_key": str(uuid.uuid4())},
                        headers=HX)
    assert paid.status_code == 409 and said in paid.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 0
    # the shift closed (on a fixed clock), the clock still behind: no new shift on 01-01-2000
    with db.transaction() as s:
        s.get(Shift, shift.id).closed_at = s.get(Shift, shift.id).opened_at
    page = cashier.get("/kasir").get_data(as_text=True)
    assert 'id="open-shift"' not in page and 'id="clock-behind"' in page
    assert "Jam komputer mundur: catatan terakhir tercatat" in page and "01-01-2000 08:00" in page
    refused = cashier.post("/shift/buka", data={"kas_awal": "100.000"}, headers=HX)
    assert refused.status_code == 409 and "Jam komputer mundur" in refused.get_data(as_text=True)
    assert [s.id for s in shifts(db)] == [shift.id]


@pytest.mark.parametrize("clock, shown", [((2000, 1, 1, 0, 0), "01-01-2000 08:00"),
                                          ((2150, 6, 1, 2, 0), "01-06-2150 10:00")])
def test_an_impossible_year_on_an_empty_database_opens_no_shift(cashier, db, monkeypatch, clock, shown):
    """A new gerai's mini-PC with a dead RTC battery (01-01-2000), or a year far ahead: no
    sale, shift or closed day to compare the clock with, so Buka shift opened one filed under
    that year. The year is held to what ``pos doctor`` calls plausible: the screen says so
    instead of the float, and a Buka shift sent anyway is refused."""
    from datetime import datetime

    from pos import web
    from pos.shifts import screens
    from pos.shifts import views as shift_views

    wrong = datetime(*clock)
    for module in (web, screens, shift_views):
        monkeypatch.setattr(module, "utcnow", lambda: wrong)
    said = f"Jam komputer menunjukkan {shown}: tanggal itu tidak mungkin benar."
    page = cashier.get("/kasir").get_data(as_text=True)
    assert 'id="clock-behind"' in page and 'id="open-shift"' not in page and said in page
    refused = cashier.post("/shift/buka", data={"kas_awal": "100.000"}, headers=HX)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and said in text and "Betulkan jam komputer" in text
    assert shifts(db) == []
