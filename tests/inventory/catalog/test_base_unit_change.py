"""A product's base unit changes only while nothing else counts in it: no buyer-limit rule,
packs, price tiers, member price or ceiling price (HET)."""
from __future__ import annotations

import pytest

from pos.inventory.catalog import maintenance
from pos.inventory.catalog.models import PackUnit, Product
from pos.inventory.catalog.products import CatalogError
from pos.limits.models import LimitRule
from pos.prices.models import MemberPrice, PriceTier
from pos.units import BaseUnit
from tests.factories import make_product, set_het


def _limit(s, product):
    rule = LimitRule(name="Gula 2 per hari", max_qty=2)
    s.add(rule)
    s.flush()
    product.limit_rule_id = rule.id


HOLDERS = {
    "aturan batas pembeli (Batas per pembeli)": _limit,
    "kemasan (bagian Kemasan)": lambda s, p: s.add(PackUnit(product_id=p.id, name="karton", qty=40)),
    "harga grosir (Harga anggota dan grosir)":
        lambda s, p: s.add(PriceTier(product_id=p.id, min_qty=10, price=9_000)),
    "harga anggota (Harga anggota dan grosir)":
        lambda s, p: s.add(MemberPrice(product_id=p.id, price=9_500)),
    "HET (halaman HET)": lambda s, p: set_het(s, p, 12_000),
}


@pytest.mark.parametrize("holder", list(HOLDERS))
def test_the_base_unit_stays_while_something_counts_in_it(db, holder):
    with db.transaction() as s:
        product = make_product(s, name="Gula Pasir", on_hand=0)
        HOLDERS[holder](s, product)
        product_id = product.id
    with pytest.raises(CatalogError) as caught, db.transaction() as s:
        maintenance.update_product(s, product_id, {"base_unit": "gram"}, None)
    assert caught.value.message == (
        f"Satuan dasar Gula Pasir tidak dapat diubah: {holder} memakai satuan dasar yang "
        "sekarang. Hapus atau lepaskan dulu, lalu ubah satuannya.")
    with db.reading() as s:
        assert s.get(Product, product_id).base_unit is BaseUnit.PCS


def test_every_holder_is_named_and_other_fields_still_change(db):
    with db.transaction() as s:
        product = make_product(s, name="Gula Pasir", on_hand=0)
        for add in HOLDERS.values():
            add(s, product)
        product_id = product.id
    with pytest.raises(CatalogError) as caught, db.transaction() as s:
        maintenance.update_product(s, product_id, {"base_unit": "ml"}, None)
    assert ", ".join(HOLDERS) in caught.value.message
    with db.transaction() as s:
        assert maintenance.update_product(s, product_id, {"price": "11.000"}, None) == ["price"]
