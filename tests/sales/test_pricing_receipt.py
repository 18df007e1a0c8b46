"""Pure pricing and receipt layout: no database."""
from datetime import date, datetime

from pos.hardware.text import labelled
from pos.inventory.catalog.models import TaxClass
from pos.sales import pricing, receipt
from pos.sales.checkout import SaleRecord
from pos.sales.models import PaymentMethod
from pos.units import BaseUnit


def line(**kw):
    values = dict(product_id=1, sku="S1", name="Minyak Goreng 2 L", qty=2, unit_price=38_000,
                  price_per=1, tax_class=TaxClass.PPN)
    values.update(kw)
    return pricing.LineInput(**values)


def test_tax_inclusive_lines_and_totals():
    tax = pricing.TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
    oil = pricing.price_line(line(), tax)
    rice = pricing.price_line(line(name="Beras", qty=1_500, unit_price=14_000, price_per=1000,
                                   tax_class=TaxClass.BEBAS), tax)
    totals = pricing.totals([oil, rice], tax)
    assert (oil.amount, oil.tax, oil.tax_rate_bp) == (76_000, 7_532, 1100)
    assert (rice.amount, rice.tax) == (21_000, 0)
    assert totals.total == totals.gross == 97_000
    assert totals.tax == 7_532
    assert totals.tax_by_class == {(TaxClass.PPN, 1100): (76_000, 7_532),
                                   (TaxClass.BEBAS, 0): (21_000, 0)}


def test_non_pkp_outlet_collects_no_tax_and_exclusive_prices_add_it():
    assert pricing.price_line(line(), pricing.TaxSettings(pkp=False)).tax == 0
    exclusive = pricing.TaxSettings(inclusive=False)
    priced = pricing.price_line(line(qty=1, unit_price=10_000), exclusive)
    assert priced.tax == 1_100
    assert pricing.totals([priced], exclusive).total == 11_100


def test_subsidised_fertiliser_has_no_ppn_collected():
    tax = pricing.TaxSettings()
    urea = pricing.price_line(line(name="Urea", qty=50_000, unit_price=1_800, price_per=1000,
                                   tax_class=TaxClass.TIDAK_DIPUNGUT), tax)
    assert (urea.amount, urea.tax) == (90_000, 0)


def sale(**kw):
    lines = [
        dict(name="Indomie Goreng Rendang Extra Pedas 91 g", sku="A", qty=3, unit_price=3_500,
             price_per=1, amount=10_500, tax_class=TaxClass.PPN, tax_rate_bp=1100, tax=1_041,
             base_unit=BaseUnit.PCS),
        dict(name="Beras curah", sku="B", qty=1_250, unit_price=14_000, price_per=1000,
             amount=17_500, tax_class=TaxClass.BEBAS, tax_rate_bp=0, tax=0, base_unit=BaseUnit.GRAM),
    ]
    values = dict(id=1, receipt_no="GERAI01-0000042", idempotency_key="k", till_id=1, cashier_id=1,
                  member_id=None, business_date=date(2026, 11, 22),
                  created_at=datetime(2026, 11, 22, 15, 59), gross=28_000, discount=0, tax=1_041,
                  total=28_000, tendered=50_000, change=22_000, lines=lines,
                  payments=[dict(method=PaymentMethod.CASH, amount=28_000, tendered=50_000)])
    values.update(kw)
    return SaleRecord(**values)


OUTLET = receipt.OutletInfo("Koperasi Desa Merah Putih Sungai Kapih", "Jl. Poros No. 1, Samarinda",
                            "01.234.567.8-901.000", "Terima kasih", "Asia/Makassar")


def test_receipt_fits_the_paper_and_shows_local_time():
    for columns in (32, 48):
        slip = receipt.build(sale(), OUTLET, "Siti Rahmawati", columns)
        assert all(len(text) <= columns for text in slip.lines), slip.text
        assert "Tgl  : 22-11-2026 23:59 WITA" in slip.lines  # 15:59 UTC is 23:59 in Samarinda
        assert "No   : GERAI01-0000042" in slip.lines
    assert slip.open_drawer and not slip.copy


def test_receipt_lines_totals_tax_and_change():
    text = receipt.build(sale(), OUTLET, "Siti", 32).text
    assert "  3 x Rp3.500           Rp10.500" in text
    assert "  1,25 kg x Rp14.000    Rp17.500" in text
    assert "TOTAL                   Rp28.000" in text
    assert "Tunai                   Rp50.000" in text
    assert "Kembali                 Rp22.000" in text
    # PMK 131/2024: DPP nilai lain = 11/12 of the ex-tax 9.459; PPN 12% of it = the 1.041 inside
    assert "DPP Nilai Lain (11/12)   Rp8.671" in text
    assert "PPN 12%                  Rp1.041" in text
    assert "Bebas PPN               Rp17.500" in text
    assert "NPWP 01.234.567.8-901.000" in text


def test_a_long_quantity_is_never_cut_its_amount_goes_below():
    """A typed weight's ``(manual)`` made the quantity too long for 58 mm paper, and the price
    per kilogram was cut away (or cut to ``Rp13.5``, a wrong price)."""
    weighed = dict(name="Beras Medium Curah", sku="B", price_per=1000, tax_class=TaxClass.BEBAS,
                   tax_rate_bp=0, tax=0, base_unit=BaseUnit.GRAM, unit_price=13_500)
    lines = [dict(weighed, qty=1_250, amount=16_875, manual_weight=True),
             dict(weighed, qty=99_999, amount=1_349_987),
             dict(weighed, qty=2_000, amount=25_000, list_price=13_500, discount=2_000,
                  unit_price=12_500, manual_weight=True, discount_reason="anggota 5%")]
    record = sale(lines=lines, gross=1_393_362, total=1_391_362, tax=0, tendered=1_400_000,
                  change=8_638)
    for columns in (32, 48):
        slip = receipt.build(record, OUTLET, "Siti", columns)
        assert all(len(text) <= columns for text in slip.lines), slip.text
    text = receipt.build(record, OUTLET, "Siti", 32).text
    assert "  1,25 kg (manual) x Rp13.500\n" + "Rp16.875".rjust(32) + "\n" in text
    assert "  99,999 kg x Rp13.500\n" + "Rp1.349.987".rjust(32) + "\n" in text
    assert "  2 kg (manual) x Rp13.500\n" + "Rp27.000".rjust(32) + "\n" in text
    assert "  anggota 5%".ljust(24) + "-Rp2.000" in text
    wide = receipt.build(record, OUTLET, "Siti", 48).text   # one line where it fits
    assert "  1,25 kg (manual) x Rp13.500" + " " * 11 + "Rp16.875" in wide


def test_copy_is_marked_and_does_not_open_the_drawer():
    slip = receipt.build(sale(), OUTLET, "Siti", 32, copy=True)
    assert "*** SALINAN ***" in slip.text and not slip.open_drawer


def test_a_titled_cashier_is_wrapped_never_cut():
    """"Kasir: apt. Rina Marlina, S.Farm" lost its last letters at the paper's edge."""
    name = "apt. Rina Marlina Wulandari Putri, S.Farm"
    text = receipt.build(sale(), OUTLET, name, 32).text
    assert "Kasir: apt. Rina Marlina" in text and "S.Farm" in text
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Kasir: "))
    assert lines[at + 1].startswith("       ")          # under the name, not under the label
    assert all(len(line) <= 32 for line in lines)
    assert labelled("Kasir: ", "Siti", 32) == ["Kasir: Siti"]
    assert labelled("Disetujui: ", "Andi Baso", 12) == ["Disetujui:", "Andi Baso"]
