"""Barcode validation that python-barcode does not do (it silently fixes check digits)."""
import pytest
from barcode import EAN8, EAN13
from hypothesis import given
from hypothesis import strategies as st

from pos.inventory.catalog import barcodes


@pytest.mark.parametrize("code", ["8991002101012", "4006381333931", "96385074", "036000291452",
                                  "8998866200301"])
def test_valid_gtins(code):
    assert barcodes.is_valid_gtin(code)
    assert barcodes.validate_scan(code) == code


@pytest.mark.parametrize("code", ["8991002101019", "96385075", "036000291453"])
def test_wrong_check_digit_is_rejected(code):
    assert not barcodes.is_valid_gtin(code)
    with pytest.raises(barcodes.BarcodeProblem, match="angka periksa"):
        barcodes.validate_scan(code)


@pytest.mark.parametrize("raw, message", [
    ("", "kosong"), ("   ", "kosong"), ("89910021010128991002101012", "tergabung"),
    ("<script>", "tidak dikenali"), ("a", "tidak dikenali"),
    ("Indomie goreng", "tidak dikenali formatnya. Untuk mencari nama barang, pakai kotak Cari nama."),
    ("2*8991002101012", r"Jumlah di depan kode \(3\*kode\) hanya di kasir"),   # receiving, counts
])
def test_malformed_scans_say_why(raw, message):
    with pytest.raises(barcodes.BarcodeProblem, match=message):
        barcodes.validate_scan(raw)


def test_scanner_noise_is_stripped():
    assert barcodes.validate_scan(" 8991002101012\r\n") == "8991002101012"
    assert barcodes.validate_scan("]E08991002101012") == "8991002101012"
    assert barcodes.validate_scan("SKU-0001") == "SKU-0001"


@given(st.text("0123456789", min_size=12, max_size=12))
def test_check_digit_agrees_with_python_barcode_ean13(body):
    assert barcodes.with_check_digit(body) == EAN13(body).get_fullcode()
    assert barcodes.is_valid_gtin(barcodes.with_check_digit(body))


@given(st.text("0123456789", min_size=7, max_size=7))
def test_check_digit_agrees_with_python_barcode_ean8(body):
    assert barcodes.with_check_digit(body) == EAN8(body).get_fullcode()


@given(st.text("0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_any_single_digit_error_is_caught(body, delta):
    code = barcodes.with_check_digit(body)
    wrong = code[:-1] + str((int(code[-1]) + delta) % 10)
    assert not barcodes.is_valid_gtin(wrong)
