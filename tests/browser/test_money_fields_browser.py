"""Money fields group their digits as they are typed (static/js/money.js): 1000000 reads
1.000.000 before it is paid or saved, the caret stays where the cashier was typing, Backspace
beside a dot takes a digit, and what is saved is the amount typed."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.db import get_db
from pos.members.accounts.models import MemberCredit
from pos.members.models import Member
from pos.money import format_rupiah
from pos.sales.models import Sale
from tests.browser.test_receiving_browser import sign_in
from tests.browser.test_till_browser import log_in, one_good_in_cart, paying_one_good

pytestmark = pytest.mark.browser


def caret(field) -> int:
    return field.evaluate("el => el.selectionStart")


def put_caret(field, at: int) -> None:
    field.evaluate("(el, at) => el.setSelectionRange(at, at)", at)


def test_the_cash_handed_over_is_grouped_as_typed_and_paid_as_typed(live, page):
    _, app = live
    price, tendered = paying_one_good(live, page)
    page.keyboard.type("1000000", delay=60)   # a person's keys: faster ones are a scan
    expect(tendered).to_have_value("1.000.000")
    expect(page.locator("#pay-change")).to_have_text(format_rupiah(1_000_000 - price))
    assert caret(tendered) == len("1.000.000")
    # a zero too many, taken back: Backspace just after a dot takes the digit before it
    page.keyboard.press("Backspace")
    expect(tendered).to_have_value("100.000")
    put_caret(tendered, len("100."))
    page.keyboard.press("Backspace")
    expect(tendered).to_have_value("10.000")
    assert caret(tendered) == len("10")          # still after the digit it was after
    put_caret(tendered, 0)
    page.keyboard.type("5")                       # a digit typed in front keeps the caret with it
    expect(tendered).to_have_value("510.000")
    assert caret(tendered) == 1
    page.keyboard.press("Delete")                 # Delete just before a dot takes the digit after
    expect(tendered).to_have_value("50.000")
    assert caret(tendered) == 1
    page.keyboard.press("Enter")
    expect(page.locator("#change-due")).to_have_text(format_rupiah(50_000 - price))
    with get_db(app).reading() as s:
        assert s.scalar(select(Sale.tendered)) == 50_000


def test_text_that_is_no_amount_is_left_as_typed(live, page):
    """Rp, commas and letters are not regrouped: the server reads them or says what is wrong."""
    _, tendered = paying_one_good(live, page)
    page.keyboard.type("Rp50000,-", delay=60)
    expect(tendered).to_have_value("Rp50000,-")
    tendered.fill("")
    page.keyboard.type("5O000", delay=60)         # a letter O among the digits
    expect(tendered).to_have_value("5O000")
    expect(page.locator("#pay-change")).to_have_text("—")
    tendered.fill("5 0000")                       # spaces among the digits: no amount either
    expect(tendered).to_have_value("5 0000")
    expect(page.locator("#pay-change")).to_have_text("—")
    assert page.evaluate("[GeraiMoney.amount('Rp 50.000'), GeraiMoney.amount(' -12.000 ', true),"
                         " GeraiMoney.amount('- Rp 12.000', true)]") == [50_000, -12_000, -12_000]


def kasbon_limit(live, page):
    """The manager on AGT-0001's page: (member id, its kasbon limit field)."""
    base, app = live
    with get_db(app).reading() as s:
        member_id = s.scalar(select(Member.id).where(Member.number == "AGT-0001"))
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/anggota/{member_id}")
    return member_id, page.get_by_label("Batas kasbon")


def test_a_managers_kasbon_limit_is_grouped_and_saved(live, page):
    _, app = live
    member_id, limit = kasbon_limit(live, page)
    expect(limit).to_have_value("500.000")        # the saved limit is shown grouped too
    limit.fill("")
    limit.press_sequentially("2500000", delay=20)
    expect(limit).to_have_value("2.500.000")
    page.get_by_role("button", name="Simpan batas").click()
    expect(page.locator("#member-accounts")).to_contain_text("Batas kasbon disimpan")
    expect(page.get_by_label("Batas kasbon")).to_have_value("2.500.000")
    with get_db(app).reading() as s:
        assert s.get(MemberCredit, member_id).credit_limit == 2_500_000


def test_the_first_digit_deleted_keeps_the_zeros_and_ctrl_z_puts_back_what_was_there(live, page):
    """1.050.000 without its 1 became 50.000 (the leading zero was dropped at once), so the 2
    typed next saved Rp250.000 for Rp2.050.000; and the browser's Ctrl+Z mixed old and new
    digits (45.003.600) once the field had been regrouped."""
    _, app = live
    member_id, limit = kasbon_limit(live, page)
    limit.fill("")
    limit.press_sequentially("1050000", delay=60)
    expect(limit).to_have_value("1.050.000")
    put_caret(limit, 1)
    page.keyboard.press("Backspace")
    expect(limit).to_have_value("050.000")          # kept while typing
    page.keyboard.type("2")
    expect(limit).to_have_value("2.050.000")
    page.keyboard.press("Control+a")
    page.keyboard.type("4500", delay=60)
    expect(limit).to_have_value("4.500")
    page.keyboard.press("Control+z")
    expect(limit).to_have_value("500.000")          # what the field held when it was entered
    page.keyboard.press("Control+y")
    expect(limit).to_have_value("4.500")
    put_caret(limit, 0)
    page.keyboard.press("Delete")
    expect(limit).to_have_value("500")
    limit.fill("0075000")
    page.keyboard.press("Tab")                      # leaving the field: no leading zero
    expect(limit).to_have_value("75.000")
    limit.focus()
    page.get_by_role("button", name="Simpan batas").click()
    expect(page.locator("#member-accounts")).to_contain_text("Batas kasbon disimpan")
    with get_db(app).reading() as s:
        assert s.get(MemberCredit, member_id).credit_limit == 75_000


def test_a_live_total_reads_a_typed_amount_as_the_server_does(live, page):
    """Tutup shift: 187.200,00 counted showed a difference of +Rp18.532.800 (every digit
    taken); it is Rp187.200, as the server reads it."""
    base, _ = live
    log_in(page, base)
    page.keyboard.press("Alt+t")
    counted = page.get_by_label("Uang tunai dihitung")
    expect(counted).to_be_visible()
    expected = page.locator("tr[data-tender=cash]").get_attribute("data-expected")
    counted.fill(f"{format_rupiah(int(expected))[2:]},00")
    expect(page.locator("tr[data-tender=cash] .diff")).to_have_text("Rp0")


def test_a_decimal_point_typed_or_pasted_is_left_as_typed_and_refused(live, page):
    """20000.5 or a pasted 118.00 is no Rupiah amount: regrouped it would read 200.005 or
    11.800, amounts the server takes; left as typed the total shows nothing and the server
    refuses it.  Taking the stray part out groups the field again."""
    _, tendered = paying_one_good(live, page)
    page.keyboard.type("20000.5", delay=60)
    expect(tendered).to_have_value("20.000.5")
    assert tendered.evaluate("el => window.GeraiMoney.amount(el.value)") is None
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    expect(tendered).to_have_value("20.000")
    page.keyboard.type("0", delay=60)
    expect(tendered).to_have_value("200.000")     # grouping again
    tendered.fill("")
    tendered.evaluate("""el => {
        const data = new DataTransfer(); data.setData("text/plain", "118.00");
        el.value = "118.00";
        el.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste",
                                                  dataTransfer: data}));
    }""")
    expect(tendered).to_have_value("118.00")


def test_a_discount_is_grouped_as_an_amount_and_left_as_typed_as_a_percent(live, page):
    """F5's discount takes an amount or a percent: 15000 reads 15.000, 12,5% and 12.5% stay."""
    one_good_in_cart(live, page)
    page.keyboard.press("F5")
    field = page.locator("#adjust-discount")
    expect(field).to_be_focused()
    page.keyboard.type("15000", delay=60)
    expect(field).to_have_value("15.000")
    for percent in ("12,5%", "12.5%", "10%"):
        field.fill("")
        page.keyboard.type(percent, delay=60)
        expect(field).to_have_value(percent)


def test_an_amount_beyond_a_floats_whole_numbers_shows_no_change(live, page):
    """Twenty nines in Uang diterima showed Kembali Rp99.999.999.999.999.950.000 (the browser's
    float) before the server refused it; such a number reads as no amount, and the server says why."""
    _, tendered = paying_one_good(live, page)
    tendered.fill("99999999999999999999")
    expect(page.locator("#pay-change")).to_have_text("—")
    assert tendered.evaluate("el => window.GeraiMoney.amount('9.007.199.254.740.991')") == 2**53 - 1
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("terlalu besar")


def test_an_amount_above_what_the_server_takes_shows_no_change_and_keeps_the_panel_narrow(live, page):
    """Fifteen nines showed Kembali Rp999.999.999.957.999 in large figures, pushing Rp100.000 past
    the panel's edge, before the server refused it: above Rp1.000.000.000 it says so instead."""
    _, tendered = paying_one_good(live, page)
    tendered.fill("999999999999999")
    expect(page.locator("#pay-change")).to_have_text("Terlalu besar")
    panel = page.locator("#pay-form").bounding_box()
    quick = page.locator("[data-quick-key=F8]").bounding_box()
    assert quick["x"] + quick["width"] <= panel["x"] + panel["width"], (quick, panel)
    tendered.fill("1.000.000.000")                       # the most the server takes: a change
    expect(page.locator("#pay-change")).not_to_have_text("Terlalu besar")
