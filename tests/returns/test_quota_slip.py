"""The return slip of subsidised fertiliser says what the farmer has left of each type after the
return, in the sale receipt's words, on both papers and on the return's page; the figure is kept
with the return, so a reprint after a later sale shows it as it was.  A return of anything else
prints and writes nothing more than before."""
from __future__ import annotations

from sqlalchemy import func, select, update

from pos.approvals.service import Actor
from pos.auth.models import Role
from pos.auth.service import RIGHTS
from pos.hardware import Hardware, build_printer
from pos.inventory.catalog.models import FertilizerType, Product
from pos.returns import records, slip
from pos.returns.models import ReturnQuota
from pos.returns.service import Wanted
from pos.sales.receipt import OutletInfo
from tests.factories import login, make_product
from tests.fertilizer import conftest as fert
from tests.fertilizer.test_receipt_quota import statements
from tests.returns.conftest import give_back, line_ids, till_today

OUTLET = OutletInfo("Gerai Uji")
HX = {"HX-Request": "true"}
SACK = 50_000
SMALL_UREA, DETERGENT = "8990000500032", "8990000700036"


def boss(farm) -> Actor:
    return Actor(farm["manager"], farm["till"], RIGHTS[Role.MANAGER], reason="karung basah")


def sold(db, farm, nik: str, *codes: tuple[str, int]):
    """A sale to the farmer ``nik`` of ``codes`` ((barcode, sacks) pairs) and its line ids."""
    fert.set_buyer(db, farm["till"], nik)
    for code, sacks in codes:
        fert.scan(db, farm["till"], code, times=sacks)
    sale = fert.pay(db, farm).sale
    return sale, line_ids(db, sale.id)


def slip_lines(db, return_id: int, columns: int, copy: bool = False) -> list[str]:
    with db.reading() as s:
        return slip.build(records.get_return(s, return_id), OUTLET, columns, copy=copy).lines


def kept(db) -> list[tuple]:
    with db.reading() as s:
        return s.execute(select(ReturnQuota.return_id, ReturnQuota.fertilizer, ReturnQuota.season,
                                ReturnQuota.remaining_grams)
                         .order_by(ReturnQuota.return_id, ReturnQuota.fertilizer)).all()


def test_the_slip_says_what_is_left_after_the_return_on_both_papers(db, farm):
    """Suparmi has 200 kg of urea; she buys three sacks (50 kg left) and brings one back."""
    sale, (line,) = sold(db, farm, fert.SUPARMI, (fert.UREA_CODE, 3))
    done = give_back(db, boss(farm), sale.id, Wanted(line, SACK))
    wide = slip_lines(db, done.id, 48)
    assert "Sisa kuota Urea MT I 2026: 100 kg" in wide
    at = wide.index("Sisa kuota Urea MT I 2026: 100 kg")
    assert wide[at - 2:at] == ["-" * 48, "Petani: Suparmi (NIK 6402********0002)"]
    assert wide[at + 1] == "-" * 48
    assert wide[at + 2] == "Alasan: Barang cacat"
    narrow = slip_lines(db, done.id, 32)  # 33 characters: one line in fewer words
    at = narrow.index("Sisa Urea MT I 2026: 100 kg")
    assert narrow[at + 1] == "-" * 32
    assert max(len(line) for line in narrow) <= 32
    assert kept(db) == [(done.id, FertilizerType.UREA, "MT I 2026", 100_000)]


def test_each_type_returned_says_its_own_figure_and_only_the_types_returned(db, farm):
    """Darmo takes his last 50 kg of urea and 100 of his 200 kg of NPK; the first return brings
    back one NPK sack (the urea line stays sold), the second the urea and the other NPK sack."""
    sale, (npk, urea) = sold(db, farm, fert.DARMO, (fert.NPK_CODE, 2), (fert.UREA_CODE, 1))
    first = give_back(db, boss(farm), sale.id, Wanted(npk, SACK))
    lines = slip_lines(db, first.id, 48)
    assert [line for line in lines if line.startswith("Sisa kuota")] \
        == ["Sisa kuota NPK MT I 2026: 150 kg"]
    second = give_back(db, boss(farm), sale.id, Wanted(urea, SACK), Wanted(npk, SACK))
    lines = slip_lines(db, second.id, 48)
    at = lines.index("Sisa kuota Urea MT I 2026: 50 kg")  # the types' order, as on the receipt
    assert lines[at:at + 2] == ["Sisa kuota Urea MT I 2026: 50 kg",
                                "Sisa kuota NPK MT I 2026: 200 kg"]
    assert sorted(kept(db)) == sorted([
        (first.id, FertilizerType.NPK, "MT I 2026", 150_000),
        (second.id, FertilizerType.UREA, "MT I 2026", 50_000),
        (second.id, FertilizerType.NPK, "MT I 2026", 200_000)])


def test_two_lines_of_one_type_print_the_figure_after_both(db, farm):
    with db.transaction() as s:
        small_sack = make_product(s, name="Pupuk Urea Subsidi 25 kg", price=1_800, cost=1_600,
                                  base_unit="gram", business_unit="pupuk",
                                  tax_class="tidak_dipungut", on_hand=1_000_000,
                                  barcodes_=[(SMALL_UREA, 25_000)])
        s.execute(update(Product).where(Product.id == small_sack.id)
                  .values(subsidy=FertilizerType.UREA))
    sale, (big, small) = sold(db, farm, fert.SUPARMI, (fert.UREA_CODE, 2), (SMALL_UREA, 2))
    done = give_back(db, boss(farm), sale.id, Wanted(big, SACK), Wanted(small, 25_000))
    assert [line for line in slip_lines(db, done.id, 48) if line.startswith("Sisa kuota")] \
        == ["Sisa kuota Urea MT I 2026: 125 kg"]  # 200 - 150 sold + 75 back
    assert kept(db) == [(done.id, FertilizerType.UREA, "MT I 2026", 125_000)]


def test_the_page_and_a_reprint_after_a_later_sale_show_the_figure_of_the_return(
        db, farm, client, printer):
    sale, (line,) = sold(db, farm, fert.SUPARMI, (fert.UREA_CODE, 2))     # 100 kg left
    till_today(db, {**farm, "cashier": farm["user"]})
    login(client, farm["manager"], farm["till"])
    booked = client.post(f"/retur/struk/{sale.id}", headers=HX, data={
        f"qty_{line}": "50", "reason": "karung basah", "refund": "tunai",
        "idempotency_key": "6f1c1d0e-8a59-4a55-9a55-6d0b1d9e2a01"})
    assert booked.status_code == 200, booked.get_data(as_text=True)
    answer = booked.get_data(as_text=True)
    assert "Sisa Urea MT I 2026: 150 kg" in answer
    assert "Sisa Urea MT I 2026: 150 kg" in printer.receipts[-1].lines
    (return_id, *_), = kept(db)
    sold(db, farm, fert.SUPARMI, (fert.UREA_CODE, 3))                    # 0 kg left today
    assert client.post(f"/retur/{return_id}/cetak", headers=HX).status_code == 200
    copy = printer.receipts[-1]
    assert "*** SALINAN ***" in copy.text
    assert "Sisa Urea MT I 2026: 150 kg" in copy.lines
    page = client.get(f"/retur/{return_id}").get_data(as_text=True)
    assert "Sisa Urea MT I 2026: 150 kg" in page
    assert " 0 kg" not in page
    receipt_page = client.get(f"/kasir/struk/{sale.id}").get_data(as_text=True)
    assert "Sisa Urea MT I 2026: 100 kg" in receipt_page  # the sale's receipt keeps its figure


def test_a_return_of_other_goods_prints_and_writes_no_quota(db, farm):
    """The detergent on a farmer's sale, and a sale with no farmer at all."""
    with db.transaction() as s:
        make_product(s, name="Sabun Cuci", price=3_000, cost=2_000, on_hand=100,
                     barcodes_=[DETERGENT])
    farmer_sale, (_, detergent) = sold(db, farm, fert.SUPARMI, (fert.UREA_CODE, 1), (DETERGENT, 1))
    fert.scan(db, farm["till"], DETERGENT, times=2)
    plain = fert.pay(db, farm).sale
    with statements(db) as ran:
        returns = [give_back(db, boss(farm), farmer_sale.id, Wanted(detergent, 1)),
                   give_back(db, boss(farm), plain.id, Wanted(line_ids(db, plain.id)[0], 1))]
    assert not [q for q in ran if "return_quota" in q], ran
    for done in returns:
        for columns in (32, 48):
            text = "\n".join(slip_lines(db, done.id, columns))
            assert "kuota" not in text and "Petani" not in text   # the urea line stayed sold
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ReturnQuota)) == 0


def test_a_copy_of_a_return_slip_on_dummy_says_it_was_not_printed(app, db, farm, client):
    """"Salinan nota retur dicetak." on dummy://, where nothing comes out on paper."""
    sale, (line,) = sold(db, farm, fert.SUPARMI, (fert.UREA_CODE, 2))
    till_today(db, {**farm, "cashier": farm["user"]})
    login(client, farm["manager"], farm["till"])
    assert client.post(f"/retur/struk/{sale.id}", headers=HX, data={
        f"qty_{line}": "50", "reason": "karung basah", "refund": "tunai",
        "idempotency_key": "6f1c1d0e-8a59-4a55-9a55-6d0b1d9e2a02"}).status_code == 200
    (return_id, *_), = kept(db)
    app.extensions["pos_hardware"] = Hardware(printer=build_printer("dummy://", 32))
    copy = client.post(f"/retur/{return_id}/cetak", headers=HX)
    said = copy.get_data(as_text=True)
    assert copy.status_code == 200 and "Salinan nota retur dicetak" not in said
    assert "Salinan nota retur tidak dicetak: printer belum diatur (Perangkat)." in said


def test_the_slip_names_the_farmer_whose_quota_it_gives_back_with_the_nik_masked(db, farm):
    """R-...: "Sisa kuota Urea MT I 2026: 225 kg" and no word of whose quota it was; the sale's
    receipt names the farmer."""
    sale, (line,) = sold(db, farm, fert.SUPARMI, (fert.UREA_CODE, 3))
    done = give_back(db, boss(farm), sale.id, Wanted(line, SACK))
    wide = slip_lines(db, done.id, 48)
    at = wide.index("Petani: Suparmi (NIK 6402********0002)")
    assert wide[at - 1] == "-" * 48 and wide[at + 1] == "Sisa kuota Urea MT I 2026: 100 kg"
    narrow = slip_lines(db, done.id, 32)   # 38 characters: the masked NIK whole on the next line
    at = narrow.index("Petani: Suparmi")
    assert narrow[at + 1] == "(NIK 6402********0002)"
    assert narrow[at + 2].startswith("Sisa")
    assert max(len(line) for line in narrow) <= 32
    assert fert.SUPARMI not in "\n".join(wide + narrow)
    with db.reading() as s:   # the return's page (the same record) names her too
        assert records.get_return(s, done.id).farmer == {"name": "Suparmi", "nik": fert.SUPARMI}

