"""A small set of pushed documents for the books' tests, with the figures worked by hand.

KDMP01 30-11: sembako sales (anggota 85.000, bukan 40.000) with HPP 90.000;
KDMP02 30-11: sembako (anggota 260.000, bukan 40.000);
KDMP01 01-12: pupuk (anggota 150.000, bukan 50.000) with HPP 160.000, simpanan wajib 10.000,
cash short 1.000, rounding 500; and a correction: a sembako return of 5.000 (cost 4.000).
Opening balances of the cooperative as at 01-11-2026: OPENING_CSV.
"""
from __future__ import annotations

import re

from pos.ledger_hub import protocol
from tests.ledger_hub.helpers import document, push


def line(account, name, debit=0, credit=0, unit=None, member=None, memo=""):
    return {"account": account, "name": name, "debit": debit, "credit": credit, "memo": memo,
            "unit": unit, "member": member}


def documents() -> list[dict]:
    first = document()   # 111000 100.000, 113100 25.000 / 411100 85.000, 411200 40.000
    first["journal"] += [line("511000", "Harga pokok penjualan Sembako", 90_000, unit="sembako"),
                         line("114110", "Persediaan Sembako", credit=90_000, unit="sembako")]
    first["hash"] = protocol.content_hash({k: v for k, v in first.items() if k != "hash"})
    other = document(outlet="KDMP02", amount=300_000)
    december = document(day="2026-12-01", amount=200_000, journal=[
        line("111000", "Kas tunai", 200_000),
        line("412100", "Penjualan Pupuk - anggota", credit=150_000, unit="pupuk", member=True),
        line("412200", "Penjualan Pupuk - bukan anggota", credit=50_000, unit="pupuk", member=False),
        line("512000", "Harga pokok penjualan Pupuk", 160_000, unit="pupuk"),
        line("114120", "Persediaan Pupuk", credit=160_000, unit="pupuk"),
        line("111000", "Kas tunai", 10_000), line("312000", "Simpanan wajib", credit=10_000),
        line("690200", "Selisih kas kurang", 1_000), line("111000", "Kas tunai", credit=1_000),
        line("111000", "Kas tunai", 500), line("490100", "Selisih pembulatan kas", credit=500)])
    correction = document(day="2026-12-01", kind="correction", n=1, summary={"returns": 1}, journal=[
        line("411100", "Penjualan Sembako Anggota", 5_000, unit="sembako", member=True, memo="retur"),
        line("111000", "Kas tunai", credit=5_000, memo="retur"),
        line("114110", "Persediaan Sembako", 4_000, unit="sembako"),
        line("511000", "Harga pokok penjualan Sembako", credit=4_000, unit="sembako")])
    return [first, other, december, correction]


def push_all(client, creds, other) -> None:
    for doc in documents():
        credentials = other if doc["outlet_code"] == "KDMP02" else creds
        answer = push(client, credentials, doc)
        assert answer.status_code == 201, answer.json


OPENING_CSV = (b"account,name,debit,credit\n111000,Kas,1000000,0\n114110,Persediaan Sembako,500000,0\n"
               b"114120,Persediaan Pupuk,300.000,\n211000,Utang usaha,,300000\n"
               b"311000,Simpanan pokok,0,1000000\n331000,Cadangan,0,500000\n")

# Consolidated, 01-11-2026 .. 31-12-2026.
REVENUE = 340_000 + 80_000 + 150_000 + 50_000
COGS = 86_000 + 160_000
SHU = REVENUE - COGS + 500 - 1_000                       # 373.500
ASSETS = 1_579_500 + 50_000 + 414_000 + 140_000          # with the opening balances
SHU_NOVEMBER = 125_000 - 90_000 + 300_000


_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)


def screen_rows(html: str) -> list[list[str]]:
    """The body rows of the books table on a page, as the cells' text."""
    body = html.split('id="book-rows"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"\s+", " ", cell).strip() for cell in _CELL.findall(row)] for row in _ROW.findall(body)]
