"""Money paid out at the savings counter: the transfer's reference is asked only for a transfer
(it stood beside "Tunai dari laci" too, a field with nothing to type)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.members.accounts.models import MemberDocument
from tests.browser.test_accounts_browser import manager_approves, saved_at_the_desk
from tests.browser.test_till_browser import log_in

pytestmark = pytest.mark.browser


def test_a_withdrawal_asks_for_the_reference_only_when_paid_by_transfer(live, page, printer):
    base, app = live
    saved_at_the_desk(app, 250_000)
    log_in(page, base)
    page.goto(f"{base}/kasir/simpanan")
    page.get_by_label("Anggota").fill("AGT-0004")
    page.keyboard.press("Enter")
    form = page.locator("#account-withdraw")
    expect(form).to_contain_text("paling banyak Rp250.000")
    reference = form.get_by_label("Referensi transfer")
    expect(reference).to_be_hidden()                     # cash from the drawer: nothing to type
    page.keyboard.press("Alt+t")
    page.keyboard.type("150000", delay=40)
    form.get_by_text("Transfer ke rekening").click()
    expect(reference).to_be_visible()
    expect(reference).to_be_focused()
    page.keyboard.type("BRI-2026-77", delay=40)
    form.get_by_text("Tunai dari laci").click()
    expect(reference).to_be_hidden()
    form.get_by_text("Transfer ke rekening").click()     # back: what was typed is still there
    expect(reference).to_have_value("BRI-2026-77")
    page.keyboard.press("Enter")
    manager_approves(page)
    expect(page.locator("main")).to_contain_text("Rp150.000 (Transfer ke rekening BRI-2026-77)")
    with get_db(app).reading() as s:
        doc = s.scalars(select(MemberDocument).order_by(MemberDocument.id.desc())).first()
    assert (doc.withdrawal, doc.total, doc.reference) == (True, 150_000, "BRI-2026-77")
