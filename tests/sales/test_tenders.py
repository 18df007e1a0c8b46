"""tenders.settle and tenders.from_form, pure: split sums, change only from cash, cash rounding
that still balances (lines + rounding == total == the payments' amounts), tampered forms."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from pos.money import round_cash
from pos.payments.reference import check_reference
from pos.sales.models import PaymentMethod
from pos.sales.tenders import Tender, TenderError, from_form, other_cart, settle

CASH, QRIS, TRANSFER, CREDIT = (PaymentMethod.CASH, PaymentMethod.QRIS, PaymentMethod.TRANSFER,
                                PaymentMethod.MEMBER_CREDIT)


def qris(amount):
    return Tender(QRIS, amount, confirmed=True)


def balanced(total, s):
    assert s.total == total + s.rounding == sum(p.amount for p in s.payments)
    assert s.tendered == sum(p.tendered for p in s.payments)
    assert s.change == s.tendered - s.total >= 0


def test_cash_only_gives_change():
    s = settle(21_000, [Tender(CASH, 50_000)])
    balanced(21_000, s)
    assert (s.total, s.rounding, s.change) == (21_000, 0, 29_000)
    assert [(p.method, p.amount, p.tendered) for p in s.payments] == [(CASH, 21_000, 50_000)]


def test_split_qris_transfer_credit_and_cash():
    s = settle(100_000, [qris(30_000), Tender(TRANSFER, 20_000, "TRX-991"), Tender(CREDIT, 10_000),
                         Tender(CASH, 50_000)])
    balanced(100_000, s)
    assert [(p.method, p.amount) for p in s.payments] == [
        (QRIS, 30_000), (TRANSFER, 20_000), (CREDIT, 10_000), (CASH, 40_000)]
    assert s.change == 10_000
    assert s.payments[0].confirmed and s.payments[1].reference == "TRX-991"


def test_non_cash_pays_all_without_cash():
    s = settle(12_500, [qris(12_500)])
    balanced(12_500, s)
    assert [p.method for p in s.payments] == [QRIS] and s.change == 0


@pytest.mark.parametrize("given, message", [
    ([qris(12_501)], "melebihi sisa"),                                  # change never from QRIS
    ([Tender(TRANSFER, 5_000, "REF1"), Tender(CREDIT, 8_000)], "melebihi sisa"),
    ([qris(5_000)], "Belum lunas"),                                     # nothing pays the rest
    ([qris(5_000), Tender(CASH, 7_000)], "Kurang Rp500"),
    ([Tender(QRIS, 12_500)], "belum dikonfirmasi"),                     # not confirmed by hand
    ([Tender(TRANSFER, 12_500)], "Referensi bank wajib diisi"),
    ([Tender(TRANSFER, 12_500, "ab")], "Referensi bank tidak sah: 3 sampai 64"),
    ([Tender(TRANSFER, 12_500, "x" * 65)], "Referensi bank"),
    ([Tender(TRANSFER, 12_500, "REF\x1b1")], "Referensi bank"),
    ([Tender(CREDIT, 0), Tender(CASH, 20_000)], "lebih dari nol"),
    ([Tender(CREDIT, -1), Tender(CASH, 20_000)], "lebih dari nol"),
    ([Tender(CASH, -1)], "tidak valid"),
    ([qris(12_500), Tender(CASH, 10_000)], "kosongkan uang diterima"),  # paid: no cash to change
    ([Tender(CASH, 10_000), Tender(CASH, 5_000)], "Terlalu banyak"),
    ([qris(1)] * 9 + [Tender(CASH, 20_000)], "Terlalu banyak"),
    # nothing typed in Uang diterima, nothing else added: what remains, not "tidak valid"
    ([], r"^Tulis uang diterima \(sisa Rp12\.500\), F5 untuk uang pas, atau pilih cara bayar lain\.$"),
])
def test_refused(given, message):
    with pytest.raises(TenderError, match=message):
        settle(12_500, given)


@pytest.mark.parametrize("amount, coin, rounded", [
    (12_449, 100, 12_400), (12_450, 100, 12_500), (12_451, 100, 12_500), (12_400, 100, 12_400),
    (49, 100, 0), (50, 100, 100), (12_345, 0, 12_345), (12_345, 1, 12_345), (12_250, 500, 12_500),
    (12_249, 500, 12_000),
])
def test_round_cash_is_half_up_to_the_coin(amount, coin, rounded):
    assert round_cash(amount, coin) == rounded


def test_rounding_applies_to_the_cash_part_only():
    s = settle(12_449, [Tender(CASH, 20_000)], cash_rounding=100)
    balanced(12_449, s)
    assert (s.total, s.rounding, s.change) == (12_400, -49, 7_600)
    # QRIS pays 10.000 exactly; only the cash rest 2.449 is rounded (to 2.400)
    s = settle(12_449, [qris(10_000), Tender(CASH, 2_400)], cash_rounding=100)
    balanced(12_449, s)
    assert [(p.method, p.amount) for p in s.payments] == [(QRIS, 10_000), (CASH, 2_400)]
    assert (s.rounding, s.change) == (-49, 0)
    # no cash at all: nothing is rounded, whatever the setting
    s = settle(12_449, [Tender(TRANSFER, 12_449, "BCA-123")], cash_rounding=100)
    assert (s.total, s.rounding) == (12_449, 0)


def test_cash_rounded_up_must_be_handed_over():
    with pytest.raises(TenderError, match="Kurang Rp50"):
        settle(12_450, [Tender(CASH, 12_450)], cash_rounding=100)
    assert settle(12_450, [Tender(CASH, 12_500)], cash_rounding=100).rounding == 50


def test_cash_handed_over_must_be_whole_coins_of_the_drawer():
    """Rp20.050 handed over for Rp20.000 at Rp100 rounding gave Rp50 change no drawer holds."""
    with pytest.raises(TenderError, match=r"Uang diterima Rp20\.050 tidak bisa dibayar dengan uang "
                       r"tunai: pecahan terkecil di laci Rp100\. Tulis Rp20\.000 atau Rp20\.100\."):
        settle(20_000, [Tender(CASH, 20_050)], cash_rounding=100)
    assert settle(20_000, [Tender(CASH, 20_100)], cash_rounding=100).change == 100
    assert settle(20_000, [Tender(CASH, 20_050)]).change == 50   # no rounding set: any Rupiah


amounts = st.integers(min_value=0, max_value=5_000_000)


@st.composite
def sales(draw):
    total = draw(amounts)
    others, left = [], total
    for method in draw(st.lists(st.sampled_from([QRIS, TRANSFER, CREDIT]), max_size=4)):
        if left == 0:
            break
        amount = draw(st.integers(min_value=1, max_value=left))
        left -= amount
        others.append(Tender(method, amount, "REF-1" if method is TRANSFER else None,
                             method is QRIS))
    coin = draw(st.sampled_from([0, 1, 50, 100, 500, 1_000]))
    due = round_cash(left, coin)
    unit = max(coin, 1)   # cash is handed in the drawer's coins
    cash = [Tender(CASH, due + unit * draw(st.integers(min_value=0, max_value=100_000 // unit)))] \
        if due or not others else []
    return total, others + cash, coin


def one_kasbon(pairs):
    """The (method, amount) pairs as applied: every kasbon summed into the first."""
    kasbon = sum(a for m, a in pairs if m is CREDIT)
    out, seen = [], False
    for method, amount in pairs:
        if method is CREDIT and not seen:
            out.append((CREDIT, kasbon))
        if method is not CREDIT:
            out.append((method, amount))
        seen = seen or method is CREDIT
    return out


def test_two_kasbon_tenders_are_one_payment_and_two_transfers_stay_two():
    """Kasbon added twice on one sale (Rp100.000 and Rp20.620) printed two kasbon lines, the
    second with its own Saldo kasbon, and counted the sale twice in the day's kasbon."""
    s = settle(150_000, [Tender(CREDIT, 100_000), Tender(TRANSFER, 10_000, "BRI-1"),
                         Tender(CREDIT, 20_620), Tender(TRANSFER, 9_000, "BCA-2"), qris(5_000),
                         qris(5_000), Tender(CASH, 1_000)])
    balanced(150_000, s)
    assert [(p.method, p.amount, p.reference) for p in s.payments] == [
        (CREDIT, 120_620, None), (TRANSFER, 10_000, "BRI-1"), (TRANSFER, 9_000, "BCA-2"),
        (QRIS, 5_000, None), (QRIS, 5_000, None), (CASH, 380, None)]
    with pytest.raises(TenderError, match="Kasbon anggota Rp20.001 melebihi sisa Rp20.000"):
        settle(20_000, [Tender(CREDIT, 10_000), Tender(CREDIT, 10_001)])   # judged as the sum
    with pytest.raises(TenderError, match="harus lebih dari nol"):
        settle(20_000, [Tender(CREDIT, 10_000), Tender(CREDIT, 0), Tender(CASH, 10_000)])


@given(sales())
def test_any_split_balances(sale):
    total, given_, coin = sale
    s = settle(total, given_, coin)
    balanced(total, s)
    non_cash = [p for p in s.payments if p.method is not CASH]
    assert [(p.method, p.amount) for p in non_cash] == one_kasbon(
        [(t.method, t.tendered) for t in given_ if t.method is not CASH])
    assert all(p.amount == p.tendered for p in non_cash)          # change only from cash
    assert abs(s.rounding) * 2 <= max(coin, 1) and (coin > 1 or s.rounding == 0)
    if coin > 1 and any(p.method is CASH for p in s.payments):
        assert s.cash_due % coin == 0


@given(amounts, st.integers(min_value=1, max_value=100_000), st.sampled_from([QRIS, TRANSFER, CREDIT]))
def test_non_cash_over_the_remainder_is_refused(total, over, method):
    with pytest.raises(TenderError, match="melebihi sisa"):
        settle(total, [Tender(method, total + over, "REF-1", True), Tender(CASH, 10**9)])


@given(amounts, st.integers(min_value=1, max_value=5_000_000))
def test_short_cash_is_refused(total, short):
    handed = max(total - short, 0)
    if handed < total:
        with pytest.raises(TenderError, match="Kurang"):
            settle(total, [Tender(CASH, handed)])


def form(**fields):
    data = MultiDict()
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            data.add(name, value)
    return data


def test_form_reads_cash_and_each_tender():
    got = from_form(form(tendered="50.000", tender_method=["qris", "transfer", "member_credit"],
                         tender_amount=["10000", "5000", "2000"],
                         tender_reference=["", " BRI 7781 ", ""], tender_confirmed=["1", "", ""]),
                    10**9)
    assert got == [Tender(QRIS, 10_000, None, True), Tender(TRANSFER, 5_000, "BRI 7781"),
                   Tender(CREDIT, 2_000), Tender(CASH, 50_000)]
    # no cash typed with other tenders: no cash tender; nothing at all: cash is required
    assert from_form(form(tender_method="qris", tender_amount="5", tender_reference="",
                          tender_confirmed="1"), 10**9) == [Tender(QRIS, 5, None, True)]
    assert from_form(form(tendered="0", tender_method="qris", tender_amount="5", tender_reference="",
                          tender_confirmed="1"), 10**9) == [Tender(QRIS, 5, None, True)]
    assert from_form(form(tendered="0"), 10**9) == [Tender(CASH, 0)]
    # nothing typed and nothing else: no tender (settle says what remains), not "tidak valid"
    assert from_form(form(), 10**9) == from_form(form(tendered="  "), 10**9) == []
    with pytest.raises(TenderError, match="^Uang diterima tidak valid. Tulis angka Rupiah"):
        from_form(form(tendered="abc"), 10**9)


def test_form_reads_the_cart_and_member_each_tender_was_added_for():
    got = from_form(form(tender_method=["transfer", "member_credit"], tender_amount=["5000", "2000"],
                         tender_reference=["BRI 1", ""], tender_confirmed=["", ""],
                         tender_cart=["ab12", "ab12"], tender_member=["AGT-0001", " AGT-0002 "]), 10**9)
    # a transfer carries no member (only kasbon is a member's)
    assert got == [Tender(TRANSFER, 5_000, "BRI 1", False, "ab12", None),
                   Tender(CREDIT, 2_000, None, False, "ab12", "AGT-0002")]
    assert other_cart(got, "ab12") == ""
    assert other_cart(got, "cd34").startswith("Transfer/Debit Rp5.000 (Ref BRI 1) ditambahkan untuk "
                                              "keranjang lain")
    # not sent (an older page): not checked
    assert other_cart([Tender(TRANSFER, 5_000, "BRI 1")], "cd34") == ""
    # cash typed at Selesai is always this cart's
    assert other_cart([Tender(CASH, 5_000)], "cd34") == ""


def test_one_bank_reference_twice_in_one_payment_is_refused():
    fields = dict(tender_amount=["1000", "1000", "1000"], tender_confirmed=["", "", ""],
                  tender_method=["transfer", "transfer", "transfer"])
    two = from_form(form(tender_reference=["BRI-1", "BRI-2", "BRI-3"], **fields), 10**9)
    assert [t.reference for t in two] == ["BRI-1", "BRI-2", "BRI-3"]
    for twice in (["BRI-123456", "BRI-2", "BRI-123456"], ["BRI-123456", " bri-123456 ", "X-3"]):
        with pytest.raises(TenderError, match="^Referensi BRI-123456 sudah ada pada pembayaran ini"):
            from_form(form(tender_reference=twice, **fields), 10**9)


@pytest.mark.parametrize("fields, message", [
    (dict(tender_method="qris", tender_amount="5"), "tidak sah"),                 # lists differ
    (dict(tender_method="cash", tender_amount="5", tender_reference="", tender_confirmed=""),
     "tidak sah"),                                                               # cash is 'tendered'
    (dict(tender_method="voucher", tender_amount="5", tender_reference="", tender_confirmed=""),
     "tidak sah"),
    (dict(tender_method="qris", tender_amount="-5", tender_reference="", tender_confirmed="1"),
     "tidak sah"),
    (dict(tender_method="qris", tender_amount="5.000", tender_reference="", tender_confirmed="1"),
     "tidak sah"),
    (dict(tender_method="qris", tender_amount="５", tender_reference="", tender_confirmed="1"),
     "tidak sah"),
    (dict(tender_method="qris", tender_amount="5", tender_reference="", tender_confirmed="yes"),
     "tidak sah"),
    (dict(tender_method="qris", tender_amount="99999999999", tender_reference="",
          tender_confirmed="1"), "terlalu besar"),
    (dict(tender_method="transfer", tender_amount="5", tender_reference="", tender_confirmed=""),
     "Referensi bank"),
    (dict(tender_method=["qris"] * 9, tender_amount=["1"] * 9, tender_reference=[""] * 9,
          tender_confirmed=["1"] * 9), "tidak sah"),
    (dict(tendered="-5000"), "tidak valid"), (dict(tendered="3.500,50"), "tidak valid"),
])
def test_malformed_forms_are_refused(fields, message):
    with pytest.raises(TenderError, match=message):
        from_form(form(**fields), 1_000_000_000)


def test_reference_rule():
    assert check_reference("  ABC ") == "ABC"
    assert check_reference("x" * 64) == "x" * 64
    for wrong in ("ab", "x" * 65, "AB\x07C"):
        with pytest.raises(TenderError, match="Referensi bank tidak sah"):
            check_reference(wrong, TenderError)
