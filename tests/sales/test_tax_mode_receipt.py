"""Tax modes at the till: a new outlet sells without PPN and its receipts state no tax; a PKP
outlet states PPN as PMK 131/2024 does (DPP nilai lain 11/12, PPN 12%), with the exempt and
the not-collected amounts; the day report shows tax only for a PKP outlet."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from pos import money
from pos.db import get_db
from pos.hardware.text import two_cols
from pos.sales import receipt
from pos.sales.checkout import SaleRecord
from pos.sales.models import Sale, SaleLine
from pos.settings import service as settings
from tests.factories import login, make_product, make_till, make_user

HX = {"HX-Request": "true"}
MINYAK, BERAS, UREA = "8990000001119", "8990000002116", "8990000003113"


def test_stated_tax_is_dpp_nilai_lain_and_twelve_percent_of_it():
    assert money.stated_tax(11_100, 1100) == (9_167, 1_100)  # ex-tax 10.000
    assert money.dpp_nilai_lain(10_000) == 9_167 and money.stated_tax(0, 1100) == (0, 0)
    for gross in [*range(1, 3_000), 11_100, 76_000, 999_999, 12_345_678]:
        dpp, ppn = money.stated_tax(gross, 1100)
        assert ppn == money.tax_included(gross, 1100)  # the tax the sale line stores
        assert abs(money.percent_of(dpp, 1200) - ppn) <= 1, gross


def open_till(db, client):
    """A manager at a till (sells and reads reports) and three goods, one per tax class."""
    with db.transaction() as s:
        till_id = make_till(s).id
        boss = make_user(s, "bos", "manager", "9999").id
        make_product(s, name="Minyak goreng 1 L", price=11_100, barcodes_=[MINYAK])
        make_product(s, name="Beras 1 kg", price=14_000, tax_class="bebas", barcodes_=[BERAS])
        make_product(s, name="Pupuk urea", price=90_000, tax_class="tidak_dipungut",
                     business_unit="pupuk", barcodes_=[UREA])
    login(client, boss, till_id)
    return client


def record(pkp: bool, *lines: tuple[str, int, int, int]) -> SaleRecord:
    return SaleRecord(id=1, receipt_no="TST01-0000001", idempotency_key="k", till_id=1,
                      cashier_id=1, member_id=None, business_date=date(2026, 11, 30),
                      created_at=datetime(2026, 11, 30, 2), gross=0, discount=0, tax=0, total=0,
                      tendered=0, change=0, pkp=pkp,
                      lines=[dict(line_no=n, tax_class=c, amount=a, tax_rate_bp=r, tax=t)
                             for n, (c, a, r, t) in enumerate(lines, start=1)])


def test_the_tax_summary_follows_the_sale_and_the_configured_statement():
    lines = (("ppn", 11_100, 1100, 1_100), ("ppn", 5_000, 1100, 495), ("bebas", 14_000, 0, 0),
             ("tidak_dipungut", 90_000, 0, 0))
    assert receipt.tax_summary(record(False, *lines), 32) == []  # not PKP: no tax lines at all
    assert receipt.tax_summary(record(True, *lines), 32) == [
        two_cols("Bebas PPN", "Rp14.000", 32),
        two_cols("DPP Nilai Lain (11/12)", "Rp13.296", 32),  # 11/12 of 16.100 - 1.595
        two_cols("PPN 12%", "Rp1.595", 32),
        two_cols("PPN tidak dipungut", "Rp90.000", 32)]
    stated = receipt.OutletInfo("Gerai", statutory_rate_bp=1250, dpp_numerator=10, dpp_denominator=11)
    assert receipt.tax_summary(record(True, lines[0]), 32, stated) == [
        two_cols("DPP Nilai Lain (10/11)", "Rp9.091", 32), two_cols("PPN 12,5%", "Rp1.100", 32)]
    big = receipt.tax_summary(record(True, ("ppn", 12_345_678, 1100, 1_223_446)), 32)
    assert big == ["DPP Nilai Lain (11/12)", "Rp10.195.379".rjust(32), two_cols("PPN 12%", "Rp1.223.446", 32)]


@pytest.fixture
def till(app, db, client):
    return open_till(db, client)


@pytest.fixture
def pkp_app(app_factory):
    return app_factory(PKP=True)


def sell(client, *codes: str) -> tuple[int, str, str]:
    """Scan ``codes`` and pay cash: (sale id, the last cart shown, the receipt text)."""
    for code in codes:
        shown = client.post("/kasir/pindai", data={"code": code}, headers=HX)
        assert shown.status_code == 200, shown.get_data(as_text=True)[:300]
    total = int(re.search(r'data-total="(\d+)"', shown.get_data(as_text=True)).group(1))
    cash = -(-total // 100_000) * 100_000   # Rp100.000 notes, the fewest that cover it: no drawer check
    paid = client.post("/kasir/bayar", data={"tendered": str(cash), "idempotency_key": str(uuid.uuid4())},
                       headers=HX)
    assert paid.status_code == 200, paid.get_data(as_text=True)[:300]
    with get_db(client.application).reading() as s:
        sale_id = s.scalar(select(Sale.id).order_by(Sale.id.desc()).limit(1))
    return sale_id, shown.get_data(as_text=True), receipt_text(client, sale_id)


def receipt_text(client, sale_id: int) -> str:
    response = client.get(f"/kasir/struk/{sale_id}/teks", headers=HX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def stored_tax(db, sale_id: int) -> tuple[int, bool, list[tuple[str, int, int]]]:
    with db.reading() as s:
        tax, pkp = s.execute(select(Sale.tax, Sale.pkp).where(Sale.id == sale_id)).one()
        lines = s.execute(select(SaleLine.tax_class, SaleLine.tax_rate_bp, SaleLine.tax)
                          .where(SaleLine.sale_id == sale_id).order_by(SaleLine.line_no)).all()
    return tax, pkp, [(c.value, r, t) for c, r, t in lines]


def test_a_new_outlet_sells_without_ppn_and_its_receipt_states_no_tax(app, db, till):
    assert app.config["PKP"] is False
    sale_id, cart, text = sell(till, MINYAK, BERAS)
    assert stored_tax(db, sale_id) == (0, False, [("ppn", 0, 0), ("bebas", 0, 0)])
    assert "PPN" not in cart and "PPN" not in text and "DPP" not in text
    assert "Rp25.100" in text  # the price is the shelf price either way


def test_a_pkp_receipt_states_the_tax_as_the_law_does(pkp_app):
    db = get_db(pkp_app)
    sale_id, cart, text = sell(open_till(db, pkp_app.test_client()), MINYAK, BERAS, UREA)
    assert stored_tax(db, sale_id) == (1_100, True, [
        ("ppn", 1100, 1_100), ("bebas", 0, 0), ("tidak_dipungut", 0, 0)])
    assert "PPN termasuk Rp1.100" in cart
    # Rp11.100 inclusive: ex-tax Rp10.000, DPP nilai lain 11/12 = Rp9.167, PPN 12% = Rp1.100
    assert two_cols("DPP Nilai Lain (11/12)", "Rp9.167", 32) in text
    assert two_cols("PPN 12%", "Rp1.100", 32) in text
    assert two_cols("Bebas PPN", "Rp14.000", 32) in text
    assert two_cols("PPN tidak dipungut", "Rp90.000", 32) in text


def test_prices_before_tax_show_the_ppn_added_to_the_lines_on_the_till(app_factory):
    """With PPN added on top of the prices (``POS_TAX_INCLUSIVE=false``) the cart said "PPN
    termasuk" under a total that was the lines plus the PPN: it says the subtotal of the lines
    and the PPN added to them, as the receipt does."""
    app = app_factory(PKP=True, TAX_INCLUSIVE=False)
    db = get_db(app)
    sale_id, cart, text = sell(open_till(db, app.test_client()), MINYAK, BERAS)
    assert stored_tax(db, sale_id)[:2] == (1_221, True)   # 11% on Rp11.100, added
    assert "Subtotal Rp25.100 + PPN Rp1.221" in cart and "termasuk" not in cart
    assert 'id="cart-total">Rp26.321<' in cart


def test_switching_to_pkp_applies_to_the_next_sale_and_past_receipts_keep_their_tax(db, till):
    before, _, _ = sell(till, MINYAK)
    with db.transaction() as s:
        settings.put_pkp(s, True, None)
    after, cart, text = sell(till, MINYAK)
    assert stored_tax(db, before)[:2] == (0, False)
    assert stored_tax(db, after)[:2] == (1_100, True)
    assert "PPN termasuk Rp1.100" in cart and "PPN 12%" in text
    assert "PPN" not in receipt_text(till, before)  # its reprint still states no tax
    with db.transaction() as s:
        settings.put_pkp(s, False, None)
    assert "PPN 12%" in receipt_text(till, after)  # and a PKP sale keeps its tax lines


def test_the_day_report_shows_tax_only_for_a_pkp_outlet(db, till):
    sell(till, MINYAK, BERAS)
    page = till.get("/laporan/harian").get_data(as_text=True)
    assert 'id="day-tax"' not in page and "Pajak per kelas" not in page and "PPN" not in page
    with db.transaction() as s:
        settings.put_pkp(s, True, None)
    sell(till, MINYAK, UREA)
    page = till.get("/laporan/harian").get_data(as_text=True)
    assert 'id="day-tax">Rp1.100<' in page and "Pajak per kelas" in page
    assert "PPN 12% (DPP nilai lain 11/12)" in page and "Rp9.167" in page
    assert "PPN tidak dipungut (pupuk bersubsidi)" in page and "Rp90.000" in page


def test_every_tax_settings_from_the_configuration_passes_the_stored_pkp():
    """A view that priced a cart from ``POS_PKP`` alone would show another total than the
    till's (and checkout would refuse it): each passes ``pkp=`` from ``pos.settings``."""
    import ast
    from pathlib import Path

    import pos

    calls = []
    for path in Path(pos.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "from_config" and "TaxSettings" in ast.unparse(node.func):
                calls.append((path.name, {k.arg for k in node.keywords}))
    assert len(calls) >= 5 and all("pkp" in keywords for _, keywords in calls), calls
