"""A manager uploads the saldo awal kasbon through its page: checked first, then saved, the
warning of a member without a kasbon limit said, the totals brought up to date (headless Chromium)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.members.accounts.models import MemberCredit
from pos.members.models import Member
from tests.browser.signin import sign_in_by_client

pytestmark = pytest.mark.browser


def test_a_manager_checks_then_imports_the_saldo_awal_kasbon(live, page):
    base, app = live
    assert sign_in_by_client(page, base, "manajer1", "9999")
    page.goto(f"{base}/")
    page.get_by_role("link", name="Saldo awal kasbon").click()
    page.wait_for_url(f"{base}/kasbon/saldo-awal-kasbon")
    expect(page.get_by_role("heading", name="Saldo awal kasbon anggota")).to_be_visible()
    with get_db(app).reading() as s:
        member = s.scalar(select(Member).where(Member.number == "AGT-0004"))
        before = s.scalar(select(MemberCredit.balance).where(MemberCredit.member_id == member.id)) or 0
    upload = {"name": "kasbon.csv", "mimeType": "text/csv",
              "buffer": b"nomor,nama,kasbon,tanggal\nAGT-0004,Dwi Lestari,Rp125.000,\n"}
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(upload)
    page.get_by_label("Periksa saja, jangan simpan").check()
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#import-checked")).to_contain_text("tanpa kesalahan")
    expect(page.locator(".import-notice")).to_contain_text("AGT-0004 belum punya batas kasbon")
    expect(page.locator("#opening-kasbon-amount")).to_have_text("Rp0")

    page.get_by_label("Berkas CSV atau XLSX").set_input_files(upload)
    page.get_by_label("Periksa saja, jangan simpan").uncheck()
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#import-done")).to_contain_text("1 saldo awal kasbon baru")
    expect(page.locator(".import-notice")).to_contain_text("belum punya batas kasbon")
    expect(page.locator("#opening-kasbon-amount")).to_have_text("Rp125.000")
    with get_db(app).reading() as s:
        after = s.scalar(select(MemberCredit.balance).where(MemberCredit.member_id == member.id))
    assert after == before + 125_000
