"""Weighted and price-embedded in-store barcodes: patterns, decoding, round trips."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.inventory.catalog import scancodes
from pos.inventory.catalog.barcodes import is_valid_gtin

PATTERNS = scancodes.compile_patterns(scancodes.DEFAULT_PATTERNS)
WEIGHT, PRICE = PATTERNS


def test_weight_label_decodes_plu_and_grams():
    code = scancodes.encode(WEIGHT, "00123", 1_250)
    assert code.startswith("2100123") and is_valid_gtin(code)
    assert scancodes.decode(code, PATTERNS) == scancodes.Embedded(code, "00123", grams=1_250,
                                                                   pattern="21PPPPPWWWWWC")


def test_price_label_decodes_plu_and_rupiah():
    code = scancodes.encode(PRICE, "42", 17_500)
    found = scancodes.decode(code, PATTERNS)
    assert (found.plu, found.price, found.grams) == ("00042", 17_500, None)


def test_ordinary_codes_are_not_embedded():
    assert scancodes.decode("8991002101012", PATTERNS) is None
    assert scancodes.decode("2000000000015", PATTERNS) is None   # prefix 20: fixed in-store item
    assert scancodes.decode("96385074", PATTERNS) is None


def test_wrong_check_digit_on_a_label_is_refused():
    code = scancodes.encode(WEIGHT, "00123", 1_250)
    bad = code[:-1] + str((int(code[-1]) + 3) % 10)
    with pytest.raises(scancodes.PatternError, match="angka periksa"):
        scancodes.decode(bad, PATTERNS)


@pytest.mark.parametrize("text", ["21PPPPPWWWWW", "21PPPPPWWWWWX", "11PPPPPWWWWWC", "21WWWWWPPPPPC",
                                  "21PPPPPWWRRRC", "21PPPPPPPPPPPC", "", "2PPPPPPWWWWWC"])
def test_malformed_patterns_are_refused(text):
    with pytest.raises(scancodes.PatternError):
        scancodes.compile_patterns([text])


def test_overlapping_prefixes_are_refused():
    with pytest.raises(scancodes.PatternError, match="bertabrakan"):
        scancodes.compile_patterns(["21PPPPPWWWWWC", "210PPPPWWWWWC"])


def test_encode_refuses_values_that_do_not_fit():
    with pytest.raises(scancodes.PatternError):
        scancodes.encode(WEIGHT, "123456", 10)
    with pytest.raises(scancodes.PatternError):
        scancodes.encode(WEIGHT, "1", 100_000)


@given(st.sampled_from(PATTERNS), st.integers(0, 99_999), st.integers(0, 99_999))
def test_round_trip(pattern, plu, value):
    code = scancodes.encode(pattern, str(plu), value)
    found = scancodes.decode(code, PATTERNS)
    assert found.plu == f"{plu:05d}"
    assert (found.grams if pattern.kind == "weight" else found.price) == value


@given(st.text("0123456789", min_size=13, max_size=13))
def test_any_13_digits_decode_or_refuse_cleanly(code):
    try:
        found = scancodes.decode(code, PATTERNS)
    except scancodes.PatternError:
        assert code[:2] in ("21", "23") and not is_valid_gtin(code)
    else:
        assert found is None or is_valid_gtin(code)
