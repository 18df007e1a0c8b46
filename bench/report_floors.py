"""The report floors: the same sums as the manager's reports in raw ``sqlite3``, and the
per-day-per-product summary table the month floor reads (``denormalise``).

* ``day_floor``: ``pos.reports.day.day_summary`` as four statements (the day's sales, their
  payments, their lines grouped once by unit, price unit and tax class, the day's returns).
* ``month_floor``: ``sales_report(..., "product", ...)`` (first page, count, totals row) as one
  statement over ``bench_day_product`` (one row per business day and product, the lines of
  completed sales summed, built in the scratch copy for every day, the open one included:
  narrower than the app's ``sales_day_product``, which keeps unit and category and only
  closed days). The floor names a product by its lines, the app by the catalogue; no product
  is renamed in the bench outlet, so both name every row alike (``Reports.check``).
* ``z_floor``: ``pos.shifts.zreport.build``'s figures: the shift, its sales, payments, member
  documents, refunds, cash movements, the tenders kept at the close and the names.

Each returns the numbers in the shape the comparison needs, so the bench (and its test) can
check that the floor computes what the app shows.
"""
from __future__ import annotations

import sqlite3

from pos.money import dpp_nilai_lain, round_half_up

SUMMARY = "bench_day_product"
DENORMALISE = f"""
CREATE TABLE {SUMMARY} (
    business_date TEXT NOT NULL, product_id INTEGER NOT NULL, sku TEXT, name TEXT,
    base_unit TEXT, lines INTEGER, qty INTEGER, amount INTEGER, discount INTEGER, tax INTEGER,
    cost INTEGER, PRIMARY KEY (business_date, product_id)) WITHOUT ROWID;
INSERT INTO {SUMMARY}
SELECT s.business_date, l.product_id, max(l.sku), max(l.name), max(l.base_unit), count(l.id),
       sum(l.qty), sum(l.amount), sum(l.discount), sum(l.tax),
       sum((l.unit_cost * l.qty * 2 + l.price_per) / (l.price_per * 2))
FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE s.status = 'completed'
GROUP BY s.business_date, l.product_id;
"""
MONTH = f"""
WITH grouped AS (
  SELECT product_id, max(sku) AS sku, max(name) AS key, max(base_unit) AS base_unit,
         sum(qty) AS qty, sum(lines) AS lines, sum(amount) AS amount, sum(discount) AS discount,
         sum(tax) AS tax, sum(cost) AS cost, sum(amount) - sum(tax) - sum(cost) AS margin
  FROM {SUMMARY} WHERE business_date >= ? AND business_date <= ? GROUP BY product_id)
SELECT product_id, sku, key, qty, lines, amount, discount, tax, cost, margin,
       count(*) OVER (), sum(lines) OVER (), sum(amount) OVER (), sum(discount) OVER (),
       sum(tax) OVER (), sum(cost) OVER (), sum(margin) OVER ()
FROM grouped ORDER BY amount DESC, key LIMIT ?
"""
MONTH_COLUMNS = ("product_id", "sku", "key", "qty", "lines", "amount", "discount", "tax", "cost",
                 "margin")
MONTH_TOTALS = ("lines", "amount", "discount", "tax", "cost", "margin")

DONE = "s.business_date = ? AND s.status = 'completed'"
DAY_HEAD = ("SELECT count(s.id), coalesce(sum(s.gross), 0), coalesce(sum(s.discount), 0), "
            "coalesce(sum(s.tax), 0), coalesce(sum(s.total), 0), coalesce(sum(s.rounding), 0) "
            f"FROM sale s WHERE {DONE}")
DAY_PAYMENTS = ("SELECT p.method, count(p.id), sum(p.amount) FROM payment p "
                f"JOIN sale s ON s.id = p.sale_id WHERE {DONE} GROUP BY p.method")
DAY_LINES = ("SELECT l.business_unit, l.price_per, l.tax_class, s.pkp, count(l.id), sum(l.amount), "
             "sum(l.tax), sum(l.unit_cost * l.qty) FROM sale_line l "
             f"JOIN sale s ON s.id = l.sale_id WHERE {DONE} "
             "GROUP BY l.business_unit, l.price_per, l.tax_class, s.pkp")
DAY_RETURNS = ("SELECT count(id), coalesce(sum(refund_total), 0), coalesce(sum(rounding), 0), "
               "coalesce(sum(tax_total), 0) FROM sale_return WHERE business_date = ?")

Z_SHIFT = ("SELECT till_id, cashier_id, closed_by, approved_by, opening_float, closed_at "
           "FROM shift WHERE id = ?")
Z_DONE = "s.shift_id = ? AND s.status = 'completed'"
Z_HEAD = ("SELECT count(*), coalesce(sum(s.total), 0), coalesce(sum(s.change), 0), "
          f"coalesce(sum(s.rounding), 0) FROM sale s WHERE {Z_DONE}")
Z_PAYMENTS = ("SELECT p.method, sum(p.amount), sum(p.tendered) FROM payment p "
              f"JOIN sale s ON s.id = p.sale_id WHERE {Z_DONE} GROUP BY p.method")
Z_DOCS = "SELECT tender, sum(total) FROM member_document WHERE shift_id = ? GROUP BY tender"
Z_REFUNDS = ("SELECT f.method, sum(f.amount) FROM return_refund f "
             "JOIN sale_return r ON r.id = f.return_id WHERE r.shift_id = ? GROUP BY f.method")
Z_MOVES = "SELECT direction, sum(amount) FROM cash_movement WHERE shift_id = ? GROUP BY direction"
Z_MOVEMENTS = ("SELECT m.created_at, m.direction, m.amount, m.reason, u.full_name "
               "FROM cash_movement m JOIN staff_user u ON u.id = m.user_id "
               "WHERE m.shift_id = ? ORDER BY m.id")
Z_TENDERS = "SELECT method, expected, counted FROM shift_tender WHERE shift_id = ?"
Z_NAMES = "SELECT id, full_name FROM staff_user WHERE id IN (?, ?, ?)"
Z_TILL = "SELECT name FROM till WHERE id = ?"


def denormalise(conn: sqlite3.Connection) -> None:
    """Build ``bench_day_product`` in the scratch copy (untimed)."""
    conn.executescript(f"DROP TABLE IF EXISTS {SUMMARY};" + DENORMALISE)


def day_floor(conn: sqlite3.Connection, day: str, dpp_share: tuple[int, int],
              outlet_pkp: bool = False) -> dict:
    """The day's totals: sale count and sums, per payment method, per business unit (with the
    cost of goods), per tax class of the PKP sales (and, on a PKP day, the other sales' lines as
    ``bukan_pkp``), and the day's returns."""
    count, gross, discount, tax, total, rounding = conn.execute(DAY_HEAD, (day,)).fetchone()
    payments = {method: {"count": n, "amount": amount}
                for method, n, amount in conn.execute(DAY_PAYMENTS, (day,))}
    units: dict[str, dict] = {}
    costs: dict[str, int] = {}
    classes: dict[str, list[int]] = {}
    untaxed = 0
    for unit, per, tax_class, pkp, lines, amount, line_tax, cost in conn.execute(DAY_LINES, (day,)):
        entry = units.setdefault(unit, {"lines": 0, "amount": 0, "tax": 0})
        entry["lines"] += lines
        entry["amount"] += amount
        entry["tax"] += line_tax
        costs[unit] = costs.get(unit, 0) + round_half_up(cost, per)
        if pkp:
            sums = classes.setdefault(tax_class, [0, 0])
            sums[0] += amount
            sums[1] += line_tax
        else:
            untaxed += amount
    for unit, entry in units.items():
        entry["cost"] = costs[unit]
        entry["margin"] = entry["amount"] - entry["tax"] - costs[unit]
    returned, refunded, rounded, taken = conn.execute(DAY_RETURNS, (day,)).fetchone()
    taxed = {c: {"amount": a, "tax": t, "dpp": dpp_nilai_lain(a - t, *dpp_share) if c == "ppn" and t else a}
             for c, (a, t) in classes.items()}
    if (outlet_pkp or classes) and untaxed:
        taxed["bukan_pkp"] = {"amount": untaxed, "tax": 0, "dpp": 0}
    return {"sale_count": count, "gross": gross, "discount": discount, "tax": tax, "total": total,
            "rounding": rounding, "cost": sum(costs.values()),
            "margin": total - tax - sum(costs.values()), "payments": payments,
            "business_units": units,
            "tax_classes": taxed,
            "returns": {"count": returned, "amount": refunded, "rounding": rounded, "tax": taken}}


def month_floor(conn: sqlite3.Connection, start: str, end: str, per_page: int = 50) -> dict:
    """The first page of products by amount, the number of products and the totals row."""
    rows = conn.execute(MONTH, (start, end, per_page)).fetchall()
    if not rows:
        return {"rows": [], "count": 0, "totals": dict.fromkeys(MONTH_TOTALS, 0)}
    return {"rows": [dict(zip(MONTH_COLUMNS, row[:10], strict=True)) for row in rows],
            "count": rows[0][10], "totals": dict(zip(MONTH_TOTALS, rows[0][11:], strict=True))}


def z_floor(conn: sqlite3.Connection, shift_id: int) -> dict:
    """A shift's figures, expected and counted money per tender, movements and names."""
    till_id, cashier, closed_by, approved_by, opening, closed_at = conn.execute(
        Z_SHIFT, (shift_id,)).fetchone()
    sales, total, change, rounding = conn.execute(Z_HEAD, (shift_id,)).fetchone()
    sold, received = {}, 0
    for method, amount, tendered in conn.execute(Z_PAYMENTS, (shift_id,)):
        sold[method] = amount
        received = tendered if method == "cash" else received
    docs = dict(conn.execute(Z_DOCS, (shift_id,)).fetchall())
    refunds = dict(conn.execute(Z_REFUNDS, (shift_id,)).fetchall())
    moves = dict(conn.execute(Z_MOVES, (shift_id,)).fetchall())
    movements = conn.execute(Z_MOVEMENTS, (shift_id,)).fetchall()
    tenders = {m: (e, c) for m, e, c in conn.execute(Z_TENDERS, (shift_id,))}
    names = dict(conn.execute(Z_NAMES, (cashier, closed_by, approved_by)).fetchall())
    till = conn.execute(Z_TILL, (till_id,)).fetchone()
    expected_cash = (opening + received - change + moves.get("in", 0) - moves.get("out", 0)
                     + docs.get("cash", 0) - refunds.get("cash", 0))
    return {"till": till[0] if till else "-", "cashier": names.get(cashier, "-"),
            "closed": closed_at is not None, "opening_float": opening, "sales_count": sales,
            "sales_total": total, "cash_received": received, "change_given": change,
            "rounding": rounding, "expected_cash": expected_cash, "movements": len(movements),
            "expected": {m: e for m, (e, _c) in tenders.items()},
            "counted": {m: c for m, (_e, c) in tenders.items()}, "sold": sold}
