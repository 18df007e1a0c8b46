"""Pure rules: months of simpanan wajib, and ageing kasbon with repayments settling the oldest first."""
from __future__ import annotations

from datetime import date

import pytest

from pos.members.accounts import savings
from pos.members.accounts.statements import AgeingRow, age, ageing_csv_rows, bucket


def test_months_between_spans_years_and_includes_both_ends():
    months = savings.months_between(date(2025, 11, 20), date(2026, 2, 3))
    assert months == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert savings.add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert savings.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_wajib_unpaid_are_the_due_months_not_paid():
    paid = {date(2026, 1, 1), date(2026, 3, 1), date(2027, 1, 1)}   # one paid ahead
    assert savings.unpaid_months(date(2026, 1, 15), date(2026, 4, 30), paid) == [
        date(2026, 2, 1), date(2026, 4, 1)]
    assert savings.unpaid_months(date(2026, 5, 1), date(2026, 4, 30), set()) == []


def test_month_labels_and_parsing():
    assert savings.month_label(date(2026, 11, 1)) == "November 2026"
    assert savings.parse_month("2026-11") == date(2026, 11, 1)
    assert savings.parse_month("03-2026") == date(2026, 3, 1)
    for bad in ("", "2026", "2026-13", "11/2026", "２０２６-11"):
        with pytest.raises(ValueError):
            savings.parse_month(bad)


def test_bucket_edges():
    assert [bucket(d) for d in (0, 30, 31, 60, 61, 90, 91, 400)] == [
        "0-30", "0-30", "31-60", "31-60", "61-90", "61-90", ">90", ">90"]


def test_repayments_settle_the_oldest_charges_first():
    today = date(2026, 11, 30)
    entries = [(date(2026, 7, 1), 50_000),    # 152 days
               (date(2026, 9, 15), 30_000),   # 76 days
               (date(2026, 11, 20), 20_000),  # 10 days
               (date(2026, 11, 25), -60_000)]  # pays July in full and 10.000 of September
    assert age(entries, today) == {"0-30": 20_000, "31-60": 0, "61-90": 20_000, ">90": 0}
    assert sum(age(entries, today).values()) == 40_000


def test_a_repayment_made_before_a_charge_does_not_age_it_and_corrections_count():
    today = date(2026, 11, 30)
    assert age([(date(2026, 1, 1), 10_000), (date(2026, 1, 2), -10_000), (date(2026, 8, 1), 5_000),
                (date(2026, 8, 2), 2_000)], today) == {"0-30": 0, "31-60": 0, "61-90": 0, ">90": 7_000}
    assert age([], today) == {"0-30": 0, "31-60": 0, "61-90": 0, ">90": 0}


def test_ageing_csv_has_a_header_totals_and_no_formulas():
    rows = [AgeingRow(1, "AGT-1", "=HYPERLINK()", 100_000, 40_000,
                      {"0-30": 10_000, "31-60": 0, "61-90": 30_000, ">90": 0})]
    out = ageing_csv_rows(rows, {"0-30": 10_000, "31-60": 0, "61-90": 30_000, ">90": 0, "balance": 40_000})
    assert out[0] == ["nomor", "nama", "batas", "kasbon", "0-30", "31-60", "61-90", ">90"]
    assert out[1] == ["AGT-1", "'=HYPERLINK()", 100_000, 40_000, 10_000, 0, 30_000, 0]
    assert out[-1] == ["TOTAL", "", "", 40_000, 10_000, 0, 30_000, 0]


def test_goods_given_back_settle_their_own_sales_charge_not_the_oldest():
    """A return of a new kasbon sale aged the member's old debt as if it were paid."""
    today = date(2026, 11, 30)
    entries = [(date(2026, 7, 1), 110_000, 7),       # the old debt, 152 days
               (date(2026, 11, 28), 9_975, 42),      # a new sale on kasbon
               (date(2026, 11, 29), -9_975, 42)]     # all of it returned
    assert age(entries, today) == {"0-30": 0, "31-60": 0, "61-90": 0, ">90": 110_000}
    partial = entries[:2] + [(date(2026, 11, 29), -3_325, 42), (date(2026, 11, 30), -10_000, None)]
    # the return takes its own sale's part; a repayment then pays the oldest first
    assert age(partial, today) == {"0-30": 6_650, "31-60": 0, "61-90": 0, ">90": 100_000}
    # more back than the sale still owes (repaid already) settles the oldest with the rest
    assert age([(date(2026, 7, 1), 10_000, 1), (date(2026, 11, 1), 5_000, 2),
                (date(2026, 11, 2), -2_000, None), (date(2026, 11, 3), -8_000, 2)], today) == {
        "0-30": 0, "31-60": 0, "61-90": 0, ">90": 5_000}
