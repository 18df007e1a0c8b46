"""The day summary's subsidised fertiliser per type (``fertilizer_types``): the redemptions of
the day and their grams net of returns, per e-RDKK type, beside ``regulated``'s one total of
every type (kept as it was: closed days and their readers have it).  Read through a plain
table description (``pos.fertilizer`` imports ``pos.sales``, which reports read)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, column, func, select, table
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import FertilizerType

_fertilizer = table("fertilizer_redemption", column("id", Integer), column("fertilizer", String),
                    column("grams", Integer), column("returned_grams", Integer),
                    column("business_date", Date))


def per_type(session: Session, day: date) -> dict[str, dict[str, int]]:
    """``{"urea": {"redemptions": 2, "grams": 137500}, ...}`` in the types' order; {} for none.
    The same rule as ``day_money.regulated``: the day's redemptions less what came back of them."""
    found = {str(getattr(kind, "value", kind)): (int(count), int(grams) - int(back))
             for kind, count, grams, back in session.execute(
                 select(_fertilizer.c.fertilizer, func.count(_fertilizer.c.id),
                        func.coalesce(func.sum(_fertilizer.c.grams), 0),
                        func.coalesce(func.sum(_fertilizer.c.returned_grams), 0))
                 .where(_fertilizer.c.business_date == day).group_by(_fertilizer.c.fertilizer))}
    return {kind.value: {"redemptions": found[kind.value][0], "grams": found[kind.value][1]}
            for kind in FertilizerType if kind.value in found}
