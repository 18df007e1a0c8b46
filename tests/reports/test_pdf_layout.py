"""Where a report's PDF puts things: counts under their right-set header, and a heading never
alone at the foot of a page (the Laporan Z's "Kas masuk" sat on page 1, its row on page 2)."""
from __future__ import annotations

import re
import zlib

from pos.reports import pdf


def pages(body: bytes) -> list[list[tuple[float, str]]]:
    """Each page's drawn texts with their x position, in the order drawn."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            text = zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            continue
        drawn = [(float(x), t) for x, t in re.findall(r"BT ([\d.]+) [\d.]+ Td \((.*?)\) Tj ET", text)]
        if drawn:
            out.append(drawn)
    return out


def test_a_count_is_set_right_under_its_header():
    """The Ringkasan hari's counts sat at the left of their right-set Jumlah header."""
    body = pdf.document("Ringkasan hari", "", [("Penjualan", [
        [pdf.Header("Rincian"), pdf.Header("Jumlah"), pdf.Header("Nilai")],
        ["Transaksi", pdf.Figure(3), 12_000], ["Barang terjual", pdf.Figure(125), 250_000]])])
    at = dict((text, x) for x, text in pages(body)[0])
    assert at["3"] > at["125"] > at["Jumlah"]     # right edges line up: the narrower, the further right


def test_a_heading_starts_the_next_page_with_its_rows():
    filler = [["Baris", n] for n in range(1, 41)]   # 40 rows: the heading fell at the foot
    body = pdf.document("Laporan Z", "", [("Penjualan", filler), ("Kas masuk", [["Uang kecil", 50_000]])])
    drawn = pages(body)
    assert len(drawn) == 2
    second = [text for _x, text in drawn[1]]
    assert second[:2] == ["Kas masuk", "Uang kecil"], second[:3]
    assert "Kas masuk" not in [text for _x, text in drawn[0]]
