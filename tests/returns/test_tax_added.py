"""Returns of a sale priced before tax (PKP, ``POS_TAX_INCLUSIVE=false``: the PPN is added on
top of the lines): each returned unit is refunded its share of its line's amount and its share
of the line's PPN, so a customer returning 1 of 3 items gets back what they paid for it, in
any order and split of returns, and never more; the journal takes back the PPN refunded from
PPN keluaran and the day balances; the slip shows the PPN refunded."""
from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pos import chart as charts
from pos.inventory.catalog.lookup import lookup_barcode
from pos.ledger.journal import day_journal
from pos.money import format_rupiah as rupiah
from pos.returns import records, slip
from pos.returns.amounts import share
from pos.returns.models import SaleReturn
from pos.returns.service import Wanted
from pos.sales import cart, checkout, pricing
from pos.sales.models import PaymentMethod, Sale, SaleLine
from pos.sales.receipt import OutletInfo
from pos.settings import service as app_settings
from tests.factories import ean13, make_product, notes_covering, shift_of_day
from tests.returns.conftest import DAY, NOW, SOAP, give_back, line_ids, manager, sell

ADDED = pricing.TaxSettings(pkp=True, rate_bp=1100, inclusive=False)
INSIDE = pricing.TaxSettings(pkp=True, rate_bp=1100, inclusive=True)
OUTLET = OutletInfo(name="Koperasi Uji", address="Jl. Uji 1", timezone="Asia/Makassar")


def _pkp(db, shop) -> None:
    with db.transaction() as s:
        app_settings.put_pkp(s, True, shop["manager"])


def _journal(db):
    with db.reading() as s:
        lines = day_journal(s, DAY, zone="Asia/Makassar", chart=charts.chart())
        sold_tax = s.scalar(select(func.coalesce(func.sum(Sale.tax), 0)).where(Sale.business_date == DAY))
        back_tax = s.scalar(select(func.coalesce(func.sum(SaleReturn.tax_total), 0))
                            .where(SaleReturn.business_date == DAY))
    ppn = charts.chart()("ppn_out")[0]
    return lines, int(sold_tax), int(back_tax), sum(x.credit - x.debit for x in lines if x.account == ppn)


def test_one_of_three_returned_refunds_its_price_and_its_ppn(db, shop):
    _pkp(db, shop)
    sale = sell(db, shop, (SOAP, 3), tax=ADDED)          # 3 x Rp3.000 + PPN 11% Rp990
    assert (sale.total, sale.tax) == (9_990, 990)
    line = line_ids(db, sale.id)[0]
    first = give_back(db, manager(shop), sale.id, Wanted(line, 1))
    assert first.refund_total == 3_330                           # Rp3.000 and its Rp330 PPN
    with db.reading() as s:
        ret = records.get_return(s, first.id)
    assert (ret.refund_total, ret.tax_total) == (3_330, 330)
    assert sum(a for _, a in first.refunds) == 3_330
    text = slip.build(ret, OUTLET, 32).lines
    assert any(x.startswith("PPN") and x.endswith("-Rp330") for x in text), text
    assert any(x.startswith("TOTAL RETUR") and x.endswith("Rp3.330") for x in text), text
    second = give_back(db, manager(shop), sale.id, Wanted(line, 2))
    assert second.refund_total == 6_660 and first.refund_total + second.refund_total == sale.total
    lines, sold_tax, back_tax, ppn = _journal(db)
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    assert (sold_tax, back_tax, ppn) == (990, 990, 0)


def test_tax_inside_the_price_is_refunded_as_before(db, shop):
    _pkp(db, shop)
    sale = sell(db, shop, (SOAP, 3), tax=INSIDE)          # Rp9.000, Rp892 PPN inside
    first = give_back(db, manager(shop), sale.id, Wanted(line_ids(db, sale.id)[0], 1))
    assert first.refund_total == 3_000
    with db.reading() as s:
        ret = records.get_return(s, first.id)
    assert not any(x.startswith("PPN") for x in slip.build(ret, OUTLET, 32).lines)
    lines, sold_tax, back_tax, ppn = _journal(db)
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    assert ppn == sold_tax - back_tax and back_tax == share(892, 3, 0, 1)


cart_st = st.lists(st.tuples(st.integers(100, 60_000), st.integers(1, 5)), min_size=1, max_size=4)


@st.composite
def cart_and_plan(draw):
    """(price, qty) lines and a plan of returns: chunks of some lines' units, shuffled, then
    grouped into returns of one or more chunks (each line at most once per return)."""
    lines = draw(cart_st)
    chunks = []
    for n, (_, qty) in enumerate(lines):
        left = qty if draw(st.booleans()) else draw(st.integers(0, qty))
        while left:
            take = draw(st.integers(1, left))
            chunks.append((n, take))
            left -= take
    chunks = draw(st.permutations(chunks))
    plan: list[dict[int, int]] = []
    for n, qty in chunks:
        if plan and n not in plan[-1] and draw(st.booleans()):
            plan[-1][n] = qty
        else:
            plan.append({n: qty})
    return lines, plan


def _sell_added(db, shop, lines) -> int:
    with db.transaction() as s:
        for price, qty in lines:
            code = ean13()
            make_product(s, price=price, cost=1, on_hand=qty, barcodes_=[code])
            cart.add(s, shop["till"], lookup_barcode(s, code), times=qty)
    with db.transaction() as s:
        shift_of_day(s, shop["till"], shop["cashier"], DAY)
        return checkout.checkout(
            s, till_id=shop["till"], cashier_id=shop["cashier"], idempotency_key=str(uuid.uuid4()),
            tenders=[checkout.Tender(PaymentMethod.CASH, notes_covering(s, shop["till"], ADDED))],
            outlet_code="TST01", timezone="Asia/Makassar", tax=ADDED, now=NOW).sale.id


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cart_and_plan())
def test_any_split_of_returns_refunds_what_was_paid_for_the_units_never_more(db, shop, case):
    _pkp(db, shop)
    lines, plan = case
    sale_id = _sell_added(db, shop, lines)
    ids = line_ids(db, sale_id)
    with db.reading() as s:
        sale = s.get(Sale, sale_id)
        rows = {r.id: r for r in s.scalars(select(SaleLine).where(SaleLine.sale_id == sale_id))}
        total, tax = sale.total, sale.tax
    assert total == sum(r.amount + r.tax for r in rows.values()) and tax > 0
    back: dict[int, int] = {}
    refunded = 0
    for wanted in plan:
        done = give_back(db, manager(shop), sale_id, *(Wanted(ids[n], q) for n, q in wanted.items()))
        refunded += done.refund_total
        for n, q in wanted.items():
            back[n] = back.get(n, 0) + q
        paid = sum(share(rows[ids[n]].amount, rows[ids[n]].qty, 0, k)
                   + share(rows[ids[n]].tax, rows[ids[n]].qty, 0, k) for n, k in back.items())
        assert refunded == paid <= total            # exactly what the units cost, never more
        with db.reading() as s:
            ret = records.get_return(s, done.id)
        taxed = [x for x in slip.build(ret, OUTLET, 32).lines if x.startswith("PPN")]
        assert len(taxed) == (1 if ret.tax_total else 0), taxed
        assert not taxed or taxed[0].endswith("-" + rupiah(ret.tax_total))
    if all(back.get(n, 0) == qty for n, (_, qty) in enumerate(lines)):
        assert refunded == total
    journal, sold_tax, back_tax, ppn = _journal(db)
    assert sum(x.debit for x in journal) == sum(x.credit for x in journal)
    assert ppn == sold_tax - back_tax and back_tax <= sold_tax


def test_a_sale_priced_before_tax_books_its_revenue_without_the_ppn_added(db, shop):
    _pkp(db, shop)
    sell(db, shop, (SOAP, 3), tax=ADDED)                  # Rp9.000 + PPN Rp990, paid Rp9.990
    lines, sold_tax, _, ppn = _journal(db)
    revenue = [x for x in lines if x.memo == "Penjualan" and x.unit is not None]
    assert sum(x.credit for x in revenue) == 9_000 and ppn == sold_tax == 990
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
