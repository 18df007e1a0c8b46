"""Day documents carrying members' purchases and savings, and the SHU tables' cleanup."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from pos.ledger_hub import protocol, schema
from tests.conftest import empty_tables
from tests.ledger_hub.helpers import document

SHU_TABLES = "hub_shu_member, hub_shu_run, hub_member_purchase, hub_member_saving"


@pytest.fixture(autouse=True)
def clean_shu_tables(hub_url):
    """The hub conftest empties its own tables on PostgreSQL; these are emptied here."""
    yield
    if not hub_url.startswith("postgresql"):
        return
    engine = create_engine(hub_url)
    with engine.connect() as conn:
        made = conn.execute(text("SELECT to_regclass('hub_shu_run')")).scalar() is not None
    if made:
        empty_tables(engine, [schema.metadata.tables[name] for name in SHU_TABLES.split(", ")])
    engine.dispose()


def day_doc(outlet: str, day: str, *, member: int, non_member: int, cogs: int = 0,
            purchases: list[tuple[str, str, int]] = (),
            savings: list[tuple[str, str, int, int]] = ()) -> dict:
    """A balanced day document: cash in for the sales, revenue split member / non-member, the
    cost of goods sold; ``purchases`` (number, name, net total) and ``savings`` (number, name,
    pokok, wajib) in the summary as ``pos.reports.day_parts`` writes them."""
    journal = [{"account": "111000", "name": "Kas", "debit": member + non_member, "credit": 0, "memo": "",
                "unit": None, "member": None},
               {"account": "411100", "name": "Penjualan Sembako - anggota", "debit": 0, "credit": member,
                "memo": "", "unit": "sembako", "member": True},
               {"account": "411200", "name": "Penjualan Sembako - bukan anggota", "debit": 0,
                "credit": non_member, "memo": "", "unit": "sembako", "member": False}]
    if cogs:
        journal += [{"account": "511000", "name": "Harga pokok penjualan Sembako", "debit": cogs, "credit": 0,
                     "memo": "", "unit": "sembako", "member": None},
                    {"account": "114110", "name": "Persediaan Sembako", "debit": 0, "credit": cogs,
                     "memo": "", "unit": "sembako", "member": None}]
    base = document(outlet, day)["summary"]
    summary = {**base, "member_purchases": [
        {"member_id": i, "number": n, "name": name, "purchases": t, "returned": 0, "total": t}
        for i, (n, name, t) in enumerate(purchases, 1)],
        "member_savings": [{"member_id": i, "number": n, "name": name, "pokok": p, "wajib": w,
                            "sukarela": 5_000, "repayments": 0}
                           for i, (n, name, p, w) in enumerate(savings, 1)]}
    doc = document(outlet, day, journal=journal, summary=summary)
    assert protocol.problems(doc) == []
    return doc
