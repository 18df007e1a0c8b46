"""One batch, one expiry date (``stock.ensure_batch`` refuses a second): a draft line whose batch
is on file with another date, or on another line of the draft with another date.

``notes`` names it on the line as soon as the line is saved (``queries.LineRow.batch_note``: the
line's sum says it and its expiry is marked), and no box asks to confirm that line's short or far
date; ``posting`` refuses it before asking about any such date (``on_file``), so a clerk is never
asked to confirm a date that is refused anyway.  Only lines that take goods in count (a line
received 0 moves no batch), with their batch and date both typed.  A batch on file settles it:
a line with its date is right whatever the draft's other lines say.  Numbers are compared on
``stock.batch_key`` (without spaces, '-', '/' and '.'): "PCT 777" typed beside PCT777 on file
with another date names PCT777 ("mirip batch PCT777 yang sudah tercatat …") and is refused, as
the same number would be; one on file with the line's very number decides alone.  With the
date on file it is that batch: posting puts the units into PCT777 and the line then names it.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.inventory import stock
from pos.inventory.catalog.models import Product
from pos.inventory.models import Batch
from pos.inventory.receiving.models import GoodsReceiptLine

Key = tuple[int, str]   # (product id, batch number compared loosely: ``stock.batch_key``)

CHECK = ("Periksa nomor batch dan tanggal di kemasan; bila yang tercatat salah, minta manajer "
         "memperbaikinya (Penyesuaian & pemusnahan).")


def _keyed(lines: list[GoodsReceiptLine], products: dict[int, Product]) -> list[tuple[GoodsReceiptLine, Key]]:
    return [(line, (line.product_id, stock.batch_key(line.batch_no))) for line in lines
            if products[line.product_id].batch_tracked and line.qty_packs > 0 and line.batch_no
            and line.expiry is not None]


def _recorded(session: Session, keys: set[Key]) -> dict[Key, list[tuple[str, date | None]]]:
    """The batches on file (number as stored, expiry) under each of ``keys``."""
    if not keys:
        return {}
    rows = session.execute(select(Batch.product_id, Batch.batch_no, Batch.expiry).where(
        Batch.product_id.in_({pid for pid, _ in keys})).order_by(Batch.id))
    found: dict[Key, list[tuple[str, date | None]]] = {}
    for pid, no, day in rows:
        if (pid, stock.batch_key(no)) in keys:
            found.setdefault((pid, stock.batch_key(no)), []).append((no, day))
    return found


def _unlike(line: GoodsReceiptLine, on_file: list[tuple[str, date | None]]) -> str | None:
    """What to say of ``line`` against the batches on file under its key, or None."""
    typed = stock.batch_number(line.batch_no)
    same = [day for no, day in on_file if no == typed]
    if same:
        return None if same[0] == line.expiry else stock.batch_recorded(typed, same[0])
    like = next(((no, day) for no, day in on_file if day != line.expiry), None)
    return None if like is None else stock.batch_recorded(typed, like[1], like[0])


def _unlike_file(keyed: list[tuple[GoodsReceiptLine, Key]],
                 recorded: dict[Key, list[tuple[str, date | None]]]) -> dict[int, str]:
    said = {line.id: _unlike(line, recorded[key]) for line, key in keyed if key in recorded}
    return {line_id: f"{text} {CHECK}" for line_id, text in said.items() if text}


def on_file(session: Session, lines: list[GoodsReceiptLine],
            products: dict[int, Product]) -> dict[int, str]:
    """Line id: what to say, for each line whose batch is on file with another expiry."""
    keyed = _keyed(lines, products)
    return _unlike_file(keyed, _recorded(session, {key for _, key in keyed}))


def two_dates(batch_no: str, first: date, second: date) -> str:
    """One batch on two lines of a draft with two dates (the earlier line's first)."""
    return (f"batch {batch_no} ada di dua baris penerimaan ini dengan tanggal kedaluwarsa berbeda "
            f"({first:%d-%m-%Y} dan {second:%d-%m-%Y}); satu batch hanya punya satu tanggal "
            "kedaluwarsa.")


def notes(session: Session, lines: list[GoodsReceiptLine],
          products: dict[int, Product]) -> dict[int, str]:
    """Line id: what to say on the line, for each line of a draft whose batch has another date
    on file (``on_file``) or, a new batch, on another line of the draft (each such line named)."""
    keyed = _keyed(lines, products)
    recorded = _recorded(session, {key for _, key in keyed})
    said = _unlike_file(keyed, recorded)
    for n, (line, key) in enumerate(keyed):
        other = next((m for m, (o, k) in enumerate(keyed) if k == key and o.expiry != line.expiry), None)
        if key not in recorded and other is not None:
            first, second = sorted((n, other))
            text = two_dates(stock.batch_number(line.batch_no), keyed[first][0].expiry,
                             keyed[second][0].expiry)
            said[line.id] = text[0].upper() + text[1:]
    return said
