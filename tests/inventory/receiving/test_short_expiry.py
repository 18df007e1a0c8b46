"""A batch received within the warning days of its expiry (a PBF's short-dated stock, or a year
typed short: 06-12-2026 for 06-12-2028) is named on the draft and posted only once its line is
confirmed; before, it went into stock without a word and, once partly sold, could no longer be
corrected."""
from __future__ import annotations

from datetime import timedelta

import pytest

from pos.inventory.lists import near_expiry
from pos.inventory.receiving import expiry, posting, receipts
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine, ReceiptStatus
from pos.inventory.receiving.receipts import LineValues
from tests.factories import login
from tests.inventory.receiving.test_receiving import HX, TODAY, batches, draft, product

WARN = 60


@pytest.fixture
def obat(db, gr):
    """(receipt id, line id, product id): 10 strips of a drug, batch B99001, expiring tomorrow."""
    drug = product(db, name="Paracetamol 500 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    receipt_id = draft(db, gr, (drug, "pcs", 10, 2_500,
                                {"batch_no": "B99001", "expiry": TODAY + timedelta(days=1)}))
    with db.reading() as s:
        line_id = s.get(GoodsReceipt, receipt_id).lines[0].id
    return receipt_id, line_id, drug


def _post(db, gr, receipt_id, warn_days=WARN, confirmed=frozenset()):
    with db.transaction() as s:
        posting.post(s, receipt_id, gr["clerk"], TODAY, warn_days=warn_days, confirmed_expiries=confirmed)


def _token(db, line_id):
    with db.reading() as s:
        return expiry.token(s.get(GoodsReceiptLine, line_id))


def test_a_batch_expiring_within_the_warning_days_posts_only_once_confirmed(db, gr, obat):
    receipt_id, line_id, drug = obat
    with pytest.raises(posting.ShortExpiry) as asked:
        _post(db, gr, receipt_id)
    day = (TODAY + timedelta(days=1)).strftime("%d-%m-%Y")
    assert asked.value.message == (f"Paracetamol 500 mg batch B99001 kedaluwarsa {day}, 1 hari lagi "
                                   "(60 hari atau kurang). Periksa tanggal di kemasan; bila memang "
                                   "benar, centang konfirmasinya lalu posting lagi.")
    assert (asked.value.line_id, asked.value.field) == (line_id, "expiry")
    assert batches(db, drug) == {}
    _post(db, gr, receipt_id, confirmed=frozenset({_token(db, line_id)}))
    assert batches(db, drug)["B99001"][1] == 10


def test_a_confirmation_is_for_the_date_shown_and_other_dates_are_not_asked(db, gr, obat):
    receipt_id, line_id, _drug = obat
    shown = _token(db, line_id)
    with db.transaction() as s:  # the year was typed short: fixed to a date still within the days
        receipts.update_line(s, receipt_id, line_id, LineValues("pcs", 10, 2_500, batch_no="B99001",
                                                                expiry=TODAY + timedelta(days=30)))
    with pytest.raises(posting.ShortExpiry):
        _post(db, gr, receipt_id, confirmed=frozenset({shown}))
    with db.transaction() as s:
        receipts.update_line(s, receipt_id, line_id, LineValues("pcs", 10, 2_500, batch_no="B99001",
                                                                expiry=TODAY + timedelta(days=WARN + 1)))
    _post(db, gr, receipt_id)  # 61 days: not within them
    with db.reading() as s:
        assert s.get(GoodsReceipt, receipt_id).status is ReceiptStatus.POSTED


def test_posting_without_the_warning_days_asks_nothing(db, gr, obat):
    """The demo and the other callers of ``post`` give no days: nothing to ask."""
    receipt_id, _line_id, drug = obat
    _post(db, gr, receipt_id, warn_days=None)
    assert batches(db, drug)["B99001"][1] == 10


def test_the_draft_names_the_batch_and_posting_takes_its_box(client, db, gr, obat):
    receipt_id, line_id, drug = obat
    login(client, gr["clerk"])
    page = " ".join(client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True).split())
    assert 'id="gr-expiry-confirm"' in page and "60 hari lagi atau kurang" in page
    assert f'name="confirm_expiry" value="{_token(db, line_id)}" form="gr-post"' in page
    assert "Ya, Paracetamol 500 mg batch B99001 kedaluwarsa" in page and "1 hari lagi: benar" in page
    refused = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "centang konfirmasinya" in text and batches(db, drug) == {}
    posted = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX,
                         data={"confirm_expiry": _token(db, line_id)})
    assert posted.headers["HX-Redirect"] == f"/penerimaan/{receipt_id}"
    assert batches(db, drug)["B99001"][1] == 10
    done = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert 'id="gr-expiry-confirm"' not in done  # a posted receipt asks nothing


# --- An expiry years away: a year typed wrong (31-12-2099, 15-01-2072 for 15-01-2027) ----------

def _far_line(db, gr, years: int, days: int = 0):
    drug = product(db, name="Amoksisilin 500 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    day = expiry.years_after(TODAY, years) + timedelta(days=days)
    receipt_id = draft(db, gr, (drug, "pcs", 10, 2_500, {"batch_no": "AMX01", "expiry": day}))
    with db.reading() as s:
        line_id = s.get(GoodsReceipt, receipt_id).lines[0].id
    return receipt_id, line_id, drug, day


def test_an_expiry_more_than_five_years_away_posts_only_once_confirmed(db, gr):
    receipt_id, line_id, drug, day = _far_line(db, gr, 5, days=1)
    with pytest.raises(posting.ShortExpiry) as asked:
        _post(db, gr, receipt_id)
    assert asked.value.message == (f"Amoksisilin 500 mg batch AMX01 kedaluwarsa {day:%d-%m-%Y} (lebih "
                                   "dari 5 tahun lagi). Periksa tahunnya di kemasan; bila memang benar, "
                                   "centang konfirmasinya lalu posting lagi.")
    assert (asked.value.line_id, asked.value.field) == (line_id, "expiry")
    assert batches(db, drug) == {}
    _post(db, gr, receipt_id, confirmed=frozenset({_token(db, line_id)}))
    assert batches(db, drug)["AMX01"] == (day, 10)


def test_five_years_to_the_day_is_not_asked(db, gr):
    receipt_id, _line_id, drug, _day = _far_line(db, gr, 5)
    _post(db, gr, receipt_id)
    assert batches(db, drug)["AMX01"][1] == 10


def test_the_draft_names_a_far_expiry_and_posting_takes_its_box(client, db, gr):
    receipt_id, line_id, drug, day = _far_line(db, gr, 45)
    login(client, gr["clerk"])
    page = " ".join(client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True).split())
    assert 'id="gr-expiry-far"' in page and "Kedaluwarsa lebih dari 5 tahun lagi: periksa tahunnya." in page
    assert f'name="confirm_expiry" value="{_token(db, line_id)}" form="gr-post"' in page
    assert f"Ya, Amoksisilin 500 mg batch AMX01 kedaluwarsa {day:%d-%m-%Y}: benar" in page
    refused = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "periksa tahunnya" in text and 'id="gr-expiry-far"' in text
    assert batches(db, drug) == {}
    posted = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX,
                         data={"confirm_expiry": _token(db, line_id)})
    assert posted.headers["HX-Redirect"] == f"/penerimaan/{receipt_id}"
    assert batches(db, drug)["AMX01"] == (day, 10)


def test_five_years_after_a_leap_day_is_the_28th():
    from datetime import date
    assert expiry.years_after(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert expiry.years_after(date(2027, 1, 15), 5) == date(2032, 1, 15)


# --- One batch on two lines: one box for the batch and its date -------------------------------

def test_one_batch_on_two_lines_is_confirmed_with_one_box(client, db, gr):
    """PCT2701 expiring in 40 days on two lines of a draft drew two identical boxes ("Ya,
    Paracetamol … batch PCT2701 kedaluwarsa …, 40 hari lagi: benar"), both to be ticked, neither
    saying which line it was for. Now the batch and its date get one box, saying how many lines
    carry it, and its one tick posts them all; another batch still has its own box."""
    drug = product(db, name="Paracetamol 500 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    day = TODAY + timedelta(days=40)
    receipt_id = draft(db, gr, *[(drug, "pcs", packs, 2_500, {"batch_no": batch_no, "expiry": day})
                                 for packs, batch_no in ((10, "PCT2701"), (6, "pct2701"), (4, "PCT2702"))])
    with db.reading() as s:
        first, second, other = (line.id for line in s.get(GoodsReceipt, receipt_id).lines)
    assert _token(db, first) == _token(db, second) != _token(db, other)
    login(client, gr["clerk"])
    page = " ".join(client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True).split())
    assert page.count('name="confirm_expiry"') == 2
    assert page.count(f'name="confirm_expiry" value="{_token(db, first)}"') == 1
    assert (f"Ya, Paracetamol 500 mg batch PCT2701 kedaluwarsa {day:%d-%m-%Y}, 40 hari lagi "
            "(2 baris): benar") in page
    assert f"Ya, Paracetamol 500 mg batch PCT2702 kedaluwarsa {day:%d-%m-%Y}, 40 hari lagi: benar" in page
    refused = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX,
                          data={"confirm_expiry": _token(db, first)})
    assert refused.status_code == 422 and "PCT2702" in refused.get_data(as_text=True)
    assert batches(db, drug) == {}
    posted = client.post(f"/penerimaan/{receipt_id}/posting", headers=HX,
                         data={"confirm_expiry": [_token(db, first), _token(db, other)]})
    assert posted.headers["HX-Redirect"] == f"/penerimaan/{receipt_id}"
    assert batches(db, drug) == {"PCT2701": (day, 16), "PCT2702": (day, 4)}


def test_a_batch_expiring_in_exactly_the_warning_days_is_asked_as_daftar_stok_lists_it(db, gr):
    """Daftar stok lists a batch 60 days from expiry under *Akan kedaluwarsa* (60 hari): the
    receipt asks about it too; 61 days is asked about by neither."""
    drug = product(db, name="Amoxicillin 500 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    receipt_id = draft(db, gr, (drug, "pcs", 10, 2_500,
                                {"batch_no": "AMX60", "expiry": TODAY + timedelta(days=WARN)}),
                       (drug, "pcs", 5, 2_500,
                        {"batch_no": "AMX61", "expiry": TODAY + timedelta(days=WARN + 1)}))
    with db.reading() as s:
        first, second = s.get(GoodsReceipt, receipt_id).lines
        assert expiry.soon(first, TODAY, WARN) and not expiry.soon(second, TODAY, WARN)
        token = expiry.token(first)
    with pytest.raises(posting.ShortExpiry) as asked:
        _post(db, gr, receipt_id)
    assert "batch AMX60" in asked.value.message
    assert "60 hari lagi (60 hari atau kurang)" in asked.value.message
    _post(db, gr, receipt_id, confirmed=frozenset({token}))
    with db.reading() as s:
        assert [row["batch_no"] for row in near_expiry(s, TODAY, WARN)] == ["AMX60"]
