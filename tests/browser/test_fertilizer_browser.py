"""Subsidised urea in real Chromium: the till asks for the farmer, the farmer's wife collects his
whole allocation (recorded as his proxy), and the next sack is refused with the kg left shown.
The demo template has no history: no farmer has redeemed anything yet (``pos demo``'s history
sells Darmo 100 kg, ``pos.demo.fertilizer.REDEEMED``)."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pos.auth.models import User
from pos.db import get_db
from pos.demo.fertilizer import ALMOST_DONE_NIK
from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation, RdkkFarmer
from pos.inventory.catalog.models import FertilizerType, Product, ProductBarcode
from pos.members.models import Member
from pos.sales.models import Sale, SaleBuyer
from tests.browser.test_till_browser import log_in

pytestmark = pytest.mark.browser


def urea_code(app) -> str:
    with get_db(app).reading() as s:
        return s.scalar(select(ProductBarcode.code).join(Product)
                        .where(Product.subsidy == FertilizerType.UREA))


def urea_taken(app) -> int:
    with get_db(app).reading() as s:
        return s.scalar(select(RdkkAllocation.taken_grams).join(RdkkFarmer).where(
            RdkkFarmer.nik == ALMOST_DONE_NIK, RdkkAllocation.fertilizer == FertilizerType.UREA))


def scan(page, code: str) -> None:
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def test_a_farmer_buys_urea_through_a_proxy_and_is_refused_beyond_the_quota(live, page):
    base, app = live
    code = urea_code(app)
    assert urea_taken(app) == 0  # the demo's Darmo Santoso: 150 kg, none taken without the history
    log_in(page, base)
    scan(page, f"3*{code}")      # his three sacks

    dialog = page.locator("#buyer-dialog")
    expect(dialog.get_by_label("NIK / Nomor Kartu Tani")).to_be_focused()
    expect(dialog).to_contain_text("pupuk bersubsidi")
    dialog.get_by_label("NIK / Nomor Kartu Tani").fill(ALMOST_DONE_NIK)
    dialog.get_by_label("Nama wakil").fill("Sri Wahyuni")
    dialog.get_by_label("NIK wakil").fill("6402104405900003")
    dialog.get_by_label("Hubungan dengan petani").select_option("keluarga")
    dialog.get_by_role("button", name="Simpan pembeli").click()

    expect(page.locator("#cart tr.line")).to_have_count(1)
    expect(page.locator("#buyer-notes")).to_contain_text("Urea untuk Darmo Santoso: sisa kuota 0 kg")
    expect(page.locator("#buyer-proxy")).to_contain_text("Sri Wahyuni")
    page.keyboard.press("F9")
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    page.keyboard.type("300000")   # 150 kg at Rp1.800
    page.get_by_role("button", name="Selesai").click()
    receipt = page.get_by_label("Struk")
    expect(receipt).to_contain_text("PPN tidak dipungut")
    expect(receipt).to_contain_text("Sri Wahyuni")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    assert urea_taken(app) == 150_000
    with get_db(app).reading() as s:
        redemption = s.scalars(select(FertilizerRedemption)).one()
        assert (redemption.nik, redemption.grams, redemption.proxy_name, redemption.proxy_relation) \
            == (ALMOST_DONE_NIK, 150_000, "Sri Wahyuni", "keluarga")
        buyer = s.scalars(select(SaleBuyer)).one()
        assert (buyer.nik, buyer.proxy_nik) == (ALMOST_DONE_NIK, "6402104405900003")

    # the next sack: beyond the allocation, refused with what is left
    page.get_by_label("Kode barang").focus()
    scan(page, code)
    dialog = page.locator("#buyer-dialog")
    expect(dialog.get_by_label("NIK / Nomor Kartu Tani")).to_be_focused()
    dialog.get_by_label("NIK / Nomor Kartu Tani").fill(ALMOST_DONE_NIK)
    dialog.get_by_role("button", name="Simpan pembeli").click()
    expect(page.locator("#messages")).to_contain_text("Sisa kuota Urea petani ini 0 kg; diminta 50 kg.")
    expect(page.locator("#cart tr.line")).to_have_count(0)
    assert urea_taken(app) == 150_000


def test_the_pupuk_screens_run_under_the_policy_and_search_farmers_live(live, page):
    base, _app = live
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manajer1")
    page.get_by_label("PIN").fill("9999")
    page.get_by_label("Kasir (mesin)").select_option(index=1)   # the first till
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("load")
    page.goto(f"{base}/pupuk")
    expect(page.locator("main")).to_contain_text("Berlaku hari ini: MT I")
    expect(page.locator("#farmers tbody tr")).to_have_count(15)
    page.set_viewport_size({"width": 800, "height": 1280})     # the quotas in view on a tablet
    quota = page.locator("#farmers thead th").last.bounding_box()
    assert quota["x"] + quota["width"] <= 800, quota
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_label("Cari NIK, Kartu Tani, nama, kelompok tani atau desa").fill("Darmo")
    expect(page.locator("#farmers tbody tr")).to_have_count(1)
    expect(page.locator("#farmers")).to_contain_text("6402********0001")
    # as the report: the sacks beside the kg (the demo's urea comes in karung 50 kg)
    expect(page.locator("#farmers")).to_contain_text("150 kg (3 karung) / 0 kg / 150 kg (3 karung)")
    page.goto(f"{base}/pupuk/penebusan")
    expect(page.locator("#redemption-rows")).to_contain_text("Tidak ada penebusan")
    assert not problems, problems


def test_a_refused_nik_is_typed_over_whatever_digit_the_right_one_starts_with(live, page):
    """A refused NIK comes back selected; the right one typed over it began with 3 (Java), and
    the 3 picked the LPG category instead: the NIK could not be corrected."""
    base, app = live
    log_in(page, base)
    scan(page, urea_code(app))
    field = page.locator("#buyer-dialog").get_by_label("NIK / Nomor Kartu Tani")
    expect(field).to_be_focused()
    page.keyboard.type("6402101505709999", delay=60)
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-dialog")).to_contain_text("6402********9999")
    expect(field).to_be_focused()
    page.keyboard.type("3201234567890001", delay=60)
    expect(field).to_have_value("3201234567890001")
    page.keyboard.press("Enter")
    expect(page.locator("#buyer-dialog")).to_contain_text("3201********0001")
    expect(page.locator("#cart tr.line")).to_have_count(0)


def urea_left(app) -> int:
    with get_db(app).reading() as s:
        return s.scalar(select(RdkkAllocation.allocated_grams - RdkkAllocation.taken_grams)
                        .join(RdkkFarmer).where(RdkkFarmer.nik == ALMOST_DONE_NIK,
                                                RdkkAllocation.fertilizer == FertilizerType.UREA))


def sold_at_kasir_2(app, code: str, nik: str = ALMOST_DONE_NIK, asked: str = "farmer") -> None:
    """The manager sells ``nik`` (Darmo) one of ``code`` at KASIR-2 (its own shift), through the
    services, the buyer dialog's ``asked`` (the farmer, a NIK) as the till would."""
    from pos.clock import business_date, utcnow
    from pos.inventory.catalog.lookup import lookup_barcode
    from pos.sales import buyers, cart, checkout, pricing
    from pos.sales.models import PaymentMethod
    from pos.settings.service import pkp
    from pos.tills.models import Till
    from tests.factories import notes_covering, open_shift

    cfg = app.config
    with get_db(app).transaction() as s:
        till = s.scalar(select(Till.id).where(Till.code == "KASIR-2"))
        manager = s.scalar(select(User.id).where(User.username == "manajer1"))
        tax = pricing.TaxSettings.from_config(cfg, pkp=pkp(s, cfg))
        open_shift(s, till, manager)
        buyers.set_buyer(s, till, nik, day=business_date(utcnow(), cfg["TIMEZONE"]),
                         needs=frozenset({asked}), cashier_id=manager)
        cart.add(s, till, lookup_barcode(s, code), cashier_id=manager)
        checkout.checkout(s, till_id=till, cashier_id=manager, idempotency_key=str(uuid.uuid4()),
                          tenders=[checkout.Tender(PaymentMethod.CASH, notes_covering(s, till, tax))],
                          outlet_code=cfg["OUTLET_CODE"], timezone=cfg["TIMEZONE"], tax=tax)


def darmos_last_sacks_on_the_cart(live, page) -> tuple[str, str]:
    """kasir1 has every sack Darmo has left on the cart, the buyer row saying 0 kg after it;
    then KASIR-2 sells him one.  The refusal that the cart now earns."""
    base, app = live
    code, left = urea_code(app), urea_left(app)
    log_in(page, base)
    scan(page, f"{left // 50_000}*{code}")
    dialog = page.locator("#buyer-dialog")
    dialog.get_by_label("NIK / Nomor Kartu Tani").fill(ALMOST_DONE_NIK)
    dialog.get_by_role("button", name="Simpan pembeli").click()
    expect(page.locator("#buyer-notes")).to_contain_text("Urea untuk Darmo Santoso: sisa kuota 0 kg")
    return code, f"Sisa kuota Urea petani ini {(left - 50_000) // 1000} kg; diminta {left // 1000} kg."


def test_f9_refuses_to_open_the_pay_panel_on_a_quota_another_till_took(live, page):
    """The panel opened on a cart already over the quota; the refusal came at Selesai, after
    the cash was counted, and the buyer row still read 'sisa kuota 0 kg setelah transaksi ini'."""
    code, refused = darmos_last_sacks_on_the_cart(live, page)
    sold_at_kasir_2(live[1], code)
    page.keyboard.press("F9")
    expect(page.locator("#messages")).to_contain_text(refused)
    expect(page.locator("#buyer-notes")).to_have_text(refused)
    expect(page.locator("#pay-panel")).to_be_hidden()
    expect(page.get_by_label("Kode barang")).to_be_focused()


def test_selesai_refused_redraws_the_buyer_row_and_shuts_the_panel(live, page):
    code, refused = darmos_last_sacks_on_the_cart(live, page)
    page.keyboard.press("F9")
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    sold_at_kasir_2(live[1], code)                  # while the cashier counts the cash
    page.keyboard.type("500000")
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#messages")).to_contain_text(refused)
    expect(page.locator("#buyer-notes")).to_have_text(refused)
    expect(page.locator("#pay-panel")).to_be_hidden()
    expect(page.locator("#cart tr.line")).to_have_count(1)


def test_a_member_not_on_the_list_is_asked_for_the_farmer_and_stays_on_the_sale(live, page):
    """F7 Budi Santoso (his NIK is on no e-RDKK list), a pack of sugar, a sack of urea: the sack
    was dropped with "NIK 6411********0001 tidak terdaftar" unless the cashier knew to press
    Alt+B first.  Now the farmer dialog opens, and Suparmi buys the urea on Budi's sale."""
    base, app = live
    with get_db(app).reading() as s:
        sugar = s.scalar(select(ProductBarcode.code).join(Product)
                         .where(Product.name.like("Gula%"), Product.subsidy.is_(None)).limit(1))
        budi = s.scalar(select(Member.id).where(Member.number == "AGT-0001"))
    log_in(page, base)
    page.keyboard.press("F7")
    page.keyboard.type("budi santoso")
    page.keyboard.press("Enter")
    expect(page.locator("#cart-member")).to_contain_text("AGT-0001")
    scan(page, sugar)
    expect(page.locator("#cart tr.line")).to_have_count(1)
    scan(page, urea_code(app))
    dialog = page.locator("#buyer-dialog")
    expect(dialog).to_contain_text("Anggota Budi Santoso tidak terdaftar di e-RDKK: masukkan NIK / "
                                   "Kartu Tani petani")
    expect(dialog.get_by_label("NIK / Nomor Kartu Tani")).to_be_focused()
    dialog.get_by_label("NIK / Nomor Kartu Tani").fill("6402102003750002")   # Suparmi
    dialog.get_by_role("button", name="Simpan pembeli").click()
    expect(page.locator("#cart tr.line")).to_have_count(2)
    expect(page.locator("#buyer-notes")).to_contain_text("Urea untuk Suparmi: sisa kuota 150 kg")
    expect(page.locator("#cart-member")).to_contain_text("AGT-0001")
    page.keyboard.press("F9")
    expect(page.get_by_label("Uang diterima")).to_be_focused()
    page.keyboard.type("100000")   # 50 kg at Rp1.800 and the sugar, within Rp100.000
    page.get_by_role("button", name="Selesai").click()
    expect(page.get_by_label("Struk")).to_contain_text("Suparmi")
    with get_db(app).reading() as s:
        buyer = s.scalars(select(SaleBuyer)).one()
        assert (buyer.nik, buyer.member_id) == ("6402102003750002", budi)
        assert s.scalar(select(Sale.member_id).where(Sale.id == buyer.sale_id)) == budi
        assert s.scalars(select(FertilizerRedemption.nik)).one() == "6402102003750002"


def test_f3_on_a_sack_asks_about_kilograms_and_takes_sacks_typed(live, page):
    """F3 on a sack of urea took "2" as 2 kg without a word and refused "2 karung": now the
    weight prompt asks (Esc keeps the sack), and "2 karung" typed there makes two sacks."""
    from pos.sales.models import CartLine

    base, app = live
    log_in(page, base)
    scan(page, urea_code(app))
    dialog = page.locator("#buyer-dialog")
    dialog.get_by_label("NIK / Nomor Kartu Tani").fill("6402102003750002")   # Suparmi: 200 kg of urea
    dialog.get_by_role("button", name="Simpan pembeli").click()
    box = page.locator("#cart tr.line .qty")
    expect(box).to_have_value("50")

    def f3(typed: str) -> None:
        page.keyboard.press("F3")
        expect(box).to_be_focused()
        page.keyboard.type(typed, delay=80)   # a person typing, not a scanner
        page.keyboard.press("Enter")

    f3("2")
    expect(page.locator("#weigh-check")).to_contain_text(
        "2 kg? 1 karung = 50 kg. Jika maksudnya 2 karung, tulis 2 karung.")
    expect(page.locator("#weigh-weight")).to_be_focused()
    expect(box).to_have_value("50")                          # the sack stays meanwhile
    page.keyboard.press("Escape")
    expect(page.locator("#weigh-form")).to_have_count(0)
    expect(page.get_by_label("Kode barang")).to_be_focused()
    f3("2")
    expect(page.locator("#weigh-weight")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("2 karung", delay=80)
    page.keyboard.press("Enter")
    expect(page.locator("#weigh-form")).to_have_count(0)
    expect(box).to_have_value("100")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    f3("3 sak")                                              # straight in the line's box too
    expect(box).to_have_value("150")
    with get_db(app).reading() as s:
        assert s.scalars(select(CartLine.qty)).all() == [150_000]
