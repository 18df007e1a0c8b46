"""Codes held twice before the catalog or the register refused them (an old import, a fix made
by hand): ``pos doctor``, ``/healthz`` and the home page list every one with what to do, and the
product page shows its own and lets the manager fix it."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from pos.db import get_db
from pos.inventory.catalog import spreadsheets, transfer
from pos.inventory.catalog.barcodes import with_check_digit
from pos.inventory.catalog.codes import collisions
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.members.models import Member
from tests.factories import ean13, loaded, login, make_product

CARD, OWN = with_check_digit("290000000017"), with_check_digit("200000000101")
HX = {"HX-Request": "true"}


def plant(app) -> dict:
    """Every kind of collision, written past the catalog's and the register's checks: Gula's
    barcode is Kopi's SKU and (another) Siti's card; Teh's SKU is Budi's card; Susu's barcode and
    Roti's SKU are member numbers."""
    with get_db(app).transaction() as s:
        kopi_sku = ean13()
        gula = make_product(s, sku="GULA-1", name="Gula 1 kg", barcodes_=[], on_hand=0)
        kopi = make_product(s, sku=kopi_sku, name="Kopi Bubuk", barcodes_=[], on_hand=0)
        teh = make_product(s, sku="TEH-1", name="Teh Celup", barcodes_=[], on_hand=0)
        susu = make_product(s, sku="SUSU-1", name="Susu Kental", barcodes_=[], on_hand=0)
        make_product(s, sku="AGT-0004", name="Roti Tawar", barcodes_=[], on_hand=0)
        s.add_all([ProductBarcode(code=kopi_sku, product_id=gula.id),
                   ProductBarcode(code=CARD, product_id=gula.id),
                   ProductBarcode(code="AGT-0003", product_id=susu.id),
                   Member(number="AGT-0001", name="Siti", card_barcode=CARD),
                   Member(number="AGT-0002", name="Budi", card_barcode="TEH-1"),
                   Member(number="AGT-0003", name="Ani"), Member(number="AGT-0004", name="Dewi")])
        return {"gula": gula.id, "kopi": kopi.id, "kopi_sku": kopi_sku, "teh": teh.id}


def doctor(app, *args):
    return app.test_cli_runner().invoke(args=["doctor", *args])


def test_doctor_lists_every_collision_with_its_fix(healthy):
    app, _ = healthy()
    ids = plant(app)
    result = doctor(app)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    start = lines.index("PERINGATAN  Kode barang dan kartu anggota: 5 kode ganda")
    block = "\n".join(lines[start:start + 13])
    assert lines[start + 1] == ("            Masalah: 5 kode dipakai dua kali, sehingga kasir bisa mendapat "
                                "barang atau anggota yang salah, atau harus bertanya anggota mana yang "
                                "dimaksud:")
    kopi = ids["kopi_sku"]
    for expected in (
            f"  - {kopi} adalah barcode barang Gula 1 kg (SKU GULA-1) dan SKU barang Kopi Bubuk; kasir "
            f"yang memindai atau mengetik {kopi} mendapat Gula 1 kg, bukan Kopi Bubuk.",
            f"  - {CARD} adalah barcode barang Gula 1 kg (SKU GULA-1) dan kartu anggota AGT-0001 (Siti); "
            "kartu anggota itu terbaca sebagai Gula 1 kg di kasir.",
            "  - TEH-1 adalah SKU barang Teh Celup (SKU TEH-1) dan kartu anggota AGT-0002 (Budi)",
            "  - AGT-0003 adalah barcode barang Susu Kental (SKU SUSU-1) dan nomor anggota AGT-0003 (Ani)",
            "  - AGT-0004 adalah SKU barang Roti Tawar (SKU AGT-0004) dan nomor anggota AGT-0004 (Dewi)",
            "            Perbaikan: Perbaiki setiap kode:",
            f"  - {CARD}: Beri anggota AGT-0001 (Siti) kartu baru: di halaman Anggota kosongkan Kartu, "
            f"simpan, lalu Beri kartu dan cetak kartunya, atau hapus barcode {CARD} dari Gula 1 kg "
            "(Katalog barang › Gula 1 kg › Barcode › Hapus) bila barcode itu salah ketik.",
            "  - AGT-0004: Ubah Nomor anggota AGT-0004 di halaman Anggota.",
            f"  - {kopi}: Bila {kopi} bukan barcode di kemasan Gula 1 kg, hapus barcode {kopi} dari Gula "
            "1 kg (Katalog barang › Gula 1 kg › Barcode › Hapus). Bila memang barcodenya, nonaktifkan "
            "Kopi Bubuk dan buat ulang dengan SKU lain (SKU tidak dapat diubah)."):
        assert expected in block, expected
    assert result.output.rstrip().endswith("1 peringatan, 0 galat.")
    body = json.loads(doctor(app, "--json").output)["codes"]
    assert body["level"] == "warn" and body["collisions"] == 5 and "AGT-0004" in body["fix"]
    assert {c["code"] for c in body["held_twice"]} == {kopi, CARD, "TEH-1", "AGT-0003", "AGT-0004"}


def test_strangers_see_how_many_not_which(healthy):
    app, ids = healthy()
    plant(app)
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "warn" and body["codes"] == {"level": "warn", "collisions": 5}
    client = app.test_client()
    login(client, ids["manager"], ids["till"], shift=False)
    home = client.get("/").get_data(as_text=True)
    assert 'id="health-codes"' in home and "dari Gula 1 kg" in home and "Siti" in home


@pytest.fixture
def planted(healthy):
    app, ids = healthy()
    client = app.test_client()
    login(client, ids["manager"], ids["till"], shift=False)
    return app, client, plant(app)


def test_the_product_page_shows_its_collisions_and_an_unrelated_save_goes_through(planted):
    app, client, ids = planted
    page = client.get(f"/katalog/{ids['gula']}").get_data(as_text=True)
    panel = page[page.index('id="code-collisions"'):page.index('class="catalog-grid"')]
    assert "Kode ganda" in panel and "kartu anggota AGT-0001 (Siti)" in panel and "Kopi Bubuk" in panel
    # the product whose SKU another product's barcode shadows sees it too, and where to fix it
    assert "dari Gula 1 kg" in client.get(f"/katalog/{ids['kopi']}").get_data(as_text=True)
    assert "nomor anggota AGT-0003 (Ani)" in client.get(f"/katalog/{ids['teh'] + 1}").get_data(as_text=True)
    with get_db(app).transaction() as s:
        clean = make_product(s, on_hand=0).id
    tag = client.get(f"/katalog/{clean}").get_data(as_text=True).split('id="code-collisions"')[1]
    assert " hidden>" in tag.split("</section>")[0] and "msg-warn" not in tag.split("</section>")[0]
    # the old collision does not block saving what has nothing to do with it
    response = client.post(f"/katalog/{ids['gula']}",
                           data=loaded(client, ids['gula']) | {"price": "12.500", "shelf": "A1"})
    assert response.status_code == 303
    # nor an import that lists the codes the product already has
    rows = spreadsheets.read_csv(f"sku,barcodes,shelf\nGULA-1,{ids['kopi_sku']}|{CARD},A2".encode())
    with get_db(app).transaction() as s:
        assert transfer.import_rows(s, rows, None)["updated"] == 1
        gula = s.get(Product, ids["gula"])
        assert (gula.price, gula.shelf) == (12_500, "A2")


def test_removing_the_barcode_fixes_it_and_adding_it_back_is_refused(planted):
    app, client, ids = planted
    response = client.post(f"/katalog/{ids['gula']}/barcode/hapus", data={"code": CARD}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="code-collisions" ' in html and 'hx-swap-oob="true"' in html
    assert "Siti" not in html and "Kopi Bubuk" in html   # one left on this product
    response = client.post(f"/katalog/{ids['gula']}/barcode/hapus", data={"code": ids["kopi_sku"]},
                           headers=HX)
    assert "Kopi Bubuk" not in response.get_data(as_text=True)
    refused = client.post(f"/katalog/{ids['gula']}/barcode", data={"code": CARD}, headers=HX)
    assert refused.status_code == 422 and "kartu anggota AGT-0001" in refused.get_data(as_text=True)
    with get_db(app).reading() as s:
        left = s.scalars(select(ProductBarcode.code).where(ProductBarcode.product_id == ids["gula"]))
        assert left.all() == []
    result = doctor(app)
    assert "3 kode ganda" in result.output and CARD not in result.output


def test_a_code_that_is_a_member_number_in_other_letters_is_listed(db):
    """The till reads a typed number in capitals, so SKU ``agt-0005`` typed there is the product,
    never member AGT-0005: held twice as much as ``AGT-0005`` would be."""
    with db.transaction() as s:
        roti = make_product(s, sku="agt-0005", name="Roti Manis", barcodes_=[], on_hand=0)
        s.add(Member(number="AGT-0005", name="Rina"))
    with db.reading() as s:
        found = collisions(s, roti.id)
    assert [(c.code, c.product_id) for c in found] == [("agt-0005", roti.id)]
    assert "nomor anggota AGT-0005 (Rina)" in found[0].problem


def test_a_members_card_that_is_another_members_number_is_listed(healthy):
    """The till reads a typed number in capitals, so Budi's card ``agt-0001`` finds Siti too and
    the till asks which: ``pos doctor``, ``/healthz`` and the home page list the pair."""
    app, ids = healthy()
    with get_db(app).transaction() as s:
        s.add_all([Member(number="AGT-0001", name="Siti", card_barcode=CARD),
                   Member(number="AGT-0002", name="Budi", card_barcode="agt-0001")])
    result = doctor(app)
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "Kode barang dan kartu anggota: 1 kode ganda" in text
    assert ("- agt-0001 adalah kartu anggota AGT-0002 (Budi) dan nomor anggota AGT-0001 (Siti); di "
            "kasir kode itu cocok dengan kedua anggota, sehingga kasir diminta memilih.") in text
    assert ("- agt-0001: Beri anggota AGT-0002 (Budi) kartu baru: di halaman Anggota kosongkan "
            "Kartu, simpan, lalu Beri kartu dan cetak kartunya; atau, bila nomornya yang salah, "
            "ubah Nomor anggota AGT-0001 di halaman Anggota.") in text
    body = json.loads(doctor(app, "--json").output)["codes"]
    assert body["collisions"] == 1 and [c["code"] for c in body["held_twice"]] == ["agt-0001"]
    assert app.test_client().get("/healthz").get_json()["codes"] == {"level": "warn", "collisions": 1}
    client = app.test_client()
    login(client, ids["manager"], ids["till"], shift=False)
    home = client.get("/").get_data(as_text=True)
    assert 'id="health-codes"' in home and "Beri anggota AGT-0002 (Budi) kartu baru" in home


def test_two_members_cards_alike_but_for_their_letters_are_listed(healthy):
    """Siti's card kop-77 and Budi's KOP-77 each find their own member at the till, but no one
    reading the card list can tell them apart: the later card is listed, to be replaced."""
    app, ids = healthy()
    with get_db(app).transaction() as s:
        s.add(Member(number="AGT-0001", name="Siti", card_barcode="kop-77"))
        s.flush()
        s.add(Member(number="AGT-0002", name="Budi", card_barcode="KOP-77"))
    result = doctor(app)
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "Kode barang dan kartu anggota: 1 kode ganda" in text
    assert ("- KOP-77 adalah kartu anggota AGT-0002 (Budi) dan, dalam huruf lain, kartu anggota "
            "AGT-0001 (Siti) (kop-77); di daftar kartu keduanya tampak sama, dan kartu yang diketik "
            "di kasir dengan huruf yang lain mendapat anggota yang lain.") in text
    assert ("- KOP-77: Beri anggota AGT-0002 (Budi) kartu baru: di halaman Anggota kosongkan "
            "Kartu, simpan, lalu Beri kartu dan cetak kartunya.") in text
    body = json.loads(doctor(app, "--json").output)["codes"]
    assert body["collisions"] == 1 and [c["code"] for c in body["held_twice"]] == ["KOP-77"]
    client = app.test_client()
    login(client, ids["manager"], ids["till"], shift=False)
    assert "Beri anggota AGT-0002 (Budi) kartu baru" in client.get("/").get_data(as_text=True)
