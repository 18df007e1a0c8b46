"""``pos.text_table.aligned``: command-line tables whose columns line up, nothing cut."""
from __future__ import annotations

from pos.text_table import aligned


def test_columns_are_as_wide_as_their_widest_cell_and_amounts_flush_right():
    rows = [["akun", "nama", "debit"], ["111000", "Kas", "Rp5.000"],
            ["511100", "Harga pokok penjualan Sembako", "Rp1.250.000"], ["jumlah", "", ""]]
    assert aligned(rows, {2}, indent="  ") == [
        "  akun    nama                                 debit",
        "  111000  Kas                                Rp5.000",
        "  511100  Harga pokok penjualan Sembako  Rp1.250.000",
        "  jumlah"]
    assert aligned([]) == []


def test_wide_letters_take_two_columns_and_accents_none():
    """A Chinese name pushed its row's columns out of line (a character counted as one column)."""
    rows = [["nomor", "nama", "jumlah"], ["AGT-1", "田中太郎", "Rp5.000"],
            ["AGT-22", "Jose\u0301 Ñoño", "Rp15.000"], ["8991234567890", "Budi", "Rp0"]]
    lines = aligned(rows, {2})
    assert lines[1] == "AGT-1          田中太郎    Rp5.000"     # 8 columns of name, padded to 9
    ends = [sum(2 if ord(ch) > 0x2E80 else 0 if ch == "\u0301" else 1 for ch in line) for line in lines]
    assert len(set(ends)) == 1      # every row ends in the same column
