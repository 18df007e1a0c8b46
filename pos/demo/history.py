"""Fourteen closed business days before today, so the reports, the dashboard, the shift
report and Tutup hari have something to show.

Each day (outlet zone, ``now=`` passed explicitly to every service) has one or two shifts:
Kasir 1 all day, or handed over at midday to the manager (a second shift at the same till),
or a second till on a busy morning.  A shift opens with a float counted by denomination,
usually the till's previous closing count (sometimes not, with a note); the day sells 15-30
times through ``checkout`` (members and not, cash, QRIS, transfer, kasbon; on four days a
farmer collects subsidised urea at Kasir 1, ``pos.demo.fertilizer.REDEEMED``), sometimes takes a
return, a kas keluar or a member's cash payment, deposits the day's takings with the
treasurer (Kas keluar) before closing, and closes with the drawer counted, now and then a
little over or short with the reason, the manager approving.  Then ``close_day`` locks the
day.  Today stays open with no shift open.  Seeded random: the same seed, the same history.
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.auth.models import Role, User
from pos.closing.service import close_day, settings
from pos.config import DefaultConfig
from pos.demo import fertilizer
from pos.demo import history_sales as acts
from pos.demo.drawer import at, cash_of, expected_cash, staff_actor
from pos.sales.pricing import TaxSettings
from pos.settings.service import pkp as outlet_pkp
from pos.shifts import service as shifts
from pos.shifts.models import CashDirection
from pos.tills.models import Till

DAYS = 14
FLOAT = {"KASIR-1": 500_000, "KASIR-2": 300_000}   # what the drawer keeps overnight
DIFFERENCES = ((-500, "Kembalian kurang Rp500 diberikan ke pembeli"),
               (-1_000, "Salah beri kembalian"), (-2_000, "Uang receh tidak ditemukan"),
               (500, "Pembeli tidak mengambil kembalian"), (1_000, "Kelebihan terima, pembeli pergi"),
               (-5_000, "Selisih, sedang ditelusuri manajer"))
FLOAT_NOTES = ((50_000, "Ditambah uang kecil dari bendahara"),
               (-20_000, "Sebagian uang kecil ditukar ke bendahara"),
               (100_000, "Kas awal ditambah untuk hari pasar"))


def _config(overrides: Mapping | None) -> dict:
    config = {k: getattr(DefaultConfig, k) for k in dir(DefaultConfig) if k.isupper()}
    return config | dict(overrides or {})


@dataclass
class Plan:
    """One shift of the day: where, who, and when (outlet-local hours and minutes)."""

    till: str
    user: str
    opens: tuple[int, int]
    closes: tuple[int, int]
    sales: int
    shift_id: int | None = None


def _plans(rng: random.Random) -> list[Plan]:
    kind = rng.random()
    if kind < 0.45:
        return [Plan("KASIR-1", "kasir1", (7, 30), (20, 0), rng.randint(15, 22))]
    if kind < 0.75:  # the manager takes over Kasir 1 in the afternoon: two shifts, one till
        return [Plan("KASIR-1", "kasir1", (7, 30), (14, 0), rng.randint(9, 14)),
                Plan("KASIR-1", "manajer1", (14, 0), (20, 0), rng.randint(7, 12))]
    return [Plan("KASIR-1", "kasir1", (7, 30), (20, 0), rng.randint(13, 18)),  # market day
            Plan("KASIR-2", "manajer1", (8, 0), (12, 0), rng.randint(6, 10))]


def seed_history(session: Session, seed: int = 2026, *, days: int = DAYS,
                 today: date | None = None, het_zone: str | None = None,
                 config: Mapping | None = None) -> dict[str, int]:
    """Seed ``days`` closed days before ``today`` (the outlet's, by default); returns counts.
    ``config``: the app's settings (outlet code, zone, PKP), else the defaults.  Nothing when
    the staff or tills of the demo are missing."""
    config = _config(config)
    zone = config["TIMEZONE"]
    staff = dict(session.execute(select(User.username, User.id)).all())
    tills = dict(session.execute(select(Till.code, Till.id)).all())
    if days <= 0 or not {"kasir1", "manajer1"} <= set(staff) or not set(FLOAT) <= set(tills):
        return {"days": 0, "sales": 0}
    from pos.clock import business_date, utcnow

    today = today or business_date(utcnow(), zone)
    rng = random.Random(seed * 7 + 1)
    taxed = outlet_pkp(session, config)
    tax = TaxSettings.from_config(config, pkp=taxed)
    if het_zone is not None:
        tax = TaxSettings(tax.pkp, tax.rate_bp, tax.inclusive, het_zone)
    shop = acts.load(session, rng, tax, staff, config["OUTLET_CODE"], zone)
    farmers = fertilizer.planned(session, [today - timedelta(days=b) for b in range(days, 0, -1)], today)
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        _day(shop, tills, day, farmers.get(day, []))
        close_day(session, day=day, user_id=staff["manajer1"], now=at(day, 20, 30, zone),
                  today=today, **settings(config, taxed))
    _printed(session, today)
    session.flush()
    return {"days": days, "sales": len(shop.sales) + len(shop.redeemed)}


def _printed(session: Session, today: date) -> None:
    """The history's receipts came out of the printer as each sale was made (no printer runs
    while the demo is seeded, and the print worker retries only recent jobs: they would wait on
    the manager's home page for ever, "99+ struk belum tercetak")."""
    from pos.sales.models import PrintJob, PrintStatus, Sale

    made = select(Sale.created_at).where(Sale.id == PrintJob.sale_id).scalar_subquery()
    past = select(Sale.id).where(Sale.business_date < today)
    session.execute(update(PrintJob).where(PrintJob.status == PrintStatus.PENDING,
                                           PrintJob.sale_id.in_(past))
                    .values(status=PrintStatus.PRINTED, printed_at=made, attempts=1))


def _day(shop: acts.Shop, tills: dict[str, int], day: date, farmers: list[tuple]) -> None:
    """The day's events in time order: opens, sales, returns, payments, movements, closes; the
    ``farmers`` collecting urea (``fertilizer.planned``) come to Kasir 1 from 09:10."""
    rng = shop.rng
    plans = _plans(rng)
    events: list[tuple[int, int, str, Plan]] = []   # (minute of day, order, what, plan)
    shop.farmers = list(farmers)
    events += [(9 * 60 + 10 + 25 * n, 0, "pupuk", plans[0]) for n in range(len(farmers))]
    for n, plan in enumerate(plans):
        start, end = plan.opens[0] * 60 + plan.opens[1], plan.closes[0] * 60 + plan.closes[1]
        events.append((start, n, "open", plan))
        for _ in range(plan.sales):
            events.append((rng.randint(start + 5, end - 20), n, "sale", plan))
        extras = [("return", 0.35), ("spend", 0.3), ("member", 0.55), ("topup", 0.1)]
        for what, chance in extras:
            if rng.random() < chance:
                events.append((rng.randint(start + 30, end - 20), n, what, plan))
        events.append((end - 10, n, "deposit", plan))
        events.append((end, n, "close", plan))
    for minute, _, what, plan in sorted(events, key=lambda e: (e[0], e[1])):
        _event(shop, tills, day, divmod(minute, 60), what, plan)


def _event(shop: acts.Shop, tills: dict[str, int], day: date, clock: tuple[int, int],
           what: str, plan: Plan) -> None:
    s = shop.session
    now = at(day, clock[0], clock[1], shop.zone)
    till, user = tills[plan.till], shop.staff[plan.user]
    role = Role.MANAGER if plan.user == "manajer1" else Role.CASHIER
    if what == "open":
        plan.shift_id = _open(shop, till, user, role, plan.till, day, now).id
    elif what == "sale":
        acts.sell(shop, till_id=till, cashier_id=user, day=day, now=now)
    elif what == "pupuk":   # not among ``shop.sales``: no demo return takes grams of a sack
        typed, sacks, proxy = shop.farmers.pop(0)
        shop.redeemed.append(fertilizer.redeem(shop, till_id=till, cashier_id=user, day=day,
                                               now=now, typed=typed, sacks=sacks, proxy=proxy))
    elif what == "return" and shop.sales:
        acts.give_back(shop, till_id=till, user_id=user, role=role, day=day, now=now)
    elif what == "member":
        acts.member_pays(shop, till_id=till, cashier_id=user, day=day, now=now)
    elif what == "spend":
        acts.spend(shop, till_id=till, user_id=user, role=role, day=day, now=now)
    elif what == "topup":
        acts.spend(shop, till_id=till, user_id=user, role=role, day=day, now=now,
                   direction=CashDirection.IN, amount=100_000,
                   reason="Tambahan uang kecil dari bendahara")
    elif what == "deposit":
        extra = (expected_cash(s, plan.shift_id) - FLOAT[plan.till]) // 50_000 * 50_000
        if extra > 0:  # the takings go to the treasurer in Rp50.000s; the float stays
            acts.spend(shop, till_id=till, user_id=user, role=role, day=day, now=now,
                       amount=extra, reason="Setor kas ke bendahara")
    elif what == "close":
        _close(shop, till, user, role, plan.shift_id, now)


def _open(shop: acts.Shop, till_id: int, user_id: int, role: Role, code: str, day: date, now):
    """The float: the till's last closing count, or (now and then) a different one, noted and
    approved by the manager."""
    previous = shifts.previous_counted(shop.session, till_id)
    amount, note = (FLOAT[code] if previous is None else previous), None
    if previous is not None and shop.rng.random() < 0.2:
        change, note = shop.rng.choice(FLOAT_NOTES)
        amount = max(0, previous + change)
    actor = staff_actor(user_id, till_id, role, note or "", approver=shop.staff["manajer1"])
    return shifts.open_shift(shop.session, till_id=till_id, cashier_id=user_id,
                             cash=cash_of(amount), note=note, day=day, now=now, zone=shop.zone,
                             actor=actor)


def _close(shop: acts.Shop, till_id: int, user_id: int, role: Role, shift_id: int, now) -> None:
    """The drawer counted by denomination: mostly as expected, sometimes a little off,
    with the reason."""
    expected = expected_cash(shop.session, shift_id)
    difference, reason = 0, None
    if shop.rng.random() < 0.3:
        difference, reason = shop.rng.choice(DIFFERENCES)
    counted = max(0, expected + difference) // 100 * 100   # no coins below Rp100
    if counted != expected and reason is None:
        reason = "Sisa di bawah Rp100 tidak ada pecahannya"
    actor = staff_actor(user_id, till_id, role, reason or "Hitung laci cocok",
                        approver=shop.staff["manajer1"])
    shifts.close_shift(shop.session, actor, shift_id=shift_id, cash=cash_of(counted),
                       counted_other={}, reason=reason, now=now)
