"""The members' tables fit their panel with nothing cut: a 120-character name with no space in
it (the form allows one) made Saldo simpanan's Nama column 2.037 px wide at 1024x768, pushing
Pokok, Wajib, Sukarela and Jumlah off screen; at 800x1280 Umur kasbon cut off its "> 90 hari"
column and the register (/anggota) hid Masuk and Status.  On the demo gerai with such a name,
Rp 8-digit savings and kasbon in every age bucket, each table is no wider than its box at every
counter screen, the long name wraps, and every column's header and figure is on the page."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pos.auth.models import User
from pos.clock import business_date, utcnow
from pos.db import get_db
from pos.members.accounts import credit
from pos.members.accounts.models import OpeningSaving
from pos.members.models import Member
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser
SIZES = [(1024, 768), (1280, 800), (1366, 768), (800, 1280)]
LONG_NAME = ("SitiNurhalizaBintiAbdullahRahmatullahWijayakusumaNingsih" * 3)[:120]
WIDTH = """(selector) => { const t = document.querySelector(selector), box = t.closest('.table-scroll');
  const heads = [...t.querySelectorAll('th')].map(h => h.getBoundingClientRect().right);
  return [t.scrollWidth, box.clientWidth, box.scrollWidth, document.documentElement.scrollWidth,
          Math.max(...heads), box.getBoundingClientRect().right]; }"""
SAVINGS = {"pokok": 1_250_000, "wajib": 12_345_000, "sukarela": 98_765_432}
AGES = {100: 12_345_678, 70: 23_456_789, 40: 34_567_890, 5: 45_678_901}   # days ago -> kasbon


def long_named_member(app) -> tuple[int, str]:
    """A demo member renamed to ``LONG_NAME``, with Rp 8-digit savings and kasbon of every age."""
    today = business_date(utcnow(), app.config["TIMEZONE"])
    with get_db(app).transaction() as s:
        member = s.scalars(select(Member).where(Member.active).order_by(Member.number)).first()
        manager = s.scalar(select(User.id).where(User.username == "manajer1"))
        member.name = LONG_NAME
        saved = s.get(OpeningSaving, member.id) or OpeningSaving(member_id=member.id, business_date=today)
        for kind, amount in SAVINGS.items():
            setattr(saved, kind, amount)
        s.add(saved)
        credit.set_limit(s, member.id, 999_000_000, manager, today=today)
        for days, amount in AGES.items():
            credit.adjust(s, member_id=member.id, amount=amount, user_id=manager, note="buku lama",
                          business_date=today - timedelta(days=days), now=utcnow())
        return member.id, member.number


def fits(page, selector: str, width: int) -> None:
    table, box, box_scroll, document, heads, edge = page.evaluate(WIDTH, selector)
    # the whole table in its box, nothing to scroll to, every header on screen; no sideways page
    assert table <= box and box_scroll <= box, (selector, width, table, box)
    assert document <= width and heads <= min(edge, width) + 1, (selector, width, heads, edge)


@pytest.mark.parametrize("path, selector, heads", [
    ("/simpanan/saldo", "#balances", ("Nama", "Pokok", "Wajib", "Sukarela", "Jumlah")),
    ("/kasbon/umur", "#ageing", ("Nama", "Batas", "Kasbon", "0-30", "61-90", "> 90 hari")),
    ("/anggota", ".members-list", ("Nama", "NIK", "Kartu", "Masuk", "Status")),
])
def test_the_member_tables_fit_at_every_counter_screen(live, browser, path, selector, heads):
    base, app = live
    member_id, number = long_named_member(app)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}{path}")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        fits(page, selector, width)
        name = page.locator(selector).get_by_text(LONG_NAME).bounding_box()
        assert name["x"] + name["width"] <= width and name["height"] > 30, (path, width, name)   # wrapped
    text = page.locator(selector).inner_text()
    for head in heads:
        assert head in text, head
    assert LONG_NAME in page.locator(selector).text_content() and number in text
    figures = {"/simpanan/saldo": 4, "/kasbon/umur": 6, "/anggota": 0}[path]   # Rp per row
    row = page.locator(f"{selector} tbody tr").filter(has_text=number).first.inner_text()
    assert row.count("Rp") == figures, row
    assert errors == []
    context.close()
