"""Hostile text (markup, SQL, control characters, long and non-Latin text) typed as product and
member names and notes: stored as typed (control characters removed, ``pos.text.clean``),
escaped on every page that shows it, and never a printer command on receipts and labels.
Exports are in test_exports.py."""
from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from markupsafe import escape
from sqlalchemy import select, update

from pos.hardware.escpos_render import printable, render_escpos, render_labels
from pos.hardware.ports import Label
from pos.inventory.catalog.models import Product
from pos.members.models import Member
from pos.sales.models import Cart, CartLine, DrawerEvent
from pos.shifts.models import CashMovement
from pos.text import clean
from tests.factories import ean13, login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
NAMES = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "Gula'; DROP TABLE product; --",
    "Beras\x1bp\x00\x1dV\x00\x07 laci",      # ESC p (drawer), GS V (cut), NUL, BEL
    "بيبسي كولا",                             # Arabic
    "大米 5 公斤",                            # Chinese
    "ÀÊ crème brûlée",                        # Latin letters CP437 lacks: no ESC t
    "Kopi ☕️ 🔥 👍🏽",                          # emoji, a variation selector, a skin tone
    "x" * 120,                                # as long as a name may be
]
RAW_MARKUP = ("<script>alert", "<img src=x", "onerror=alert(1)>")


def shown(page: str, text: str) -> bool:
    """``text`` on the page as a browser shows it: escaped (markupsafe, as Jinja does)."""
    return str(escape(text)) in page


def assert_no_raw_markup(page: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in page, f"unescaped {raw!r} on the page"


def control_bytes(data: bytes) -> tuple[int, int]:
    return data.count(b"\x1b"), data.count(b"\x1d")


@pytest.fixture
def shop(db, client):
    with db.transaction() as s:
        till = make_till(s).id
        manager = make_user(s, "manajer1", "manager", "9999").id
        products = {name: make_product(s, name=name, price=2_000 + n, barcodes_=[ean13()]).id
                    for n, name in enumerate(NAMES)}
    login(client, manager, till)
    return {"till": till, "manager": manager, "products": products}


def barcode_of(db, product_id: int) -> str:
    with db.reading() as s:
        return s.get(Product, product_id).barcodes[0].code


def test_product_names_are_stored_as_typed_without_control_characters(db, shop):
    with db.reading() as s:
        stored = {p.id: p.name for p in s.scalars(select(Product))}
    assert [stored[shop["products"][name]] for name in NAMES] == [clean(name) for name in NAMES]
    assert stored[shop["products"][NAMES[3]]] == "BeraspV laci"


def test_the_till_escapes_names_and_the_receipt_gets_no_command_from_them(client, db, shop, printer):
    for name in NAMES:
        answer = client.post("/kasir/pindai", data={"code": barcode_of(db, shop["products"][name])},
                             headers=HX)
        assert answer.status_code == 200
        page = answer.get_data(as_text=True)
        assert shown(page, clean(name)) or shown(page, clean(name)[:60]), name
        assert_no_raw_markup(page)
    search = client.get("/kasir/cari?q=alert", headers=HX).get_data(as_text=True)
    assert shown(search, NAMES[0]) and shown(search, NAMES[1])
    assert_no_raw_markup(search)

    paid = client.post("/kasir/bayar", headers=HX, data={   # a note that covers it: change under Rp100.000
        "tendered": "100000", "idempotency_key": str(uuid.uuid4())})
    assert paid.status_code == 200, paid.get_data(as_text=True)[:500]
    assert_receipt_takes_no_command_from_text(printer)


def assert_receipt_takes_no_command_from_text(printer) -> None:
    receipt, raw = printer.receipts[-1], printer.raw[-1]
    plain = render_escpos(replace(receipt, lines=["x"] * len(receipt.lines)))
    assert control_bytes(raw) == control_bytes(plain)
    assert b"\x1bt" not in raw  # no code page switched by a name
    for line in receipt.lines:
        assert printable(line).encode("cp437") in raw  # every character of the text in CP437


def test_a_name_stored_dirty_before_cleaning_still_prints_no_command(client, db, shop, printer):
    """A row written before ``clean`` existed (or by hand in the database) keeps its bytes."""
    product = shop["products"][NAMES[0]]
    with db.transaction() as s:
        s.execute(update(Product.__table__).where(Product.__table__.c.id == product)
                  .values(name="Laci\x1bp\x00\x19\x1dV\x00 Ω张"))
    client.post("/kasir/pindai", data={"code": barcode_of(db, product)}, headers=HX)
    paid = client.post("/kasir/bayar", headers=HX, data={
        "tendered": "100000", "idempotency_key": str(uuid.uuid4())})
    assert paid.status_code == 200
    assert_receipt_takes_no_command_from_text(printer)
    assert printer.raw[-1].count(b"\x1bp") == 1  # the one drawer kick of a cash sale


def test_labels_escape_names_on_the_sheet_and_print_no_command(client, db, shop, printer):
    ids = list(shop["products"].values())
    sheet = client.post("/barang/label", data={"format": "a4", "product_id": ids,
                                               "copies": ["1"] * len(ids)})
    assert sheet.status_code == 200
    page = sheet.get_data(as_text=True)
    assert_no_raw_markup(page)
    assert "&lt;script&gt;alert(" in page
    thermal = client.post("/barang/label", data={"format": "thermal", "product_id": ids,
                                                 "copies": ["1"] * len(ids)})
    assert thermal.status_code == 303
    labels, raw = list(printer.labels), printer.label_raw[-1]
    assert len(labels) == len(NAMES)
    plain = render_labels([Label("x", "Rp1", label.code, "") for label in labels])
    assert control_bytes(raw) == control_bytes(plain)


def test_a_dirty_label_or_receipt_text_is_sanitised_by_the_renderer_itself():
    hostile = "A\x1bp\x00\x1dV\x00\x1b@\x9b张😀"
    raw = render_labels([Label(hostile, "Rp1" + hostile, "8998866200301", hostile)])
    plain = render_labels([Label("x", "Rp1", "8998866200301", "")])
    assert control_bytes(raw) == control_bytes(plain)
    assert printable(hostile) == "ApV@??"


def test_member_names_are_stored_as_typed_and_escaped_in_the_lists(client, db, shop):
    for n, name in enumerate(NAMES):
        answer = client.post("/anggota/baru", data={"number": f"AGT-9{n:03d}", "name": name,
                                                     "joined_on": "01-01-2026"})
        assert answer.status_code == 303, (name, answer.get_data(as_text=True)[:300])
    with db.reading() as s:
        stored = s.scalars(select(Member.name).order_by(Member.number)).all()
    assert stored == [clean(" ".join(name.split())) for name in NAMES]  # spaces collapsed
    listing = client.get("/anggota").get_data(as_text=True)
    found = client.get("/anggota/cari?q=img", headers=HX).get_data(as_text=True)
    for page in (listing, found):
        assert_no_raw_markup(page)
    assert shown(listing, NAMES[0]) and shown(found, NAMES[1])


def test_a_member_name_too_long_is_refused_clearly_and_nothing_is_stored(client, db, shop):
    answer = client.post("/anggota/baru", data={"number": "AGT-0500", "name": "ب" * 500,
                                                 "joined_on": "01-01-2026"})
    assert answer.status_code == 422
    assert "120" in answer.get_data(as_text=True)
    with db.reading() as s:
        assert s.scalar(select(Member.id)) is None


def test_a_note_is_escaped_in_the_report_that_shows_it(client, db, shop):
    note = NAMES[1] + " " + NAMES[4]
    moved = client.post("/shift/kas/masuk", data={"jumlah": "5000", "alasan": note}, headers=HX)
    assert moved.status_code == 200, moved.get_data(as_text=True)[:300]
    page = client.get("/laporan/kas-masuk-keluar").get_data(as_text=True)  # the business day
    assert shown(page, note)
    assert_no_raw_markup(page)


def test_text_longer_than_its_field_is_refused_never_cut(client, db, shop):
    """A tampered form's 201-character reason was stored as its first 200 with no message."""
    client.post("/kasir/pindai", data={"code": barcode_of(db, shop["products"][NAMES[2]])}, headers=HX)
    with db.reading() as s:
        line = s.scalar(select(CartLine.id))
    long = NAMES[0] + "x" * (201 - len(NAMES[0]))
    too_long = "Alasan terlalu panjang (paling banyak 200 huruf)"
    for url, data, words in [
            ("/shift/kas/masuk", {"jumlah": "5000", "alasan": long}, too_long),
            (f"/kasir/ubah/baris/{line}/diskon", {"discount": "100", "reason": long}, too_long),
            (f"/kasir/baris/{line}/hapus", {"reason_text": long}, too_long),
            ("/kasir/tahan", {"note": "y" * 101}, "Catatan terlalu panjang (paling banyak 100 huruf)"),
            ("/perangkat/laci", {"reason": long}, "Alasan membuka laci terlalu panjang")]:
        answer = client.post(url, data=data, headers=HX)
        assert answer.status_code == 422 and words in answer.get_data(as_text=True), url
    with db.reading() as s:
        assert s.scalar(select(CashMovement.id)) is None and s.scalar(select(DrawerEvent.id)) is None
        assert s.execute(select(CartLine.qty, CartLine.adjust_reason, CartLine.cart_id)).all() == [
            (1, None, s.scalar(select(Cart.id).where(Cart.till_id == shop["till"])))]
    assert client.post("/shift/kas/masuk", data={"jumlah": "5000", "alasan": long[:200]},
                       headers=HX).status_code == 200     # as long as the field holds: kept whole
    with db.reading() as s:
        assert s.scalar(select(CashMovement.reason)) == long[:200]


def test_products_sold_report_escapes_names(client, db, shop):
    for name in NAMES[:2]:
        client.post("/kasir/pindai", data={"code": barcode_of(db, shop["products"][name])}, headers=HX)
    client.post("/kasir/bayar", headers=HX, data={"tendered": "100000",
                                                  "idempotency_key": str(uuid.uuid4())})
    page = client.get("/laporan/penjualan-barang").get_data(as_text=True)
    assert shown(page, NAMES[0]) and shown(page, NAMES[1])
    assert_no_raw_markup(page)


@pytest.mark.parametrize("code", ["<script>alert(1)</script>", "'; DROP TABLE product; --",
                                  "3*<img src=x onerror=alert(1)>", "\x1b\x1dV\x00", "大米",
                                  "8" * 500])
def test_hostile_scanner_input_is_refused_escaped_and_changes_nothing(client, db, shop, code):
    answer = client.post("/kasir/pindai", data={"code": code}, headers=HX)
    assert 400 <= answer.status_code < 500
    page = answer.get_data(as_text=True)
    assert_no_raw_markup(page)
    assert 'class="msg msg-error"' in page or "msg-error" in page
    with db.reading() as s:
        assert s.scalar(select(CartLine.id)) is None   # nothing on the cart
        assert len(s.scalars(select(Product.id)).all()) == len(NAMES)  # and no table dropped
