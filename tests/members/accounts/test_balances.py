"""Saldo simpanan anggota: every member's savings on a day and the totals, on screen, as CSV and
XLSX, and from ``pos members savings``; each member's row agrees with their savings card."""
from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from pos.members.accounts import balance_views, balances, documents, savings
from pos.members.accounts.documents import Payment, Tendered
from pos.members.accounts.models import DocTender, OpeningSaving
from tests.factories import login, shift_of_day
from tests.members.accounts.conftest import make_member
from tests.members.accounts.test_withdrawals import DAY, NOW, RATES, cancel, withdraw

EARLIER = date(2026, 11, 20)


def _pay(s, shop, member_id, paid, day=DAY):
    shift_of_day(s, shop["till"], shop["cashier"], day)
    return documents.take(s, member_id=member_id, paid=paid, tender=Tendered(DocTender.CASH),
                          idempotency_key=str(uuid.uuid4()), outlet_code="TST01", till_id=shop["till"],
                          cashier_id=shop["cashier"], rates=RATES, business_date=day,
                          now=datetime.combine(day, NOW.time())).document


@pytest.fixture
def book(db, shop):
    """Daeng Baso pays pokok and two months of wajib earlier and 300.000 sukarela on DAY, then
    takes 120.000 out; Ibu Ani's saldo awal came on DAY; a member who left still holds his
    sukarela; one who left holds nothing; one joins after DAY; a deposit on DAY is cancelled."""
    with db.transaction() as s:   # EARLIER's money first, then DAY's (each in its day's shift)
        _pay(s, shop, shop["member"], Payment(pokok=True, wajib_months=(date(2026, 1, 1), date(2026, 2, 1))),
             EARLIER)
        left = make_member(s, name="=HYPERLINK(\"x\")", number="AGT-9001")
        _pay(s, shop, left.id, Payment(sukarela=40_000), EARLIER)
        left.active = False                     # saved while a member, then left
        _pay(s, shop, shop["member"], Payment(sukarela=300_000))
        s.add(OpeningSaving(member_id=shop["other"], pokok=100_000, wajib=60_000, sukarela=25_000,
                            business_date=DAY))
        gone = make_member(s, name="Pak Pergi", active=False, number="AGT-9002")
        late = make_member(s, name="Baru Masuk", joined_on=date(2026, 12, 1), number="AGT-9003")
        mistaken = _pay(s, shop, shop["other"], Payment(sukarela=7_000))
    withdraw(db, shop, 120_000)
    cancel(db, shop, mistaken.id, reason="Salah anggota")
    return dict(left=left.id, gone=gone.id, late=late.id)


def _rows(found):
    return {row.member_id: (row.pokok, row.wajib, row.sukarela, row.total) for row in found.rows}


def test_each_members_savings_on_a_day_and_the_totals(db, shop, book):
    with db.reading() as s:
        found = balances.on_day(s, DAY, DAY)
        cards = {member_id: savings.summary(s, member_id, DAY).as_dict() for member_id in _rows(found)}
        before = balances.on_day(s, EARLIER, DAY)
    assert _rows(found) == {shop["member"]: (100_000, 20_000, 180_000, 300_000),
                            shop["other"]: (100_000, 60_000, 25_000, 185_000),
                            book["left"]: (0, 0, 40_000, 40_000)}  # not the one who holds nothing
    for row in found.rows:  # the counter's savings card says the same
        assert cards[row.member_id] == {"pokok": row.pokok, "wajib": row.wajib, "sukarela": row.sukarela}
    assert found.totals == {"pokok": 200_000, "wajib": 80_000, "sukarela": 245_000, "total": 525_000}
    assert found.holders == 3 and [r.status for r in found.rows] == ["aktif", "aktif", "nonaktif"]
    # on an earlier day: no saldo awal yet, no sukarela, Ibu Ani listed (active) with nothing
    assert _rows(before) == {shop["member"]: (100_000, 20_000, 0, 120_000), shop["other"]: (0, 0, 0, 0),
                             book["left"]: (0, 0, 40_000, 40_000)}
    assert before.totals["total"] == 160_000 and before.holders == 2


def test_the_export_rows_carry_every_row_and_the_totals_last(db, shop, book):
    with db.reading() as s:
        rows = balances.export_rows(balances.on_day(s, DAY, DAY))
    assert rows[-1] == {"per_tanggal": "30-11-2026", "nomor": "TOTAL", "nama": "3 anggota", "pokok": 200_000,
                        "wajib": 80_000, "sukarela": 245_000, "jumlah": 525_000}
    assert len(rows) == 4 and rows[0]["nomor"] == shop["member_no"] and rows[2]["nama"] == '=HYPERLINK("x")'
    assert sum(r["jumlah"] for r in rows[:-1]) == rows[-1]["jumlah"]


@pytest.fixture
def manager(app, shop):
    client = app.test_client()
    login(client, shop["manager"], shop["till"])
    return client


def test_the_manager_reads_the_list_and_downloads_it(manager, shop, book, monkeypatch):
    page = manager.get("/simpanan/saldo", query_string={"tanggal": "30-11-2026"}).get_data(as_text=True)
    assert "Saldo simpanan anggota per" in page and "30-11-2026" in page
    assert 'id="total-sukarela">Rp245.000' in page and 'id="total-all">Rp525.000' in page
    assert "Daeng Baso" in page and "&#34;x&#34;" in page and "Pak Pergi" not in page
    assert page.count('class="balance-row"') == 3
    monkeypatch.setattr(balance_views, "PER_PAGE", 2)
    second = manager.get("/simpanan/saldo", query_string={"tanggal": "30-11-2026", "hal": 2})
    second = second.get_data(as_text=True)
    assert second.count('class="balance-row"') == 1 and "Halaman 2 dari 2" in second
    assert 'id="total-all">Rp525.000' in second  # the totals are of every page
    past = manager.get("/simpanan/saldo", query_string={"tanggal": "30-11-2026", "hal": 9})
    past = past.get_data(as_text=True)
    assert "Halaman 2 dari 2" in past and past.count('class="balance-row"') == 1
    body = manager.get("/simpanan/saldo.csv", query_string={"tanggal": "30-11-2026"})
    assert body.status_code == 200
    assert 'filename="saldo-simpanan-2026-11-30.csv"' in body.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(body.data.decode("utf-8-sig"))))
    assert table[0] == balances.COLUMNS and table[-1][1:] == ["TOTAL", "3 anggota", "", "200000", "80000",
                                                              "245000", "525000"]
    assert ["30-11-2026", "AGT-9001", "'=HYPERLINK(\"x\")", "nonaktif", "0", "0", "40000", "40000"] in table
    book_file = load_workbook(io.BytesIO(manager.get("/simpanan/saldo.xlsx",
                                                     query_string={"tanggal": "30-11-2026"}).data))
    cells = [[c.value for c in row] for row in book_file["Saldo simpanan"].iter_rows()]
    assert cells[0] == balances.COLUMNS and cells[-1][-1] == 525_000 and len(cells) == 5


@pytest.mark.parametrize("typed, message", [("31-02-2026", "Tanggal"),
                                            ("01-01-2099", "Tanggal tidak boleh setelah hari ini.")])
def test_a_date_typed_wrong_or_ahead_draws_the_form_again_with_the_message(manager, book, typed, message):
    page = manager.get("/simpanan/saldo", query_string={"tanggal": typed})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and message in text and f'value="{typed}"' in text
    assert 'class="balance-row"' not in text
    assert manager.get("/simpanan/saldo.csv", query_string={"tanggal": typed}).status_code == 400


def test_the_command_line_lists_the_same(runner, shop, book):
    result = runner.invoke(args=["members", "savings", "--date", "30-11-2026", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["day"] == "2026-11-30"
    assert found["total"] == {"pokok": 200_000, "wajib": 80_000, "sukarela": 245_000, "total": 525_000}
    assert found["members"][0] == {"number": shop["member_no"], "name": "Daeng Baso", "status": "aktif",
                                   "pokok": 100_000, "wajib": 20_000, "sukarela": 180_000, "total": 300_000}
    text = runner.invoke(args=["members", "savings", "--date", "20-11-2026"]).output
    assert "per 20-11-2026" in text and "Rp160.000" in text and "3 anggota" in text
    ahead = runner.invoke(args=["members", "savings", "--date", "01-01-2099"])
    assert ahead.exit_code != 0 and "setelah hari ini" in ahead.output
