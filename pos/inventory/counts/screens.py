"""The count screen's reads: the product being counted, the list of counts, scope choices."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from pos.auth.models import User
from pos.errors import NotFound
from pos.inventory import stock
from pos.inventory.catalog import categories as catalog_categories
from pos.inventory.catalog import lookup
from pos.inventory.catalog.models import Category, PackUnit, Product
from pos.inventory.counts.checks import guarded, product_batches
from pos.inventory.counts.counting import CountError, get_count, product_in_scope, require_open, scope_of
from pos.inventory.counts.models import CountLine, CountSession, CountStatus
from pos.inventory.models import Batch, StockLevel
from pos.units import BaseUnit


@dataclass(frozen=True)
class Entry:
    """What the count screen needs to take a count of one product."""

    product_id: int
    sku: str
    name: str
    base_unit: BaseUnit
    batch_tracked: bool
    batches: list[stock.BatchStock]
    counted: dict[int | None, int]  # batch id (None: whole product) -> counted so far
    packs: list[tuple[int, str, int]] = ()  # (pack id, name, base units) to count in


def entry(session: Session, count_id: int, product_id: int | None) -> Entry:
    """The product to count, with all its batches and what was counted so far."""
    count = require_open(session, count_id, lock=False)
    product = product_in_scope(session, count, product_id)
    counted = dict(session.execute(select(CountLine.batch_id, CountLine.counted).where(
        CountLine.session_id == count.id, CountLine.product_id == product.id)).all())
    batches = product_batches(session, product.id) if product.batch_tracked else []
    packs = [(p.id, p.name, p.qty) for p in product.packs]
    return Entry(product.id, product.sku, product.name, product.base_unit, product.batch_tracked,
                 batches, counted, packs)


def counted_units(session: Session, product_id: int, pack_id: int | None, packs: int,
                  loose: int) -> int:
    """Full packs of one of the product's packs plus loose base units, in base units."""
    if packs < 0 or loose < 0:
        raise CountError("Jumlah kemasan dan lepasan tidak boleh negatif.")
    if not pack_id or not packs:
        return loose
    pack = session.get(PackUnit, pack_id)
    if pack is None or pack.product_id != product_id:
        raise CountError("Kemasan itu bukan milik barang ini.")
    return packs * pack.qty + loose


def pick(session: Session, count_id: int, code: str, patterns: tuple = ()) -> Entry:
    """``entry`` for a scanned or typed code."""
    return entry(session, count_id, lookup.lookup_barcode(session, code, patterns).product_id)


def search(session: Session, count_id: int, text: str, limit: int, today: date | None = None) -> list[dict]:
    """The count screen's name search: only goods the count covers (it listed every good of the
    name, and picking one off the shelf was then refused). Searched wider, then cut to ``limit``."""
    found = lookup.search(session, text, limit * 5, today)
    if not found:
        return found
    covered = set(session.scalars(select(Product.id).where(
        Product.id.in_([row["id"] for row in found]), scope_of(get_count(session, count_id)))))
    return [row for row in found if row["id"] in covered][:limit]


def list_counts(session: Session, count_id: int | None = None, limit: int = 50,
                open_only: bool = False) -> list[dict]:
    """Counts, newest first (or just ``count_id``, or the open ones), with scope, people and
    number of lines."""
    closer = aliased(User)
    lines = select(func.count()).where(CountLine.session_id == CountSession.id).scalar_subquery()
    query = (select(CountSession.id, CountSession.number, CountSession.scope, CountSession.shelf,
                    Category.name.label("category"), CountSession.status, CountSession.created_at,
                    CountSession.self_approved,
                    User.full_name.label("created_by"), CountSession.approved_at,
                    closer.full_name.label("closed_by"), lines.label("lines"))
             .outerjoin(Category, Category.id == CountSession.category_id)
             .join(User, User.id == CountSession.created_by)
             .outerjoin(closer, closer.id == CountSession.approved_by)
             .order_by(CountSession.id.desc()).limit(limit))
    if count_id is not None:
        query = query.where(CountSession.id == count_id)
    if open_only:
        query = query.where(CountSession.status == CountStatus.OPEN)
    return [row._asdict() for row in session.execute(query)]


def summary(session: Session, count_id: int) -> dict:
    """The count as listed, plus ``made_by``: who opened it or counted in it (not approvers)."""
    found = list_counts(session, count_id)
    if not found:
        raise NotFound("Stok opname tidak ditemukan.")
    made_by = {session.scalar(select(CountSession.created_by).where(CountSession.id == count_id)),
               *session.scalars(select(CountLine.counted_by).where(CountLine.session_id == count_id))}
    return {**found[0], "made_by": made_by}


def scope_choices(session: Session) -> dict:
    """Categories and shelves a new count can cover."""
    categories = catalog_categories.in_use(session)
    upper = func.upper(Product.shelf)   # one shelf however its name was typed before
    shelves = session.scalars(select(upper).where(Product.shelf.is_not(None))
                              .distinct().order_by(upper)).all()
    return {"categories": categories, "shelves": shelves}


def stock_now(session: Session, count_id: int) -> dict[int, tuple[int, int, bool]]:
    """Per counted line of a count: (held now, held once approved, approval refused). Sales go on
    while a count is open and approval posts only the difference counted - expected, so what
    it leaves is now + difference; refused when that takes guarded stock below zero (as the
    adjustment list shows a request: ``adjustment_lists._shown``)."""
    held = case((CountLine.batch_id.is_not(None), Batch.on_hand), else_=StockLevel.on_hand)
    rows = session.execute(
        select(CountLine.id, CountLine.batch_id, CountLine.counted - CountLine.expected,
               Product.stock_policy, held)
        .join(Product, Product.id == CountLine.product_id)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .outerjoin(Batch, Batch.id == CountLine.batch_id)
        .where(CountLine.session_id == count_id))
    return {line_id: (now, now + diff, diff < 0 and now + diff < 0 and guarded(policy, batch_id))
            for line_id, batch_id, diff, policy, now in rows}
