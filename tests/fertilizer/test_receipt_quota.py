"""The farmer's receipt says what is left of each allocation after the sale, on 58 mm and 80 mm
paper, and a reprint later in the season says the same; a sale without fertiliser prints and
writes nothing more than before (its checkout's statements are counted)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, update

from pos.errors import PosError
from pos.fertilizer import quota
from pos.hardware.escpos_render import render_escpos
from pos.inventory.catalog.models import FertilizerType
from pos.sales import checkout, receipt
from pos.sales.models import Cart, PaymentMethod, PrintJob, PrintStatus, SaleLine, SaleQuota
from tests.factories import login, make_product, notes_covering, open_shift
from tests.fertilizer.conftest import DARMO, DAY, NOW, NPK_CODE, SUPARMI, TAX, UREA_CODE, pay, scan, set_buyer
from tests.query_plans import statements
from tests.sales.test_pricing_receipt import sale as plain_record

OUTLET = receipt.OutletInfo("Gerai Uji")
MIE = "8998866200301"


def wire(*lines: str) -> bytes:
    """Plain (not bold) receipt lines as the printer gets them."""
    return b"".join(b"\x1bE\x00" + line.encode("cp437") + b"\n" for line in lines)


def slip(db, sale_id: int, columns: int, copy: bool = False):
    with db.reading() as s:
        sale = checkout.get_sale(s, sale_id)
    return receipt.build(sale, OUTLET, "Kasir", columns, copy=copy)


def sell_suparmi(db, farm, sacks: int = 1):
    set_buyer(db, farm["till"], SUPARMI, "Suparmi")
    scan(db, farm["till"], UREA_CODE, times=sacks)
    return pay(db, farm).sale


def test_the_receipt_says_what_is_left_after_one_and_after_two_purchases(db, farm):
    """Suparmi has 200 kg of urea: 150 kg left after one sack, 100 kg after the next."""
    first = sell_suparmi(db, farm)
    wide = slip(db, first.id, 48)
    assert "Sisa kuota Urea MT I 2026: 150 kg" in wide.lines
    assert wide.lines.index("Sisa kuota Urea MT I 2026: 150 kg") \
        == wide.lines.index("Petani: Suparmi") + 1
    assert wire("Petani: Suparmi", "Sisa kuota Urea MT I 2026: 150 kg") in render_escpos(wide)
    narrow = slip(db, first.id, 32)  # 33 characters: one line in fewer words, not " 150 kg" alone
    at = narrow.lines.index("Sisa Urea MT I 2026: 150 kg")
    assert narrow.lines[at - 1] == "Petani: Suparmi" and not narrow.lines[at + 1].strip().endswith("kg")
    assert max(len(line) for line in narrow.lines) == 32
    assert wire("Petani: Suparmi", "Sisa Urea MT I 2026: 150 kg") in render_escpos(narrow)

    second = sell_suparmi(db, farm)
    assert "Sisa kuota Urea MT I 2026: 100 kg" in slip(db, second.id, 48).lines
    with db.reading() as s:
        kept = s.execute(select(SaleQuota.sale_id, SaleQuota.fertilizer, SaleQuota.season,
                                SaleQuota.remaining_grams).order_by(SaleQuota.sale_id)).all()
    assert kept == [(first.id, FertilizerType.UREA, "MT I 2026", 150_000),
                    (second.id, FertilizerType.UREA, "MT I 2026", 100_000)]


def test_a_reprint_after_a_later_purchase_and_a_return_shows_the_figure_of_its_sale(
        db, farm, client, printer):
    first = sell_suparmi(db, farm)
    second = sell_suparmi(db, farm, sacks=2)  # 50 kg left now
    with db.transaction() as s:  # one sack of the second sale back: 100 kg left today
        line = s.scalar(select(SaleLine.id).where(SaleLine.sale_id == second.id))
        quota.give_back(s, line, 50_000)
    with db.transaction() as s:   # both receipts came out at their sales (a copy is for later)
        s.execute(update(PrintJob).values(status=PrintStatus.PRINTED))
    login(client, farm["user"], farm["till"])
    assert client.post(f"/kasir/struk/{first.id}/cetak", headers={"HX-Request": "true"}) \
        .status_code == 200
    copy = printer.receipts[-1]
    assert "*** SALINAN ***" in copy.text
    assert "Sisa Urea MT I 2026: 150 kg" in copy.lines
    assert wire("Petani: Suparmi", "Sisa Urea MT I 2026: 150 kg") in printer.raw[-1]
    page = client.get(f"/kasir/struk/{first.id}").get_data(as_text=True)
    assert "Petani: Suparmi" in page and "Sisa Urea MT I 2026: 150 kg" in page
    assert "100 kg" not in page
    assert "Sisa kuota Urea MT I 2026: 50 kg" in slip(db, second.id, 48, copy=True).lines


def test_two_fertiliser_types_on_one_sale_each_say_what_is_left(db, farm):
    """Darmo takes his last 50 kg of urea and 100 of his 200 kg of NPK."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], NPK_CODE, times=2)
    scan(db, farm["till"], UREA_CODE)
    sale = pay(db, farm).sale
    lines = slip(db, sale.id, 48).lines
    at = lines.index("Sisa kuota Urea MT I 2026: 0 kg")
    assert lines[at:at + 2] == ["Sisa kuota Urea MT I 2026: 0 kg",
                                "Sisa kuota NPK MT I 2026: 100 kg"]
    narrow = slip(db, sale.id, 32).lines
    at = narrow.index("Sisa kuota Urea MT I 2026: 0 kg")  # 31 and 32 characters: one line each
    assert narrow[at:at + 2] == ["Sisa kuota Urea MT I 2026: 0 kg", "Sisa kuota NPK MT I 2026: 100 kg"]


def test_a_long_season_name_wraps_and_the_kilograms_stay_whole():
    sale = plain_record(quotas=[
        {"fertilizer": FertilizerType.NPK_KAKAO, "season": "MT II 2026 Kec. Loa Janan Ulu",
         "remaining_grams": 1_234_500},
        {"fertilizer": FertilizerType.UREA, "season": "MT II 2026 Kec. Loa Janan Ulu",
         "remaining_grams": 12_500}])
    lines = receipt.quota_lines(sale.quotas, 32)
    assert lines == ["Sisa kuota Urea MT II 2026 Kec.", "Loa Janan Ulu: 12,5 kg",
                     "Sisa kuota NPK Kakao MT II 2026", "Kec. Loa Janan Ulu: 1.234,5 kg"]
    assert all(len(line) <= 32 for line in lines)


def counted_checkout(db, farm) -> tuple[checkout.SaleRecord, list[str]]:
    """A cash checkout at the farm's till and the statements it ran."""
    with db.transaction() as s:
        open_shift(s, farm["till"], farm["user"], day=DAY)   # NOW's day
        cash = notes_covering(s, farm["till"], TAX)
    with db.transaction() as s, statements(db) as seen:
        made = checkout.checkout(
            s, till_id=farm["till"], cashier_id=farm["user"], idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, cash)], outlet_code="TST01",
            timezone="Asia/Makassar", tax=TAX, now=NOW)
    return made.sale, seen


def test_a_sale_without_fertiliser_prints_nothing_new_and_runs_no_extra_statement(
        db, farm, backend):
    with db.transaction() as s:
        make_product(s, name="Indomie Goreng", price=3_500, on_hand=10, barcodes_=[MIE])
    scan(db, farm["till"], MIE)
    counted_checkout(db, farm)  # the outlet's first receipt number makes its counter row
    scan(db, farm["till"], MIE)
    plain, ran = counted_checkout(db, farm)
    # cart, shift, lines; [PostgreSQL: the counter's lock]; number, sale, lines, payment,
    # stock level and movement, empty the cart, print job: as before the quota was kept
    assert len(ran) == {"sqlite": 11, "postgresql": 12}[backend], ran
    assert not [q for q in ran if "sale_quota" in q or "rdkk" in q]
    with db.reading() as s:
        with statements(db) as read:  # what the print thread reads for the receipt
            assert checkout.get_sale(s, plain.id).quotas == []
        selects = [q for q in read if q.startswith("SELECT")]  # sale, lines, payments, buyer, rx
        assert len(selects) == 5 and not [q for q in read if "sale_quota" in q], read
        assert s.scalar(select(func.count()).select_from(SaleQuota)) == 0
    for columns in (32, 48):
        text = slip(db, plain.id, columns).text
        assert "Sisa kuota" not in text and "Petani" not in text and "Pupuk" not in text

    set_buyer(db, farm["till"], SUPARMI, "Suparmi")  # a fertiliser sale: one INSERT more
    scan(db, farm["till"], UREA_CODE)
    _, fertilised = counted_checkout(db, farm)
    assert len([q for q in fertilised if q.startswith("INSERT INTO sale_quota")]) == 1


def test_a_parked_sale_over_what_is_left_now_comes_back_with_a_note(client, db, farm):
    """Darmo's last 50 kg parked, then sold to him at another till: resuming the parked sale
    was refused for good (the cart stayed empty and the sale parked). It now comes back, says
    why it cannot be paid, and the cashier takes the line off."""
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso")
    scan(db, farm["till"], UREA_CODE)
    login(client, farm["user"], farm["till"])
    hx = {"HX-Request": "true", "HX-Target": "cart"}
    assert client.post("/kasir/tahan", headers=hx, data={"note": "Pak Darmo"}).status_code == 200
    set_buyer(db, farm["tills"][1], DARMO, "Darmo Santoso")
    scan(db, farm["tills"][1], UREA_CODE)
    pay(db, farm, farm["tills"][1])                         # his quota is used up meanwhile
    listing = client.get("/kasir/tahan", headers=hx).get_data(as_text=True)
    parked_id = int(listing.split('id="hold-')[1].split('"')[0])
    answer = client.post(f"/kasir/tahan/{parked_id}/lanjut", headers=hx)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Transaksi yang ditahan dilanjutkan." in body
    assert "Sisa kuota Urea petani ini 0 kg; diminta 50 kg." in body
    assert "Tidak ada transaksi yang ditahan" in client.get("/kasir/tahan", headers=hx).get_data(as_text=True)
    with pytest.raises(PosError, match="Sisa kuota Urea petani ini 0 kg; diminta 50 kg."):
        pay(db, farm)                                        # paying it as it is stays refused


def _buyer_row(db, till_id):
    with db.reading() as s:
        return s.execute(select(Cart).where(Cart.till_id == till_id)).scalar_one()


def test_alt_b_with_fertiliser_in_the_cart_asks_for_the_farmer_and_a_new_farmer_never_keeps_a_proxy(
        client, db, farm):
    """Alt+B with a sack in the cart opened the NIK/member dialog (a Kartu Tani read as a NIK
    was refused, no proxy fields), and a farmer changed there kept the last one's proxy."""
    login(client, farm["user"], farm["till"])
    hx = {"HX-Request": "true", "HX-Target": "cart"}
    plain = client.get("/kasir/pembeli", headers=hx).get_data(as_text=True)
    assert "NIK / Nomor anggota" in plain and 'id="buyer-proxy"' not in plain   # nothing asks yet
    set_buyer(db, farm["till"], DARMO, "Darmo Santoso", proxy_name="Budi Santoso",
              proxy_nik="6402101505950003", proxy_relation="keluarga")
    scan(db, farm["till"], UREA_CODE)
    dialog = client.get("/kasir/pembeli", headers=hx).get_data(as_text=True)
    assert "NIK / Nomor Kartu Tani" in dialog and 'id="buyer-proxy"' in dialog
    assert 'id="buyer-category"' not in dialog and "16 angka NIK, atau nomor Kartu Tani" in dialog
    needs = dialog.split('name="needs" value="')[1].split('"')[0]
    form = {"buyer": SUPARMI, "needs": needs, "proxy_name": "Joko", "proxy_nik": SUPARMI,
            "proxy_relation": "keluarga"}
    refused = client.post("/kasir/pembeli", headers=hx, data=form).get_data(as_text=True)
    assert "NIK wakil sama dengan NIK petani" in refused
    form["proxy_nik"] = "123"
    assert "NIK wakil: NIK harus 16 angka (tertulis 3)." in \
        client.post("/kasir/pembeli", headers=hx, data=form).get_data(as_text=True)
    row = _buyer_row(db, farm["till"])
    assert (row.buyer_nik, row.proxy_name) == (DARMO, "Budi Santoso")   # refused: nothing changed
    answer = client.post("/kasir/pembeli", headers=hx, data={"buyer": SUPARMI, "needs": needs})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    row = _buyer_row(db, farm["till"])
    assert (row.buyer_nik, row.buyer_name, row.proxy_name, row.proxy_nik, row.proxy_relation) == \
        (SUPARMI, "Suparmi", None, None, None)
    set_buyer(db, farm["till"], SUPARMI, "Suparmi", proxy_name="Joko", proxy_nik="6402101505950003",
              proxy_relation="keluarga")
    answer = client.post("/kasir/pembeli", headers=hx, data={"buyer": DARMO, "needs": "nik"})
    assert answer.status_code == 200, answer.get_data(as_text=True)   # a NIK typed in the plain dialog
    assert _buyer_row(db, farm["till"]).proxy_name is None           # drops the last farmer's proxy
