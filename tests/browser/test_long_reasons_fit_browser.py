"""A typed reason, note or memo with no space in it wraps inside its cell: 200 characters pasted
as a Kas keluar's reason made Laporan X/Z's *Kas masuk / keluar* table 2.700-3.500 px wide, with
*Oleh* and *Jumlah* of every row (the Rp600.000 kas keluar too) past the right edge of its box.
On the demo gerai with such reasons (a cash movement, a manager's approval, a stock adjustment
waiting and one decided), the tables that show them keep their figures on the screen."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.approvals.models import Override
from pos.auth.models import User
from pos.clock import utcnow
from pos.db import get_db
from pos.inventory.catalog.models import Product
from pos.inventory.counts.models import AdjustmentKind, ApprovalStatus, StockAdjustment
from pos.shifts.models import CashDirection, CashMovement
from pos.tills.models import Till
from tests.browser.test_member_tables_fit_browser import SIZES, WIDTH
from tests.browser.test_receiving_browser import sign_in, watch_errors
from tests.factories import open_shift, outlet_today

pytestmark = pytest.mark.browser
LONG = ("Uangdiambiluntukmembelikantongplastikdanlakbanuntukgudang" * 4)[:200]


def long_reasons(app) -> int:
    """The demo gerai with ``LONG`` as every kind of typed reason; the shift's id."""
    now, today = utcnow(), outlet_today()
    with get_db(app).transaction() as s:
        users = dict(s.execute(select(User.username, User.id)).all())
        till = s.scalar(select(Till.id).order_by(Till.id))
        product = s.scalar(select(Product.id).where(Product.active).order_by(Product.id))
        shift = open_shift(s, till, users["kasir1"], 200_000, day=today)
        s.add(CashMovement(shift_id=shift.id, till_id=till, user_id=users["kasir1"],
                           direction=CashDirection.OUT, amount=600_000, reason=LONG,
                           approved_by=users["manajer1"], business_date=today, created_at=now))
        s.add(Override(kind="price_override", description=LONG, asked_by=users["kasir1"],
                       approved_by=users["manajer1"], reason=LONG, before="Rp75.000",
                       after="Rp60.000", till_id=till, created_at=now))
        for status in (ApprovalStatus.PENDING, ApprovalStatus.APPROVED):
            decided = status is ApprovalStatus.APPROVED
            s.add(StockAdjustment(kind=AdjustmentKind.ADJUSTMENT, product_id=product, qty=-1,
                                  reason=LONG, status=status, requested_by=users["gudang1"],
                                  requested_at=now, decided_by=users["manajer1"] if decided else None,
                                  decided_at=now if decided else None))
        return shift.id


@pytest.mark.parametrize("path, selector, last", [
    ("/shift/{shift}", "#movements", "Rp600.000"),
    ("/persetujuan", "#overrides", "Kasir 1"),
    ("/penyesuaian", "#pending table", "Rp"),
    ("/penyesuaian", "#decided", "-1"),
])
def test_a_long_typed_reason_wraps_and_the_figures_stay_on_screen(live, browser, path, selector, last):
    base, app = live
    shift = long_reasons(app)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}{path.format(shift=shift)}")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        table, box, box_scroll, document, heads, edge = page.evaluate(WIDTH, selector)
        # the whole table in its box, nothing to scroll to, every header on screen, no sideways page
        assert table <= box and box_scroll <= box, (path, width, table, box)
        assert document <= width and heads <= min(edge, width) + 1, (path, width, heads, edge)
        reason = page.locator(selector).get_by_text(LONG[:40]).first.bounding_box()
        assert reason["height"] > 60, (path, width, reason)   # wrapped, over several lines
        figure = page.locator(selector).get_by_text(last).first.bounding_box()
        assert figure["x"] + figure["width"] <= min(edge, width) + 1, (path, width, figure, edge)
    assert errors == []
    context.close()
