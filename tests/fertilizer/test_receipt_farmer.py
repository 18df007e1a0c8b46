"""A subsidised-fertiliser receipt names the farmer as the e-RDKK record the sale used names
them, and the proxy who collected, on 58 mm and 80 mm paper, with the NIKs masked; a reprint
says the same.  The name came from the buyer dialog's optional *Nama*: a NIK typed in the
plain NIK dialog (an SPHP pack scanned first) printed no farmer, a proxy's name typed there
printed the proxy as the farmer."""
from __future__ import annotations

from sqlalchemy import update

from pos.sales import checkout, receipt
from pos.sales.models import PrintJob, PrintStatus, SaleBuyer
from tests.factories import login
from tests.fertilizer.conftest import DARMO, UREA_CODE, pay, scan, set_buyer

OUTLET = receipt.OutletInfo("Gerai Uji")
BUDI = "6402101505950003"


def slip(db, sale_id: int, columns: int, copy: bool = False):
    with db.reading() as s:
        sale = checkout.get_sale(s, sale_id)
    return receipt.build(sale, OUTLET, "Kasir", columns, copy=copy)


def test_a_nik_typed_in_the_plain_buyer_dialog_prints_the_farmer_of_the_e_rdkk_list(
        client, db, farm, printer):
    """The walk-through: the NIK typed as any buyer's (no name), then a sack of urea."""
    login(client, farm["user"], farm["till"])
    hx = {"HX-Request": "true", "HX-Target": "cart"}
    answer = client.post("/kasir/pembeli", headers=hx, data={"buyer": DARMO, "needs": "nik"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "Urea untuk Darmo Santoso" in " ".join(scan(db, farm["till"], UREA_CODE).notes)
    sale = pay(db, farm).sale
    for columns in (32, 42, 48):
        lines = slip(db, sale.id, columns).lines
        at, farmer = lines.index("Pembeli: NIK 6402********0001"), lines.index("Petani: Darmo Santoso")
        assert lines[at + 1] == "-" * columns   # the notice (wrapped on 58 mm), then the farmer
        assert " ".join(lines[at + 2:farmer]) == "Pupuk bersubsidi: PPN tidak dipungut"
        assert lines[farmer + 1] == "Sisa kuota Urea MT I 2026: 0 kg"
        assert DARMO not in "\n".join(lines) and max(map(len, lines)) <= columns

    with db.transaction() as s:   # the receipt came out at the sale: the copy is asked for later
        s.execute(update(PrintJob).values(status=PrintStatus.PRINTED))
    assert client.post(f"/kasir/struk/{sale.id}/cetak", headers={"HX-Request": "true"}) \
        .status_code == 200
    copy = printer.receipts[-1]
    assert "*** SALINAN ***" in copy.text and "Petani: Darmo Santoso" in copy.lines
    assert "Pembeli: NIK 6402********0001" in copy.lines
    page = client.get(f"/kasir/struk/{sale.id}").get_data(as_text=True)
    assert "Petani: Darmo Santoso" in page and DARMO not in page


def test_a_proxy_named_in_the_dialog_is_the_one_who_collected_not_the_farmer(db, farm):
    set_buyer(db, farm["till"], DARMO, "Budi Santoso", proxy_name="Budi Santoso",
              proxy_nik=BUDI, proxy_relation="keluarga")
    scan(db, farm["till"], UREA_CODE)
    sale = pay(db, farm).sale
    with db.reading() as s:
        assert s.get(SaleBuyer, sale.id).name == "Darmo Santoso"   # kept with the sale
    wide = slip(db, sale.id, 48).lines
    at = wide.index("Petani: Darmo Santoso")
    assert wide[at + 1:at + 3] == ["Diambil oleh: Budi Santoso (keluarga), NIK", "6402********0003"]
    assert "Petani: Budi Santoso" not in wide
    for columns in (32, 42):
        lines = slip(db, sale.id, columns, copy=True).lines
        assert "Petani: Darmo Santoso" in lines and max(map(len, lines)) <= columns
        text = " ".join(lines[lines.index("Petani: Darmo Santoso") + 1:])
        assert "Diambil oleh: Budi Santoso (keluarga), NIK 6402********0003" in text
        assert BUDI not in text
