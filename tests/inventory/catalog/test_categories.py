"""Categories: a typing slip neither splits a category nor leaves a choice behind in the lists."""
from __future__ import annotations

from sqlalchemy import func, select

from pos.inventory.catalog import maintenance
from pos.inventory.catalog.models import Category, Product
from pos.prices.models import MemberDiscount
from tests.factories import login, make_product, make_till, make_user


def test_a_category_typed_in_other_letters_or_spaces_is_the_same_one(db):
    with db.transaction() as s:
        first = make_product(s, category="Sembako Pokok")
        second = make_product(s, category="  sembako   POKOK ")
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Category)) == 1
        ids = s.scalars(select(Product.category_id).where(Product.id.in_([first.id, second.id])))
        assert len(set(ids)) == 1
        assert s.scalar(select(Category.name)) == "Sembako Pokok"


def test_a_slip_corrected_on_its_product_leaves_the_lists(db, client):
    with db.transaction() as s:
        till, manager = make_till(s).id, make_user(s, "manajer1", "manager", "9999").id
        oil = make_product(s, name="Minyak Goreng 1 L", category="Minyak").id
        make_product(s, name="Gula Pasir 1 kg", category="Gula")
    with db.transaction() as s:
        assert maintenance.update_product(s, oil, {"category": "Minyk"}, manager) == ["category"]
    with db.transaction() as s:
        assert maintenance.update_product(s, oil, {"category": "minyak"}, manager) == ["category"]
        assert maintenance.update_product(s, oil, {"category": " MINYAK "}, manager) == []
    login(client, manager, till)
    with db.reading() as s:
        kept = s.scalars(select(Category.name).where(Category.id == select(Product.category_id)
                                                      .where(Product.id == oil).scalar_subquery()))
        assert list(kept) == ["Minyak"]
    count = client.get("/opname").get_data(as_text=True)
    assert ">Minyak</option>" in count and ">Gula</option>" in count
    assert "Minyk" not in count
    prices = client.get("/harga").get_data(as_text=True)
    assert "Minyak (%)" in prices and "Minyk" not in prices
    form = client.get(f"/katalog/{oil}").get_data(as_text=True)
    assert 'list="category-names"' in form
    assert '<option value="Gula">' in form and '<option value="Minyk">' not in form


def test_a_category_with_a_member_discount_stays_on_harga_without_goods(db, client):
    with db.transaction() as s:
        till, manager = make_till(s).id, make_user(s, "manajer1", "manager", "9999").id
        soap = make_product(s, name="Sabun Mandi", category="Sabun")
        s.add(MemberDiscount(category_id=soap.category_id, rate_bp=500, updated_by=manager))
        s.flush()
        soap.category_id = None
    login(client, manager, till)
    prices = client.get("/harga").get_data(as_text=True)
    assert "Sabun (%)" in prices           # its 5% can still be seen and taken off
