"""The till's F7 member field in real Chromium: a live list while typing a name, number or phone,
chosen with the arrow keys and Enter, and the member on the cart; a code two members hold."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from pos.db import get_db
from pos.members.models import Member
from pos.sales.models import Cart
from tests.browser.test_till_browser import log_in, scan_all

pytestmark = pytest.mark.browser


def test_f7_lists_members_as_the_cashier_types_and_arrow_enter_attaches_one(live, page):
    base, app = live
    log_in(page, base)
    page.keyboard.press("F7")
    field = page.locator("#member")
    expect(field).to_be_focused()
    page.keyboard.type("santos", delay=40)                 # part of "Budi Santoso" (AGT-0001)
    expect(page.locator('#member-results [data-query="santos"]')).to_have_count(1)  # its own list
    results = page.locator("#member-results [data-member-result]")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("AGT-0001")
    expect(results.first).to_contain_text("Budi Santoso")
    expect(results.first).to_contain_text("aktif")
    expect(results.first).to_contain_text("********")       # the NIK, masked
    page.keyboard.press("ArrowDown")
    expect(results.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#cart-member")).to_contain_text("Budi Santoso")
    expect(page.locator("#cart-member")).to_contain_text("AGT-0001")
    expect(field).to_have_value("")
    expect(results).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()   # the next thing is a scan
    with get_db(app).reading() as s:
        assert s.scalar(select(Cart.member_id).where(Cart.member_id.is_not(None))) is not None


def test_arrow_keys_walk_the_list_and_nonaktif_members_are_marked(live, page):
    base, _ = live
    log_in(page, base)
    page.keyboard.press("F7")
    page.keyboard.type("AGT-001", delay=40)               # AGT-0010 ... AGT-0019, AGT-0012 nonaktif
    results = page.locator("#member-results [data-member-result]")
    expect(results).to_have_count(8)                      # SEARCH_LIMIT
    inactive = page.locator("#member-results .member-result.inactive")
    expect(inactive).to_have_count(0)                     # active ones come first; one more page down
    page.keyboard.press("Backspace")
    page.keyboard.type("12", delay=40)                    # AGT-0012 exactly
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("nonaktif")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")                        # back up into the field
    expect(page.locator("#member")).to_be_focused()
    page.keyboard.press("Escape")
    expect(results).to_have_count(0)


def test_a_member_card_scanned_into_the_f7_field_attaches_the_member(live, page):
    """The scanner's burst stays in the member field (its form sends its own scans), even when
    the first character came apart from the rest; nothing is scanned as goods."""
    base, app = live
    with get_db(app).reading() as s:
        card = s.scalar(select(Member.card_barcode).where(Member.number == "AGT-0002"))
    assert card and card.isdigit()                          # the demo prints cards for its members
    log_in(page, base)
    page.keyboard.press("F7")
    expect(page.locator("#member")).to_be_focused()
    page.keyboard.type(card[0])
    page.wait_for_timeout(100)                              # a pause, then the rest at full speed
    page.keyboard.type(card[1:], delay=0)
    page.keyboard.press("Enter")
    expect(page.locator("#cart-member")).to_contain_text("AGT-0002")
    expect(page.locator("#member")).to_have_value("")
    expect(page.locator("#scan")).to_have_value("")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)


def hold_twice(app, pairs: dict[str, str], inactive: tuple[str, ...] = ()) -> None:
    """Give each member (by number) the card of ``pairs``: another member's number in small
    letters, as an old import left it; and make the members ``inactive`` nonaktif."""
    with get_db(app).transaction() as s:
        for number, card in pairs.items():
            s.execute(update(Member).where(Member.number == number).values(card_barcode=card))
        s.execute(update(Member).where(Member.number.in_(inactive)).values(active=False))


def test_a_code_held_twice_takes_the_active_member_and_says_when_both_are_nonaktif(live, page):
    """AGT-0012 is nonaktif in the demo. A code that is an active member's card and a nonaktif
    one's number attaches the active member without asking; one held by two nonaktif members
    attaches neither and says why; two active holders still ask."""
    base, app = live
    hold_twice(app, {"AGT-0003": "agt-0012", "AGT-0004": "agt-0013", "AGT-0005": "agt-0006"},
               inactive=("AGT-0004", "AGT-0013"))
    log_in(page, base)
    scan_all(page, ["agt-0012"])
    bar = page.locator("#cart-member")
    expect(bar).to_contain_text("AGT-0003")
    expect(page.locator("#member-status")).to_have_text("aktif")
    expect(page.locator("#member-confirm")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()

    scan_all(page, ["agt-0013"])                  # AGT-0004's card and AGT-0013's number
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Kode agt-0013 dipakai 2 anggota nonaktif")
    expect(alert).to_contain_text("harga bukan anggota dan tidak dapat kasbon")
    expect(bar).to_contain_text("AGT-0003")       # nothing changed
    expect(page.locator("#member-confirm")).to_have_count(0)

    page.keyboard.press("F7")
    expect(page.locator("#member")).to_be_focused()
    page.keyboard.type("agt-0006", delay=40)      # AGT-0005's card and AGT-0006's number
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").last).to_contain_text("Kode agt-0006 dipakai 2 anggota")
    expect(page.get_by_role("alert").last).to_contain_text("Pilih anggotanya")
    expect(bar).to_contain_text("AGT-0003")
    with get_db(app).reading() as s:
        assert s.scalar(select(Member.number).join(Cart, Cart.member_id == Member.id)) == "AGT-0003"


def test_a_card_scanned_that_finds_nobody_keeps_its_refusal(live, page):
    """A scanner types the card and Enter within the live search's 120 ms: the search that
    fired after it cleared the refusal ("tidak ditemukan") a moment after it was shown, so the
    cashier never learnt why no member came. The empty field now asks for no list at all."""
    base, _app = live
    log_in(page, base)
    searches = []
    page.on("request", lambda r: searches.append(r.url) if "/anggota/cari" in r.url else None)
    page.keyboard.press("F7")
    expect(page.locator("#member")).to_be_focused()
    page.keyboard.type("zzz-999")                 # no delay: a scanner
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Anggota 'zzz-999' tidak ditemukan.")
    page.wait_for_timeout(400)                    # past the search's delay
    expect(alert).to_have_text("Anggota 'zzz-999' tidak ditemukan.")
    assert not [url for url in searches if url.endswith("member=")], searches   # none for ""


def test_a_name_typed_and_enter_takes_the_one_member_listed(live, page):
    """F7, "Budi", the list shows AGT-0001 Budi Santoso, Enter: he is attached (it used to send
    "Budi" as a code: "Anggota 'Budi' tidak ditemukan"). Where several are listed, Enter puts
    the cursor on the first and a second Enter takes it.  Enter before the list for the whole
    name came (a quick typist) takes him too: the till looks the name up itself."""
    base, _app = live
    log_in(page, base)
    page.keyboard.press("F7")
    page.keyboard.type("Budi Santoso", delay=30)
    expect(page.locator("#member-results [data-member-result]")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator("#cart-member")).to_contain_text("AGT-0001")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.locator("#cart-member").get_by_role("button", name="Lepas").click()
    expect(page.locator("#cart-member")).to_have_count(0)
    page.keyboard.press("F7")
    page.keyboard.type("Andi", delay=30)                 # Andi Tenri Ajeng, Andi Sitti Aisyah
    expect(page.locator('#member-results [data-query="Andi"]')).to_have_count(1)   # not "And"'s
    results = page.locator("#member-results [data-member-result]")
    expect(results).to_have_count(2)
    page.keyboard.press("Enter")
    expect(results.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#cart-member")).to_contain_text("Andi")
    page.locator("#cart-member").get_by_role("button", name="Lepas").click()
    expect(page.locator("#cart-member")).to_have_count(0)
    page.keyboard.press("F7")
    page.keyboard.type("budi santoso")                   # at once: Enter before any list
    page.keyboard.press("Enter")
    expect(page.locator("#cart-member")).to_contain_text("AGT-0001")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("#member")).to_have_value("")


def test_deactivating_a_member_or_an_account_asks_first(live, page):
    """Nonaktifkan took effect at one click, for a member and for a staff account alike."""
    from pos.auth.models import User
    from tests.browser.test_receiving_browser import sign_in

    base, app = live
    sign_in(page, base, "manajer1", "9999")
    with get_db(app).reading() as s:
        member_id = s.scalar(select(Member.id).where(Member.number == "AGT-0001"))
        clerk_id = s.scalar(select(User.id).where(User.username == "gudang1"))
    member_active = select(Member.active).where(Member.id == member_id)
    clerk_active = select(User.active).where(User.id == clerk_id)
    for url, button, asked, active in (
            (f"/anggota/{member_id}", "Nonaktifkan", "Nonaktifkan anggota AGT-0001", member_active),
            (f"/staf/{clerk_id}", "Nonaktifkan akun", "Nonaktifkan akun", clerk_active)):
        page.goto(base + url)
        said: list[str] = []
        page.once("dialog", lambda dialog, said=said: (said.append(dialog.message), dialog.dismiss()))
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_timeout(300)
        assert said and said[0].startswith(asked)
        with get_db(app).reading() as s:   # Batal: nothing changed
            assert s.scalar(active) is True
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_load_state("networkidle")
    with get_db(app).reading() as s:
        assert s.scalar(select(Member.active).where(Member.id == member_id)) is False
        assert s.scalar(select(User.active).where(User.id == clerk_id)) is False
