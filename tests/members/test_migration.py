"""Revision 0007 on a register in use: the join timestamp becomes the join date, and members
that carts refer to survive the table's rebuild (SQLite) with their ids; and back again.
Revision 0032: member numbers in small letters written in capitals where no other member has
them so."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from pos import db as pos_db
from tests.test_migrations import empty_engine  # noqa: F401 - the SQLite/PostgreSQL fixture


def test_0007_keeps_members_their_ids_and_the_carts_that_refer_to_them(empty_engine):  # noqa: F811
    engine = empty_engine
    pos_db.upgrade(engine, "0006")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO member (id, number, name, nik, active, joined_at) VALUES "
                          "(7, 'AGT-0007', 'Daeng Baso', '6471011705850001', true, "
                          "'2025-07-21 03:15:00'), (8, 'AGT-0008', 'Sri', NULL, false, "
                          "'2025-08-01 23:59:00')"))
        conn.execute(text("INSERT INTO till (id, code, name, active, manual_weight) "
                          "VALUES (1, 'KASIR-1', 'Kasir 1', true, false)"))
        conn.execute(text("INSERT INTO cart (id, till_id, member_id, updated_at) "
                          "VALUES (1, 1, 7, '2026-11-30 01:00:00')"))
    pos_db.upgrade(engine, "0007")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, number, joined_on, address, active FROM member "
                                 "ORDER BY id")).all()
        assert [(r.id, r.number, str(r.joined_on), r.address, bool(r.active)) for r in rows] == [
            (7, "AGT-0007", "2025-07-21", None, True), (8, "AGT-0008", "2025-08-01", None, False)]
        assert conn.execute(text("SELECT member_id FROM cart")).scalar() == 7
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    columns = {c["name"]: c for c in inspect(engine).get_columns("member")}
    assert "joined_at" not in columns and columns["joined_on"]["nullable"] is False
    assert "member_card_sequence" in inspect(engine).get_table_names()
    pos_db.upgrade(engine)   # the rest of the chain runs on top of it


@pytest.mark.parametrize("empty_engine", ["sqlite"], indirect=True)
def test_0007_downgrades_to_the_join_timestamp(empty_engine):  # noqa: F811
    from alembic import command

    engine = empty_engine
    pos_db.upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO member (id, number, name, active, joined_on) "
                          "VALUES (1, 'AGT-1', 'Budi', 1, '2025-07-21')"))
    command.downgrade(pos_db.migrations_config(engine), "0006")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT joined_at FROM member")).scalar().startswith("2025-07-21")
    assert "member_card_sequence" not in inspect(engine).get_table_names()


def test_0032_writes_member_numbers_in_capitals_unless_another_member_has_them(empty_engine):  # noqa: F811
    """Numbers in small letters (an old import, a fix by hand) in capitals; one whose capitals
    another member has stays as it is, for ``pos doctor`` to list; ids, cards and carts kept."""
    engine = empty_engine
    pos_db.upgrade(engine, "0031")
    members = [(1, "agt-0001", "Siti", "agt-0009"), (2, "Agt-0002", "Budi", None),
               (3, "agt-0003", "Ani", None), (4, "AGT-0003", "Dewi", None),
               (5, "kop-7", "Dodi", None), (6, "Kop-7", "Rina", None),
               (7, "AGT-0004", "Wati", None), (8, "agt-0005/b", "Tono", None)]
    with engine.begin() as conn:
        for member_id, number, name, card in members:
            conn.execute(text("INSERT INTO member (id, number, name, card_barcode, active, joined_on) "
                              "VALUES (:id, :number, :name, :card, true, '2025-07-21')"),
                         {"id": member_id, "number": number, "name": name, "card": card})
        conn.execute(text("INSERT INTO till (id, code, name, active, manual_weight) "
                          "VALUES (1, 'KASIR-1', 'Kasir 1', true, false)"))
        conn.execute(text("INSERT INTO cart (id, till_id, member_id, updated_at) "
                          "VALUES (1, 1, 2, '2026-11-30 01:00:00')"))
    pos_db.upgrade(engine, "0032")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, number, card_barcode FROM member ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [
            (1, "AGT-0001", "agt-0009"), (2, "AGT-0002", None), (3, "agt-0003", None),
            (4, "AGT-0003", None), (5, "kop-7", None), (6, "Kop-7", None), (7, "AGT-0004", None),
            (8, "AGT-0005/B", None)]
        assert conn.execute(text("SELECT member_id FROM cart")).scalar() == 2
    pos_db.upgrade(engine)   # the rest of the chain runs on top of it
