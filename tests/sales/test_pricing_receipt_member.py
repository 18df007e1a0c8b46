"""The receipt of a member sale: each discounted line shows its list price, what came off and
why, and "Hemat anggota" sums the member's saving.  Pure: no database."""
from dataclasses import replace

import pytest

from pos.inventory.catalog.models import TaxClass
from pos.sales import receipt
from pos.units import BaseUnit
from tests.sales.test_pricing_receipt import OUTLET, sale

LINES = [
    dict(name="Minyak Goreng Sania 2 liter", sku="A", qty=1, unit_price=36_100, price_per=1,
         amount=36_100, list_price=38_000, discount=1_900, member_saving=1_900,
         discount_reason="anggota 5%", tax_class=TaxClass.PPN, tax_rate_bp=1100, tax=3_577,
         base_unit=BaseUnit.PCS),
    dict(name="Beras curah", sku="B", qty=1_250, unit_price=13_720, price_per=1000, amount=17_150,
         list_price=14_000, discount=350, member_saving=350,
         discount_reason="anggota 2%, diskon nota: kemasan sobek", tax_class=TaxClass.BEBAS,
         tax_rate_bp=0, tax=0, base_unit=BaseUnit.GRAM),
    dict(name="Indomie Goreng", sku="C", qty=2, unit_price=3_500, price_per=1, amount=7_000,
         tax_class=TaxClass.PPN, tax_rate_bp=1100, tax=694, base_unit=BaseUnit.PCS),
]


def member_sale():
    return replace(sale(), lines=LINES, gross=62_500, discount=2_250, member_saving=2_250,
                   member_sale=True, total=60_250, tendered=100_000, change=39_750)


def test_discounted_lines_show_list_price_and_what_came_off():
    slip = receipt.build(member_sale(), OUTLET, "Siti", 32,
                         member=receipt.MemberInfo("AGT-0007", "Daeng Baso"))
    assert all(len(text) <= 32 for text in slip.lines), slip.text
    text = slip.text
    assert "  1 x Rp38.000          Rp38.000" in text
    assert "  anggota 5%            -Rp1.900" in text
    assert "  1,25 kg x Rp14.000    Rp17.500" in text
    assert "  anggota 2%, diskon nota -Rp350" in text  # the cashier's note stays off the slip
    assert "  2 x Rp3.500            Rp7.000" in text   # no discount: one line as before
    assert "Hemat anggota            Rp2.250" in text


@pytest.mark.parametrize("reason, shown", [
    # broken between words, the amount beside the last two ("nota" alone, the amount under it)
    ("harga anggota, diskon, diskon nota",
     ["  harga anggota, diskon,", "  diskon nota" + "-Rp12.350".rjust(32 - 13)]),
    ("diskon nota (pelanggan tetap)", ["  diskon nota (pelanggan tetap)", "-Rp12.350".rjust(32)]),
])
def test_a_reason_too_long_for_the_amounts_line_is_kept_whole_on_lines_of_its_own(reason, shown):
    """Every reason, never one cut in the middle ("diskon nota (pelanggan  -Rp350") and never a
    second one dropped: one whole on a line keeps it, the amount under it; longer ones are broken
    between words, the amount at the end of the last line."""
    long = [dict(LINES[1], discount=12_350, amount=5_150, discount_reason=reason)]
    slip = receipt.build(replace(member_sale(), lines=long), OUTLET, "Siti", 32)
    at = slip.lines.index(shown[0])
    assert slip.lines[at:at + len(shown)] == shown
    assert all(len(text) <= 32 for text in slip.lines)


def test_no_saving_line_without_a_member_saving():
    plain = replace(member_sale(), member_saving=0)
    slip = receipt.build(plain, OUTLET, "Siti", 32, member=receipt.MemberInfo("AGT-1", "X"))
    assert "Hemat anggota" not in slip.text
