"""A member number or card, or a barcode, in any letter case is found through an index on its
capitals (revision 0053): the register's checks of a new number or card (``register.clashes``,
``code_clashes.other_holder``, ``codes.product_holding(any_case=True)``), a saldo awal file's
numbers (``opening_members.members_of``) and an opening stock file's barcodes compared
``upper(...)`` by scanning the whole member or barcode table (some 15 to 120 ms a look-up at
20,000 members and 50,000 barcodes), and ``pos doctor``'s search for two cards alike but for
their letters compared every card with every other (over two minutes at 20,000 members).  The
till's own look-ups (``service.find``: a card as it is, a number in capitals) use the unique
indexes and are checked here too.  On SQLite: EXPLAIN QUERY PLAN (PostgreSQL's plan depends on
its statistics)."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from pos import db as pos_db
from pos.inventory.catalog import codes
from pos.inventory.catalog.models import Product, ProductBarcode
from pos.inventory.opening import service as opening
from pos.members import code_clashes, register, service
from pos.members.accounts.opening_members import members_of
from pos.members.models import Member
from tests.factories import make_product
from tests.query_plans import plans, selects

INDEXES = {"ix_member_number_upper": "upper(number)", "ix_member_card_barcode_upper": "upper(card_barcode)",
           "ix_product_barcode_code_upper": "upper(code)"}


@pytest.fixture
def backend():
    return "sqlite"


def register_of(db):
    with db.transaction() as s:
        s.add_all([Member(number="AGT-0001", name="Siti", card_barcode="kartu-1"),
                   Member(number="AGT-0002", name="Budi", card_barcode="KARTU-2")])
        make_product(s, sku="GULA-1", name="Gula 1 kg", barcodes_=["brg-77"], on_hand=0)


def test_the_registers_checks_of_a_number_or_card_in_any_letters_use_the_indexes(db):
    register_of(db)
    with db.reading() as s, selects(db) as seen:
        errors = register.clashes(s, {"number": "agt-0001", "card_barcode": "Kartu-2"}, None)
        assert errors["number"] == "Nomor anggota agt-0001 sudah dipakai anggota AGT-0001 (Siti)."
        assert code_clashes.other_holder(s, "card_barcode", "Kartu-2", None) \
            == "kartu anggota AGT-0002 (Budi)"
        assert code_clashes.other_holder(s, "number", "KARTU-1", None) == "kartu anggota AGT-0001 (Siti)"
        assert codes.product_holding(s, "BRG-77", any_case=True) == "barcode barang Gula 1 kg (SKU GULA-1)"
    for marker, index, table in (("upper(member.number)", "ix_member_number_upper", "member"),
                                 ("upper(member.card_barcode)", "ix_member_card_barcode_upper", "member"),
                                 ("upper(product_barcode.code)", "ix_product_barcode_code_upper",
                                  "product_barcode")):
        found = plans(db, seen, marker)
        assert len(found) >= 1, (marker, seen)
        for plan in found:
            assert f"USING INDEX {index}" in plan and f"SCAN {table}" not in plan, (marker, plan)


def test_a_files_numbers_and_barcodes_in_any_letters_use_the_indexes(db):
    register_of(db)
    with db.reading() as s, selects(db) as seen:
        assert members_of(s, [{"nomor": "agt-0002"}])["AGT-0002"].name == "Budi"
        assert opening._products(s, [{"sku": "Brg-77", "jumlah": "5"}])["BRG-77"].sku == "GULA-1"
    for marker, index, table in (("upper(member.number)", "ix_member_number_upper", "member"),
                                 ("upper(product_barcode.code)", "ix_product_barcode_code_upper",
                                  "product_barcode")):
        found = plans(db, seen, marker)
        assert len(found) == 1, (marker, seen)
        assert f"USING INDEX {index}" in found[0] and f"SCAN {table}" not in found[0], found[0]


def test_cards_alike_but_for_their_letters_are_paired_through_the_index(db):
    """``pos doctor`` and the home page: each card is looked up once, not compared with every other."""
    register_of(db)
    with db.transaction() as s:
        s.add(Member(number="AGT-0003", name="Tini", card_barcode="KARTU-1"))
    with db.reading() as s, selects(db) as seen:
        assert [(pair.code, pair.problem[:40]) for pair in code_clashes.collisions(s)] == [
            ("KARTU-1", "KARTU-1 adalah kartu anggota AGT-0003 (T")]
    (plan,) = plans(db, seen, "upper(member_1.card_barcode) = upper(member_2.card_barcode)") or \
        plans(db, seen, "upper(member_2.card_barcode) = upper(member_1.card_barcode)")
    assert "USING INDEX ix_member_card_barcode_upper" in plan, plan


def test_the_till_finds_a_card_or_a_number_in_small_letters_by_the_unique_indexes(db):
    register_of(db)
    with db.reading() as s, selects(db) as seen:
        assert service.find(s, "agt-0001").name == "Siti"
        assert service.find(s, "KARTU-2").name == "Budi"
    found = plans(db, seen, "FROM member")
    assert len(found) == 2, seen
    for plan in found:
        assert "SCAN member" not in plan and "SEARCH member USING" in plan, plan


def test_a_products_page_lists_its_clashes_from_its_own_rows(db):
    """``codes.collisions(product_id)`` (the product page) read every barcode and product for an
    OR of the two sides of a clash (some 230 ms at 50,000 products)."""
    with db.transaction() as s:
        gula = make_product(s, sku="GULA-1", name="Gula 1 kg", barcodes_=[], on_hand=0)
        other = make_product(s, sku="GULA-2", name="Gula 2 kg", barcodes_=[], on_hand=0)
        # made before the catalog refused them: a barcode that is another's SKU, two SKUs alike
        s.add_all([ProductBarcode(code="GULA-2", product_id=gula.id),
                   Product(sku="gula-1", name="Gula kecil", business_unit="sembako", price=1_000)])
    with db.reading() as s, selects(db) as seen:
        assert [c.code for c in codes.collisions(s, gula.id)] == ["GULA-1", "GULA-2"]
        assert [c.code for c in codes.collisions(s, other.id)] == ["GULA-2"]
    found = plans(db, seen, "UNION ALL")
    assert len(found) == 2, seen
    for plan in found:
        assert "SCAN" not in plan, plan


def test_the_migrations_make_the_indexes_and_0053_downgrades(tmp_path):
    engine = pos_db.make_engine(f"sqlite:///{tmp_path / 'm.db'}")

    def made():
        with engine.connect() as conn:
            return {name: conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :name"),
                                       {"name": name}).scalar() for name in INDEXES}
    try:
        pos_db.upgrade(engine)
        upgraded = made()
        command.downgrade(pos_db.migrations_config(engine), "0052")
        downgraded = made()
    finally:
        engine.dispose()
    for name, expression in INDEXES.items():
        assert upgraded[name] is not None and expression in upgraded[name].replace('"', "").lower()
        assert downgraded[name] is None
