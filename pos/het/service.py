"""Ceiling prices (HET): the lookup at a date and zone, setting one, the schedule, and the
catalog prices above a ceiling (in force, or about to take effect).

The rule, written once here in Python (``ceiling``) and once in SQL (``ceiling_column``, a
correlated subquery the till's cart query carries): on day D in zone Z a product's ceiling is
the row with the latest ``effective_from <= D`` among the rows of zone Z or of every zone
(NULL); on the same date the zone's own row wins.  A ceiling counts from its date for
everything sold, stock already on the shelf included (the fertiliser cut of 22-10-2025).

Member prices and quantity tiers are always below the catalog price (``/harga`` refuses
otherwise, and refuses them above a ceiling), so a product whose catalog price is within its
ceilings has none of them above it either: ``above`` looks at the catalog price.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.het import plausible
from pos.het.models import CeilingPrice
from pos.inventory.catalog.models import PriceChange, Product
from pos.inventory.catalog.tax import zone_of as zone_of  # lent on: callers name it from pos.het
from pos.money import format_rupiah as rp
from pos.text import clean as clean_text

ZONE_MAX = 8
NOTE_MAX = 120


class CeilingError(PosError):
    pass


class UnlikelyCeiling(CeilingError):
    """A ceiling that looks typed for another unit (``plausible``); ``words`` says why."""

    def __init__(self, words: str):
        super().__init__(f"{words} Bila HET itu memang benar, centang konfirmasinya lalu simpan lagi.")
        self.words = words


def unlikely(session: Session, product: Product, price: int, effective_from: date,
             zone: str | None) -> str | None:
    """Why the ceiling is unlikely beside the catalog price and the ceiling before it, or None."""
    before = ceiling(session, product.id, effective_from - timedelta(days=1), zone)
    return plausible.doubt(product, price, before)


def clean_zone(text: str | None) -> str | None:
    """A zone code as stored: None (empty) for every zone, else 1-8 letters or digits."""
    zone = (text or "").strip()
    if not zone:
        return None
    if len(zone) > ZONE_MAX or not zone.isascii() or not zone.isalnum():
        raise CeilingError(f"Zona '{zone[:12]}' tidak sah: 1-{ZONE_MAX} huruf atau angka, "
                           "atau kosong untuk semua zona.")
    return zone


def other_zone(zone: str | None, outlet_zone: str | None) -> str | None:
    """What to say of a ceiling typed for ``zone`` at an outlet of ``outlet_zone``: None when it
    applies here (every zone, or the outlet's own), else why not (an outlet with no zone set
    applies only every zone's ceilings, ``_applies``)."""
    zone = clean_zone(zone)
    if zone is None or zone == outlet_zone:
        return None
    here = (f"Zona gerai ini {outlet_zone}" if outlet_zone
            else "Zona HET gerai ini belum diatur (POS_HET_ZONE)")
    return f"{here}: HET zona {zone} tidak berlaku di gerai ini dan tidak tampil di jadwalnya."


def _applies(zone: str | None):
    """The rows that apply in ``zone``: its own and every zone's (only the latter without one)."""
    column = CeilingPrice.zone
    return or_(column.is_(None), column == zone) if zone else column.is_(None)


_c = CeilingPrice.__table__.alias("het_c")


def ceiling_column(product_id_column):
    """The ceiling in force, as a correlated scalar subquery on ``product_id_column`` with the
    bind parameters ``het_day`` (a date) and ``het_zone`` ("" for no zone): one index probe
    per line.  Labelled ``het``."""
    return (select(_c.c.price)
            .where(_c.c.product_id == product_id_column, _c.c.effective_from <= bindparam("het_day"),
                   or_(_c.c.zone.is_(None), _c.c.zone == bindparam("het_zone")))
            .order_by(_c.c.effective_from.desc(), case((_c.c.zone.is_(None), 1), else_=0))
            .limit(1).correlate_except(_c).scalar_subquery().label("het"))


def sql_params(day: date, zone: str | None) -> dict:
    """The bind parameters ``ceiling_column`` needs."""
    return {"het_day": day, "het_zone": zone or ""}


def ceiling(session: Session, product_id: int, day: date, zone: str | None) -> int | None:
    """The product's ceiling on ``day`` in ``zone`` (None: no ceiling)."""
    row = session.execute(
        select(CeilingPrice.price)
        .where(CeilingPrice.product_id == product_id, CeilingPrice.effective_from <= day,
               _applies(zone))
        .order_by(CeilingPrice.effective_from.desc(), CeilingPrice.zone.is_(None))
        .limit(1)).first()
    return row[0] if row else None


def in_force(rows: list[CeilingPrice], day: date, zone: str | None) -> CeilingPrice | None:
    """``ceiling``'s rule over one product's rows already read (a file's check): the row of
    ``zone`` or of every zone with the latest date on or before ``day``, the zone's own on a tie."""
    found = [c for c in rows if c.effective_from <= day and (c.zone is None or (zone and c.zone == zone))]
    return max(found, key=lambda c: (c.effective_from, c.zone is not None), default=None)


def lowest_from(session: Session, product_id: int, day: date, zone: str | None) -> int | None:
    """The lowest ceiling the product has from ``day`` on: the one in force and every one
    scheduled after it (a price set today must stay within them all)."""
    later = session.scalar(select(func.min(CeilingPrice.price)).where(
        CeilingPrice.product_id == product_id, CeilingPrice.effective_from > day,
        _applies(zone)))
    now = ceiling(session, product_id, day, zone)
    found = [p for p in (now, later) if p is not None]
    return min(found) if found else None


def next_change(session: Session, product_id: int, day: date, zone: str | None) -> tuple[int, date] | None:
    """The product's next ceiling scheduled after ``day`` (price, from when), or None."""
    row = session.execute(
        select(CeilingPrice.price, CeilingPrice.effective_from)
        .where(CeilingPrice.product_id == product_id, CeilingPrice.effective_from > day, _applies(zone))
        .order_by(CeilingPrice.effective_from, CeilingPrice.zone.is_(None)).limit(1)).first()
    return (row.price, row.effective_from) if row else None


def set_ceiling(session: Session, product_id: int, *, price: int, effective_from: date,
                zone: str | None = None, note: str | None = None,
                user_id: int | None = None, unlikely_ok: bool = False) -> CeilingPrice:
    """Add a ceiling from ``effective_from`` (for ``zone``, or every zone); one already set for
    that product, zone and date gets the new price.  Logged as a ``PriceChange`` "het".  One
    that looks typed per pack or far too high (``unlikely``) is refused unless ``unlikely_ok``."""
    product = session.get(Product, product_id)
    if product is None:
        raise CeilingError("Barang tidak ditemukan.", 404)
    if price <= 0:
        raise CeilingError("HET harus lebih dari nol.")
    zone = clean_zone(zone)
    if not unlikely_ok and (words := unlikely(session, product, price, effective_from, zone)):
        raise UnlikelyCeiling(words)
    row = session.scalar(select(CeilingPrice).where(
        CeilingPrice.product_id == product_id, CeilingPrice.effective_from == effective_from,
        CeilingPrice.zone.is_(None) if zone is None else CeilingPrice.zone == zone))
    new, log = record(product_id, row, price=price, effective_from=effective_from, zone=zone,
                      note=note, user_id=user_id)
    if new is not None:
        row = CeilingPrice(**new)
        session.add(row)
    session.add(PriceChange(**log))
    session.flush()
    return row


def record(product_id: int, row: CeilingPrice | None, *, price: int, effective_from: date,
           zone: str | None, note: str | None, user_id: int | None) -> tuple[dict | None, dict]:
    """``set_ceiling``'s write, its checks done: ``row`` (the one set for that product, zone and
    date) gets the new price, else the new row's values are returned; and the ``PriceChange``'s
    values.  The caller adds them (a file's rows all together)."""
    note = clean_text(note or "")[:NOTE_MAX].strip() or None
    old, new = (row.price if row is not None else None), None
    if row is None:
        new = dict(product_id=product_id, zone=zone, price=price, effective_from=effective_from,
                   note=note, created_by=user_id)
    else:
        row.price, row.note, row.created_by = price, note or row.note, user_id
    where = f"zona {zone}" if zone else "semua zona"
    return new, dict(product_id=product_id, field="het", old=old, new=price, changed_by=user_id,
                     reason=f"{where}, mulai {effective_from:%d-%m-%Y}" + (f": {note}" if note else ""))


@dataclass(frozen=True)
class Entry:
    """One row of the schedule, with where it stands on the day asked about."""

    product_id: int
    sku: str
    name: str
    per: str            # the unit the prices are per: "kg", "l", "pcs"
    zone: str | None
    price: int
    effective_from: date
    note: str | None
    catalog_price: int
    state: str          # "berlaku" (in force), "akan" (scheduled), "lewat" (past)

    @property
    def in_force(self) -> bool:
        return self.state == "berlaku"

    @property
    def above(self) -> bool:
        return self.catalog_price > self.price and self.state != "lewat"

    def as_json(self) -> dict:
        return {"sku": self.sku, "name": self.name, "zone": self.zone, "price": self.price,
                "per": self.per, "effective_from": self.effective_from.isoformat(),
                "in_force": self.in_force, "catalog_price": self.catalog_price,
                "above": self.above, "note": self.note}


def schedule(session: Session, day: date, zone: str | None, *, past: bool = True,
             product_id: int | None = None) -> list[Entry]:
    """Every ceiling that applies in ``zone`` (its own and every-zone rows), per product in
    SKU order then by date, each marked in force, scheduled or past on ``day``."""
    query = (select(CeilingPrice, Product.sku, Product.name, Product.base_unit, Product.price)
             .join(Product, Product.id == CeilingPrice.product_id)
             .where(_applies(zone))
             .order_by(Product.sku, CeilingPrice.effective_from, CeilingPrice.zone.is_not(None)))
    if product_id is not None:
        query = query.where(CeilingPrice.product_id == product_id)
    rows = session.execute(query).all()
    in_force = {}
    for c, *_ in rows:  # the last row on or before the day wins; on a tie the zone's own row
        if c.effective_from <= day:
            best = in_force.get(c.product_id)
            if best is None or best.effective_from < c.effective_from \
                    or (best.effective_from == c.effective_from and best.zone is None):
                in_force[c.product_id] = c
    out = []
    for c, sku, name, unit, price in rows:
        state = ("berlaku" if in_force.get(c.product_id) is c
                 else "akan" if c.effective_from > day else "lewat")
        if state == "lewat" and not past:
            continue
        out.append(Entry(c.product_id, sku, name, unit.price_label, c.zone, c.price,
                         c.effective_from, c.note, price, state))
    return out


@dataclass(frozen=True)
class Above:
    """Catalog prices above a ceiling: those selling capped now, and per date those about to."""

    now: list[Entry]
    upcoming: dict[date, list[Entry]]

    @property
    def count(self) -> int:
        return len(self.now) + sum(len(v) for v in self.upcoming.values())


def above(session: Session, day: date, zone: str | None) -> Above:
    """Products whose catalog price is above the ceiling in force on ``day``, and those above
    a ceiling that takes effect after it (by date), for the manager to fix in time."""
    now, upcoming = [], {}
    for entry in schedule(session, day, zone, past=False):
        if not entry.above:
            continue
        if entry.in_force:
            now.append(entry)
        else:
            upcoming.setdefault(entry.effective_from, []).append(entry)
    return Above(now, dict(sorted(upcoming.items())))


def above_count(session: Session, day: date, zone: str | None) -> int:
    """How many ceilings (in force or scheduled) the catalog price is above: the home page's
    waiting list, one query."""
    return above(session, day, zone).count


def product_by_sku(session: Session, sku: str) -> Product:
    product = session.scalar(select(Product).where(Product.sku == (sku or "").strip()))
    if product is None:
        raise CeilingError(f"SKU '{(sku or '').strip()[:32]}' tidak ditemukan.")
    return product


def describe(price: int, per: str) -> str:
    return f"{rp(price)}/{per}"



