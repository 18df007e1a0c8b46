"""A book year's SHU run: simulate (as often as wanted), then freeze once the members'
meeting has approved it.  One run per year (``hub_shu_run.year`` is unique): a simulation
replaces the year's previous simulation; a frozen run never changes, and a new simulation
for its year is refused.  A year not yet begun is not simulated.  A freeze is refused when the
books no longer give the simulation's basis (``shu_check.drift``): it is simulated again first.
Once frozen, the books up to that year's 31 December are closed: the hub refuses a document
or a saldo awal that would change them (``frozen_from``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos.clock import business_date, to_local, utc_iso
from pos.errors import NotFound
from pos.ledger_hub import shu, shu_basis, shu_check
from pos.ledger_hub.shu_models import HubShuMember, HubShuRun
from pos.money import format_rupiah

SIMULATION, FROZEN = "simulation", "frozen"
FIRST_YEAR, LAST_YEAR = 2000, 2100
# A book year has ended once it has in the westernmost zone (WIB): the hub serves outlets in
# any zone, and the members' meeting comes months later anyway.
BOOK_ZONE = "Asia/Jakarta"


def book_today(now: datetime) -> date:
    """The date a freeze is judged by (``now`` naive UTC)."""
    return business_date(now, BOOK_ZONE)


@dataclass(frozen=True)
class Run:
    id: int
    year: int
    status: str
    settings: dict
    figures: dict
    pool: int
    created_at: datetime
    created_by: str
    frozen_at: datetime | None
    frozen_by: str | None
    lines: list[shu.Line]

    @property
    def frozen(self) -> bool:
        return self.status == FROZEN

    @property
    def members_total(self) -> int:
        return sum(line.total for line in self.lines)

    def line(self, number: str) -> shu.Line:
        """The member's line, by the number as the tills read it (in capitals: agt-0001 is AGT-0001)."""
        wanted = (number or "").strip().upper()
        for line in self.lines:
            if line.number == wanted:
                return line
        raise NotFound(f"Anggota {number} tidak ada di daftar SHU tahun {self.year}.")

    def as_dict(self) -> dict:
        return {"year": self.year, "status": self.status, "settings": self.settings, "pool": self.pool,
                "figures": self.figures, "created_at": utc_iso(self.created_at, "seconds"),
                "created_by": self.created_by,
                "frozen_at": utc_iso(self.frozen_at, "seconds"),
                "frozen_by": self.frozen_by, "members_total": self.members_total,
                "members": [{"number": x.number, "name": x.name, "purchases": x.purchases,
                             "savings": x.savings, "jasa_anggota": x.jasa_anggota,
                             "jasa_modal": x.jasa_modal, "total": x.total} for x in self.lines]}


def check_year(year) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise shu.ShuError(f"Tahun buku harus antara {FIRST_YEAR} dan {LAST_YEAR}.")
    return year


def _row(session: Session, year: int, lock: bool = False) -> HubShuRun | None:
    query = select(HubShuRun).where(HubShuRun.year == year)
    return session.execute(query.with_for_update() if lock else query).scalar_one_or_none()


def current_settings(session: Session, year: int) -> shu.Settings:
    """The year's settings as last simulated, else the defaults."""
    row = _row(session, check_year(year))
    if row is None:
        return shu.settings()
    stored = json.loads(row.settings)
    return shu.settings(stored["split"], stored["savings_basis"])


def preview(session: Session, year: int, chosen: shu.Settings,
            pool: int | None = None) -> tuple[shu.Distribution, shu_basis.Profit]:
    """The distribution from what the hub holds now (nothing written)."""
    profit = shu_basis.profit(session, check_year(year))
    members = shu_basis.members(session, year, chosen.savings_basis)
    if not (profit.sales or profit.phu or members):
        raise shu.ShuError(f"Hub belum menerima pembukuan tahun {year} dari gerai mana pun: "
                           "belum ada SHU untuk dihitung.")
    shared = profit.phu if pool is None else pool
    if pool is None and shared < 0:
        raise shu.ShuError(f"PHU tahun {year} negatif ({format_rupiah(shared)}); tidak ada SHU untuk dibagi.")
    return shu.distribute(shared, profit.member_revenue, profit.non_member_revenue, chosen, members), profit


def simulate(session: Session, year: int, chosen: shu.Settings, by: str, now: datetime,
             pool: int | None = None) -> Run:
    """Compute the year's SHU and store it as the year's simulation (replacing the last one)."""
    year = check_year(year)
    today = book_today(now)
    if year > today.year:
        raise shu.ShuError(f"Tahun buku {year} belum dimulai (hari ini {today:%d-%m-%Y} WIB); belum ada "
                           "SHU untuk disimulasikan.")
    existing = _row(session, year, lock=True)
    if existing is not None and existing.status == FROZEN:
        raise shu.ShuError(f"SHU tahun {year} sudah dibekukan {existing.frozen_at:%d-%m-%Y} oleh "
                           f"{existing.frozen_by}; tidak bisa disimulasikan lagi.", 409)
    result, profit = preview(session, year, chosen, pool)
    if existing is not None:
        session.execute(delete(HubShuMember).where(HubShuMember.run_id == existing.id))
        session.execute(delete(HubShuRun).where(HubShuRun.id == existing.id))
    figures = {"phu": profit.phu, "sales": profit.sales,
               "member_revenue": profit.member_revenue, "non_member_revenue": profit.non_member_revenue,
               "pool_adjusted": pool is not None, "member_share": result.member_share,
               "non_member_share": result.non_member_share, "parts": result.parts,
               "reserve_total": result.reserve_total, "vuk": result.vuk, "tms": result.tms,
               "rate_jasa_anggota": result.rate_per_thousand("jasa_anggota"),
               "rate_jasa_modal": result.rate_per_thousand("jasa_modal")}
    try:
        with session.begin_nested():
            run_id = session.execute(insert(HubShuRun).values(
                year=year, status=SIMULATION, settings=json.dumps(chosen.as_dict()),
                figures=json.dumps(figures), pool=result.pool, created_at=now, created_by=by)
                .returning(HubShuRun.id)).scalar_one()
    except IntegrityError:   # another simulation of the year stored first
        raise shu.ShuError(f"SHU tahun {year} sedang disimulasikan orang lain; coba lagi.", 409) from None
    if result.lines:
        session.execute(insert(HubShuMember), [
            {"run_id": run_id, "number": x.number, "name": x.name, "purchases": x.purchases,
             "savings": x.savings, "jasa_anggota": x.jasa_anggota, "jasa_modal": x.jasa_modal,
             "total": x.total} for x in result.lines])
    return show(session, year)


def freeze(session: Session, year: int, by: str, now: datetime, today: date) -> Run:
    """Freeze the year's simulation as approved; only after the book year has ended, once."""
    year = check_year(year)
    by = (by or "").strip()
    if not by:
        raise shu.ShuError("Isi nama yang membekukan SHU (pengurus yang disahkan rapat anggota).")
    if today <= date(year, 12, 31):
        raise shu.ShuError(f"Tahun buku {year} belum selesai; SHU dibekukan setelah 31-12-{year}.")
    row = _row(session, year, lock=True)
    if row is None:
        raise shu.ShuError(f"Belum ada simulasi SHU tahun {year}; jalankan simulasi dulu.")
    figures = json.loads(row.figures)
    if not (figures["sales"] or figures["phu"]) and session.scalar(
            select(HubShuMember.run_id).where(HubShuMember.run_id == row.id).limit(1)) is None:
        raise shu.ShuError(f"Simulasi SHU tahun {year} kosong (tanpa penjualan dan anggota): "
                           "tidak dibekukan.")
    simulated = show(session, year)
    changes = shu_check.drift(session, year, simulated.settings, figures, simulated.lines)
    if changes:   # e.g. the year's last day arrived after the simulation
        made = to_local(row.created_at, BOOK_ZONE)
        raise shu.ShuError(f"SHU tahun {year} tidak dibekukan: buku berubah sejak simulasi "
                           f"{made:%d-%m-%Y %H:%M} WIB ({'; '.join(changes)}). Simulasikan lagi, periksa "
                           "angkanya, lalu bekukan.", 409)
    done = session.execute(update(HubShuRun).where(HubShuRun.id == row.id, HubShuRun.status == SIMULATION)
                           .values(status=FROZEN, frozen_at=now, frozen_by=by[:80])).rowcount
    if not done:
        raise shu.ShuError(f"SHU tahun {year} sudah dibekukan.", 409)
    session.expire_all()
    return show(session, year)


def show(session: Session, year: int) -> Run:
    row = _row(session, check_year(year))
    if row is None:
        raise NotFound(f"Belum ada SHU tahun {year}; jalankan simulasi dulu.")
    lines = [shu.Line(m.number, m.name, m.purchases, m.savings, m.jasa_anggota, m.jasa_modal)
             for m in session.execute(select(HubShuMember).where(HubShuMember.run_id == row.id)
                                      .order_by(HubShuMember.number)).scalars()]
    return Run(row.id, row.year, row.status, json.loads(row.settings), json.loads(row.figures), row.pool,
               row.created_at, row.created_by, row.frozen_at, row.frozen_by, lines)


def frozen_from(session: Session, year: int) -> HubShuRun | None:
    """The earliest frozen run of ``year`` or later, else None: the books up to its 31 December
    are closed (a member's savings of an earlier year count in its jasa modal too).  The runs
    of those years stay locked (FOR SHARE) until the caller's transaction ends, so a freeze
    running alongside either waits and then finds the caller's change (and refuses), or is
    waited for and found frozen."""
    rows = session.execute(select(HubShuRun).where(HubShuRun.year >= year).order_by(HubShuRun.year)
                           .with_for_update(read=True)).scalars().all()
    return next((row for row in rows if row.status == FROZEN), None)


def years(session: Session) -> list[tuple[int, str]]:
    """(year, status) of every run, newest first."""
    return [(y, s) for y, s in session.execute(select(HubShuRun.year, HubShuRun.status)
                                               .order_by(HubShuRun.year.desc()))]
