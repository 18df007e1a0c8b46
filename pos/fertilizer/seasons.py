"""e-RDKK seasons: which list is in force on a day, and a season made or re-dated by an import.

A season covers outlet-local dates ``starts_on`` to ``ends_on`` (both included); two seasons
never overlap, so a day has at most one list in force.  An import of an existing season with
dates corrects them, but never so that a redemption of the season falls outside them; the
import says the change ("Tanggal musim ... berubah dari X menjadi Y"), its dry run too.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.fertilizer.models import FertilizerRedemption, RdkkSeason
from pos.units import BaseUnit

NAME_LENGTH = 40
# The season's two dates as the upload form names them; the command line adds its options'.
DATES = ("tanggal mulai", "tanggal akhir")


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


def span(starts_on: date, ends_on: date) -> str:
    return f"{starts_on:%d-%m-%Y} s.d. {ends_on:%d-%m-%Y}"


def redated(season: RdkkSeason | None, starts_on: date | None, ends_on: date | None) -> bool:
    """Whether these dates would change the existing ``season``'s."""
    return season is not None and starts_on is not None \
        and (season.starts_on, season.ends_on) != (starts_on, ends_on)


def date_change(session: Session, name: str, starts_on: date | None, ends_on: date | None) -> str | None:
    """What an import of ``name`` with these dates does to an existing season's dates, or None."""
    season = by_name(session, name)
    if not redated(season, starts_on, ends_on):
        return None
    return (f"Tanggal musim {season.name} berubah dari {span(season.starts_on, season.ends_on)} "
            f"menjadi {span(starts_on, ends_on)}.")


def _outside(session: Session, season: RdkkSeason, starts_on: date, ends_on: date) -> str | None:
    """Why ``season`` may not take these dates: its redemptions that would fall outside them."""
    count, first, last = session.execute(
        select(func.count(), func.min(FertilizerRedemption.business_date),
               func.max(FertilizerRedemption.business_date))
        .where(FertilizerRedemption.season_id == season.id,
               or_(FertilizerRedemption.business_date < starts_on,
                   FertilizerRedemption.business_date > ends_on))).one()
    if not count:
        return None
    when = f"{first:%d-%m-%Y}" if first == last else span(first, last)
    return (f"Musim {season.name} berlaku {span(season.starts_on, season.ends_on)}; tanggalnya tidak "
            f"dapat diubah menjadi {span(starts_on, ends_on)} karena {count} penebusan pupuk musim "
            f"ini ({when}) jatuh di luar tanggal itu. Kosongkan tanggal mulai dan tanggal akhir "
            "untuk tetap memakai tanggal musim ini.")


def problems(session: Session, name: str, starts_on: date | None, ends_on: date | None,
             dates: tuple[str, str] = DATES) -> list[str]:
    """What is wrong with importing into season ``name`` (new or existing) with these dates: an
    existing season is re-dated only when none of its redemptions falls outside the new dates.
    ``dates`` names the two dates as the asker's form or command does."""
    first, last = dates
    name = clean_name(name)
    if not name:
        return ["Musim: nama musim wajib diisi (misalnya MT I 2026)."]
    if len(name) > NAME_LENGTH:
        return [f"Musim: nama paling panjang {NAME_LENGTH} huruf."]
    existing = by_name(session, name)
    if (starts_on is None) != (ends_on is None):
        return [f"Musim: isi {first} dan {last} bersama-sama."]
    if starts_on is None:
        return [] if existing else [f"Musim {name} baru: isi {first} dan {last}."]
    if ends_on < starts_on:
        return [f"Musim: {last} sebelum {first}."]
    clash = session.scalars(select(RdkkSeason).where(
        RdkkSeason.starts_on <= ends_on, RdkkSeason.ends_on >= starts_on,
        RdkkSeason.id != (existing.id if existing else -1))).first()
    if clash is not None:
        return [f"Musim: tanggal {span(starts_on, ends_on)} bertumpuk dengan musim "
                f"{clash.name} ({span(clash.starts_on, clash.ends_on)})."]
    outside = _outside(session, existing, starts_on, ends_on) \
        if redated(existing, starts_on, ends_on) else None
    return [outside] if outside else []


def ensure(session: Session, name: str, starts_on: date | None, ends_on: date | None, *,
           user_id: int | None, source_file: str | None, now,
           dates: tuple[str, str] = DATES) -> RdkkSeason:
    """The season ``name`` (made, or re-dated when dates are given), stamped with this import;
    ``SeasonError`` for what ``problems`` finds."""
    found = problems(session, name, starts_on, ends_on, dates)
    if found:
        raise SeasonError(found[0])
    season = by_name(session, name)
    if season is None:
        season = RdkkSeason(name=clean_name(name), starts_on=starts_on, ends_on=ends_on)
        session.add(season)
    elif redated(season, starts_on, ends_on):
        season.starts_on, season.ends_on = starts_on, ends_on
    season.imported_at, season.imported_by = now, user_id
    season.source_file = (source_file or "")[-200:] or None
    session.flush()
    return season
