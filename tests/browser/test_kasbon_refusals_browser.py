"""Kasbon at the till when the member is no longer the one the pay panel showed: deactivated,
or another member put on the sale (another screen of this till) while the panel was open.  The
cashier reads why in the panel, nothing is sold, nobody is charged, and the cart stays."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.auth.models import User
from pos.db import get_db
from pos.members import register
from pos.members.accounts import credit
from pos.members.models import Member
from pos.sales import cart
from pos.sales.models import Cart
from tests.browser.test_payments_browser import attach_member, cart_total, sales, scan
from tests.browser.test_till_browser import log_in, packaged_goods

pytestmark = pytest.mark.browser


def _member(s, number: str) -> int:
    return s.scalar(select(Member.id).where(Member.number == number))


def _kasbon_listed(page, app, number: str = "AGT-0002") -> tuple[int, int]:
    """Three goods on the sale of ``number`` (limit room for all of it), the panel open with the
    whole total on kasbon: (member id, total)."""
    goods = packaged_goods(app, 3)
    with get_db(app).transaction() as s:
        member = _member(s, number)
        manager = s.scalar(select(User.id).where(User.username == "manajer1"))
        credit.set_limit(s, member, 10_000_000, manager)
    attach_member(page, number)
    scan(page, [code for _, code, _, _ in goods])
    expect(page.locator("#cart tr.line")).to_have_count(3)
    total = cart_total(page)
    page.keyboard.press("F9")
    page.keyboard.press("F4")
    page.get_by_label("Jumlah kasbon").fill(str(total))
    page.keyboard.press("Enter")
    expect(page.locator("#pay-tenders")).to_contain_text("Kasbon anggota")
    return member, total


def _nothing_sold(page, app, member: int, owed: int) -> None:
    expect(page.locator("#pay-panel")).to_be_visible()
    assert sales(app) == 0
    with get_db(app).reading() as s:
        assert credit.available(s, member)[1] == owed
    expect(page.locator("#cart tr.line")).to_have_count(3)


def test_kasbon_for_a_member_deactivated_while_the_panel_is_open(live, page):
    base, app = live
    log_in(page, base)
    member, _ = _kasbon_listed(page, app)
    with get_db(app).transaction() as s:
        owed = credit.available(s, member)[1]
        register.set_active(s, member, False)
    page.keyboard.press("Enter")                                 # Selesai
    alert = page.locator("#messages").get_by_role("alert")   # above the panel, in sight
    expect(alert).to_contain_text("nonaktif")
    expect(alert).to_be_visible()
    _nothing_sold(page, app, member, owed)
    expect(page.locator("#pay-member")).to_contain_text("nonaktif")


def test_kasbon_refused_when_another_member_was_put_on_the_sale_meanwhile(live, page):
    """The panel showed AGT-0002 and its kasbon; another screen of the till put AGT-0003 on
    the sale: Selesai charged AGT-0003's account (the total was the same)."""
    base, app = live
    log_in(page, base)
    member, _ = _kasbon_listed(page, app)
    with get_db(app).transaction() as s:
        owed = credit.available(s, member)[1]
        other = _member(s, "AGT-0003")
        other_owed = credit.available(s, other)[1]
        till = s.scalar(select(Cart.till_id).where(Cart.member_id == member))
        cart.put_member(s, till, other)
    page.keyboard.press("Enter")                                 # Selesai
    alert = page.locator("#messages").get_by_role("alert")   # above the panel, in sight
    expect(alert).to_contain_text("Anggota pada penjualan berganti")
    expect(alert).to_be_visible()
    _nothing_sold(page, app, member, owed)
    with get_db(app).reading() as s:
        assert credit.available(s, other)[1] == other_owed
