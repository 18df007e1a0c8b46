"""The only writer of stock: every change is a ``StockMovement`` plus a matching
SQL-side update of ``StockLevel.on_hand`` in the same transaction.

The decrement happens in SQL (``on_hand = on_hand + :qty``), never computed in
Python, so two tills selling at once cannot lose an update.  For products that
block negative stock, the update is conditional and a row count of zero means
the stock was not there: the sale is refused and nothing is written.

Batch-tracked products keep stock per batch as well; their ``StockLevel`` is
always the sum of their batches.  Sales take batches first-expiry-first-out
(``allocate``, pure) and never touch a batch whose expiry date has come: a batch
that expires on day D is not sold from D on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import BigInteger, bindparam, cast, func, insert, select, update
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import PosError
from pos.inventory.catalog.models import Product
from pos.inventory.models import Batch, MovementKind, StockLevel, StockMovement
from pos.sql_direct import Direct, DirectInsert
from pos.text import visible
from pos.units import BaseUnit

# The most one receipt line or one adjustment moves, in base units: 100.000 pieces, 100 tonnes
# or 100.000 litres. More is a typo (packs typed as pieces, a barcode in the quantity box).
MAX_MOVE = {BaseUnit.PCS: 100_000, BaseUnit.GRAM: 100_000_000, BaseUnit.ML: 100_000_000}


class OutOfStock(PosError):
    pass


class ExpiredStock(OutOfStock):
    """What is left is past its expiry date: it may not be sold."""


@dataclass(frozen=True)
class Move:
    product_id: int
    qty: int            # signed, base units
    block_negative: bool = False
    name: str = ""
    batch_id: int | None = None
    unit_cost: int | None = None  # an approved adjustment's or count's value (per price unit)


@dataclass(frozen=True)
class BatchStock:
    batch_id: int
    batch_no: str
    expiry: date | None
    on_hand: int


def is_expired(expiry: date | None, today: date) -> bool:
    return expiry is not None and expiry <= today


def allocate(batches: list[BatchStock], qty: int, today: date, name: str = "") -> list[tuple[int, int]]:
    """(batch id, quantity) to take for ``qty``: earliest expiry first, undated last.

    Raises ``ExpiredStock`` when the expired stock would have covered it (the shelf holds
    enough, but not enough that may be sold), else ``OutOfStock``, naming any expired stock.
    """
    usable = sorted((b for b in batches if b.on_hand > 0 and not is_expired(b.expiry, today)),
                    key=lambda b: (b.expiry is None, b.expiry or date.max, b.batch_id))
    taken, left = [], qty
    for batch in usable:
        if left == 0:
            break
        take = min(left, batch.on_hand)
        taken.append((batch.batch_id, take))
        left -= take
    if left:
        available = qty - left
        expired = sum(b.on_hand for b in batches if b.on_hand > 0 and is_expired(b.expiry, today))
        if expired >= left:
            raise ExpiredStock(f"Stok {name} yang tersisa sudah kedaluwarsa dan tidak boleh dijual "
                               f"(yang masih baik: {available}).")
        also = f"; {expired} lagi sudah kedaluwarsa" if expired else ""
        raise OutOfStock(f"Stok {name} tidak cukup (tersisa {available}{also}).")
    return taken


def batches_of(session: Session, product_id: int) -> list[BatchStock]:
    rows = session.execute(
        select(Batch.id, Batch.batch_no, Batch.expiry, Batch.on_hand)
        .where(Batch.product_id == product_id, Batch.on_hand > 0)
        .order_by(Batch.expiry, Batch.id))
    return [BatchStock(*row) for row in rows]


def fefo_moves(session: Session, product_id: int, qty: int, today: date, name: str = "") -> list[Move]:
    """The outgoing moves that sell ``qty`` of a batch-tracked product, first expiry first."""
    return [Move(product_id, -take, True, name, batch_id)
            for batch_id, take in allocate(batches_of(session, product_id), qty, today, name)]


def open_levels(session: Session, product_ids: list[int]) -> None:
    """Empty stock records for new products (every product has one, from its creation on)."""
    if product_ids:
        session.connection().execute(_level_t.insert(),
                                     [{"product_id": pid, "on_hand": 0} for pid in product_ids])


BATCH_NO_MAX = 40   # the batch table's column
MARKS_ALONE = "Nomor batch harus berisi huruf atau angka (bukan hanya tanda baca)."


def batch_number(text: str | None) -> str:
    """A batch number as every writer stores it: no control or format characters (U+200B), trimmed,
    in capitals (b99001 typed is B99001 printed on the strip)."""
    return visible(text or "").strip().upper()


def names_a_strip(batch_no: str) -> bool:
    """A letter or digit in it: "-", "/" or "." alone names none, refused by every writer."""
    return any(ch.isalnum() for ch in batch_no)


def batch_key(text: str | None) -> str:
    """A batch number compared loosely: as stored, without spaces, '-', '/' and '.' ("PCT 777",
    "pct-777" and "PCT777" are one strip); two numbers with one key are one batch's."""
    return "".join(batch_number(text).split()).translate(_LOOSE)


_LOOSE = str.maketrans("", "", "-/.")


def ensure_batch(session: Session, product_id: int, batch_no: str, expiry: date | None) -> int:
    """The batch with this number, created on first receipt; its expiry may not change.  A number
    that differs only by spaces or punctuation (``batch_key``) from one on file is that batch
    (units of "PNB 2706" go into PNB2706), refused when it is on file with another expiry."""
    batch_no = batch_number(batch_no)
    if not names_a_strip(batch_no):
        raise PosError(MARKS_ALONE if batch_no else "Nomor batch wajib diisi untuk barang ber-batch.")
    row = session.execute(select(Batch.id, Batch.expiry).where(
        Batch.product_id == product_id, Batch.batch_no == batch_no)).first()
    if row is None:
        key = batch_key(batch_no)
        alike = [b for b in session.execute(select(Batch.id, Batch.batch_no, Batch.expiry).where(
            Batch.product_id == product_id).order_by(Batch.id)) if batch_key(b.batch_no) == key]
        like = next((b for b in alike if b.expiry != expiry), None)
        if like is not None:
            raise PosError(batch_recorded(batch_no, like.expiry, like.batch_no))
        if alike:
            return alike[0].id
        return session.execute(insert(Batch).values(
            product_id=product_id, batch_no=batch_no, expiry=expiry, on_hand=0)
            .returning(Batch.id)).scalar_one()
    if row.expiry != expiry:
        raise PosError(batch_recorded(batch_no, row.expiry))
    return row.id


def batch_no_of(session: Session, batch_id: int) -> str:
    """The batch's number as it is on file."""
    return session.scalar(select(Batch.batch_no).where(Batch.id == batch_id))


def batch_recorded(batch_no: str, expiry: date | None, on_file: str | None = None) -> str:
    """What ``ensure_batch`` says of a batch on file with another expiry (``expiry``, on file),
    or of one on file as ``on_file``, a number that differs only by spaces or punctuation."""
    recorded = f"dengan tanggal kedaluwarsa {expiry:%d-%m-%Y}" if expiry else "tanpa tanggal kedaluwarsa"
    if on_file is not None and on_file != batch_no:
        return f"Batch {batch_no} mirip batch {on_file} yang sudah tercatat {recorded}."
    return f"Batch {batch_no} sudah tercatat {recorded}."


_level_t, _movement_t, _batch_t = StockLevel.__table__, StockMovement.__table__, Batch.__table__
# Run straight on the cursor (``pos.sql_direct``): a sale runs them for every line.
_INSERT_MOVEMENTS = DirectInsert(_movement_t)
_ADD = Direct(_level_t.update().where(_level_t.c.product_id == bindparam("pid")).values(
    on_hand=_level_t.c.on_hand + bindparam("dq")))
_ADD_IF_ENOUGH = Direct(_level_t.update().where(
    _level_t.c.product_id == bindparam("pid"), _level_t.c.on_hand + bindparam("dq") >= 0).values(
    on_hand=_level_t.c.on_hand + bindparam("dq")))
_ADD_TO_BATCH = Direct(_batch_t.update().where(
    _batch_t.c.id == bindparam("bid"), _batch_t.c.product_id == bindparam("pid"),
    _batch_t.c.on_hand + bindparam("dq") >= 0).values(on_hand=_batch_t.c.on_hand + bindparam("dq")))


def apply(session: Session, moves: list[Move], kind: MovementKind, *, user_id: int | None = None,
          sale_id: int | None = None, reason: str | None = None, ref: str | None = None,
          at: datetime | None = None) -> None:
    """Write ``moves`` as movements plus on-hand updates (per product and per batch), at the
    moment ``at`` (a sale's or a return's own; now by default).

    Guarded moves (blocked products, batches) are one conditional UPDATE each, so a
    row count of zero tells exactly which one lacked stock; the rest go as one
    executemany.
    """
    if not moves:
        return
    if any(m.qty == 0 for m in moves):
        raise PosError("Jumlah perubahan stok tidak boleh nol.")
    conn = session.connection()
    free = []
    for move in moves:
        if move.batch_id is not None:
            _move_batch(session, move)
        params = {"pid": move.product_id, "dq": move.qty}
        if move.block_negative and move.qty < 0:
            if _ADD_IF_ENOUGH.run(conn, params) != 1:
                _refuse(session, move)
        else:
            free.append(params)
    if free and _ADD.run(conn, free) not in (-1, len(free)):
        raise PosError("Sebagian barang belum punya catatan stok.")
    now = at or utcnow()
    valued = any(m.unit_cost is not None for m in moves)  # else the column is left out: NULL
    _INSERT_MOVEMENTS.run(conn, [
        {"product_id": m.product_id, "qty": m.qty, "kind": kind, "sale_id": sale_id,
         "batch_id": m.batch_id, "ref": ref, "user_id": user_id, "reason": reason,
         "created_at": now, **({"unit_cost": m.unit_cost} if valued else {})}
        for m in moves
    ])


def _refuse(session: Session, move: Move) -> None:
    available = session.scalar(select(StockLevel.on_hand).where(StockLevel.product_id == move.product_id))
    if available is None:
        raise PosError(f"Barang {move.name or move.product_id} belum punya catatan stok.")
    raise OutOfStock(f"Stok {move.name} tidak cukup (tersisa {max(available, 0)}).")


def _move_batch(session: Session, move: Move) -> None:
    """A batch never goes below zero, whatever the product's policy."""
    if _ADD_TO_BATCH.run(session.connection(), {"bid": move.batch_id, "pid": move.product_id,
                                                 "dq": move.qty}) != 1:
        raise OutOfStock(f"Stok batch {move.name or move.product_id} tidak cukup "
                         "(mungkin baru saja terjual di kasir lain).")


def move(session: Session, product: Product, qty: int, kind: MovementKind, *,
         user_id: int | None = None, reason: str | None = None, batch_id: int | None = None,
         ref: str | None = None, at: datetime | None = None) -> None:
    """One movement for one product (receipts, adjustments, opening stock), now or ``at``."""
    if product.batch_tracked and batch_id is None:
        raise PosError(f"{product.name} dicatat per batch: sebutkan batchnya.")
    apply(session, [Move(product.id, qty, False, product.name, batch_id)], kind, user_id=user_id,
          reason=reason, ref=ref, at=at)


def set_expiry(session: Session, batch_id: int, expiry: date) -> None:
    """A batch's expiry as corrected by a manager (``counts.batch_fix``); its stock is untouched."""
    session.execute(update(Batch).where(Batch.id == batch_id).values(expiry=expiry))


def set_batch_no(session: Session, batch_id: int, batch_no: str) -> None:
    """A batch's number as corrected by a manager (``counts.batch_fix``); its stock is untouched."""
    session.execute(update(Batch).where(Batch.id == batch_id).values(batch_no=batch_no))


def on_hand(session: Session, product_id: int) -> int:
    return session.scalar(select(StockLevel.on_hand).where(StockLevel.product_id == product_id)) or 0


def held(session: Session, product_id: int, batch_id: int | None) -> int:
    """What the batch (or, without one, the product) holds now."""
    if batch_id is not None:
        return session.scalar(select(Batch.on_hand).where(Batch.id == batch_id)) or 0
    return on_hand(session, product_id)


def batch_discrepancies(session: Session) -> list[tuple[str, int, int, int]]:
    """Where batch figures disagree: ("batch", batch id, on hand, movement sum) or
    ("product", product id, product on hand, sum of its batches) for batch-tracked goods."""
    moved = (select(StockMovement.batch_id, cast(func.sum(StockMovement.qty), BigInteger).label("total"))
             .where(StockMovement.batch_id.is_not(None)).group_by(StockMovement.batch_id).subquery())
    out = [("batch", *row) for row in session.execute(
        select(Batch.id, Batch.on_hand, func.coalesce(moved.c.total, 0))
        .outerjoin(moved, moved.c.batch_id == Batch.id)
        .where(Batch.on_hand != func.coalesce(moved.c.total, 0)))]
    held = (select(Batch.product_id, cast(func.sum(Batch.on_hand), BigInteger).label("total"))
            .group_by(Batch.product_id).subquery())
    out += [("product", *row) for row in session.execute(
        select(StockLevel.product_id, StockLevel.on_hand, func.coalesce(held.c.total, 0))
        .join(Product, Product.id == StockLevel.product_id)
        .outerjoin(held, held.c.product_id == StockLevel.product_id)
        .where(Product.batch_tracked, StockLevel.on_hand != func.coalesce(held.c.total, 0)))]
    return out


def discrepancies(session: Session) -> list[tuple[int, int, int]]:
    """(product_id, on_hand, movement sum) wherever the two disagree."""
    sums = (select(StockMovement.product_id, cast(func.sum(StockMovement.qty), BigInteger).label("total"))
            .group_by(StockMovement.product_id).subquery())
    rows = session.execute(
        select(StockLevel.product_id, StockLevel.on_hand, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.product_id == StockLevel.product_id)
        .where(StockLevel.on_hand != func.coalesce(sums.c.total, 0))
    )
    return [tuple(r) for r in rows]
