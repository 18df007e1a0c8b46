"""What must hold after the kills, read with plain SQL from the database the server left.

Each check returns a list of problems (empty: it holds), so one run reports all of them.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import create_engine, text

from tests.reliability.crash_tills import Confirmed


def confirmed_sales(conn, sales: list[Confirmed]) -> list[str]:
    """Every sale a till saw confirmed exists with its number, exactly its lines and its one
    cash payment."""
    problems = []
    for sale in sales:
        row = conn.execute(text("SELECT id, receipt_no, total, tendered, change, status FROM sale "
                                "WHERE idempotency_key = :k"), {"k": sale.key}).one_or_none()
        if row is None:
            problems.append(f"confirmed sale {sale.receipt_no} missing")
            continue
        if (row.id, row.receipt_no) != (sale.sale_id, sale.receipt_no):
            problems.append(f"sale {sale.receipt_no}: stored as {row.id} {row.receipt_no}")
        if row.total != sale.total or row.tendered != sale.tendered \
                or row.change != sale.tendered - sale.total or row.status != "completed":
            problems.append(f"sale {sale.receipt_no}: {tuple(row)} vs total {sale.total}")
        lines = dict(conn.execute(text("SELECT product_id, SUM(qty) FROM sale_line WHERE sale_id = :s "
                                       "GROUP BY product_id"), {"s": row.id}).all())
        if lines != sale.lines:
            problems.append(f"sale {sale.receipt_no}: lines {lines} vs scanned {sale.lines}")
        payments = [tuple(p) for p in conn.execute(text(
            "SELECT method, amount, tendered FROM payment WHERE sale_id = :s"), {"s": row.id})]
        if payments != [("cash", sale.total, sale.tendered)]:
            problems.append(f"sale {sale.receipt_no}: payments {payments}")
    return problems


def no_partial_sale(conn) -> list[str]:
    """No sale without lines, without a payment, or whose payments and lines do not add up."""
    rows = conn.execute(text("""
        SELECT s.receipt_no, s.total, s.gross, s.rounding,
               (SELECT COUNT(*) FROM sale_line l WHERE l.sale_id = s.id) AS n_lines,
               (SELECT COALESCE(SUM(l.amount), 0) FROM sale_line l WHERE l.sale_id = s.id) AS lines,
               (SELECT COUNT(*) FROM payment p WHERE p.sale_id = s.id) AS n_pay,
               (SELECT COALESCE(SUM(p.amount), 0) FROM payment p WHERE p.sale_id = s.id) AS paid
        FROM sale s""")).all()
    return [f"partial sale {r.receipt_no}: {tuple(r)}" for r in rows
            if r.n_lines == 0 or r.n_pay == 0 or r.paid != r.total or r.lines + r.rounding != r.total]


def gap_free(conn) -> list[str]:
    """Receipt and return numbers: per outlet series exactly 1..last_no, each once."""
    problems = []
    for table, counter in (("sale", "receipt_sequence"), ("sale_return", "return_sequence")):
        numbers = defaultdict(list)
        for outlet, seq in conn.execute(text(f"SELECT outlet_code, seq_no FROM {table}")):
            numbers[outlet].append(seq)
        last = dict(conn.execute(text(f"SELECT outlet_code, last_no FROM {counter}")).all())
        for outlet in set(numbers) | {o for o, n in last.items() if n}:
            if sorted(numbers[outlet]) != list(range(1, last.get(outlet, 0) + 1)):
                found = sorted(numbers[outlet])
                missing = sorted(set(range(1, last.get(outlet, 0) + 1)) - set(found))
                problems.append(f"{table} {outlet}: last_no {last.get(outlet)}, {len(found)} numbers, "
                                f"missing {missing[:10]}, duplicates {len(found) - len(set(found))}")
    return problems


def stock_adds_up(conn) -> list[str]:
    """On hand equals the sum of movements for every product and every batch, and a
    batch-tracked product's on hand is the sum of its batches."""
    product = conn.execute(text("""
        SELECT l.product_id, l.on_hand, COALESCE(m.total, 0) FROM stock_level l
        LEFT JOIN (SELECT product_id, SUM(qty) AS total FROM stock_movement GROUP BY product_id) m
               ON m.product_id = l.product_id
        WHERE l.on_hand != COALESCE(m.total, 0)""")).all()
    unlevelled = conn.execute(text("""
        SELECT product_id FROM stock_movement
        WHERE product_id NOT IN (SELECT product_id FROM stock_level) LIMIT 5""")).all()
    batch = conn.execute(text("""
        SELECT b.id, b.on_hand, COALESCE(m.total, 0) FROM batch b
        LEFT JOIN (SELECT batch_id, SUM(qty) AS total FROM stock_movement
                   WHERE batch_id IS NOT NULL GROUP BY batch_id) m ON m.batch_id = b.id
        WHERE b.on_hand != COALESCE(m.total, 0)""")).all()
    batched = conn.execute(text("""
        SELECT l.product_id, l.on_hand, COALESCE(b.total, 0) FROM stock_level l
        JOIN product p ON p.id = l.product_id
        LEFT JOIN (SELECT product_id, SUM(on_hand) AS total FROM batch GROUP BY product_id) b
               ON b.product_id = l.product_id
        WHERE p.batch_tracked AND l.on_hand != COALESCE(b.total, 0)""")).all()
    return ([f"product {r[0]}: on hand {r[1]}, movements {r[2]}" for r in product]
            + [f"movements without a stock level: product {r[0]}" for r in unlevelled]
            + [f"batch {r[0]}: on hand {r[1]}, movements {r[2]}" for r in batch]
            + [f"batch-tracked product {r[0]}: on hand {r[1]}, batches {r[2]}" for r in batched])


def sold_stock_moved(conn) -> list[str]:
    """Each sale line left the shelf: its product's sale movements of the sale add up to it."""
    rows = conn.execute(text("""
        SELECT s.receipt_no, l.product_id, SUM(l.qty) AS sold,
               (SELECT -COALESCE(SUM(m.qty), 0) FROM stock_movement m
                 WHERE m.sale_id = s.id AND m.product_id = l.product_id AND m.kind = 'sale') AS moved
        FROM sale s JOIN sale_line l ON l.sale_id = s.id
        GROUP BY s.id, s.receipt_no, l.product_id""")).all()
    return [f"sale {r.receipt_no} product {r.product_id}: sold {r.sold}, moved {r.moved}"
            for r in rows if r.sold != r.moved]


def returns_kept(conn, returns: list[tuple[str, int, int]]) -> list[str]:
    """Every confirmed return exists with its line; each sale line's returned quantity is the
    sum of its return lines and never above what was sold."""
    problems = []
    for number, line_id, qty in returns:
        found = conn.execute(text(
            "SELECT rl.qty FROM sale_return r JOIN sale_return_line rl ON rl.return_id = r.id "
            "WHERE r.return_no = :n AND rl.sale_line_id = :l"), {"n": number, "l": line_id}).all()
        if [tuple(f) for f in found] != [(qty,)]:
            problems.append(f"confirmed return {number}: lines {found}")
    rows = conn.execute(text("""
        SELECT l.id, l.qty, l.returned_qty,
               (SELECT COALESCE(SUM(rl.qty), 0) FROM sale_return_line rl WHERE rl.sale_line_id = l.id) AS r
        FROM sale_line l WHERE l.returned_qty != 0 OR l.id IN (SELECT sale_line_id FROM sale_return_line)
    """)).all()
    problems += [f"sale line {r.id}: returned_qty {r.returned_qty}, return lines {r.r}, sold {r.qty}"
                 for r in rows if r.returned_qty != r.r or r.returned_qty > r.qty]
    empty = conn.execute(text("SELECT return_no FROM sale_return r WHERE NOT EXISTS "
                              "(SELECT 1 FROM sale_return_line rl WHERE rl.return_id = r.id)")).all()
    return problems + [f"return {r[0]} without lines" for r in empty]


def days_once(conn, closed_day) -> list[str]:
    """Each closed business day is in the ledger outbox exactly once, and no open day is."""
    closed = {str(r[0]) for r in conn.execute(text("SELECT business_date FROM business_day"))}
    counts = {str(d): n for d, n in conn.execute(text(
        "SELECT business_date, COUNT(*) FROM ledger_outbox WHERE kind = 'day' GROUP BY business_date"))}
    problems = [f"day {d} in the outbox {n} times" for d, n in counts.items() if n != 1]
    if set(counts) != closed:
        problems.append(f"closed days {sorted(closed)} vs outbox days {sorted(counts)}")
    if str(closed_day) not in closed:
        problems.append(f"the day closed during the load, {closed_day}, is not closed")
    return problems


def everything(url: str, sales, returns, closed_day) -> tuple[list[str], dict]:
    """All the checks on the database at ``url``; (problems, counts for the report)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            problems = (confirmed_sales(conn, sales) + no_partial_sale(conn) + gap_free(conn)
                        + stock_adds_up(conn) + sold_stock_moved(conn) + returns_kept(conn, returns)
                        + days_once(conn, closed_day))
            if engine.dialect.name == "sqlite":
                verdict = conn.execute(text("PRAGMA integrity_check")).scalars().all()
                if verdict != ["ok"]:
                    problems.append(f"integrity_check: {verdict[:5]}")
            counts = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                      for t in ("sale", "sale_return", "shift", "business_day", "ledger_outbox")}
    finally:
        engine.dispose()
    return problems, counts
