"""The prescription line under an obat keras on the receipt: it broke a name mid-way
("Resep: No R/2026/1203-07 dr." then "Hendra Wijaya 03-12-2026"); it now breaks between the
number, the doctor and the date, the doctor kept whole where a line holds it and the date never
split.  Pure layout, no database."""
from __future__ import annotations

from datetime import date

import pytest

from pos.hardware.text import wrap_phrases
from pos.sales.receipt import rx_lines

RX = {"rx_number": "R/2026/1203-07", "doctor": "Hendra Wijaya", "rx_date": date(2026, 12, 3)}


def test_on_48_columns_the_doctor_stays_whole():
    assert rx_lines(RX, 48) == ["  Resep: No R/2026/1203-07 dr. Hendra Wijaya", "  03-12-2026"]


def test_on_32_columns_the_doctor_and_the_date_go_down_together():
    assert rx_lines(RX, 32) == ["  Resep: No R/2026/1203-07", "  dr. Hendra Wijaya 03-12-2026"]


def test_a_short_prescription_stays_on_one_line():
    short = {"rx_number": "R-0112", "doctor": "Sari", "rx_date": date(2026, 11, 28)}
    assert rx_lines(short, 48) == ["  Resep: No R-0112 dr. Sari 28-11-2026"]
    assert rx_lines(short, 32) == ["  Resep: No R-0112 dr. Sari", "  28-11-2026"]
    assert rx_lines(None, 32) == []


@pytest.mark.parametrize("columns", [32, 48])
def test_a_doctor_longer_than_a_line_breaks_between_words_and_the_date_stays_whole(columns):
    long = {"rx_number": "R/2026/1203-07", "rx_date": date(2026, 12, 3),
            "doctor": "Hendra Wijaya Kusumaningrat Prawiranegara, Sp.PD-KGEH, FINASIM"}
    lines = rx_lines(long, columns)
    assert all(len(line) <= columns and line.startswith("  ") for line in lines)
    assert lines[0] == "  Resep: No R/2026/1203-07"
    assert sum("03-12-2026" in line for line in lines) == 1
    words = " ".join(lines).split()
    assert words == ["Resep:", "No", "R/2026/1203-07", "dr.", *long["doctor"].split(), "03-12-2026"]


def test_phrases_fill_lines_and_a_phrase_too_long_is_wrapped_at_spaces():
    assert wrap_phrases(["ab cd", "ef gh", "ij"], 11) == ["ab cd ef gh", "ij"]
    assert wrap_phrases(["ab cd", "ef gh ij kl", "mn"], 8) == ["ab cd", "ef gh ij", "kl mn"]
    assert wrap_phrases(["", "ab"], 8) == ["ab"]
