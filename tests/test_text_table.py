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
