"""A cashier takes a member's simpanan wajib in cash at the till's savings page (headless Chromium)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.members.accounts.models import DocumentLine, MemberDocument, SavingKind
from pos.members.models import Member
from tests.browser.test_till_browser import log_in

pytestmark = pytest.mark.browser


def test_cashier_takes_simpanan_wajib_in_cash_and_sees_the_receipt(live, page, printer):
    base, app = live
    log_in(page, base)
    page.keyboard.press("Alt+s")                       # the till's key for Simpanan/Angsuran
    page.wait_for_url(f"{base}/kasir/simpanan")
    expect(page.get_by_label("Anggota")).to_be_focused()
    page.keyboard.type("AGT-0004")
    page.keyboard.press("Enter")
    panel = page.locator("#account-panel")
    expect(panel).to_contain_text("Dwi Lestari")
    first_month = panel.locator("input[name=wajib]").first
    expect(first_month).to_be_focused()                # keyboard first: the oldest unpaid month
    page.keyboard.press("Space")
    expect(page.locator("#account-total")).to_have_text("Rp10.000")
    page.get_by_label("Uang diterima (kosong: uang pas)").fill("20000")
    page.keyboard.press("Enter")

    expect(page.locator("#doc-no")).to_have_text("TST01-S-000001")
    expect(page.locator("#account-change")).to_have_text("Rp10.000")
    receipt = page.get_by_label("Bukti setoran")
    expect(receipt).to_contain_text("BUKTI SETORAN ANGGOTA")
    expect(receipt).to_contain_text("Simpanan wajib")
    expect(page.locator("#doc-print-status")).to_contain_text("Bukti tercetak")
    assert printer.receipts[-1].receipt_no == "TST01-S-000001"

    with get_db(app).reading() as s:
        doc = s.scalar(select(MemberDocument).where(MemberDocument.doc_no == "TST01-S-000001"))
        member = s.scalar(select(Member).where(Member.number == "AGT-0004"))
        line = s.scalar(select(DocumentLine).where(DocumentLine.document_id == doc.id))
    assert (doc.member_id, doc.total, doc.tendered, doc.change) == (member.id, 10_000, 20_000, 10_000)
    assert line.saving == SavingKind.WAJIB and line.period.day == 1

    page.keyboard.press("Escape")                      # back to the till
    page.wait_for_url(f"{base}/kasir")
