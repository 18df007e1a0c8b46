"""A day document books the outlet's stock changes on one line per kind (Selisih stok opname,
Penyesuaian stok, Pemusnahan barang), several lines of 690100 and of Persediaan on both sides:
the hub takes them, keeps each line with its memo, and its books add them up per account."""
from __future__ import annotations

from datetime import date

from pos.ledger_hub import books, journal_book, statements
from pos.ledger_hub.accounts import Period
from tests.ledger_hub.books_data import line
from tests.ledger_hub.helpers import document, push

DAY = date(2026, 11, 30)
MEMOS = ("Selisih stok opname", "Penyesuaian stok", "Pemusnahan barang")


def test_stock_lines_of_each_kind_are_kept_and_add_up(hub_client, hub_db, creds):
    doc = document(journal=[
        line("111000", "Kas", 3_000), line("411200", "Penjualan Sembako - bukan anggota", credit=3_000,
                                           unit="sembako", member=False),
        line("114110", "Persediaan Sembako", credit=6_000, unit="sembako", memo=MEMOS[0]),
        line("690100", "Selisih dan penghapusan persediaan", 6_000, unit="sembako", memo=MEMOS[0]),
        line("114110", "Persediaan Sembako", 2_000, unit="sembako", memo=MEMOS[1]),
        line("690100", "Selisih dan penghapusan persediaan", credit=2_000, unit="sembako", memo=MEMOS[1]),
        line("114110", "Persediaan Sembako", credit=4_000, unit="sembako", memo=MEMOS[2]),
        line("690100", "Selisih dan penghapusan persediaan", 4_000, unit="sembako", memo=MEMOS[2])])
    answer = push(hub_client, creds, doc)
    assert answer.status_code == 201, answer.json
    period = Period(DAY, DAY)
    with hub_db.reading() as s:
        day = books.day_report(s, "KDMP01", DAY)
        assert [x["memo"] for x in day["journal"] if x["account"] == "690100"] == list(MEMOS)
        assert day["debit"] == day["credit"] == 3_000 + 6_000 + 2_000 + 4_000
        rows = {r.account: r for r in books.trial_balance(s, DAY, DAY).rows}
        loss, goods = rows["690100"], rows["114110"]
        assert (loss.debit, loss.credit, loss.closing) == (10_000, 2_000, 8_000)
        assert (goods.debit, goods.credit, goods.closing) == (2_000, 10_000, -8_000)
        ledger = journal_book.general_ledger(s, period, "690100")
        assert [(r.debit, r.credit) for r in ledger.rows] == [(10_000, 2_000)] and ledger.closing == 8_000
        assert dict((a, v) for a, _, v in statements.phu(s, period).others)["690100"] == -8_000
