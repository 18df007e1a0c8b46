"""The product page tags regulated goods as it tags the drug class: LPG 3 kg, subsidised fertiliser
and the ceiling price (HET) in force."""
from __future__ import annotations

from datetime import date

import pytest

from pos.clock import utcnow
from pos.het.service import set_ceiling
from pos.inventory.catalog.models import FertilizerType, LpgKind
from tests.factories import login, make_product, make_user


@pytest.fixture
def goods(db):
    with db.transaction() as s:
        manager = make_user(s, "manajer", "manager", "1234").id
        lpg = make_product(s, sku="LPG-3", name="LPG 3 kg", price=18_000, on_hand=0)
        lpg.lpg = LpgKind.REFILL
        urea = make_product(s, sku="UREA-50", name="Urea bersubsidi", price=2_250, cost=1_500,
                            base_unit="gram", business_unit="pupuk", on_hand=0)
        urea.subsidy = FertilizerType.UREA
        plain = make_product(s, sku="GULA-1", name="Gula 1 kg", price=15_000, on_hand=0)
        return {"manager": manager, "lpg": lpg.id, "urea": urea.id, "plain": plain.id}


def page(client, goods, key) -> str:
    login(client, goods["manager"])
    html = client.get(f"/katalog/{goods[key]}").get_data(as_text=True)
    return html[:html.index('class="catalog-grid"')]  # the heading's tags, not the form


def test_lpg_and_fertiliser_are_tagged(db, client, goods):
    assert '<span class="tag" id="lpg-tag">LPG 3 kg: Isi ulang (tukar tabung kosong)</span>' \
        in page(client, goods, "lpg")
    assert '<span class="tag" id="subsidy-tag">Pupuk bersubsidi Urea</span>' in page(client, goods, "urea")
    plain = page(client, goods, "plain")
    assert "lpg-tag" not in plain and "subsidy-tag" not in plain and "het-tag" not in plain


def test_the_het_in_force_is_tagged_not_one_to_come(db, client, goods):
    next_year = utcnow().year + 1
    with db.transaction() as s:
        set_ceiling(s, goods["urea"], price=2_250, effective_from=date(2025, 10, 22))
        set_ceiling(s, goods["urea"], price=1_800, effective_from=date(next_year, 1, 1))
    assert '<span class="tag" id="het-tag">HET Rp2.250/kg</span>' in page(client, goods, "urea")


@pytest.mark.parametrize(("zone", "shown"), [("", "Rp2.300/kg"), ("A", "Rp2.200/kg"), ("B", "Rp2.300/kg")])
def test_the_tag_reads_the_ceiling_of_the_outlets_zone(db, app, client, goods, zone, shown):
    """Every zone's ceiling and zone A's own, set later: the page follows ``POS_HET_ZONE`` as
    the HET screen and the till do, the latest date first, a zone's own row on the same date."""
    with db.transaction() as s:
        for price, start, where in ((2_000, date(2025, 2, 1), None), (2_100, date(2025, 2, 1), "A"),
                                    (2_200, date(2025, 5, 1), "A"), (2_300, date(2025, 5, 1), None),
                                    (1_900, date(utcnow().year + 1, 1, 1), "A")):
            set_ceiling(s, goods["urea"], price=price, effective_from=start, zone=where)
    app.config["HET_ZONE"] = zone
    assert f'<span class="tag" id="het-tag">HET {shown}</span>' in page(client, goods, "urea")
