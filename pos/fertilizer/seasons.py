"""e-RDKK seasons: which list is in force on a day, and a season made or re-dated by an import.

A season covers outlet-local dates ``starts_on`` to ``ends_on`` (both included); two seasons
never overlap, so a day has at most one list in force.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.fertilizer.models import RdkkSeason
from pos.units import BaseUnit

NAME_LENGTH = 40


class SeasonError(PosError):
    pass


def kg(grams: int) -> str:
    """``150000`` -> ``150 kg``; ``12500`` -> ``12,5 kg`` (``pos.units``)."""
    return BaseUnit.GRAM.format(grams)


def kg_number(grams: int) -> str:
    """The kilograms as a box or a file holds them: ``150``, ``12,5``."""
    return BaseUnit.GRAM.input_text(grams)


def in_force(session: Session, day: date, *, hold: bool = False) -> RdkkSeason | None:
    """The season whose dates cover ``day``, if any.  ``hold`` (a sale's checkout) share-locks
    its row to the end of the transaction on PostgreSQL: an import of the season, which locks
    it for update first (``by_name``), waits for the sale, and a sale waits for an import in
    flight, then reads the season as it left it (re-dated: no longer in force).  SQLite's
    writer lock already runs them one at a time."""
    query = select(RdkkSeason).where(RdkkSeason.starts_on <= day, RdkkSeason.ends_on >= day)
    return session.scalars(query.with_for_update(read=True) if hold else query).first()


def by_name(session: Session, name: str, *, hold: bool = False) -> RdkkSeason | None:
    """The season called ``name``; ``hold`` (an import) locks its row for update to the end
    of the transaction, so sales in flight finish before the list is checked and changed."""
    query = select(RdkkSeason).where(RdkkSeason.name == clean_name(name))
    return session.scalars(query.with_for_update() if hold else query).first()


def clean_name(name: str) -> str:
    """``mt i 2026 `` stays as typed but trimmed, with single spaces."""
    return " ".join((name or "").split())


def all_seasons(session: Session) -> list[RdkkSeason]:
    return list(session.scalars(select(RdkkSeason).order_by(RdkkSeason.starts_on.desc())))


def problems(session: Session, name: str, starts_on: date | None, ends_on: date | None) -> list[str]:
    """What is wrong with importing into season ``name`` (new or existing) with these dates."""
    name = clean_name(name)
    if not name:
        return ["Musim: nama musim wajib diisi (misalnya MT I 2026)."]
    if len(name) > NAME_LENGTH:
        return [f"Musim: nama paling panjang {NAME_LENGTH} huruf."]
    existing = by_name(session, name)
    if (starts_on is None) != (ends_on is None):
        return ["Musim: isi tanggal mulai dan tanggal akhir bersama-sama."]
    if starts_on is None:
        return [] if existing else [f"Musim {name} baru: isi tanggal mulai dan tanggal akhir."]
    if ends_on < starts_on:
        return ["Musim: tanggal akhir sebelum tanggal mulai."]
    clash = session.scalars(select(RdkkSeason).where(
        RdkkSeason.starts_on <= ends_on, RdkkSeason.ends_on >= starts_on,
        RdkkSeason.id != (existing.id if existing else -1))).first()
    if clash is not None:
        return [f"Musim: tanggal {starts_on:%d-%m-%Y} s.d. {ends_on:%d-%m-%Y} bertumpuk dengan musim "
                f"{clash.name} ({clash.starts_on:%d-%m-%Y} s.d. {clash.ends_on:%d-%m-%Y})."]
    return []


def ensure(session: Session, name: str, starts_on: date | None, ends_on: date | None, *,
           user_id: int | None, source_file: str | None, now) -> RdkkSeason:
    """The season ``name`` (made, or re-dated when dates are given), stamped with this import;
    ``SeasonError`` for what ``problems`` finds."""
    found = problems(session, name, starts_on, ends_on)
    if found:
        raise SeasonError(found[0])
    season = by_name(session, name)
    if season is None:
        season = RdkkSeason(name=clean_name(name), starts_on=starts_on, ends_on=ends_on)
        session.add(season)
    elif starts_on is not None:
        season.starts_on, season.ends_on = starts_on, ends_on
    season.imported_at, season.imported_by = now, user_id
    season.source_file = (source_file or "")[-200:] or None
    session.flush()
    return season
