"""The demo's SPHP limit rule and LPG 3 kg products (pos/demo/regulated.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

import pos.models
from pos.db import make_engine
from pos.demo.seed import seed_demo
from pos.het.service import ceiling
from pos.inventory import stock
from pos.inventory.catalog.models import LpgKind, Product
from pos.limits.models import BuyerKind, LimitPeriod, LimitRule


def test_the_demo_limits_sphp_and_sells_lpg_at_its_ceiling(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    pos.models.metadata.create_all(engine)
    with Session(engine) as session:
        seed_demo(session, history_days=0)  # the rule and the goods, not the days sold
        session.commit()
        rule = session.execute(select(LimitRule)).scalar_one()
        assert (rule.name, rule.max_qty, rule.period, rule.buyer) == (
            "Beras SPHP", 2, LimitPeriod.DAY, BuyerKind.ANY)
        under = session.scalars(select(Product.name).where(Product.limit_rule_id == rule.id)).all()
        assert under == ["Beras SPHP Bulog 5 kg"]
        lpg = {p.name: p for p in session.scalars(select(Product).where(Product.lpg.is_not(None)))}
        assert {n: p.lpg for n, p in lpg.items()} == {
            "LPG 3 kg isi ulang": LpgKind.REFILL, "LPG 3 kg tabung baru": LpgKind.NEW}
        refill = lpg["LPG 3 kg isi ulang"]
        assert refill.price == 18_000 and refill.barcodes[0].code == "8990003000034"
        assert stock.on_hand(session, refill.id) > 0
        assert ceiling(session, refill.id, date(2026, 11, 30), "2") == 18_000
    engine.dispose()
