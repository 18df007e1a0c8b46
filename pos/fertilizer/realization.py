"""Laporan realisasi (serapan) of a season for the distributor and the dinas: per farmer and
fertiliser type the allocation, what was redeemed (net of returns), what is left, the
realization rate (serapan, basis points) and the redeemed worth in Rupiah; subtotals per
kelompok tani (poktan), a summary per desa and the totals per type.

Redeemed is the allocation's running total (``RdkkAllocation.taken_grams``); its Rupiah are
the sale lines' amounts of the season's redemptions, each less the share of the grams returned
(``money.round_half_up``).  A farmer dropped from the list who redeemed stays, marked.  The NIK
is masked here (a report that may leave the office); the redemption report carries it whole.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, column, or_, select, table
from sqlalchemy.orm import Session

from pos.errors import NotFound
from pos.fertilizer import seasons
from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation, RdkkFarmer, RdkkSeason
from pos.fertilizer.sacks import in_sacks, sack_sizes
from pos.inventory.catalog.models import FertilizerType
from pos.members.nik import mask_nik
from pos.money import round_half_up

NO_GROUP = "(tanpa kelompok tani)"
NO_VILLAGE = "(tanpa desa)"
FULL = 10_000   # 100% in basis points
# The sale line of a redemption, read through a plain description (``pos.sales`` imports this
# package: no cycle back).
_line = table("sale_line", column("id", Integer), column("amount", Integer))


@dataclass(frozen=True)
class Figures:
    """Grams allocated and redeemed, and the redeemed worth in Rupiah."""

    allocated: int = 0
    taken: int = 0
    value: int = 0

    @property
    def remaining(self) -> int:
        return self.allocated - self.taken

    @property
    def rate_bp(self) -> int | None:
        """Serapan: redeemed over allocated in basis points (None without an allocation)."""
        return round_half_up(self.taken * FULL, self.allocated) if self.allocated else None

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.allocated + other.allocated, self.taken + other.taken,
                       self.value + other.value)


@dataclass(frozen=True)
class Line:
    nik: str            # masked
    name: str
    farmer_group: str | None
    village: str | None
    listed: bool
    fertilizer: FertilizerType
    figures: Figures


@dataclass
class Group:
    """One kelompok tani: its lines and its subtotals per type."""

    name: str
    lines: list[Line] = field(default_factory=list)
    totals: dict[FertilizerType, Figures] = field(default_factory=dict)


@dataclass
class Realization:
    season: str
    starts_on: date
    ends_on: date
    groups: list[Group]
    villages: dict[str, dict[FertilizerType, Figures]]
    totals: dict[FertilizerType, Figures]
    sacks: dict[FertilizerType, int]   # grams in one sack, per type that has one

    @property
    def total(self) -> Figures:
        return sum(self.totals.values(), Figures())

    @property
    def lines(self) -> list[Line]:
        return [line for group in self.groups for line in group.lines]


def _add(into: dict[FertilizerType, Figures], fertilizer: FertilizerType, figures: Figures) -> None:
    into[fertilizer] = into.get(fertilizer, Figures()) + figures


def _ordered(found: dict[FertilizerType, Figures]) -> dict[FertilizerType, Figures]:
    order = list(FertilizerType)
    return dict(sorted(found.items(), key=lambda t: order.index(t[0])))


def season_named(session: Session, name: str) -> RdkkSeason:
    """The season called ``name`` (spaces and case as typed do not matter)."""
    wanted, listed = seasons.clean_name(name), seasons.all_seasons(session)   # newest first
    for season in listed:
        if season.name.lower() == wanted.lower():
            return season
    known = ", ".join(season.name for season in listed)
    raise NotFound(f"Musim '{wanted[:40]}' tidak ada. Musim yang ada: {known or '-'}.")


def _values(session: Session, season_id: int) -> dict[int, int]:
    """Rupiah redeemed per allocation: each sale line's amount less its returned share."""
    out: dict[int, int] = {}
    for allocation_id, grams, returned, amount in session.execute(
            select(FertilizerRedemption.allocation_id, FertilizerRedemption.grams,
                   FertilizerRedemption.returned_grams, _line.c.amount)
            .join(_line, _line.c.id == FertilizerRedemption.sale_line_id)
            .where(FertilizerRedemption.season_id == season_id)):
        out[allocation_id] = out.get(allocation_id, 0) + round_half_up(amount * (grams - returned), grams)
    return out


def realization(session: Session, season: RdkkSeason) -> Realization:
    """The season's realization, poktan by poktan (those without one last), farmers by name."""
    values = _values(session, season.id)
    rows = session.execute(
        select(RdkkFarmer, RdkkAllocation)
        .join(RdkkAllocation, RdkkAllocation.farmer_id == RdkkFarmer.id)
        .where(RdkkFarmer.season_id == season.id,
               or_(RdkkFarmer.listed.is_(True), RdkkAllocation.taken_grams > 0))).all()
    order = list(FertilizerType)
    rows = sorted(rows, key=lambda r: (r[0].farmer_group is None, (r[0].farmer_group or "").lower(),
                                       r[0].name.lower(), r[0].nik, order.index(r[1].fertilizer)))
    groups: dict[str, Group] = {}
    villages: dict[str, dict[FertilizerType, Figures]] = {}
    totals: dict[FertilizerType, Figures] = {}
    for farmer, allocation in rows:
        figures = Figures(allocation.allocated_grams, allocation.taken_grams,
                          values.get(allocation.id, 0))
        group = groups.setdefault(farmer.farmer_group or NO_GROUP, Group(farmer.farmer_group or NO_GROUP))
        group.lines.append(Line(mask_nik(farmer.nik), farmer.name, farmer.farmer_group, farmer.village,
                                farmer.listed, allocation.fertilizer, figures))
        _add(group.totals, allocation.fertilizer, figures)
        _add(villages.setdefault(farmer.village or NO_VILLAGE, {}), allocation.fertilizer, figures)
        _add(totals, allocation.fertilizer, figures)
    for group in groups.values():
        group.totals = _ordered(group.totals)
    by_village = sorted(villages.items(), key=lambda t: (t[0] == NO_VILLAGE, t[0].lower()))
    return Realization(season.name, season.starts_on, season.ends_on, list(groups.values()),
                       {name: _ordered(found) for name, found in by_village}, _ordered(totals),
                       sack_sizes(session))


# sisa_karung last: a reader of the files made before it keeps its columns where they were
COLUMNS = ["baris", "kelompok_tani", "nik", "nama", "desa", "jenis_pupuk", "alokasi_kg", "ditebus_kg",
           "ditebus_karung", "sisa_kg", "serapan_persen", "nilai_rp", "sisa_karung"]
KINDS = {"alokasi_kg": "kg", "ditebus_kg": "kg", "sisa_kg": "kg", "serapan_persen": "rate",
         "nilai_rp": "rupiah"}


def _file_row(kind: str, fertilizer: FertilizerType, figures: Figures, sacks: dict, **who) -> dict:
    return {"baris": kind, "jenis_pupuk": fertilizer.label, "alokasi_kg": figures.allocated,
            "ditebus_kg": figures.taken, "ditebus_karung": in_sacks(figures.taken, sacks.get(fertilizer)),
            "sisa_kg": figures.remaining, "serapan_persen": figures.rate_bp, "nilai_rp": figures.value,
            "sisa_karung": in_sacks(figures.remaining, sacks.get(fertilizer)), **who}


def file_rows(found: Realization) -> list[dict]:
    """Each farmer's lines then its poktan's subtotals, the totals per type, then each desa's."""
    rows: list[dict] = []
    for group in found.groups:
        for line in group.lines:
            rows.append(_file_row("petani", line.fertilizer, line.figures, found.sacks,
                                  kelompok_tani=line.farmer_group, nik=line.nik,
                                  nama=line.name + ("" if line.listed else " (keluar dari daftar)"),
                                  desa=line.village))
        rows += [_file_row("subtotal kelompok", f, figures, found.sacks, kelompok_tani=group.name)
                 for f, figures in group.totals.items()]
    rows += [_file_row("total", f, figures, found.sacks) for f, figures in found.totals.items()]
    rows += [_file_row("desa", f, figures, found.sacks, desa=village)
             for village, types in found.villages.items() for f, figures in types.items()]
    return rows
