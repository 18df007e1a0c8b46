"""Shift dan selisih kas fits its panel: twelve columns were 1.348 px wide and scrolled
sideways inside it at 1024x768. On the demo's history with long cashier names, Rp 7-8 digit
figures, a shift closed the next day and one still open, the table is no wider than its box at
every counter screen, and every figure is still on the page."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.money import format_rupiah
from pos.shifts.models import Shift
from pos.tills.models import Till
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser
SIZES = [(1024, 768), (1280, 800), (1366, 768), (800, 1280)]
LONG_NAMES = ("Siti Nurhaliza Binti Abdullah Rahmatullah", "Muhammad Ikhsanuddin Saputra Wijayakusuma")
WIDTH = """() => { const t = document.querySelector('#report-rows'), box = t.parentElement;
  return [t.scrollWidth, box.clientWidth, box.scrollWidth, document.documentElement.scrollWidth]; }"""


@pytest.fixture(scope="module")
def demo_template(demo_history_template):
    return demo_history_template


def big_shifts(app) -> list[dict]:
    """Two closed shifts with long names and Rp 7-8 digit figures (one closed the next day),
    and one still open; returns what the screen must show of them."""
    now = utcnow()
    today = business_date(now, app.config["TIMEZONE"])
    with get_db(app).transaction() as s:
        tills = list(s.scalars(select(Till).order_by(Till.id)))
        users = list(s.scalars(select(User).order_by(User.id).limit(2)))
        for user, name in zip(users, LONG_NAMES, strict=True):
            user.full_name = name
        tills[0].name = "Kasir Depan Pintu Utara"
        for till in tills:   # what the demo left open stays out of the way of the new shifts
            for shift in s.scalars(select(Shift).where(Shift.till_id == till.id,
                                                       Shift.closed_at.is_(None))):
                shift.closed_at, shift.expected_cash, shift.counted_cash = now, 0, 0
                shift.difference = 0
        rows = [dict(till_id=tills[0].id, cashier_id=users[0].id, opening_float=12_500_000,
                     previous_counted=12_750_000, opening_note="Setoran ke bank pagi",
                     opening_approved_by=users[1].id, expected_cash=98_765_400,
                     counted_cash=98_712_300, difference=-53_100,
                     close_reason="Uang kembalian salah hitung saat ramai sore hari",
                     closed_by=users[0].id, approved_by=users[1].id,
                     opened_at=now - timedelta(hours=20), closed_at=now + timedelta(days=1)),
                dict(till_id=tills[-1].id, cashier_id=users[1].id, opening_float=7_250_000,
                     previous_counted=7_000_000, expected_cash=45_678_900, counted_cash=45_700_000,
                     difference=21_100, close_reason="Lebih", closed_by=users[1].id,
                     approved_by=users[0].id, opened_at=now - timedelta(hours=9),
                     closed_at=now - timedelta(hours=1)),
                dict(till_id=tills[0].id, cashier_id=users[1].id, opening_float=1_234_500,
                     previous_counted=98_712_300, opened_at=now - timedelta(minutes=30))]
        for row in rows:
            s.add(Shift(business_date=today, **row))
    return rows


def test_the_shift_report_fits_its_panel_at_every_counter_screen(live, browser):
    base, app = live
    shown = big_shifts(app)
    today = business_date(utcnow(), app.config["TIMEZONE"])
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    start = (today - timedelta(days=14)).strftime("%d-%m-%Y")
    page.goto(f"{base}/laporan/shift?dari={start}&sampai={today:%d-%m-%Y}")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        table, box, box_scroll, document = page.evaluate(WIDTH)
        # the whole table in its panel, nothing to scroll to; the page never scrolls sideways
        assert table <= box and box_scroll <= box and document <= width, (width, table, box_scroll, box)
    page.set_viewport_size({"width": 1024, "height": 768})
    text = page.locator("#report-rows").inner_text()
    for row in shown:
        for key in ("opening_float", "expected_cash", "counted_cash", "difference"):
            if row.get(key) is not None:
                assert format_rupiah(row[key]) in text, (key, row[key])
        if row.get("previous_counted") is not None:
            assert format_rupiah(row["opening_float"] - row["previous_counted"]) in text
    for name in LONG_NAMES:
        assert name in text
    for words in ("Uang kembalian salah hitung saat ramai sore hari", "Shift masih terbuka",
                  "Kasir Depan Pintu Utara", "Kas awal: Setoran ke bank pagi"):
        assert words in text, words
    headers = page.locator("#report-rows thead th")
    assert headers.count() < 12 and headers.nth(2).get_attribute("title").startswith(
        "Kas awal; selisih kas awal")   # abbreviated on screen, in full in the title
    assert errors == []
    context.close()
