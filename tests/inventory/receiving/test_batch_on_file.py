"""A batch already on file with another expiry (AMX2611, recorded 31-03-2028, typed 10-01-2027):
nothing was said at the line, posting first asked to confirm the short expiry ('35 hari lagi …
centang konfirmasinya') and, once it was ticked, refused the batch anyway. Now the line save names
the conflict on its line (and marks the expiry), no box asks to confirm that date, and posting
refuses the batch before asking about any short or far expiry. The same for one batch on two
lines of the draft with two dates."""
from __future__ import annotations

import re
from datetime import timedelta
from html import escape

import pytest

from pos.inventory import stock
from pos.inventory.receiving import expiry, posting, queries
from pos.inventory.receiving.models import GoodsReceipt, GoodsReceiptLine
from tests.factories import login
from tests.inventory.receiving.test_receiving import HX, TODAY, batches, draft, product

WARN = 60
ON_FILE = TODAY + timedelta(days=700)
SHORT = TODAY + timedelta(days=35)
KNOWN = (f"Batch AMX2611 sudah tercatat dengan tanggal kedaluwarsa {ON_FILE:%d-%m-%Y}. Periksa nomor "
         "batch dan tanggal di kemasan; bila yang tercatat salah, minta manajer memperbaikinya "
         "(Penyesuaian & pemusnahan).")


@pytest.fixture
def amox(db):
    """The product id of a drug whose batch AMX2611 is on file, expiring in 700 days."""
    drug = product(db, name="Amoxicillin 500 mg", business_unit="apotek", batch_tracked=True,
                   on_hand=0, cost=2_000)
    with db.transaction() as s:
        stock.ensure_batch(s, drug, "AMX2611", ON_FILE)
    return drug


def _line(drug, day, batch_no="AMX2611", qty=10):
    return drug, "pcs", qty, 2_500, {"batch_no": batch_no, "expiry": day}


def _ids(db, receipt_id):
    with db.reading() as s:
        return [line.id for line in s.get(GoodsReceipt, receipt_id).lines]


def _post(db, gr, receipt_id, confirmed=frozenset()):
    with db.transaction() as s:
        posting.post(s, receipt_id, gr["clerk"], TODAY, warn_days=WARN, confirmed_expiries=confirmed)


def _detail(db, receipt_id):
    with db.reading() as s:
        detail = queries.receipt_detail(s, receipt_id, today=TODAY, warn_days=WARN)
        return {row.line.id: row.batch_note for row in detail.rows}, \
            [row.line.id for row, _ in detail.short_expiry + detail.far_expiry]


def test_posting_refuses_a_batch_on_file_with_another_date_before_asking_about_a_short_one(db, gr, amox):
    receipt_id = draft(db, gr, _line(amox, SHORT))
    (line_id,) = _ids(db, receipt_id)
    with pytest.raises(posting.LineProblem) as refused:
        _post(db, gr, receipt_id)
    assert type(refused.value) is posting.LineProblem            # not ShortExpiry: nothing to confirm
    assert refused.value.message == f"Amoxicillin 500 mg: {KNOWN}"
    assert (refused.value.line_id, refused.value.field) == (line_id, "expiry")
    with db.reading() as s:
        token = expiry.token(s.get(GoodsReceiptLine, line_id))
    with pytest.raises(posting.LineProblem, match="sudah tercatat"):   # a confirmation changes nothing
        _post(db, gr, receipt_id, frozenset({token}))
    assert batches(db, amox) == {"AMX2611": (ON_FILE, 0)}


def test_a_far_date_is_not_asked_about_either_and_the_date_on_file_posts(db, gr, amox):
    receipt_id = draft(db, gr, _line(amox, TODAY + timedelta(days=365 * 9)))
    with pytest.raises(posting.LineProblem) as refused:
        _post(db, gr, receipt_id)
    assert type(refused.value) is posting.LineProblem and "sudah tercatat" in refused.value.message
    with db.transaction() as s:
        s.get(GoodsReceipt, receipt_id).lines[0].expiry = ON_FILE
    _post(db, gr, receipt_id)
    assert batches(db, amox) == {"AMX2611": (ON_FILE, 10)}


def test_the_draft_names_the_conflict_on_its_line_and_asks_no_confirmation_for_it(db, gr, amox):
    receipt_id = draft(db, gr, _line(amox, SHORT), _line(amox, SHORT, "AMX2612"),
                       _line(amox, ON_FILE), _line(amox, SHORT, qty=0))  # a line received 0 moves nothing
    wrong, new, right, rejected = _ids(db, receipt_id)
    notes, asked = _detail(db, receipt_id)
    assert notes == {wrong: KNOWN, new: None, right: None, rejected: None}
    assert asked == [new]                        # the short date of a new batch is still asked about


def test_one_batch_on_two_lines_is_named_on_both_lines(db, gr):
    drug = product(db, name="Amoxicillin 500 mg", business_unit="apotek", batch_tracked=True, on_hand=0)
    receipt_id = draft(db, gr, _line(drug, SHORT, "amx-new"), _line(drug, ON_FILE, "AMX-NEW"))
    first, second = _ids(db, receipt_id)
    notes, asked = _detail(db, receipt_id)
    said = (f"Batch AMX-NEW ada di dua baris penerimaan ini dengan tanggal kedaluwarsa berbeda "
            f"({SHORT:%d-%m-%Y} dan {ON_FILE:%d-%m-%Y}); satu batch hanya punya satu tanggal "
            "kedaluwarsa.")
    assert notes == {first: said, second: said} and asked == []
    with pytest.raises(posting.LineProblem) as refused:   # posting: the two dates, not the short one
        _post(db, gr, receipt_id)
    assert type(refused.value) is posting.LineProblem
    assert refused.value.message == f"Amoxicillin 500 mg: {said[0].lower()}{said[1:]}"
    assert (refused.value.line_id, refused.value.field) == (second, "expiry")


def test_of_two_lines_the_one_unlike_the_batch_on_file_is_named(db, gr, amox):
    """The first line's date was wrong and the second's right (as on file): posting marked the
    second line, saying the two lines differ; now the first, with the date on file."""
    receipt_id = draft(db, gr, _line(amox, SHORT), _line(amox, ON_FILE))
    first, second = _ids(db, receipt_id)
    assert _detail(db, receipt_id)[0] == {first: KNOWN, second: None}
    with pytest.raises(posting.LineProblem) as refused:
        _post(db, gr, receipt_id)
    assert (refused.value.line_id, refused.value.message) == (first, f"Amoxicillin 500 mg: {KNOWN}")


def test_the_line_save_marks_the_expiry_with_the_conflict_and_clears_it_when_fixed(client, db, gr, amox):
    receipt_id = draft(db, gr, _line(amox, ON_FILE), _line(amox, ON_FILE, "AMX2612"))
    line_id, other = _ids(db, receipt_id)
    login(client, gr["clerk"])
    form = {"pack_name": "pcs", "qty_packs": "10", "ordered_packs": "", "damaged_packs": "0",
            "cost_per_pack": "2.500", "reason": "", "batch_no": "AMX2611"}
    saved = client.post(f"/penerimaan/{receipt_id}/baris/{line_id}", headers=HX,
                        data={**form, "expiry": f"{SHORT:%d-%m-%Y}"})
    html = " ".join(saved.get_data(as_text=True).split())
    assert saved.status_code == 200
    note = re.search(rf'<output id="l{line_id}-sum"[^>]*hx-swap-oob="true">(.*?)</output>', html)
    assert note and f'<span class="gr-doubt gr-batch-note" id="l{line_id}-batch-note">{escape(KNOWN)}' \
        '</span>' in note.group(1)
    assert f'id="l{other}-sum"' in html            # every batch line's sum: a twin's note follows
    assert "confirm_expiry" not in html            # no box to confirm a date that is refused anyway
    page = client.get(f"/penerimaan/{receipt_id}").get_data(as_text=True)
    assert re.search(rf'id="l{line_id}-expiry" name="expiry"[^>]*aria-invalid="true"', page)
    assert not re.search(rf'id="l{other}-expiry" name="expiry"[^>]*aria-invalid', page)
    fixed = client.post(f"/penerimaan/{receipt_id}/baris/{line_id}", headers=HX,
                        data={**form, "expiry": f"{ON_FILE:%d-%m-%Y}"})
    assert "gr-batch-note" not in fixed.get_data(as_text=True)
