"""``pos.text``: control characters out, ASCII digits only; and the amount parser built on the same rule."""
from __future__ import annotations

import pytest

from pos.money import MoneyError, parse_rupiah
from pos.text import clean, is_digits, visible


@pytest.mark.parametrize("raw, cleaned", [
    ("Indomie Goreng", "Indomie Goreng"),
    ("Gula\x1bp\x00\x19\xfa", "Gulapú"),
    ("Kopi\tSusu\r\nSachet", "Kopi Susu  Sachet"),
    ("A\x7fB\x85C\x9fD", "ABCD"),
    ("Teh\u00a0Botol ½ L ٣", "Teh\u00a0Botol ½ L ٣"),  # not control characters: kept
    ("", ""),
])
def test_clean_removes_c0_del_and_c1(raw, cleaned):
    assert clean(raw) == cleaned


def test_clean_keeps_nothing_below_space_nor_del_nor_c1():
    every = "".join(map(chr, range(0x250)))
    assert not [c for c in clean(every) if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0]


@pytest.mark.parametrize("text, most, ok", [
    ("0", 12, True), ("123456789012", 12, True), ("1234567890123", 12, False), ("", 12, False),
    ("８", 12, False), ("٣", 12, False), ("²", 12, False), ("+1", 12, False), (" 1", 12, False),
    ("1_0", 12, False), ("12", 1, False),
])
def test_is_digits_takes_ascii_digits_only(text, most, ok):
    assert is_digits(text, most) is ok


@pytest.mark.parametrize("text", ["５０.０００", "٣٠٠٠", "5０00", "²", "9" * 31, "9" * 4_301, "1" * 10_000,
                                  "50.000.", "Rp-5", "5e3"])
def test_parse_rupiah_refuses_unicode_digits_and_endless_numbers(text):
    with pytest.raises(MoneyError):
        parse_rupiah(text)


def test_parse_rupiah_still_reads_what_cashiers_type():
    assert [parse_rupiah(t) for t in ("50000", "50.000", "Rp50.000", "50.000,-", "rp 1.250.000,00")] \
        == [50_000, 50_000, 50_000, 50_000, 1_250_000]
    with pytest.raises(MoneyError, match="terlalu besar"):
        parse_rupiah("1" + "0" * 20)


def test_visible_drops_format_characters_as_well_as_controls():
    assert visible("B\u200b99\u00ad001\ufeff\x1b") == "B99001"
    assert visible("Kopi Luwak") == "Kopi Luwak" and visible("Café") == "Café"
