"""Does a SHU run still agree with the books, and have the year's days all arrived?

``drift`` compares a run's basis as simulated (the year's PHU, its member / non-member
sales, each member's purchases and savings) with what the hub holds now: the same basis
gives the same shares, so any difference is named.  A freeze is refused while there is one
(``shu_runs.freeze``); the SHU screen and ``pos ledger-hub shu`` say it beside a run.

``coverage`` says what the hub has not received yet: the year is not over, or an active
outlet's days do not reach its 31 December (the last day received per outlet:
``outlets.last_days``).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pos.ledger_hub import outlets, shu, shu_basis
from pos.money import format_rupiah

SHOWN = 10   # outlets named in a note; the rest are counted


def drift(session: Session, year: int, settings: dict, figures: dict, lines: list[shu.Line]) -> list[str]:
    """What differs between a run of ``year`` (its stored ``settings``, ``figures`` and member
    ``lines``) and the books now, in words; [] when they agree."""
    profit = shu_basis.profit(session, year)
    basis = settings.get("savings_basis") or shu.settings().savings_basis
    now = {m.number: (m.purchases, m.savings) for m in shu_basis.members(session, year, basis)}
    then = {x.number: (x.purchases, x.savings) for x in lines}
    changes = []
    if figures.get("phu") != profit.phu:
        changes.append(f"PHU {format_rupiah(figures.get('phu') or 0)}, sekarang {format_rupiah(profit.phu)}")
    sold = (figures.get("member_revenue"), figures.get("non_member_revenue"))
    if sold != (profit.member_revenue, profit.non_member_revenue):
        changes.append(f"penjualan anggota {format_rupiah(sold[0] or 0)} dan bukan anggota "
                       f"{format_rupiah(sold[1] or 0)}, sekarang {format_rupiah(profit.member_revenue)} "
                       f"dan {format_rupiah(profit.non_member_revenue)}")
    members = sorted(n for n in then.keys() | now.keys() if then.get(n) != now.get(n))
    if members:
        named = ", ".join(members[:SHOWN]) + (f" dan {len(members) - SHOWN} lainnya"
                                               if len(members) > SHOWN else "")
        changes.append(f"belanja atau simpanan {len(members)} anggota ({named})")
    return changes


def last_day_text(day: date | None) -> str:
    return f"terakhir {day:%d-%m-%Y}" if day else "belum mengirim hari apa pun"


def coverage(session: Session, year: int, today: date, frozen: bool = False) -> list[str]:
    """Notes on what the year's figures cannot hold yet (``today``: the books' date, WIB).  A year
    not begun has none (no SHU is simulated for it; the refusal says so); a ``frozen`` year's
    outlets that fell short are a past fact: the hub refuses their days of it now."""
    end = date(year, 12, 31)
    if today < date(year, 1, 1):
        return []
    if today <= end:
        return [f"Tahun buku {year} belum selesai (hari ini {today:%d-%m-%Y} WIB): angkanya masih "
                "berubah sampai hari terakhir tahun itu dari semua gerai diterima hub."]
    last = outlets.last_days(session)
    short = [(o.code, last.get(o.code)) for o in outlets.listing(session)
             if o.active and (last.get(o.code) is None or last[o.code] < end)]
    if not short:
        return []
    named = ", ".join(f"{code} ({last_day_text(day)})" for code, day in short[:SHOWN])
    more = f" dan {len(short) - SHOWN} gerai lain" if len(short) > SHOWN else ""
    if frozen:
        return [f"SHU tahun {year} dibekukan tanpa hari usaha sampai 31-12-{year} dari {named}{more}: buku "
                "tahun itu sudah ditutup, hari yang belum terkirim tidak diterima lagi; koreksinya "
                "dicatat di tahun buku berikutnya."]
    return [f"Hari usaha yang diterima hub belum sampai 31-12-{year}: {named}{more}. SHU dihitung dari "
            "yang sudah diterima; tunggu kiriman gerai itu (atau pastikan memang tidak ada) sebelum "
            "dibekukan."]


def notes(session: Session, year: int, run, today: date) -> tuple[str, list[str]]:
    """(what the year's run, a ``shu_runs.Run`` or None, no longer shares with the books, or "";
    the ``coverage`` notes): beside a run on the SHU screen and from ``pos ledger-hub shu``."""
    changes = drift(session, year, run.settings, run.figures, run.lines) if run is not None else []
    if changes and run.frozen:   # frozen before the books were closed behind it
        said = (f"SHU yang dibekukan tidak lagi sama dengan buku tahun {year}: {'; '.join(changes)}. "
                "Angka yang disahkan rapat anggota tetap berlaku; koreksinya dicatat di tahun buku "
                "berikutnya.")
    elif changes:
        said = (f"Buku tahun {year} berubah sejak simulasi ini: {'; '.join(changes)}. Simulasikan lagi "
                "sebelum dibekukan.")
    else:
        said = ""
    return said, coverage(session, year, today, frozen=run is not None and run.frozen)
