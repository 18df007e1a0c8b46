"""Stock counts and adjustments in real headless Chromium: no stale "saved" message after a
refusal, the scan field gets the focus back, the adjustment type by keyboard with the stock
shown, and the manager asked before approving."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from pos.auth.models import User
from pos.db import get_db
from pos.inventory import stock
from pos.inventory.catalog.models import Product, ProductBarcode, StockPolicy
from pos.inventory.counts import counting
from pos.inventory.counts.models import ApprovalStatus, CountLine, StockAdjustment
from pos.inventory.models import Batch
from pos.units import BaseUnit
from tests.browser.test_receiving_browser import sign_in, watch_errors

pytestmark = pytest.mark.browser


def piece_goods(app, skip: int = 0) -> tuple[int, str, str, int]:
    """(id, EAN-13, name, on hand) of a demo piece good that may go below zero, with stock
    (``skip``: the first ones passed over)."""
    with get_db(app).reading() as s:
        product_id, code, name = s.execute(
            select(Product.id, ProductBarcode.code, Product.name)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(ProductBarcode.code.like("899%"), ProductBarcode.qty == 1, ~Product.batch_tracked,
                   Product.base_unit == BaseUnit.PCS, Product.stock_policy == StockPolicy.ALLOW)
            .order_by(Product.id).offset(skip).limit(1)).one()
        return product_id, code, name, stock.on_hand(s, product_id)


def scan(page, code: str) -> None:
    """Type ``code`` and Enter as a scanner does, once a field has the focus (right after a
    page loads, a first key typed before its autofocus was lost once: a 12-digit code)."""
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'INPUT'")
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def test_a_refusal_replaces_the_saved_message_and_the_scan_field_gets_the_focus(live, page):
    base, app = live
    _, code, name, held = piece_goods(app)
    with get_db(app).transaction() as s:
        clerk = s.scalar(select(User.id).where(User.username == "gudang1"))
        count_id = counting.open_count(s, "all", clerk)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/opname/{count_id}")
    scan_field = page.get_by_label("Kode barang")
    expect(scan_field).to_be_focused()
    scan(page, code)
    quantity = page.get_by_label("Jumlah dihitung")
    expect(quantity).to_be_focused()
    page.keyboard.type(str(held - 1))
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Hasil hitung tersimpan.")
    expect(page.locator("#variances")).to_contain_text(name)
    expect(scan_field).to_be_focused()                  # ready for the next item

    scan(page, code)                                    # recount it, wrongly
    expect(quantity).to_be_focused()
    page.keyboard.type("-1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Jumlah dihitung harus")
    expect(page.locator("#messages")).not_to_contain_text("tersimpan")
    page.keyboard.press("Escape")
    expect(scan_field).to_be_focused()
    assert errors == []


def test_adjustment_type_by_keyboard_stock_shown_and_approval_asks_first(live, page):
    base, app = live
    product_id, code, name, held = piece_goods(app)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/penyesuaian")
    expect(page.get_by_label("Kode barang")).to_be_focused()   # the scanner types into it
    scan(page, code)
    form = page.locator("#adjust-form")
    expect(form.locator("#adjust-on-hand")).to_contain_text(f"Stok sekarang {held} pcs")
    expect(form.get_by_label("Penyesuaian")).to_be_focused()
    page.keyboard.press("ArrowDown")                    # Pemusnahan
    expect(form.get_by_label("Pemusnahan")).to_be_checked()
    page.keyboard.press("Tab")
    expect(form.get_by_role("textbox", name="Jumlah")).to_be_focused()
    page.keyboard.type(str(held + 5))                   # more than there is
    page.keyboard.press("Tab")
    page.keyboard.type("Kemasan sobek kena air")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("tidak bisa dikurangi")
    form.get_by_role("textbox", name="Jumlah").fill("2")
    form.get_by_label("Alasan").press("Enter")
    pending = page.locator("#pending tbody[data-adjustment]")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("Pemusnahan")
    expect(page.get_by_label("Kode barang")).to_be_focused()

    page.get_by_role("button", name="Keluar").click()
    sign_in(page, base, "manajer1", "9999")
    page.goto(f"{base}/penyesuaian")
    row = page.locator("#pending tbody[data-adjustment]")
    expect(row).to_contain_text(f"{held}")              # on hand, the change and what is left
    for width, height in ((1024, 768), (800, 1280)):    # the decision in view, not past the edge
        page.set_viewport_size({"width": width, "height": height})
        scroll = page.locator("#pending .table-scroll")      # and the request whole, no sideways
        assert scroll.evaluate("t => t.scrollWidth <= t.clientWidth"), width
        expect(row.locator(".asked")).to_contain_text("diajukan")
        for button in ("Setujui", "Tolak"):
            box = row.get_by_role("button", name=button).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, button, box)
    expect(row).to_contain_text(f"{held - 2}")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    row.get_by_role("button", name="Setujui").click()
    expect(row).to_have_count(1)                        # dismissed: nothing sent
    expect(row.get_by_role("button", name="Setujui")).to_be_enabled()   # and ready again
    assert re.match(rf"Setujui pemusnahan #\d+: {re.escape(name)} -2 \(-Rp[\d.]+\)\? "
                    rf"Stok {held} menjadi {held - 2}\.", asked[0])
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Setujui").click()
    expect(page.locator("#messages")).to_contain_text("disetujui")
    expect(page.locator("#pending tbody[data-adjustment]")).to_have_count(0)
    with get_db(app).reading() as s:
        assert stock.on_hand(s, product_id) == held - 2
        assert s.scalar(select(StockAdjustment.status)) is ApprovalStatus.APPROVED
    assert errors == []


def test_picking_a_category_opens_the_count_over_that_category(live, page):
    """The category list sits under its radio button: picking "Obat Bebas" while "Semua barang"
    was still ticked opened a count over every product."""
    base, app = live
    with get_db(app).transaction() as s:                           # the demo has no shelves
        s.execute(update(Product).where(Product.id == piece_goods(app)[0]).values(shelf="A-01"))
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/opname")
    page.get_by_label("Kategori", exact=True).select_option(label="Obat Bebas")
    expect(page.get_by_label("Satu kategori")).to_be_checked()
    page.get_by_role("button", name="Buka opname").click()
    page.wait_for_url(re.compile(r".*/opname/\d+$"))
    expect(page.locator("main")).to_contain_text("Obat Bebas")
    expect(page.locator("main")).not_to_contain_text("Semua barang")
    page.goto(f"{base}/opname")
    page.get_by_label("Rak", exact=True).select_option("A-01")
    expect(page.get_by_label("Satu rak")).to_be_checked()
    page.get_by_label("Semua barang").check()                      # a choice made after it stands
    expect(page.get_by_label("Satu rak")).not_to_be_checked()


def test_a_loose_good_is_counted_in_kg_with_a_decimal_comma(live, page):
    """The form asked "Jumlah dihitung (gram)" and refused "12,5"; it asks for kg now."""
    base, app = live
    from pos.inventory.counts.models import CountLine

    with get_db(app).transaction() as s:
        product_id, code = s.execute(
            select(Product.id, ProductBarcode.code)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(Product.name == "Beras Medium Curah")).first()
        clerk = s.scalar(select(User.id).where(User.username == "gudang1"))
        count_id = counting.open_count(s, "all", clerk)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/opname/{count_id}")
    expect(page.get_by_label("Kode barang")).to_be_focused()
    scan(page, code)
    quantity = page.get_by_label("Jumlah dihitung (kg)")
    expect(quantity).to_be_focused()
    page.keyboard.type("12,5")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Hasil hitung tersimpan.")
    row = page.locator("#variances tr", has_text="Beras Medium Curah")
    expect(row).to_contain_text("12,5 kg")
    with get_db(app).reading() as s:
        assert s.scalar(select(CountLine.counted).where(CountLine.session_id == count_id,
                                                        CountLine.product_id == product_id)) == 12_500
    assert errors == []


def test_whole_packs_and_loose_pieces_count_as_typed(live, page):
    """The pack count came focused with "0" in it: the "3" typed made "30" (1.205 pieces
    counted instead of 125). Both fields come empty now (Enter on them untouched is refused:
    ``test_enter_on_an_untouched_entry_keeps_the_count_before_it``)."""
    base, app = live
    from pos.inventory.catalog import packs
    from pos.inventory.counts.models import CountLine

    product_id, code, name, _ = piece_goods(app)
    with get_db(app).transaction() as s:
        packs.add_pack(s, product_id, "dus", 40)
        clerk = s.scalar(select(User.id).where(User.username == "gudang1"))
        count_id = counting.open_count(s, "all", clerk)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/opname/{count_id}")
    scan(page, code)
    whole = page.get_by_label("Kemasan utuh")
    expect(whole).to_be_focused()
    page.keyboard.type("3")
    expect(whole).to_have_value("3")
    page.keyboard.press("Tab")                     # to the pack's kind
    page.keyboard.press("Tab")                     # to the loose pieces
    loose = page.get_by_label("Ditambah lepasan (pcs)")
    expect(loose).to_be_focused()
    page.keyboard.type("5")
    expect(loose).to_have_value("5")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Hasil hitung tersimpan.")
    with get_db(app).reading() as s:
        assert s.scalar(select(CountLine.counted).where(CountLine.session_id == count_id,
                                                        CountLine.product_id == product_id)) == 125
    assert errors == [], name


def test_a_good_counted_per_batch_puts_the_cursor_on_its_batch_first(live, page):
    """Scanned, a batch-tracked good put the cursor in Jumlah dihitung with Batch left at
    "— pilih batch —", and Enter was refused ("pilih batchnya")."""
    base, app = live
    with get_db(app).reading() as s:
        code = s.scalar(
            select(ProductBarcode.code).join(Product, Product.id == ProductBarcode.product_id)
            .join(Batch, Batch.product_id == Product.id)
            .where(Product.batch_tracked, ProductBarcode.qty == 1, Batch.on_hand > 0)
            .group_by(ProductBarcode.code).having(func.count(Batch.id) > 1)
            .order_by(ProductBarcode.code).limit(1))
    assert code is not None
    with get_db(app).transaction() as s:
        clerk = s.scalar(select(User.id).where(User.username == "gudang1"))
        count_id = counting.open_count(s, "all", clerk)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/opname/{count_id}")
    scan(page, code)
    expect(page.get_by_label("Batch")).to_be_focused()
    expect(page.get_by_label("Jumlah dihitung")).not_to_be_focused()


def fertiliser(app, name: str) -> tuple[int, str]:
    """(id, barcode) of a demo fertiliser sold by the kg (grams kept), e.g. "Pupuk Urea"."""
    with get_db(app).reading() as s:
        return s.execute(select(Product.id, ProductBarcode.code)
                         .join(ProductBarcode, ProductBarcode.product_id == Product.id)
                         .where(Product.name.like(f"{name}%"), Product.base_unit == BaseUnit.GRAM)
                         .order_by(ProductBarcode.code).limit(1)).one()


def counted(app, count_id: int) -> dict[int, int]:
    """Product id -> counted, of the count's lines."""
    from pos.inventory.counts.models import CountLine

    with get_db(app).reading() as s:
        return dict(s.execute(select(CountLine.product_id, CountLine.counted)
                              .where(CountLine.session_id == count_id)).all())


def test_enter_on_an_untouched_entry_keeps_the_count_before_it(live, page):
    """Urea with a karung 50 kg counted as 84 karung and 12,5 kg; the same code scanned again
    and Enter at once (a scanner's second Enter) saved 0 kg over it: "Hasil hitung tersimpan.",
    selisih -4.250 kg. The entry's fields come empty, so it is refused, and the entry says what a
    new count would replace."""
    base, app = live
    from pos.inventory.catalog.models import Category

    urea, code = fertiliser(app, "Pupuk Urea Subsidi")
    with get_db(app).transaction() as s:
        # urea comes in the demo's karung 50 kg (pos.demo.fertilizer.seed_sacks)
        clerk = s.scalar(select(User.id).where(User.username == "gudang1"))
        category = s.scalar(select(Category.id).where(Category.name == "Pupuk Subsidi"))
        count_id = counting.open_count(s, "category", clerk, category)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/opname/{count_id}")
    scan(page, code)
    whole = page.get_by_label("Kemasan utuh")
    expect(whole).to_be_focused()
    page.keyboard.type("84")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("12,5")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Hasil hitung tersimpan.")
    row = page.locator("#variances tr", has_text="Pupuk Urea Subsidi")
    expect(row).to_contain_text("4.212,5 kg")

    scan(page, code)
    expect(whole).to_be_focused()
    page.keyboard.press("Enter")                        # at once, nothing typed
    expect(page.get_by_role("alert")).to_contain_text("Isi jumlah kemasan utuh atau jumlah lepasan")
    expect(page.locator("#messages")).not_to_contain_text("tersimpan")
    expect(row).to_contain_text("4.212,5 kg")
    assert counted(app, count_id) == {urea: 4_212_500}
    expect(page.locator("#count-before")).to_have_text(  # said before Enter, not after
        re.compile(r"Sudah dihitung 4\.212,5 kg\.\s+Hasil baru menggantikannya, tidak ditambahkan\."))
    expect(whole).to_be_focused()                       # the clerk types the count there
    assert errors == []


def test_a_code_scanned_into_a_count_field_is_the_next_product(live, page):
    """After a scan the cursor waits in Kemasan utuh (or the batch); the next product's code
    scanned there was read as a number ("Jumlah kemasan terlalu besar.") and the scan lost. It is
    a scan now: the next product comes up, and nothing of the entry it landed in is saved."""
    base, app = live

    urea, urea_code = fertiliser(app, "Pupuk Urea Subsidi")
    npk, npk_code = fertiliser(app, "Pupuk NPK Phonska Subsidi")
    with get_db(app).reading() as s:
        batched = s.scalar(
            select(ProductBarcode.code).join(Product, Product.id == ProductBarcode.product_id)
            .join(Batch, Batch.product_id == Product.id)
            .where(Product.batch_tracked, ProductBarcode.qty == 1, Batch.on_hand > 0)
            .group_by(ProductBarcode.code).having(func.count(Batch.id) > 1)
            .order_by(ProductBarcode.code).limit(1))
    with get_db(app).transaction() as s:
        # urea comes in the demo's karung 50 kg (pos.demo.fertilizer.seed_sacks)
        clerk = s.scalar(select(User.id).where(User.username == "gudang1"))
        count_id = counting.open_count(s, "all", clerk)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/opname/{count_id}")
    scan(page, urea_code)
    whole = page.get_by_label("Kemasan utuh")
    expect(whole).to_be_focused()
    page.keyboard.type("8", delay=120)                  # the clerk starts on the karung
    page.wait_for_timeout(400)
    scan(page, npk_code)                                # then scans the next sack instead
    entry = page.locator("#count-entry")
    expect(entry).to_contain_text("Pupuk NPK Phonska Subsidi")
    expect(whole).to_be_focused()                       # NPK comes in the demo's karung too
    expect(page.locator("#messages")).not_to_contain_text("terlalu besar")
    assert counted(app, count_id) == {}                 # Urea's "8" was not sent
    page.keyboard.type("2")                             # 2 karung 50 kg
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Hasil hitung tersimpan.")
    assert counted(app, count_id) == {npk: 100_000}

    scan(page, batched)                                 # a batch to pick: the cursor waits there
    batch = page.get_by_label("Batch")
    expect(batch).to_be_focused()
    page.keyboard.type(urea_code, delay=5)
    page.keyboard.press("Enter")
    expect(entry).to_contain_text("Pupuk Urea Subsidi")
    expect(whole).to_be_focused()
    expect(page.locator("#messages")).not_to_contain_text("pilih batch")
    assert counted(app, count_id) == {npk: 100_000}
    assert errors == []


def test_a_code_scanned_on_the_adjustment_choice_is_the_next_product(live, page):
    """After a scan the cursor waits on Penyesuaian/Pemusnahan: the next product's code scanned
    there sent the half-filled form (Jumlah empty) and the scan was lost. It is a scan now."""
    base, app = live
    _, first_code, first, _ = piece_goods(app)
    _, second_code, second, held = piece_goods(app, skip=1)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/penyesuaian")
    scan(page, first_code)
    form = page.locator("#adjust-form")
    expect(form).to_contain_text(first)
    expect(form.get_by_label("Penyesuaian")).to_be_focused()
    scan(page, second_code)                             # the next product, straight away
    expect(form).to_contain_text(second)
    expect(form.locator("#adjust-on-hand")).to_contain_text(f"Stok sekarang {held} pcs")
    expect(form.get_by_label("Penyesuaian")).to_be_focused()
    expect(page.locator("#messages")).not_to_contain_text("Jumlah")
    with get_db(app).reading() as s:
        assert s.scalar(select(func.count()).select_from(StockAdjustment)) == 0
    assert errors == []


def test_a_count_far_above_the_stock_is_asked_about_and_saved_once_ticked(live, page):
    """The question comes beside Simpan (an out-of-band part of the refusal): ticked, the same
    count is saved; nothing is saved before."""
    base, app = live
    product_id, code, name, held = piece_goods(app)
    many = max(10 * held, 10_000) + 1
    with get_db(app).transaction() as s:
        clerk = s.scalar(select(User.id).where(User.username == "gudang1"))
        count_id = counting.open_count(s, "all", clerk)
    errors = watch_errors(page)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/opname/{count_id}")
    scan(page, code)
    expect(page.get_by_label("Jumlah dihitung")).to_be_focused()
    page.keyboard.type(str(many))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("jauh di atas stok tercatat")
    sure = page.get_by_label(re.compile(r"memang benar"))
    expect(sure).to_be_visible()
    with get_db(app).reading() as s:
        assert s.scalar(select(func.count(CountLine.id)).where(CountLine.session_id == count_id)) == 0
    sure.check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#messages")).to_contain_text("Hasil hitung tersimpan.")
    expect(page.locator("#variances")).to_contain_text(name)
    with get_db(app).reading() as s:
        assert s.scalar(select(func.max(CountLine.counted)).where(CountLine.product_id == product_id)) == many
    assert errors == []
