"""A label and its amount on receipt paper (pos.hardware.text.fit_cols), at 32 columns (58 mm) and
48 (80 mm). A label longer than a line ("Retur ke kasbon anggota (dikreditkan)" on 58 mm) took
three lines: "(dikreditkan)" alone on the second and the amount alone on the third. Now a long
label breaks between words only and the amount stands at the right end of its last line when
there is room there (a label whole on one line keeps it, the amount under it when it has none).
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.hardware.text import fit_cols
from pos.shifts.zreport import RETURN_LABELS

WIDTHS = (32, 48)


def laid_out_well(left: str, right: str, width: int, out: list[str]) -> None:
    """Every line fits; the label's words come whole and in order; the amount once, at the right
    end of the last line; the amount beside the label whenever its last line had room."""
    assert all(len(line) <= width for line in out), out
    assert out[-1].endswith(right) and len(out[-1]) == width, out
    words = left.split()
    label_part = [*out[:-1], out[-1][:-len(right)]]
    assert " ".join(" ".join(label_part).split()) == " ".join(words), out
    if all(len(word) <= width for word in words):          # nothing needed breaking inside a word
        shown = [line.split() for line in label_part]
        assert sum(shown, []) == words, out
    indent = left[:len(left) - len(left.lstrip())]
    assert all(line.startswith(indent) for line in label_part if line.strip()), out
    bare = out[-1][:-len(right)].rstrip()
    if len(out) > 1 and not bare:                          # the amount alone: no room after the label
        before = out[-2]
        assert len(before) + 1 + len(right) > width, out


@pytest.mark.parametrize("label", [*RETURN_LABELS.values(), "Retur lewat Transfer/Debit",
                                   "Penjualan setelah retur", "Sisa simpanan sukarela"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("amount", ["-Rp25.000", "-Rp1.250.000", "Rp123.456.789"])
def test_every_z_report_label_wraps_between_words(label, width, amount):
    for left in (label, f"  {label}"):
        laid_out_well(left, amount, width, fit_cols(left, amount, width))


def test_the_kasbon_return_on_58_mm_paper_puts_its_amount_beside_its_last_word():
    assert fit_cols("  Retur ke kasbon anggota (dikreditkan)", "-Rp25.000", 32) == [
        "  Retur ke kasbon anggota",
        "  (dikreditkan)" + "-Rp25.000".rjust(32 - 15)]
    # on 80 mm the label is one line whole, one column short of the amount: the amount under it,
    # as a quantity and its price stay whole ("1,25 kg (manual) x Rp13.500" over "Rp16.875")
    assert fit_cols("  Retur ke kasbon anggota (dikreditkan)", "-Rp25.000", 48) == [
        "  Retur ke kasbon anggota (dikreditkan)", "-Rp25.000".rjust(48)]
    assert fit_cols("  Retur ke kasbon anggota (dikreditkan)", "-Rp5.000", 48) == [
        "  Retur ke kasbon anggota (dikreditkan)" + "-Rp5.000".rjust(48 - 39)]


def test_a_hyphenated_word_is_never_broken_at_its_hyphen():
    """(Broken at its hyphen, "simpan-" ended the first line and "pinjam" began the next.)"""
    out = fit_cols("  Retur ke kasbon anggota simpan-pinjam", "-Rp25.000", 32)
    assert out == ["  Retur ke kasbon anggota", "  simpan-pinjam" + "-Rp25.000".rjust(32 - 15)]


def test_a_single_word_on_the_last_line_takes_its_neighbour_when_both_fit_beside_the_amount():
    """"Setoran simpanan sukarela anggota" / "koperasi  Rp50.000": the word before comes down."""
    out = fit_cols("Setoran simpanan sukarela anggota koperasi", "Rp50.000", 32)
    assert out == ["Setoran simpanan sukarela", "anggota koperasi" + "Rp50.000".rjust(32 - 16)]


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz()/-.,:", min_size=1, max_size=14)


@given(st.lists(words, min_size=1, max_size=12), st.sampled_from(["", "  ", "    "]),
       st.sampled_from(["Rp0", "-Rp25.000", "Rp1.250.000", "-Rp123.456.789"]), st.sampled_from(WIDTHS))
def test_any_label_breaks_only_between_words_with_the_amount_last(label_words, indent, amount, width):
    left = indent + " ".join(label_words)
    laid_out_well(left, amount, width, fit_cols(left, amount, width))


def test_a_full_last_line_gives_its_last_words_to_the_amounts_line():
    out = fit_cols("Setoran simpanan sukarela anggota koperasi unit desa", "Rp50.000", 32)
    assert out == ["Setoran simpanan sukarela", "anggota koperasi", "unit desa" + "Rp50.000".rjust(32 - 9)]
