"""The season's e-RDKK list as a file (CSV or XLSX, read by the catalog's ``spreadsheets``):
every row checked first, then the whole list saved or nothing.

Columns: nik, nama, kelompok_tani, desa, komoditas, kartu_tani, and the allocation in kg per
type: urea_kg, npk_kg, npk_kakao_kg, za_kg, organik_kg (``12,5`` kg is 12.500 g exactly; blank
is 0).  Re-importing a season replaces its list but never loses what farmers already took:
their taken grams stay, and the file is refused when a farmer who redeemed is missing from it
or is given less than they took; other farmers missing from it leave the list only when the
manager confirms it (``remove_missing``), and are then named (``leaving``).  ``RdkkFile`` is
the ``rules`` object the catalog's ``import_jobs`` runs (``validate`` then ``import_rows``) for
the Pupuk screen's upload.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import PosError
from pos.fertilizer import leaving, seasons
from pos.fertilizer.models import COMMODITIES, FertilizerRedemption, RdkkAllocation, RdkkFarmer
from pos.inventory.catalog.models import FertilizerType
from pos.inventory.catalog.spreadsheets import ImportErrors, Row
from pos.members.nik import check_nik
from pos.units import BaseUnit

KG_COLUMNS = {FertilizerType.UREA: "urea_kg", FertilizerType.NPK: "npk_kg",
              FertilizerType.NPK_KAKAO: "npk_kakao_kg", FertilizerType.ZA: "za_kg",
              FertilizerType.ORGANIK: "organik_kg"}
COLUMNS = ["nik", "nama", "kelompok_tani", "desa", "komoditas", "kartu_tani", *KG_COLUMNS.values()]
KEY = "nik"
MAX_KG = 5_000  # per farmer and type: more is a slip (grams typed as kg, a stray digit)
Progress = Callable[[int, int], None] | None


@dataclass(frozen=True)
class Listed:
    """One row of the file, as stored values."""

    line: int
    nik: str
    name: str
    farmer_group: str | None
    village: str | None
    commodity: str
    kartu_tani: str | None
    grams: dict[FertilizerType, int]


def _text(row: Row, column: str, length: int) -> str | None:
    return " ".join((row.get(column) or "").split())[:length] or None


def _grams(row: Row, column: str) -> tuple[int, str | None]:
    raw = (row.get(column) or "").strip()
    if not raw:
        return 0, None
    if raw.startswith("-"):
        return 0, f"{column} tidak boleh negatif ({raw})."
    try:
        grams = BaseUnit.GRAM.parse_input(raw)
    except ValueError:
        return 0, f"{column} '{raw[:20]}' bukan jumlah kg (contoh 150 atau 12,5)."
    if grams > MAX_KG * 1000:
        return 0, f"{column} {raw} kg tidak wajar (paling banyak {MAX_KG} kg per jenis)."
    return grams, None


def parse(row: Row) -> tuple[Listed | None, list[str], dict[str, str | None]]:
    """The row as stored values, or the problems found in it; and its NIK and Kartu Tani
    number when they are well formed (to find them twice in a file)."""
    problems = ["lebih banyak kolom daripada judul."] if row.get("_extra") else []
    try:
        nik = check_nik(row.get("nik", ""))
    except PosError as error:
        nik = ""
        problems.append(error.message)
    name = _text(row, "nama", 100)
    if not name:
        problems.append("nama wajib diisi.")
    commodity = " ".join((row.get("komoditas") or "").replace("_", " ").lower().split())
    if commodity not in COMMODITIES:
        problems.append(f"komoditas '{commodity[:30]}' tidak dikenal; pilih salah satu: "
                        + ", ".join(COMMODITIES) + ".")
    card = "".join((row.get("kartu_tani") or "").replace("-", " ").replace(".", " ").split())
    if card and (not card.isascii() or not card.isdigit() or not 6 <= len(card) <= 20):
        problems.append(f"kartu_tani '{card[:24]}' harus 6 sampai 20 angka.")
    grams = {}
    for fertilizer, column in KG_COLUMNS.items():
        grams[fertilizer], problem = _grams(row, column)
        problems += [problem] if problem else []
    keys = {"NIK": nik or None, "kartu_tani": None if any("kartu_tani" in p for p in problems)
            else card or None}
    if problems:
        return None, problems, keys
    return Listed(row["_line"], nik, name, _text(row, "kelompok_tani", 100), _text(row, "desa", 100),
                  commodity, card or None, grams), [], keys


def _taken(session: Session, season_id: int) -> dict[str, dict[FertilizerType, int]]:
    """What each farmer of the season has taken so far, by NIK and type (only what is > 0)."""
    taken: dict[str, dict[FertilizerType, int]] = {}
    for nik, fertilizer, grams in session.execute(
            select(RdkkFarmer.nik, RdkkAllocation.fertilizer, RdkkAllocation.taken_grams)
            .join(RdkkAllocation, RdkkAllocation.farmer_id == RdkkFarmer.id)
            .where(RdkkFarmer.season_id == season_id, RdkkAllocation.taken_grams > 0)):
        taken.setdefault(nik, {})[fertilizer] = grams
    return taken


class RdkkFile:
    """Importing one file into one season: the ``rules`` that ``import_jobs`` runs."""

    IMPORT_COLUMNS = COLUMNS
    KEY = KEY

    def __init__(self, season: str, starts_on: date | None = None, ends_on: date | None = None,
                 source_file: str | None = None, dates: tuple[str, str] = seasons.DATES,
                 remove_missing: bool = False):
        self.season, self.starts_on, self.ends_on = seasons.clean_name(season), starts_on, ends_on
        self.source_file, self.dates = source_file, dates   # dates: how the asker names them
        self.remove_missing, self.leaving = remove_missing, []  # leaving: names, of the last check

    def validate(self, session: Session, rows: list[Row], progress: Progress = None) -> list[str]:
        """Every problem of the file, as "Baris N: ..." in row order (after "Musim: ..."); a NIK
        that redeemed this season and is missing from the file comes last, then the farmers who
        would leave the list unless ``remove_missing``; empty when good."""
        found: list[tuple[float, str]] = []   # (row line, message), sorted at the end
        listed, named = self._read(rows, found, progress)
        existing = seasons.by_name(session, self.season)
        by_nik, taken = {f.nik: f for f in listed}, _taken(session, existing.id) if existing else {}
        for nik, took in sorted(taken.items()):
            farmer = by_nik.get(nik)
            if farmer is None and nik in named:
                continue  # on a row with problems of its own, reported there
            for fertilizer, grams in took.items():
                if farmer is None:
                    found.append((math.inf, f"NIK {nik}: sudah menebus {seasons.kg(grams)} "
                                            f"{fertilizer.label} musim {existing.name} tetapi tidak "
                                            "ada di berkas."))
                    break
                if farmer.grams[fertilizer] < grams:
                    found.append((farmer.line, f"Baris {farmer.line}: alokasi {fertilizer.label} "
                                               f"{seasons.kg(farmer.grams[fertilizer])} kurang dari "
                                               f"yang sudah ditebus ({seasons.kg(grams)})."))
        found.sort(key=lambda problem: problem[0])  # stable: a row's own messages keep their order
        self.leaving = leaving.names(session, existing.id, set(named) | set(taken)) if existing else []
        asked = [leaving.refused(existing.name, self.leaving), leaving.HINT] \
            if self.leaving and not self.remove_missing else []
        return (seasons.problems(session, self.season, self.starts_on, self.ends_on, self.dates)
                + [message for _line, message in found] + asked)

    def _read(self, rows: list[Row], found: list[tuple[float, str]],
              progress: Progress) -> tuple[list[Listed], dict[str, int]]:
        """The well-formed rows, and the line of every well-formed NIK; each problem into
        ``found`` with its row's line."""
        listed, seen_nik, seen_card, total = [], {}, {}, len(rows)
        for done, row in enumerate(rows, start=1):
            farmer, problems, keys = parse(row)
            for label, seen, other in (("NIK", seen_nik, seen_card), ("kartu_tani", seen_card, seen_nik)):
                value = keys[label]
                if value and value in seen:   # one farmer, one row: the till reads a single allocation
                    merge = "; gabungkan alokasinya dalam satu baris" if label == "NIK" else ""
                    problems.append(f"{label} {value} juga ada di baris {seen[value]}{merge}.")
                elif value and value in other:   # the till finds a farmer by either: one person
                    what = "kartu_tani" if label == "NIK" else "NIK"
                    problems.append(f"{label} {value} sama dengan {what} baris {other[value]}.")
                elif value:
                    seen[value] = row["_line"]
            if farmer is not None:
                listed.append(farmer)
            found += [(row["_line"], f"Baris {row['_line']}: {p}") for p in problems]
            if progress and (done % 250 == 0 or done == total):
                progress(done, total)
        if not rows:
            found.append((0, "Berkas tidak berisi baris petani."))
        return listed, seen_nik

    def notices(self, session: Session) -> list[str]:
        """What the import does besides the list, for its outcome and its dry run: the season's
        dates changed ("Tanggal musim MT I 2026 berubah dari ... menjadi ..."), the farmers who
        leave the list (of the last ``validate``)."""
        change = seasons.date_change(session, self.season, self.starts_on, self.ends_on)
        return ([change] if change else []) + ([leaving.said(self.leaving)] if self.leaving else [])

    def import_rows(self, session: Session, rows: list[Row], user_id: int | None = None,
                    progress: Progress = None) -> dict[str, int]:
        """Replace the season's list with the file, or raise ``ImportErrors`` (the caller then
        rolls back).  Summary: total, created, updated, unchanged, removed, and ``notices``
        (``notices``: the season re-dated).  The season's row
        is locked first (``seasons.by_name(hold=True)``): a sale of its fertiliser in flight
        commits before the file is checked against what farmers took, and sales wait for the
        import, then read the list it leaves."""
        seasons.by_name(session, self.season, hold=True)
        errors = self.validate(session, rows)
        if errors:
            raise ImportErrors(errors)
        listed, _ = self._read(rows, [], None)
        notices = self.notices(session)
        season = seasons.ensure(session, self.season, self.starts_on, self.ends_on, user_id=user_id,
                                source_file=self.source_file, now=utcnow(), dates=self.dates)
        farmers = {f.nik: f for f in session.scalars(
            select(RdkkFarmer).where(RdkkFarmer.season_id == season.id))}
        # cards move between farmers in one import: free them all first (unique per season)
        session.execute(update(RdkkFarmer).where(RdkkFarmer.season_id == season.id)
                        .values(kartu_tani=None))
        summary = {"total": len(listed), "created": 0, "updated": 0, "unchanged": 0, "removed": 0,
                   "notices": notices}
        for done, entry in enumerate(listed, start=1):
            summary[_save(session, season.id, farmers.get(entry.nik), entry)] += 1
            if progress and (done % 100 == 0 or done == len(listed)):
                progress(done, len(listed))
        wanted = {entry.nik for entry in listed}
        _drop(session, [f for nik, f in farmers.items() if nik not in wanted])
        summary["removed"] = len(self.leaving)   # the listed ones: the unlisted left before
        session.flush()
        return summary


def _save(session: Session, season_id: int, farmer: RdkkFarmer | None, entry: Listed) -> str:
    """Add or update one farmer and their allocations; which summary count it is."""
    values = dict(name=entry.name, farmer_group=entry.farmer_group, village=entry.village,
                  commodity=entry.commodity, listed=True)
    if farmer is None:
        farmer = RdkkFarmer(season_id=season_id, nik=entry.nik, **values)
        session.add(farmer)
        session.flush()
        outcome = "created"
    else:
        changed = [k for k, v in values.items() if getattr(farmer, k) != v]
        for key in changed:
            setattr(farmer, key, values[key])
        outcome = "updated" if changed else "unchanged"
    farmer.kartu_tani = entry.kartu_tani
    allocations = {a.fertilizer: a for a in session.scalars(
        select(RdkkAllocation).where(RdkkAllocation.farmer_id == farmer.id))}
    for fertilizer, grams in entry.grams.items():
        allocation = allocations.get(fertilizer)
        if allocation is None and grams:
            session.add(RdkkAllocation(farmer_id=farmer.id, fertilizer=fertilizer,
                                       allocated_grams=grams, taken_grams=0))
            outcome = "updated" if outcome == "unchanged" else outcome
        elif allocation is not None and allocation.allocated_grams != grams:
            allocation.allocated_grams = grams
            outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


def _drop(session: Session, gone: list[RdkkFarmer]) -> int:
    """Farmers no longer on the list (none of them holds taken grams: ``validate`` saw to it):
    deleted, or kept unlisted with nothing allocated when redemptions point at them."""
    if not gone:
        return 0
    ids = [f.id for f in gone]
    kept = set(session.scalars(select(FertilizerRedemption.farmer_id)
                               .where(FertilizerRedemption.farmer_id.in_(ids))))
    session.execute(update(RdkkAllocation).where(RdkkAllocation.farmer_id.in_(list(kept)))
                    .values(allocated_grams=0))
    for farmer in gone:
        if farmer.id in kept:
            farmer.listed = False
    dropped = [i for i in ids if i not in kept]
    session.execute(delete(RdkkAllocation).where(RdkkAllocation.farmer_id.in_(dropped)))
    session.execute(delete(RdkkFarmer).where(RdkkFarmer.id.in_(dropped)))
    return len(gone)
