"""Stock counts (stock opname): a count over all goods, a category or a shelf; clerks
record what they count, the system shows the variances, a manager approves them.

Sales go on during a count.  Each count line stores ``expected``: what the system
held for the product (or for the batch, for batch-tracked goods) at the moment the
clerk entered the count; the variance is ``counted - expected``.  Approval posts
that variance as a change (one COUNT movement per line that differs) on top of
the *current* stock, so whatever was sold or received after the item was counted
is kept: counted 9 while the system said 10, then 2 sold, approval leaves 7.
Recounting an item replaces its line (new count, fresh expected).  Enter each
count right after counting that spot, so no sale falls in between.  Goods that
were not counted are left unchanged.

Only one open count may cover a product: a second count over the same goods is
refused, so no variance can be posted twice.  Approval is refused, with the
goods named, when a negative variance is bigger than what the batch (or a
product that blocks negative stock) holds now; a recount fixes that.  The approver
is a manager who neither opened the count nor counted in it (``checks.approver``).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import String, cast, func, null, select, true, union_all
from sqlalchemy.orm import Session

from pos.auth.models import User
from pos.auth.service import may
from pos.clock import utcnow
from pos.days.service import ensure_open
from pos.errors import Forbidden, NotFound, PosError
from pos.inventory import stock
from pos.inventory.catalog.models import Category, Product
from pos.inventory.counts import checks
from pos.inventory.counts.checks import approver, checked_batch, checked_product, shortfall, stock_move
from pos.inventory.counts.models import CountLine, CountScope, CountSession, CountStatus
from pos.inventory.models import Batch, MovementKind, StockLevel
from pos.money import round_half_up
from pos.units import BaseUnit

# The most one count line holds: what ten receipt lines at their most bring in (``stock.MAX_MOVE``),
# 1.000 t, 1.000.000 l or 1.000.000 pcs; the store may hold more than one receipt or adjustment moves.
MAX_COUNTED = {unit: 10 * most for unit, most in stock.MAX_MOVE.items()}
STATUS_LABEL = {CountStatus.OPEN: "dibuka", CountStatus.APPROVED: "disetujui",
                CountStatus.CANCELLED: "dibatalkan"}


class CountError(PosError):
    pass


@dataclass(frozen=True)
class VarianceRow:
    line_id: int
    product_id: int
    sku: str
    name: str
    base_unit: BaseUnit
    batch_no: str | None
    expected: int
    counted: int
    diff: int
    diff_rupiah: int
    counted_by: str


@dataclass
class CountReport:
    rows: list[VarianceRow]
    uncounted: list[dict]           # in scope and not counted yet (shown up to a limit)
    uncounted_total: int
    units: dict[BaseUnit, int] = field(default_factory=dict)  # net variance per base unit
    rupiah: int = 0                 # net variance at cost
    shortage: int = 0               # Rupiah of the negative variances
    surplus: int = 0                # Rupiah of the positive ones


def _in_scope(scope: CountScope, category_id: int | None, shelf: str | None):
    """SQL condition on ``Product`` for the goods a count covers."""
    if scope is CountScope.CATEGORY:
        return Product.category_id == category_id
    if scope is CountScope.SHELF:
        return func.upper(Product.shelf) == shelf.upper()   # shelves saved before in small letters
    return true()


def scope_of(count: CountSession):
    return _in_scope(count.scope, count.category_id, count.shelf)


def _parse_scope(session: Session, scope: str, category_id: int | None, shelf: str | None):
    try:
        scope = CountScope(scope)
    except ValueError:
        raise CountError("Pilih cakupan opname: semua barang, satu kategori atau satu rak.") \
            from None
    if scope is CountScope.CATEGORY:
        if category_id is None or session.get(Category, category_id) is None:
            raise CountError("Pilih kategori yang akan dihitung.")
        return scope, category_id, None
    if scope is CountScope.SHELF:
        shelf = (shelf or "").strip().upper()
        if not shelf or len(shelf) > 20:
            raise CountError("Pilih rak yang akan dihitung.")
        return scope, None, shelf
    return scope, None, None


def _overlapping(session: Session, scope: CountScope, category_id: int | None,
                 shelf: str | None) -> str | None:
    """The number of an open count that covers some of the same goods, if any."""
    mine = _in_scope(scope, category_id, shelf)
    open_counts = select(CountSession).where(CountSession.status == CountStatus.OPEN)
    for other in session.scalars(open_counts):
        if CountScope.ALL in (scope, other.scope) \
                or (scope, category_id, shelf) == (other.scope, other.category_id, other.shelf) \
                or session.scalar(select(Product.id).where(mine, scope_of(other)).limit(1)):
            return other.number
    return None


def open_count(session: Session, scope: CountScope | str, user_id: int,
               category_id: int | None = None, shelf: str | None = None) -> int:
    """Open a count (number ``SO-000001``) and return its id."""
    scope, category_id, shelf = _parse_scope(session, scope, category_id, shelf)
    covered = select(Product.id).where(_in_scope(scope, category_id, shelf)).limit(1)
    if session.scalar(covered) is None:
        raise CountError("Tidak ada barang dalam cakupan ini.")
    if (other := _overlapping(session, scope, category_id, shelf)) is not None:
        raise CountError(f"Stok opname {other} masih terbuka untuk barang yang sama. "
                         "Selesaikan atau batalkan dulu.")
    # A unique placeholder until the id is known; the number is then derived from it.
    count = CountSession(number=f"SO-{uuid.uuid4().hex[:16]}", scope=scope, category_id=category_id,
                         shelf=shelf, created_by=user_id)
    session.add(count)
    session.flush()
    count.number = f"SO-{count.id:06d}"
    session.flush()
    return count.id


def get_count(session: Session, count_id: int, *, lock: bool = False) -> CountSession:
    query = select(CountSession).where(CountSession.id == count_id)
    if lock:  # one writer per count at a time (PostgreSQL; SQLite writers are serial anyway)
        query = query.with_for_update().execution_options(populate_existing=True)
    count = session.scalar(query)
    if count is None:
        raise NotFound("Stok opname tidak ditemukan.")
    return count


def require_open(session: Session, count_id: int, *, lock: bool = True) -> CountSession:
    count = get_count(session, count_id, lock=lock)
    if count.status is not CountStatus.OPEN:
        raise CountError(f"Stok opname {count.number} sudah {STATUS_LABEL[count.status]}.")
    return count


def product_in_scope(session: Session, count: CountSession, product_id: int | None) -> Product:
    product = checked_product(session, product_id)
    if session.scalar(select(Product.id).where(Product.id == product.id, scope_of(count))) is None:
        raise CountError(f"{product.name} tidak termasuk cakupan {count.number}.")
    return product


def record(session: Session, count_id: int, product_id: int, counted: int, user_id: int,
           batch_id: int | None = None, sure: int | None = None) -> CountLine:
    """Record (or replace) the counted quantity of a product, or of one of its batches; ``sure``
    is a count far above the stock on record that the clerk confirmed (``UnlikelyCount``)."""
    count = require_open(session, count_id)
    product = product_in_scope(session, count, product_id)
    batch = checked_batch(session, product, batch_id)
    unit = BaseUnit(product.base_unit)
    if isinstance(counted, bool) or not isinstance(counted, int) or not 0 <= counted <= MAX_COUNTED[unit]:
        raise CountError(f"Jumlah dihitung harus 0 sampai {unit.with_unit(MAX_COUNTED[unit])}.")
    batch_id = batch.id if batch else None
    expected = stock.held(session, product.id, batch_id)
    checks.refuse_unlikely(unit, counted, expected, sure)
    line = session.scalar(select(CountLine).where(
        CountLine.session_id == count.id, CountLine.product_id == product.id,
        CountLine.batch_id == batch_id if batch else CountLine.batch_id.is_(None)))
    if line is None:
        line = CountLine(session_id=count.id, product_id=product.id, batch_id=batch_id)
        session.add(line)
    line.counted, line.expected, line.unit_cost = counted, expected, product.cost
    line.counted_by, line.counted_at = user_id, utcnow()
    session.flush()
    return line


def variances(session: Session, count_id: int, uncounted_limit: int = 100) -> CountReport:
    """Every counted line with its variance in units and Rupiah, and what is still uncounted."""
    count = get_count(session, count_id)
    rows = [_variance_row(row) for row in session.execute(
        select(CountLine.id, Product.id, Product.sku, Product.name, Product.base_unit,
               Batch.batch_no, CountLine.expected, CountLine.counted, CountLine.unit_cost,
               User.full_name)
        .join(Product, Product.id == CountLine.product_id)
        .outerjoin(Batch, Batch.id == CountLine.batch_id)
        .join(User, User.id == CountLine.counted_by)
        .where(CountLine.session_id == count.id)
        .order_by(Product.name, Batch.expiry, Batch.id))]
    uncounted, total = (_uncounted(session, count, uncounted_limit) if count.status is CountStatus.OPEN
                        else ([], 0))   # a closed count's record is its lines, not today's stock
    report = CountReport(rows, uncounted, total)
    for row in rows:
        report.units[row.base_unit] = report.units.get(row.base_unit, 0) + row.diff
        report.rupiah += row.diff_rupiah
        report.shortage += min(row.diff_rupiah, 0)
        report.surplus += max(row.diff_rupiah, 0)
    return report


def _variance_row(row) -> VarianceRow:
    line_id, product_id, sku, name, unit, batch_no, expected, counted, unit_cost, by = row
    unit, diff = BaseUnit(unit), counted - expected
    return VarianceRow(line_id, product_id, sku, name, unit, batch_no, expected, counted, diff,
                       round_half_up(diff * unit_cost, unit.price_per), by)


def _uncounted(session: Session, count: CountSession, limit: int) -> tuple[list[dict], int]:
    lines = select(CountLine.product_id).where(CountLine.session_id == count.id)
    batch_lines = select(CountLine.batch_id).where(CountLine.session_id == count.id,
                                                   CountLine.batch_id.is_not(None))
    plain = (select(Product.id.label("product_id"), Product.sku, Product.name, Product.base_unit,
                    cast(null(), String(40)).label("batch_no"), StockLevel.on_hand)
             .join(StockLevel, StockLevel.product_id == Product.id)
             .where(scope_of(count), ~Product.batch_tracked, Product.id.not_in(lines),
                    Product.active | (StockLevel.on_hand != 0)))
    batched = (select(Product.id.label("product_id"), Product.sku, Product.name, Product.base_unit,
                      Batch.batch_no, Batch.on_hand)
               .join(Batch, Batch.product_id == Product.id)
               .where(scope_of(count), Product.batch_tracked, Batch.on_hand > 0,
                      Batch.id.not_in(batch_lines)))
    both = union_all(plain, batched).subquery()
    total = session.scalar(select(func.count()).select_from(both))
    rows = session.execute(select(both).order_by(both.c.name, both.c.batch_no).limit(limit))
    return [dict(row._asdict(), base_unit=BaseUnit(row.base_unit)) for row in rows], total


def approve(session: Session, count_id: int, manager_id: int, allow_self: bool = False,
            day: date | None = None) -> int:
    """Post every variance as a COUNT movement on today's stock; returns how many.
    Refused when the business ``day`` it is posted on is closed (``pos.days``).

    Whoever opened the count or counted a line made it, and may not approve it unless
    ``allow_self`` (``POS_SELF_APPROVAL``); such an approval is marked as a self-approval.
    """
    if day is not None:
        ensure_open(session, day)
    count = require_open(session, count_id)
    counters = session.scalars(select(CountLine.counted_by).where(CountLine.session_id == count.id))
    self_approved = approver(session, manager_id, {count.created_by, *counters}, allow_self,
                             "Hanya manajer yang boleh menyetujui stok opname.",
                             own="Anda membuka atau ikut menghitung opname ini")
    any_line = select(CountLine.id).where(CountLine.session_id == count.id).limit(1)
    if session.scalar(any_line) is None:
        raise CountError("Belum ada barang yang dihitung. Batalkan opname ini bila tidak dipakai.")
    differing = session.execute(
        select(CountLine, Product).join(Product, Product.id == CountLine.product_id)
        .where(CountLine.session_id == count.id, CountLine.counted != CountLine.expected)
        .order_by(CountLine.id)).all()
    _refuse_shortfalls(session, differing)
    # valued at the cost the count's screen showed the difference at (counted then)
    stock.apply(session, [stock_move(product, line.counted - line.expected, line.batch_id,
                                     unit_cost=line.unit_cost) for line, product in differing],
                MovementKind.COUNT, user_id=manager_id, reason=f"Stok opname {count.number}",
                ref=f"count:{count.id}")
    count.status, count.approved_by, count.approved_at = CountStatus.APPROVED, manager_id, utcnow()
    count.self_approved = self_approved
    session.flush()
    return len(differing)


def _refuse_shortfalls(session: Session, differing) -> None:
    problems = []
    for line, product in differing:
        diff = line.counted - line.expected
        held = shortfall(session, product, line.batch_id, diff)
        if held is not None:
            batch_no = session.scalar(select(Batch.batch_no).where(Batch.id == line.batch_id))
            what = f"{product.name} batch {batch_no}" if batch_no else product.name
            problems.append(f"{what} (stok sekarang {checks.amount(product, held)}, "
                            f"selisih {checks.amount(product, diff)})")
    if problems:
        raise CountError("Selisih lebih besar dari stok sekarang untuk: " + "; ".join(problems)
                         + ". Hitung ulang barang itu lalu setujui lagi.")


def cancel(session: Session, count_id: int, user_id: int) -> None:
    """Close the count without posting anything (its creator or a manager)."""
    count = require_open(session, count_id)
    user = session.get(User, user_id)
    if user is None or (count.created_by != user_id and not may(user.role, "manage")):
        raise Forbidden("Hanya pembuat opname atau manajer yang boleh membatalkannya.")
    # approved_by/at record who closed the count and when; the status says how.
    count.status, count.approved_by, count.approved_at = CountStatus.CANCELLED, user_id, utcnow()
    session.flush()
