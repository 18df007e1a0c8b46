"""Product categories: named by what a clerk types, listed while goods use them.

A category is made the first time a product names it. ``named`` finds an existing one however
its letters and spaces were typed (``sembako`` is ``Sembako``), so one typing slip does not
split a category in two. Lists (a count's scope, member discounts by category, the product
form's suggestions) show the categories some product is in: one typed by mistake and then
corrected on its product leaves no lasting choice behind.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import Category, Product


def _existing(session: Session, wanted: str) -> Category | None:
    """The category ``wanted`` names, letter case aside (``wanted`` already tidied)."""
    return session.scalars(select(Category).where(func.lower(Category.name) == wanted.lower())
                           .order_by(Category.id).limit(1)).first()


def _tidy(name: str) -> str:
    return " ".join(name.split())


def spelled(session: Session, name: str) -> str:
    """``name`` as its category is already written (``minyak`` -> ``Minyak``), else tidied."""
    found = _existing(session, wanted := _tidy(name))
    return found.name if found is not None else wanted


def named(session: Session, name: str) -> Category:
    """The category called ``name`` (letter case and runs of spaces aside), made if new."""
    category = _existing(session, wanted := _tidy(name))
    if category is None:
        category = Category(name=wanted)
        session.add(category)
        session.flush()
    return category


def in_use(session: Session, also: Iterable[int] = ()) -> list:
    """Rows (``id``, ``name``) of the categories some product is in, and of those in ``also``,
    by name."""
    used = select(Product.id).where(Product.category_id == Category.id).exists()
    kept = [int(i) for i in also]
    where = or_(used, Category.id.in_(kept)) if kept else used
    return session.execute(select(Category.id, Category.name).where(where)
                           .order_by(Category.name)).all()
