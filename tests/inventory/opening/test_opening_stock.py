"""Stok awal: a new outlet's goods on hand brought in as opening stock, from a file. Before, they
came only through Penerimaan (Dr Persediaan / Cr Utang usaha to a supplier owed nothing) or a
stock count (a count difference to 690100): now OPENING movements, valued at their cost, no journal
line, the day's summary saying their value for the hub's Saldo awal of Persediaan."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pos import chart as charts
from pos.inventory import stock
from pos.inventory.catalog import products
from pos.inventory.catalog.models import Product
from pos.inventory.catalog.spreadsheets import ImportErrors, read_csv
from pos.inventory.models import Batch, MovementKind, StockMovement
from pos.inventory.opening import listing, rows, service
from pos.ledger.journal import day_journal
from pos.reports.day_full import full_summary
from tests.factories import make_product, outlet_today

HEADER = "sku,nama,satuan,jumlah,harga_pokok,batch,kedaluwarsa\n"


def run(db, text: str, today=None) -> dict:
    found = read_csv((HEADER + text).encode(), rows.COLUMNS, rows.KEY)
    with db.transaction() as s:
        return service.import_rows(s, found, today=today or outlet_today())


def problems(db, text: str) -> list[str]:
    with pytest.raises(ImportErrors) as refused:
        run(db, text)
    return refused.value.errors


@pytest.fixture
def goods(db):
    """A new outlet's catalogue, nothing moved yet: sugar (pcs), rice by the kg, a batch drug."""
    with db.transaction() as s:
        sugar = make_product(s, on_hand=0, sku="GULA-1", price=18_000, cost=0, barcodes_=["8991234567891"])
        rice = make_product(s, on_hand=0, sku="BRS-1", price=14_000, cost=0, base_unit="gram",
                            weighed=True, barcodes_=["2000008"])
        drug = make_product(s, on_hand=0, sku="OBT-1", price=5_000, cost=0, batch_tracked=True,
                            business_unit="apotek", barcodes_=["8990000000013"])
        return {"sugar": sugar.id, "rice": rice.id, "drug": drug.id}


def held(db, product_id):
    with db.reading() as s:
        product = s.get(Product, product_id)
        moves = s.execute(select(StockMovement.kind, StockMovement.qty, StockMovement.unit_cost)
                          .where(StockMovement.product_id == product_id).order_by(StockMovement.id)).all()
        return stock.on_hand(s, product_id), product.cost, moves


def test_opening_stock_is_stocked_at_its_cost_with_no_journal_line(db, goods):
    expiry = (outlet_today() + timedelta(days=400)).strftime("%d-%m-%Y")
    summary = run(db, "GULA-1,Gula,pcs,40,15.500,,\n"
                      "brs-1,Beras,kg,\"12,5\",\"Rp11.480\",,\n"            # SKU in small letters
                      f"8990000000013,Obat,pcs,30,2000,b99001,{expiry}\n"    # a barcode of one piece
                      f"OBT-1,Obat,pcs,10,2600,B99002,{expiry}\n")
    assert (summary["created"], summary["updated"]) == (3, 0)
    assert held(db, goods["sugar"]) == (40, 15_500, [(MovementKind.OPENING, 40, 15_500)])
    assert held(db, goods["rice"])[:2] == (12_500, 11_480)          # 12,5 kg; cost per kg
    on_hand, cost, _ = held(db, goods["drug"])
    assert (on_hand, cost) == (40, 2_150)                           # (30 x 2000 + 10 x 2600) / 40
    with db.reading() as s:
        assert sorted(s.scalars(select(Batch.batch_no).where(Batch.product_id == goods["drug"]))) \
            == ["B99001", "B99002"]
        assert not stock.discrepancies(s) and not stock.batch_discrepancies(s)
        value = 40 * 15_500 + 143_500 + 30 * 2_000 + 10 * 2_600   # rice: 12,5 kg x Rp11.480
        assert service.day_value(s, outlet_today())["value"] == value
        summary = full_summary(s, outlet_today(), zone="Asia/Makassar")
        assert (summary["opening_stock"]["products"], summary["opening_stock"]["value"]) == (3, value)
        accounts = {line.account for line in day_journal(s, outlet_today(), zone="Asia/Makassar",
                                                          chart=charts.chart())}
    # no Utang usaha, no Selisih persediaan, no Persediaan (1141x0): the hub's Saldo awal takes it
    assert not [a for a in accounts if a in ("211100", "690100") or a.startswith("114")], accounts


def test_every_problem_is_named_by_its_row_and_nothing_is_saved(db, goods):
    with db.transaction() as s:
        make_product(s, sku="LAKU-1")            # opening stock of before (make_product's, no day)
        received = make_product(s, on_hand=0, sku="TRM-1")
        stock.move(s, received, 5, MovementKind.RECEIPT, reason="uji")
    past = (outlet_today() - timedelta(days=1)).strftime("%d-%m-%Y")
    errors = problems(db, "GULA-1,Gula,pcs,10,15000,,\n"     # good, but the file is refused
                          "NGAWUR,?,pcs,1,100,,\n"
                          "BRS-1,Beras,kg,-3,11000,,\n"
                          "GULA-1,Gula,pcs,5,15000,,\n"
                          "8991234567891,Gula,pcs,99999999,15000,,\n"
                          "BRS-1,Beras,kg,2,sebelas ribu,,\n"
                          "OBT-1,Obat,pcs,3,2000,B1,\n"
                          f"OBT-1,Obat,pcs,3,2000,B2,{past}\n"
                          "OBT-1,Obat,pcs,3,2000,,31-12-2030\n"
                          "TRM-1,Terima,pcs,3,2000,,\n"
                          "LAKU-1,Laku,pcs,3,2000,,\n"
                          "GULA-1,Gula,pcs,,,,\n")            # left empty: skipped, no twin
    text = "\n".join(errors)
    assert "Baris 3: barang 'NGAWUR' tidak ditemukan" in text
    assert "Baris 4: jumlah harus 0 atau lebih" in text
    assert "Baris 5: GULA-1 juga ada di baris 2." in text
    assert "Baris 6: jumlah" in text and "terlalu besar" in text
    assert "Baris 7: harga_pokok tidak valid" in text
    assert "Baris 8: kedaluwarsa wajib diisi" in text
    assert f"Baris 9: kedaluwarsa {past} sudah lewat" in text
    assert "Baris 10: batch wajib diisi" in text
    assert "Baris 11: TRM-1 sudah punya mutasi stok" in text
    assert "Baris 12: LAKU-1 stok awalnya sudah diimpor sebelumnya" in text
    assert not any(e.startswith("Baris 2:") for e in errors)
    assert held(db, goods["sugar"]) == (0, 0, [])                  # all or none


def test_an_expiry_of_today_is_refused_in_receivings_words_past_or_today(db, goods):
    """A batch expiring today may not be sold from today on: "sudah lewat" alone read wrong."""
    today = outlet_today().strftime("%d-%m-%Y")
    text = "\n".join(problems(db, f"OBT-1,Obat,pcs,3,2000,B1,{today}\n"))
    assert f"Baris 2: kedaluwarsa {today} sudah lewat atau hari ini:" in text, text


def test_a_second_import_the_same_day_replaces_the_first(db, goods):
    run(db, "GULA-1,Gula,pcs,40,15000,,\nBRS-1,Beras,kg,10,11000,,\n")
    summary = run(db, "GULA-1,Gula,pcs,25,16000,,\nBRS-1,Beras,kg,0,,,\n")
    assert (summary["created"], summary["updated"]) == (0, 2)
    on_hand, cost, moves = held(db, goods["sugar"])
    assert (on_hand, cost) == (25, 16_000)
    assert moves == [(MovementKind.OPENING, 40, 15_000), (MovementKind.OPENING, -40, 15_000),
                     (MovementKind.OPENING, 25, 16_000)]            # reversed, never deleted
    assert held(db, goods["rice"])[0] == 0
    assert run(db, "GULA-1,Gula,pcs,25,16000,,\n")["unchanged"] == 1
    with db.reading() as s:
        assert service.day_value(s, outlet_today())["value"] == 25 * 16_000
        assert not stock.discrepancies(s)


def test_an_opening_of_another_day_or_a_pack_barcode_is_refused(db, goods):
    with db.transaction() as s:
        products.add_barcode(s, goods["sugar"], "8991234567808", 12, user_id=None, reason="uji")
    run(db, "GULA-1,Gula,pcs,40,15000,,\n", today=outlet_today() - timedelta(days=1))
    errors = problems(db, "GULA-1,Gula,pcs,30,15000,,\n8991234567808,Gula,pcs,1,15000,,\n")
    yesterday = (outlet_today() - timedelta(days=1)).strftime("%d-%m-%Y")
    assert errors[0] == f"Baris 2: GULA-1 stok awalnya sudah diimpor pada {yesterday}; koreksi lewat " \
                        "Stok opname atau Penyesuaian."
    assert errors[1].startswith("Baris 3: kode 8991234567808 adalah kemasan isi 12 pcs")


def test_the_list_to_fill_in_names_the_unit_and_todays_opening(db, goods):
    run(db, "BRS-1,Beras,kg,\"12,5\",11480,,\n")
    with db.reading() as s:
        listed = {row["sku"]: row for row in listing.export_rows(s, outlet_today())}
    assert listed["BRS-1"]["jumlah"] == "12,5" and listed["BRS-1"]["satuan"] == "kg"
    assert listed["GULA-1"]["jumlah"] == "" and listed["GULA-1"]["satuan"] == "pcs"
    with db.reading() as s:
        again = listing.export_rows(s, outlet_today() + timedelta(days=1))
    assert "BRS-1" not in {row["sku"] for row in again}     # opened: no more opening stock later


def test_a_sale_after_the_opening_costs_the_opening_cost(app, db, client, goods):
    from pos.sales.models import SaleLine
    from tests.factories import login, make_till, make_user

    run(db, "GULA-1,Gula,pcs,40,15.500,,\n")
    with db.transaction() as s:
        till, cashier = make_till(s), make_user(s)
    login(client, cashier.id, till.id)
    client.post("/kasir/pindai", data={"code": "8991234567891"}, headers={"HX-Request": "true"})
    paid = client.post("/kasir/bayar", headers={"HX-Request": "true"},
                       data={"tendered": "20000", "idempotency_key": "5d0b5d38-62a8-4b5e-9a3c-2a5f1f3c0909"})
    assert paid.status_code == 200
    with db.reading() as s:
        (line,) = s.scalars(select(SaleLine)).all()
        assert line.unit_cost == 15_500                   # HPP at the opening stock's cost
        assert stock.on_hand(s, goods["sugar"]) == 39


def test_the_command_checks_then_saves(db, goods, runner, tmp_path):
    path = tmp_path / "stok.csv"
    path.write_text(HEADER + "GULA-1,Gula,pcs,40,15500,,\nNGAWUR,,pcs,1,1,,\n", encoding="utf-8")
    refused = runner.invoke(args=["inventory", "opening-stock", str(path)])
    assert refused.exit_code == 1 and "Baris 3: barang 'NGAWUR' tidak ditemukan" in refused.output
    path.write_text(HEADER + "GULA-1,Gula,pcs,40,15500,,\n", encoding="utf-8")
    checked = runner.invoke(args=["inventory", "opening-stock", str(path), "--dry-run"])
    assert checked.exit_code == 0 and "diperiksa (tidak disimpan)" in checked.output
    assert held(db, goods["sugar"])[0] == 0
    done = runner.invoke(args=["inventory", "opening-stock", str(path)])
    assert done.exit_code == 0 and "1 baru" in done.output, done.output
    assert "1 barang, nilai pokok Rp620.000" in done.output
    assert "114110 Persediaan Sembako: Rp620.000 (1 barang)" in done.output
    assert held(db, goods["sugar"])[0] == 40


def test_the_value_is_given_per_business_unit_with_its_account(db, goods):
    """The hub keeps Persediaan per unit (1141u0): one total entered into 114110 left 114130
    Persediaan Apotek negative after the first pharmacy sale."""
    expiry = (outlet_today() + timedelta(days=400)).strftime("%d-%m-%Y")
    run(db, "GULA-1,Gula,pcs,40,15.500,,\n"
            f"OBT-1,Obat,pcs,30,2000,B99001,{expiry}\n")
    with db.reading() as s:
        opened = service.day_value(s, outlet_today())
        overridden = service.day_value(s, outlet_today(),
                                       accounts={"inventory:apotek": ["114135", "Persediaan Obat"]})
        assert service.totals(s)["units"] == opened["units"]
    assert opened["units"] == [
        {"unit": "sembako", "account": "114110", "name": "Persediaan Sembako", "products": 1,
         "value": 40 * 15_500},
        {"unit": "apotek", "account": "114130", "name": "Persediaan Apotek", "products": 1,
         "value": 30 * 2_000}]
    assert (opened["products"], opened["value"]) == (2, sum(u["value"] for u in opened["units"]))
    assert [(u["account"], u["name"]) for u in overridden["units"]][1] == ("114135", "Persediaan Obat")


def test_the_default_accounts_are_the_charts(db):
    for unit in ("sembako", "pupuk", "apotek", "umkm", "lainnya"):
        assert charts.DEFAULT[f"inventory:{unit}"] == service.account_of(unit, None)


def test_the_value_is_what_the_stock_value_report_and_hpp_see(db, goods):
    """Two batches 20 @ 3.500 and 10 @ 3.600: summed per batch 106.000, but the cost set is
    3.533 and the stock value (and HPP) take 30 x 3.533 = 105.990."""
    from pos.inventory import lists

    expiry = (outlet_today() + timedelta(days=400)).strftime("%d-%m-%Y")
    run(db, f"OBT-1,Obat,pcs,20,3500,B1,{expiry}\nOBT-1,Obat,pcs,10,3600,B2,{expiry}\n"
            "BRS-1,Beras,kg,\"0,333\",1000,,\n")            # 0,333 kg @ 1000: Rp333
    with db.reading() as s:
        opened = service.day_value(s, outlet_today())
        reported = sum(row["cost"] for row in lists.stock_value(s))
    assert held(db, goods["drug"])[1] == 3_533
    assert opened["value"] == reported == 30 * 3_533 + 333


def test_an_empty_row_is_skipped_not_unchanged_and_a_date_is_named_once(db, goods, runner, tmp_path):
    summary = run(db, "GULA-1,Gula,pcs,40,15500,,\nBRS-1,Beras,kg,,,,\n")
    assert (summary["created"], summary["unchanged"], summary["skipped"]) == (1, 0, 1)
    assert problems(db, "OBT-1,Obat,pcs,3,2000,B1,31-02-2030\n") == [
        "Baris 2: kedaluwarsa 31-02-2030 tidak ada: Februari 2030 hanya 28 hari."]
    path = tmp_path / "stok.csv"
    path.write_text(HEADER + "GULA-1,Gula,pcs,40,15500,,\nBRS-1,Beras,kg,,,,\n", encoding="utf-8")
    done = runner.invoke(args=["inventory", "opening-stock", str(path)])
    assert "2 baris diimpor: 0 baru, 0 diperbarui, 1 tidak berubah, 1 kosong dilewati." in done.output, \
        done.output
