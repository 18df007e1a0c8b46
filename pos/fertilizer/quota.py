"""Subsidised fertiliser at the till: only to a farmer on the e-RDKK list in force, within what
is left of their allocation of that type for the season.

``check`` runs on every cart change and again inside checkout (``checked``: the notes and the
farmer's standing it read, there with the season's and the farmer's rows share-locked to the
commit in the same statements, so the sale commits under the listing it was checked against:
an import that drops the farmer or ends the season waits for the sale, or the sale waits for
it and is then refused).  ``redeem`` runs inside the checkout transaction with that standing
(the season and the farmer are not read twice) and takes the grams with one conditional UPDATE
per allocation, found by farmer and type, so two tills selling the last sacks of one farmer's
allocation at the same moment cannot both pass it (the second finds no row to update and its
sale rolls back): the UPDATE decides, never the figures the check read.  It returns what is
left after the sale, which the sale keeps for its receipt.  ``give_back`` returns grams to the
allocation when a sale line is returned, and what is left after, which the return keeps for
its slip.  Quantities are grams (a product with ``subsidy`` set is kept in grams and priced
per kg).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from pos.errors import PosError
from pos.fertilizer import farmers
from pos.fertilizer.models import FertilizerRedemption, RdkkAllocation, RdkkFarmer, RdkkSeason
from pos.fertilizer.seasons import kg
from pos.inventory.catalog.models import FertilizerType
from pos.members.buyers import FARMER, Buyer, NeedsBuyer
from pos.members.nik import mask_nik
from pos.units import BaseUnit


class QuotaError(PosError):
    """Beyond what the farmer may still redeem."""


def _wanted(rows) -> tuple[dict[FertilizerType, int], dict[FertilizerType, str]]:
    """Grams of each subsidised type in the rows, and the first product name of each."""
    grams: dict[FertilizerType, int] = {}
    names: dict[FertilizerType, str] = {}
    for row in rows:
        if row.subsidy is None:
            continue
        fertilizer = FertilizerType(row.subsidy)
        if BaseUnit(row.base_unit) is not BaseUnit.GRAM:
            raise PosError(f"{row.name} adalah pupuk bersubsidi tetapi satuan dasarnya bukan gram: "
                           "ubah di Katalog agar kuota dapat dihitung dalam kg.")
        grams[fertilizer] = grams.get(fertilizer, 0) + row.qty
        names.setdefault(fertilizer, row.name)
    return grams, names


def _ask(name: str) -> NeedsBuyer:
    return NeedsBuyer(f"{name} adalah pupuk bersubsidi: masukkan NIK atau nomor Kartu Tani "
                      "petani yang terdaftar di e-RDKK.", needs=frozenset({FARMER}), product=name)


def _listed(session: Session, buyer: Buyer, day: date, name: str, *,
            hold: bool = False) -> tuple[RdkkFarmer, RdkkSeason]:
    """The buyer's farmer on the list in force on ``day`` and that season; refused otherwise, or
    asked for (``NeedsBuyer``) when no one is known but a member on the sale whose NIK is not on
    the list: the farmer buys the fertiliser, the member stays on the sale.  ``hold``: both rows
    share-locked to the end of the transaction (``farmers``)."""
    nik = buyer.key_nik
    if not nik:
        raise _ask(name)
    season = farmers.season_for(session, day, hold=hold)
    farmer = farmers.listed_farmer(session, season, nik, hold=hold)
    if farmer is None and not buyer.nik:   # only the member's own NIK: ask for the farmer
        who = f"Anggota {buyer.member_name}" if buyer.member_name else "Anggota ini"
        raise NeedsBuyer(f"{who} tidak terdaftar di e-RDKK: masukkan NIK / Kartu Tani petani.",
                         needs=frozenset({FARMER}), product=name)
    if farmer is None:
        raise farmers.NotListed(f"NIK {mask_nik(nik)} tidak terdaftar di e-RDKK musim {season.name}.")
    return farmer, season


def check(session: Session, rows, buyer: Buyer, today: date, *, strict: bool = True) -> list[str]:
    """Refuse subsidised fertiliser beyond the farmer's allocation (or ask for the farmer);
    else one note per type: what is left after this sale.  ``strict=False`` never raises."""
    return checked(session, rows, buyer, today, strict=strict)[0]


def checked(session: Session, rows, buyer: Buyer, today: date, *, strict: bool = True,
            hold: bool = False) -> tuple[list[str], farmers.Standing | None]:
    """``check``'s notes and the farmer's standing it read (None when the rows hold no
    subsidised fertiliser, or a problem became a note), for ``redeem`` in the same transaction.
    ``hold`` (checkout, in its write transaction) share-locks the season's and the farmer's
    rows as it reads them, in the same statements: the listing cannot change until the sale
    commits or rolls back, and a change in flight is waited for and read as it committed."""
    grams, names = _wanted(rows)
    if not grams:
        return [], None
    try:
        farmer, season = _listed(session, buyer, today, next(iter(names.values())), hold=hold)
        standing = farmers.Standing(farmer, season, farmers.quotas(session, farmer.id), held=hold)
        return _notes(standing, grams), standing
    except PosError as problem:
        if strict:
            raise
        return [problem.message], None


def _notes(standing: farmers.Standing, grams: dict[FertilizerType, int]) -> list[str]:
    notes = []
    for fertilizer, wanted in grams.items():
        quota = standing.quota(fertilizer)
        left = quota.remaining
        if not quota.allocated:   # "sisa 0 kg" would read as used up
            raise QuotaError(f"{standing.farmer.name} tidak punya alokasi {fertilizer.label} di "
                             f"e-RDKK musim {standing.season.name}.")
        if wanted > left:
            raise QuotaError(f"Sisa kuota {fertilizer.label} petani ini {kg(left)}; diminta "
                             f"{kg(wanted)}.")   # this sale's, the refused scan's kg with it
        notes.append(f"{fertilizer.label} untuk {standing.farmer.name}: sisa kuota "
                     f"{kg(left - wanted)} setelah transaksi ini (musim {standing.season.name}).")
    return notes


def redeem(session: Session, rows, buyer: Buyer, day: date, *, sale_id: int, receipt_no: str,
           line_ids: dict[int, int], cashier_id: int,
           standing: farmers.Standing | None = None) -> farmers.Standing | None:
    """Take the rows' grams from the farmer's allocation, race-safely (inside checkout), and
    write one redemption per sale line, with the proxy who collected it, if any.  ``standing``
    is what ``checked(hold=True)`` read of this buyer in this transaction (checkout passes it;
    without it, or with one read unheld, the farmer is read here, held): the listing is locked
    from that read to the commit, so a farmer taken off the list, or a season ended, by an
    import in flight is refused (``NotListed``) and never sold to.  Only its farmer and season
    are used, the UPDATE alone decides whether the grams are left.  Returns the farmer's
    standing right after the sale, with the quotas of the types taken (for the receipt), or
    None when the rows hold no subsidised fertiliser."""
    grams, names = _wanted(rows)
    if not grams:
        return None
    farmer, season = (standing.farmer, standing.season) if standing is not None and standing.held \
        else _listed(session, buyer, day, next(iter(names.values())), hold=True)
    allocation_ids, after = {}, []
    for fertilizer, wanted in grams.items():
        taken = session.execute(
            update(RdkkAllocation)
            .where(RdkkAllocation.farmer_id == farmer.id, RdkkAllocation.fertilizer == fertilizer,
                   RdkkAllocation.taken_grams + wanted <= RdkkAllocation.allocated_grams)
            .values(taken_grams=RdkkAllocation.taken_grams + wanted)
            .returning(RdkkAllocation.id, RdkkAllocation.allocated_grams, RdkkAllocation.taken_grams)
            .execution_options(synchronize_session=False)).first()
        if taken is None:  # none of this type, or not enough left: read what is, for the message
            left = farmers.quotas(session, farmer.id)
            remaining = next((q.remaining for q in left if q.fertilizer is fertilizer), 0)
            raise QuotaError(f"Sisa kuota {fertilizer.label} petani ini {kg(remaining)}; "
                             f"diminta {kg(wanted)}. Penjualan dibatalkan.")
        allocation_ids[fertilizer] = taken.id
        after.append(farmers.Quota(fertilizer, taken.allocated_grams, taken.taken_grams))
    session.execute(insert(FertilizerRedemption), [
        {"sale_id": sale_id, "sale_line_id": line_ids[id(row)], "receipt_no": receipt_no,
         "business_date": day, "season_id": season.id, "farmer_id": farmer.id,
         "allocation_id": allocation_ids[FertilizerType(row.subsidy)], "nik": farmer.nik,
         "fertilizer": FertilizerType(row.subsidy), "grams": row.qty, "returned_grams": 0,
         "proxy_name": buyer.proxy_name, "proxy_nik": buyer.proxy_nik,
         "proxy_relation": buyer.proxy_relation, "cashier_id": cashier_id}
        for row in rows if row.subsidy is not None])
    return farmers.Standing(farmer, season, after, held=True)


@dataclass(frozen=True)
class GivenBack:
    """A returned line's grams back in the farmer's allocation, and what the allocation holds
    right after (its season's name with it): what the return slip prints."""

    grams: int
    season: str
    quota: farmers.Quota


def give_back(session: Session, sale_line_id: int, grams: int) -> GivenBack | None:
    """A returned sale line's grams back to the farmer's allocation, with what is left of it
    after (None when the line was no subsidised fertiliser, or no grams come back).  Never more
    than the line redeemed."""
    found = session.execute(select(FertilizerRedemption.id, FertilizerRedemption.allocation_id,
                                   FertilizerRedemption.grams, FertilizerRedemption.returned_grams,
                                   RdkkSeason.name)
                            .join(RdkkSeason, RdkkSeason.id == FertilizerRedemption.season_id)
                            .where(FertilizerRedemption.sale_line_id == sale_line_id)).first()
    if found is None or grams == 0:
        return None
    if grams < 0 or found.returned_grams + grams > found.grams:
        raise QuotaError(f"Paling banyak {kg(found.grams - found.returned_grams)} pupuk dari baris "
                         "ini yang dapat dikembalikan.")
    marked = session.execute(
        update(FertilizerRedemption)
        .where(FertilizerRedemption.id == found.id,
               FertilizerRedemption.returned_grams + grams <= FertilizerRedemption.grams)
        .values(returned_grams=FertilizerRedemption.returned_grams + grams)
        .execution_options(synchronize_session=False)).rowcount
    restored = session.execute(
        update(RdkkAllocation)
        .where(RdkkAllocation.id == found.allocation_id, RdkkAllocation.taken_grams >= grams)
        .values(taken_grams=RdkkAllocation.taken_grams - grams)
        .returning(RdkkAllocation.fertilizer, RdkkAllocation.allocated_grams,
                   RdkkAllocation.taken_grams)
        .execution_options(synchronize_session=False)).first()
    if marked != 1 or restored is None:
        raise QuotaError("Pengembalian pupuk ini sudah dicatat oleh kasir lain. Muat ulang.")
    return GivenBack(grams, found.name, farmers.Quota(*restored))
