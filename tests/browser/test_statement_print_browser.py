"""A member's statement (kartu piutang) printed from the browser: the content alone, every
column on the paper (the Oleh column was cut, the red bar, Keluar and the limit form printed)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.members.models import Member
from tests.browser.test_receiving_browser import sign_in

pytestmark = pytest.mark.browser


def test_the_statement_prints_its_content_alone_with_every_column(live, page):
    base, app = live
    with get_db(app).reading() as s:
        member_id = s.scalar(select(Member.id).where(Member.number == "AGT-0004"))
    page.set_viewport_size({"width": 800, "height": 1280})
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/kasbon/anggota/{member_id}")
    page.evaluate("window.printed = 0; window.print = () => { window.printed += 1; }; 0")
    page.keyboard.press("F9")                                   # Cetak: the page's key
    assert page.evaluate("window.printed") == 1                # once
    expect(page.locator(".print-only")).to_be_hidden()
    page.set_viewport_size({"width": 680, "height": 1000})     # A4's printable width at 96 dpi
    page.emulate_media(media="print")
    for hidden in (".topbar", "form.inline-form", "[data-print]"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".print-only")).to_contain_text("Dicetak")
    right = page.evaluate("""() => { const cells = [...document.querySelectorAll('#kartu-piutang th')];
        return Math.max(...cells.map(c => c.getBoundingClientRect().right)); }""")
    assert right <= 680, right                                  # the Oleh column on the paper
