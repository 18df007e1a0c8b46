"""Money: one rounding rule, tax inside prices, change, and what cashiers type."""
import math
from fractions import Fraction

import pytest
from babel.numbers import format_currency
from hypothesis import given
from hypothesis import strategies as st

from pos import money


@pytest.mark.parametrize("num, den, expected", [
    (5, 10, 1), (4, 10, 0), (15, 10, 2), (25, 10, 3), (-5, 10, -1), (-4, 10, 0), (0, 7, 0),
    (1_999, 1_000, 2), (1_499, 1_000, 1), (1_500, 1_000, 2),
])
def test_round_half_up_examples(num, den, expected):
    assert money.round_half_up(num, den) == expected


@given(st.integers(-10**15, 10**15), st.integers(1, 10**6))
def test_round_half_up_is_nearest_with_halves_away_from_zero(num, den):
    exact = Fraction(num, den)
    result = money.round_half_up(num, den)
    assert abs(result - exact) <= Fraction(1, 2)
    if abs(result - exact) == Fraction(1, 2):
        assert abs(result) > abs(exact)


def test_round_half_up_refuses_a_zero_denominator():
    with pytest.raises(ValueError):
        money.round_half_up(1, 0)


@pytest.mark.parametrize("gross, rate, tax", [
    (11_100, 1100, 1_100), (3_500, 1100, 347), (7_000, 1100, 694), (10_000, 0, 0), (1, 1100, 0),
])
def test_tax_inside_an_inclusive_price(gross, rate, tax):
    assert money.tax_included(gross, rate) == tax


@given(st.integers(0, 10**12), st.sampled_from([0, 1100, 1200]))
def test_tax_included_never_exceeds_the_gross(gross, rate):
    tax = money.tax_included(gross, rate)
    assert 0 <= tax <= gross
    assert tax == money.round_half_up(gross * rate, 10_000 + rate)


def test_tax_added_and_percent_of():
    assert money.tax_added(10_000, 1100) == 1_100
    assert money.percent_of(12_345, 250) == 309  # 308.625 rounds up


@pytest.mark.parametrize("price, qty, per, amount", [
    (3_500, 3, 1, 10_500), (14_000, 1_250, 1000, 17_500), (14_000, 333, 1000, 4_662),
    (1_800, 50_000, 1000, 90_000), (15_700, 1, 1, 15_700),
])
def test_line_amount_for_pieces_and_weight(price, qty, per, amount):
    assert money.line_amount(price, qty, per) == amount


def test_change_due_and_short_cash():
    assert money.change_due(21_000, 50_000) == 29_000
    assert money.change_due(21_000, 21_000) == 0
    with pytest.raises(money.MoneyError, match="kurang"):
        money.change_due(21_000, 20_999)


@pytest.mark.parametrize("text, value", [
    ("50000", 50_000), ("50.000", 50_000), ("Rp50.000", 50_000), ("rp 50.000", 50_000),
    ("Rp. 1.250.000", 1_250_000), ("50.000,-", 50_000), ("50.000,00", 50_000), (" 7 ", 7), ("0", 0),
])
def test_parse_rupiah_accepts_what_cashiers_type(text, value):
    assert money.parse_rupiah(text) == value


@pytest.mark.parametrize("text", [
    "", "abc", "-5000", "+5000", "50,5", "5.00", "50.0000", "1e6", "12.34.567", "Rp", "50 000x",
    "99999999999", "1 2 3 4", "1 000", "Rp 50 000", "50.000 ,-",
])
def test_parse_rupiah_rejects_malformed_money(text):
    with pytest.raises(money.MoneyError):
        money.parse_rupiah(text)


def test_parse_rupiah_enforces_the_maximum():
    with pytest.raises(money.MoneyError, match="terlalu besar"):
        money.parse_rupiah("2.000.000", maximum=1_000_000)


@given(st.integers(-10**12, 10**12))
def test_format_rupiah_matches_babel_indonesian(value):
    expected = format_currency(value, "IDR", locale="id_ID", format="¤#,##0", currency_digits=False)
    assert money.format_rupiah(value) == expected


@given(st.integers(0, 10**9))
def test_formatted_amounts_parse_back(value):
    assert money.parse_rupiah(money.format_rupiah(value)) == value


def test_no_float_rounding_anywhere():
    assert money.round_half_up(10**18 + 5, 10) == 10**17 + 1
    assert not math.isnan(money.round_half_up(1, 3))


@pytest.mark.parametrize("rate_bp, text", [
    (1100, "11"), (1200, "12"), (1250, "12,5"), (1205, "12,05"), (5, "0,05"), (0, "0"),
    (-43, "-0,43"), (-5, "-0,05"), (-730, "-7,3"), (-1250, "-12,5"), (-100, "-1")])
def test_rates_read_as_indonesian_percentages(rate_bp, text):
    assert money.format_rate(rate_bp) == text


@pytest.mark.parametrize("rate_bp, text", [
    (1800, "18,00"), (1269, "12,69"), (1250, "12,50"), (5, "0,05"), (0, "0,00"), (-730, "-7,30")])
def test_a_column_of_rates_keeps_two_decimals(rate_bp, text):
    assert money.format_rate(rate_bp, fixed=True) == text


def test_report_margins_line_up():
    from pos.reports.shape import Column, cell_text
    margin = Column("margin_pct", "Margin", "percent")
    assert [cell_text({"margin_pct": bp}, margin) for bp in (1800, 1269, None)] == \
        ["18,00%", "12,69%", ""]


def test_money_errors_are_pos_errors_with_a_status():
    from pos.errors import PosError

    with pytest.raises(PosError) as caught:
        money.parse_rupiah("lima ribu")
    assert caught.value.status == 422 and "tidak valid" in caught.value.message


@given(st.integers(-10**15, 10**15))
def test_numbers_group_like_babel_indonesian(value):
    from babel.numbers import format_decimal

    from pos.units import format_number

    assert format_number(value) == format_decimal(value, locale="id_ID")


@pytest.mark.parametrize("unit, qty, shown, typed", [
    ("gram", 1_500, "1,5 kg", "1,5"), ("gram", -1_500, "-1,5 kg", "-1,5"),
    ("gram", -250, "-0,25 kg", "-0,25"), ("ml", -2_000, "-2 l", "-2"), ("pcs", -3, "-3", "-3")])
def test_a_quantity_below_zero_keeps_its_digits(unit, qty, shown, typed):
    """Stock sold below zero: ``divmod`` floors, so -1.500 g read ``-2,5 kg``."""
    from pos.units import BaseUnit

    assert BaseUnit(unit).format(qty) == shown
    assert BaseUnit(unit).input_text(qty) == typed


@pytest.mark.parametrize("typed, grams", [("1,5", 1_500), ("1.5", 1_500), ("1,250", 1_250),
                                          ("1.25", 1_250), ("50", 50_000), ("0,750", 750)])
def test_a_weight_typed_with_a_decimal_comma_or_a_short_point(typed, grams):
    from pos.units import BaseUnit

    assert BaseUnit.GRAM.parse_input(typed) == grams


@pytest.mark.parametrize("typed", ["1.500", "0.750", "12.000"])
def test_a_point_before_three_digits_is_refused_not_guessed(typed):
    """e-RDKK's 1.500 kg was read as 1,5 kg: in Indonesian the dot groups thousands."""
    from pos.units import BaseUnit

    with pytest.raises(ValueError, match="koma desimal"):
        BaseUnit.GRAM.parse_input(typed)


@pytest.mark.parametrize("value, shown", [(28_687_500, "28.687.500"), (0, "0"), (-12_000, "-12.000"),
                                          (None, ""), ("5O000", "5O000"), ("", "")])
def test_a_money_field_shows_an_amount_grouped_and_what_was_typed_as_typed(value, shown):
    """The field's first value reads as the cashier's typing will (static/js/money.js), and
    parses back to the same amount."""
    from pos.money import input_text, parse_rupiah

    assert input_text(value) == shown
    if isinstance(value, int) and value >= 0:
        assert parse_rupiah(shown) == value


@pytest.mark.parametrize(("label", "text", "said"), [
    ("Jumlah", "abc", "Jumlah tidak valid. Tulis angka Rupiah, misalnya 50000 atau 50.000."),
    ("Setoran", "2000000000", "Setoran terlalu besar (maksimal Rp1.000.000.000)."),
    ("", "abc", "Jumlah uang tidak valid. Tulis angka Rupiah, misalnya 50000 atau 50.000."),
])
def test_a_money_error_of_a_field_names_it_once(label, text, said):
    with pytest.raises(money.MoneyError) as refused:
        money.parse_rupiah(text)
    assert refused.value.of_field(label) == said


def test_a_difference_carries_its_sign_on_every_screen_and_paper():
    """A cash surplus read Rp10 on Tutup hari and the shift list, +Rp10 on the Z report."""
    shown = [money.format_difference(v) for v in (10, -10, 0, 12_500)]
    assert shown == ["+Rp10", "-Rp10", "Rp0", "+Rp12.500"]
