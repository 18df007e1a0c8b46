"""The day summary's subsidised fertiliser per type (``fertilizer_types``): per e-RDKK type the
day's redemptions and their grams (``redeemed_grams``), the grams returned on the day by the
return's own business date, as every return is booked (``returned_grams``, in ``returns``
returns), and the day's net (``grams``); beside ``regulated``'s one total of every type (kept
as it was: closed days and their readers have it).  Redemptions are read through a plain
table description (``pos.fertilizer`` imports ``pos.sales``, which reports read)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, column, func, select, table
from sqlalchemy.orm import Session

from pos.inventory.catalog.models import FertilizerType
from pos.returns.models import SaleReturn, SaleReturnLine

_fertilizer = table("fertilizer_redemption", column("id", Integer), column("fertilizer", String),
                    column("grams", Integer), column("sale_line_id", Integer),
                    column("business_date", Date))


def _kind(value) -> str:
    return str(getattr(value, "value", value))


def per_type(session: Session, day: date) -> dict[str, dict[str, int]]:
    """``{"urea": {"redemptions", "grams", "redeemed_grams", "returned_grams", "returns"}, ...}``
    in the types' order, for the types sold or returned on ``day``; {} for none."""
    sold = {_kind(kind): (int(count), int(grams)) for kind, count, grams in session.execute(
        select(_fertilizer.c.fertilizer, func.count(_fertilizer.c.id), func.sum(_fertilizer.c.grams))
        .where(_fertilizer.c.business_date == day).group_by(_fertilizer.c.fertilizer))}
    back = {_kind(kind): (int(count), int(grams)) for kind, count, grams in session.execute(
        select(_fertilizer.c.fertilizer, func.count(func.distinct(SaleReturn.id)),
               func.sum(SaleReturnLine.qty))
        .join(SaleReturn, SaleReturn.id == SaleReturnLine.return_id)
        .join(_fertilizer, _fertilizer.c.sale_line_id == SaleReturnLine.sale_line_id)
        .where(SaleReturn.business_date == day).group_by(_fertilizer.c.fertilizer))}
    out = {}
    for kind in FertilizerType:
        if kind.value not in sold and kind.value not in back:
            continue
        count, redeemed = sold.get(kind.value, (0, 0))
        returns, returned = back.get(kind.value, (0, 0))
        out[kind.value] = {"redemptions": count, "grams": redeemed - returned, "redeemed_grams": redeemed,
                           "returned_grams": returned, "returns": returns}
    return out


def in_order(types: dict[str, dict]) -> list[tuple[FertilizerType, dict]]:
    """A summary's ``fertilizer_types`` as (type, figures) in the e-RDKK types' order (Urea, NPK,
    ...), however the dict came: a closed day's stored JSON has its keys sorted (NPK first)."""
    return [(kind, types[kind.value]) for kind in FertilizerType if kind.value in types]
