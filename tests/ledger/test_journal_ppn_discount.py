"""A PKP outlet's discounted lines in the day journal: revenue (411100/411200) at list price net
of PPN and *potongan penjualan* (411900) net of the PPN share the discount carried, so that
revenue - potongan is the line net of PPN to the Rupiah; PPN keluaran as the lines hold it.

The walk-through: a member buys Indomie 4 x Rp3.500 (list Rp14.000, PPN inside Rp1.387) with
the 5% member discount stopped at cost: the line is Rp13.675, PPN inside Rp1.355, net Rp12.320.
The journal credited Penjualan anggota 12.320 + 325 = Rp12.645 and debited potongan Rp325, the
discount's PPN share left inside both; it books 14.000 - 1.387 = Rp12.613 and Rp293."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from pos import chart as charts
from pos.ledger.journal import day_journal
from pos.money import tax_included
from pos.prices import setting
from pos.returns.goods import returned_goods
from pos.returns.service import Wanted
from pos.sales.models import SaleLine
from pos.sales.net import discount_ppn
from pos.sales.pricing import TaxSettings
from pos.settings import service as app_settings
from tests.factories import make_product, make_till, make_user
from tests.members.accounts.conftest import make_member
from tests.returns.conftest import DAY, give_back, manager, sell

INSIDE = TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
ADDED = TaxSettings(pkp=True, rate_bp=1100, inclusive=False)
NOT_PKP = TaxSettings(pkp=False, rate_bp=1100, inclusive=True)
INDOMIE, BERAS = "8990000800019", "8990000800026"
CHART = charts.chart()


@pytest.fixture
def shop(db):
    """A till, a cashier, a manager, a member; Indomie (Rp3.500, cost Rp3.080, PPN) and rice
    (Rp3.500, bebas PPN) in sembako, whose members get 5% off."""
    with db.transaction() as s:
        till = make_till(s)
        cashier = make_user(s, "kasir1", "cashier", "1111")
        boss = make_user(s, "manajer1", "manager", "2222")
        member = make_member(s, name="Daeng Baso")
        make_product(s, name="Indomie Goreng", price=3_500, cost=3_080, on_hand=100,
                     barcodes_=[INDOMIE])
        make_product(s, name="Beras Curah", price=3_500, cost=3_080, on_hand=100,
                     tax_class="bebas", barcodes_=[BERAS])
        setting.set_member_discounts(s, {"sembako": "5"}, {}, boss.id)
    return dict(till=till.id, cashier=cashier.id, manager=boss.id, member=member.id)


def _pkp(db, shop, on: bool = True) -> None:
    with db.transaction() as s:
        app_settings.put_pkp(s, on, shop["manager"])


def _sales_books(db) -> list[tuple]:
    """(account, debit, credit, memo) of the day's revenue, potongan and PPN lines."""
    with db.reading() as s:
        lines = day_journal(s, DAY, zone="Asia/Makassar", chart=CHART)
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    return sorted((x.account, x.debit, x.credit, x.memo) for x in lines
                  if x.account.startswith("41") or x.account == CHART("ppn_out")[0])


def _line(db, sale_id: int) -> SaleLine:
    with db.reading() as s:
        return s.scalar(select(SaleLine).where(SaleLine.sale_id == sale_id))


def test_a_discounted_pkp_line_books_revenue_and_potongan_net_of_ppn(db, shop):
    _pkp(db, shop)
    sale = sell(db, shop, (INDOMIE, 4), member=shop["member"], tax=INSIDE)
    line = _line(db, sale.id)
    assert (line.amount, line.discount, line.tax) == (13_675, 325, 1_355)
    assert _sales_books(db) == [
        (CHART("ppn_out")[0], 0, 1_355, "PPN keluaran penjualan"),   # 212100
        ("411100", 0, 12_613, "Penjualan"),                      # 14.000 - its PPN 1.387
        ("411900", 293, 0, "Potongan penjualan anggota"),        # 325 less its PPN share 32
    ]


def test_its_return_takes_back_what_the_sale_booked(db, shop):
    """One unit back, then the other three: each return debits its refund net of PPN plus its
    share of the net potongan, the two together reverse the sale's lines exactly."""
    _pkp(db, shop)
    sale = sell(db, shop, (INDOMIE, 4), member=shop["member"], tax=INSIDE)
    line = _line(db, sale.id)
    give_back(db, manager(shop), sale.id, Wanted(line.id, 1))
    with db.reading() as s:
        [goods] = returned_goods(s, DAY)
    assert (goods.revenue, goods.tax, goods.discount) == (3_419 - 339, 339, 73)   # 293 / 4
    give_back(db, manager(shop), sale.id, Wanted(line.id, 3))
    books = _sales_books(db)
    assert ("411100", 12_613, 0, "Retur penjualan") in books
    assert ("411900", 0, 293, "Retur potongan penjualan anggota") in books
    net: dict[str, int] = {}
    for account, debit, credit, _ in books:
        net[account] = net.get(account, 0) + debit - credit
    assert set(net.values()) == {0}


def test_tax_added_prices_keep_their_discount_which_has_no_ppn_in_it(db, shop):
    """Prices before tax: the line and its discount are already without PPN, added on top."""
    _pkp(db, shop)
    sale = sell(db, shop, (INDOMIE, 4), member=shop["member"], tax=ADDED)
    line = _line(db, sale.id)
    assert (line.amount, line.discount, line.tax) == (13_300, 700, 1_463)
    give_back(db, manager(shop), sale.id, Wanted(line.id, 1))
    books = _sales_books(db)
    assert ("411100", 0, 14_000, "Penjualan") in books
    assert ("411900", 700, 0, "Potongan penjualan anggota") in books
    assert ("411100", 3_325 + 175, 0, "Retur penjualan") in books
    assert ("411900", 0, 175, "Retur potongan penjualan anggota") in books


@pytest.mark.parametrize("pkp", [False, True])
def test_no_ppn_no_change_not_pkp_nor_bebas(db, shop, pkp):
    """A non-PKP outlet's lines and a PKP outlet's PPN-exempt goods hold no PPN: their potongan
    is the discount as given."""
    _pkp(db, shop, pkp)
    code, tax = (BERAS, INSIDE) if pkp else (INDOMIE, NOT_PKP)
    sale = sell(db, shop, (code, 4), member=shop["member"], tax=tax)
    line = _line(db, sale.id)
    assert (line.amount, line.discount, line.tax) == (13_300, 700, 0)
    give_back(db, manager(shop), sale.id, Wanted(line.id, 4))
    assert [x for x in _sales_books(db) if x[0] != CHART("ppn_out")[0]] == [
        ("411100", 0, 14_000, "Penjualan"), ("411100", 14_000, 0, "Retur penjualan"),
        ("411900", 0, 700, "Retur potongan penjualan anggota"),
        ("411900", 700, 0, "Potongan penjualan anggota")]


@given(amount=st.integers(0, 10**9), discount=st.integers(0, 10**8),
       rate=st.sampled_from([0, 1100, 1200]), added=st.booleans())
def test_revenue_less_potongan_is_the_line_net_of_ppn_to_the_rupiah(amount, discount, rate, added):
    """Whatever the line, list price net of PPN less the net potongan is the line net of PPN,
    and the net potongan is between nothing and the discount given."""
    tax = (amount * rate // 10_000) if added else tax_included(amount, rate)
    ppn = discount_ppn(amount, discount, tax, rate, added)
    inside = 0 if added else tax
    revenue, potongan = amount + discount - inside - ppn, discount - ppn
    assert revenue - potongan == amount - inside
    assert 0 <= potongan <= discount
    if not added:
        assert revenue == amount + discount - tax_included(amount + discount, rate)
