"""A manager's Koreksi kasbon on the kartu piutang, and Umur kasbon setting the members' kasbon
beside the books (the panel htmx loads under its table), in headless Chromium on the demo."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.members.accounts import credit
from pos.members.models import Member
from tests.browser.test_receiving_browser import sign_in

pytestmark = pytest.mark.browser


def test_a_manager_writes_kasbon_off_and_umur_kasbon_sets_it_beside_the_books(live, page):
    base, app = live
    with get_db(app).reading() as s:
        member = s.scalar(select(Member.id).where(Member.number == "AGT-0003"))
        owed = credit.available(s, member)[1]
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/kasbon/anggota/{member}")
    form = page.locator("#kasbon-correction")
    expect(page.locator("#kasbon-correction-books")).to_contain_text("debit 690300 Selisih dan penghapusan")
    form.get_by_label("Tambah (belum tercatat)").check()   # kasbon never recorded
    form.get_by_label("Jumlah").fill("20.000")
    form.get_by_label("Alasan").fill("kasbon 01-12 belum dicatat")
    form.get_by_role("button", name="Simpan koreksi").click()
    expect(page.locator("body")).to_contain_text("kasbon ditambahkan: debit 113100")
    form.get_by_label("Kurangi (hapus piutang)").check()
    form.get_by_label("Jumlah").fill("5.000")
    form.get_by_label("Alasan").fill("tidak tertagih")
    form.get_by_role("button", name="Simpan koreksi").click()
    expect(page.locator("body")).to_contain_text("Koreksi kasbon disimpan")
    expect(page.locator("body")).to_contain_text("penghapusan piutang: debit 690300")
    with get_db(app).reading() as s:
        assert credit.available(s, member)[1] == owed + 20_000 - 5_000

    page.goto(f"{base}/kasbon/umur")
    books = page.locator("#kasbon-books")
    expect(books).to_contain_text("Kasbon anggota dan buku koperasi")   # loaded by htmx
    expect(page.locator("#kasbon-books-owed")).to_have_text(page.locator("#ageing-total").inner_text())
    expect(page.locator("#kasbon-books-difference")).to_contain_text("sama dengan buku")
