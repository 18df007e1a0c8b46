"""Farmers on the season's e-RDKK list: found by NIK or Kartu Tani number (at the till, on the
Pupuk screen and by ``pos fertilizer quota``), with their allocation per fertiliser type."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.fertilizer import seasons
from pos.fertilizer.models import RdkkAllocation, RdkkFarmer, RdkkSeason
from pos.inventory.catalog.models import FertilizerType
from pos.members.nik import NikError, check_nik, mask_nik

_SEPARATORS = str.maketrans("", "", " .-")


class NotListed(PosError):
    """The farmer is not on the list in force (or there is none)."""


@dataclass(frozen=True)
class Quota:
    """One fertiliser type of a farmer's allocation, in grams."""

    fertilizer: FertilizerType
    allocated: int
    taken: int

    @property
    def remaining(self) -> int:
        return self.allocated - self.taken

    def as_json(self) -> dict:
        return {"type": self.fertilizer.value, "label": self.fertilizer.label,
                "allocated_g": self.allocated, "taken_g": self.taken, "remaining_g": self.remaining,
                "allocated_kg": seasons.kg_number(self.allocated),
                "taken_kg": seasons.kg_number(self.taken),
                "remaining_kg": seasons.kg_number(self.remaining)}


@dataclass(frozen=True)
class Standing:
    """A farmer on a season's list and what is left of each allocation; ``held`` when the
    season's and the farmer's rows were share-locked as they were read (checkout's check):
    the listing cannot change before the transaction ends."""

    farmer: RdkkFarmer
    season: RdkkSeason
    quotas: list[Quota]
    held: bool = False

    def quota(self, fertilizer: FertilizerType) -> Quota:
        found = [q for q in self.quotas if q.fertilizer is fertilizer]
        return found[0] if found else Quota(fertilizer, 0, 0)


def code_of(text: str) -> str:
    """What was typed or scanned, without spaces, dots and dashes."""
    return (text or "").strip().translate(_SEPARATORS)


def season_for(session: Session, day: date, *, hold: bool = False) -> RdkkSeason:
    """The season in force on ``day`` (``hold``: share-locked, see ``seasons.in_force``)."""
    season = seasons.in_force(session, day, hold=hold)
    if season is None:
        raise NotListed(f"Belum ada daftar e-RDKK yang berlaku tanggal {day:%d-%m-%Y}: pupuk "
                        "bersubsidi belum dapat dijual. Impor daftar musim ini di menu Pupuk.")
    return season


def listed_farmer(session: Session, season: RdkkSeason, text: str, *,
                  hold: bool = False) -> RdkkFarmer | None:
    """The listed farmer whose NIK or Kartu Tani number is ``text`` on ``season``'s list;
    ``hold`` share-locks the row to the end of the transaction (PostgreSQL: a change to the
    listing in flight is waited for and then read as it committed: unlisted or deleted, none)."""
    code = code_of(text)
    if not code:
        return None
    query = select(RdkkFarmer).where(
        RdkkFarmer.season_id == season.id, RdkkFarmer.listed.is_(True),
        or_(RdkkFarmer.nik == code, RdkkFarmer.kartu_tani == code)) \
        .order_by((RdkkFarmer.nik == code).desc())
    return session.scalars(query.with_for_update(read=True) if hold else query).first()


def find(session: Session, text: str, day: date) -> tuple[RdkkFarmer, RdkkSeason]:
    """The farmer a NIK or Kartu Tani number names on the list in force on ``day``; refused
    (``NotListed``, or ``NikError`` for a mistyped NIK) otherwise."""
    season = season_for(session, day)
    farmer = listed_farmer(session, season, text)
    if farmer is not None:
        return farmer, season
    code = code_of(text)
    if not code:
        raise NikError("Masukkan NIK (16 angka) atau nomor Kartu Tani petani.")
    if len(code) == 16:
        try:
            code = check_nik(code, day)
        except NikError:
            raise NotListed(f"NIK atau Kartu Tani {mask_nik(code)} tidak terdaftar di e-RDKK musim "
                            f"{season.name}.") from None
        raise NotListed(f"NIK {mask_nik(code)} tidak terdaftar di e-RDKK musim {season.name}.")
    if code.isascii() and code.isdigit():
        # one digit short or over a NIK is most likely a NIK mistyped: say a NIK has 16
        nik = f" NIK harus 16 angka; ini {len(code)} angka." if 14 <= len(code) <= 18 else ""
        raise NotListed(f"Kartu Tani {code[:32]} tidak terdaftar di e-RDKK musim {season.name}.{nik}")
    typed = " ".join(text.split())[:32]   # as typed ("AGT-0001" read "Kartu Tani AGT0001")
    raise NotListed(f"'{typed}' bukan NIK atau nomor Kartu Tani petani di e-RDKK musim {season.name}: "
                    "pupuk bersubsidi hanya untuk petani di daftar itu.")


def identify_farmer(session: Session, text: str, day: date) -> tuple[str, str | None]:
    """(NIK, name) of the farmer a NIK or Kartu Tani number names on the list in force on
    ``day``; refused (``PosError``) when not on it."""
    farmer, _ = find(session, text, day)
    return farmer.nik, farmer.name


def quotas(session: Session, farmer_id: int) -> list[Quota]:
    rows = session.execute(select(RdkkAllocation.fertilizer, RdkkAllocation.allocated_grams,
                                  RdkkAllocation.taken_grams)
                           .where(RdkkAllocation.farmer_id == farmer_id)).all()
    order = list(FertilizerType)
    return sorted((Quota(*row) for row in rows), key=lambda q: order.index(q.fertilizer))


def standing(session: Session, text: str, day: date) -> Standing:
    """The farmer ``text`` names on the list in force on ``day`` and their quotas."""
    farmer, season = find(session, text, day)
    return Standing(farmer, season, quotas(session, farmer.id))


def search(session: Session, season_id: int | None, text: str, limit: int) -> list[Standing]:
    """Listed farmers of a season by NIK, Kartu Tani, name, group or village (the Pupuk screen);
    a NIK or Kartu Tani also by its last digits, which the list shows (``6402********0002``).
    Text in any script, in any case: ``Ташкент`` finds ``Budi ТАШКЕНТ``."""
    season = session.get(RdkkSeason, season_id) if season_id else None
    if season is None:
        return []
    listed = (RdkkFarmer.season_id == season.id, RdkkFarmer.listed.is_(True))
    query = select(RdkkFarmer).where(*listed)
    words = " ".join((text or "").split())[:60]
    if words:
        code = code_of(words)
        like = f"%{words.lower()}%"
        found = [RdkkFarmer.nik == code, RdkkFarmer.kartu_tani == code,
                 func.lower(RdkkFarmer.name).like(like),
                 func.lower(RdkkFarmer.farmer_group).like(like),
                 func.lower(RdkkFarmer.village).like(like)]
        if code.isascii() and code.isdigit() and 4 <= len(code) < 16:   # the digits the list shows
            found += [RdkkFarmer.nik.endswith(code), RdkkFarmer.kartu_tani.endswith(code)]
        if not words.isascii():
            found.append(RdkkFarmer.id.in_(_holding(session, listed, words, limit)))
        query = query.where(or_(*found))
    farmers = list(session.scalars(query.order_by(RdkkFarmer.name).limit(limit)))
    return [Standing(f, season, quotas(session, f.id)) for f in farmers]


def _holding(session: Session, listed: tuple, text: str, limit: int) -> list[int]:
    """The first ``limit`` listed farmers (by name) whose name, group or village holds ``text``
    in any case.  SQLite's ``lower()`` knows ASCII letters only (``Ташкент`` stayed as it was):
    text in other letters is compared here, casefolded, over the season's list."""
    folded = text.casefold()
    rows = session.execute(select(RdkkFarmer.id, RdkkFarmer.name, RdkkFarmer.farmer_group,
                                  RdkkFarmer.village).where(*listed).order_by(RdkkFarmer.name))
    held = [row.id for row in rows
            if any(folded in (value or "").casefold() for value in row[1:])]
    return held[:limit]
