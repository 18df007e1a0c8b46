"""The NIK (the 16-digit number on the KTP): checked, and shown masked.  Pure functions.

Layout ``PP KK CC DDMMYY SSSS``: province, regency or city, district, date of
birth (a woman's day is the day plus 40) and a serial.  What can be checked
without a region table: 16 ASCII digits, a non-zero province and regency, a
date that is in the calendar (the century is not written, so either 19YY or
20YY will do), and a non-zero serial.  Region tables change as regions split,
so a code missing from one is not refused (DOMAIN.md 3g).
"""
from __future__ import annotations

from datetime import date

from pos import clock
from pos.config import DefaultConfig
from pos.errors import PosError

LENGTH = 16
_SEPARATORS = str.maketrans("", "", " .-")  # as written on forms: 3201 0112 3456 0001


class NikError(PosError):
    """A NIK that cannot be right; the message says which part is wrong."""


def check_nik(text: str, today: date | None = None) -> str:
    """The 16 digits of ``text`` (spaces, dots and dashes dropped), or ``NikError`` saying why not;
    ``today``: the outlet's date for the century (``birth_date``)."""
    nik = (text or "").strip().translate(_SEPARATORS)
    if nik and (not nik.isascii() or not nik.isdigit()):
        raise NikError("NIK hanya boleh berisi angka 0-9.")
    if len(nik) != LENGTH:
        raise NikError(f"NIK harus {LENGTH} angka (tertulis {len(nik)}).")
    if nik[:2] == "00":
        raise NikError("NIK tidak sah: kode provinsi (angka ke-1 dan ke-2) tidak boleh 00.")
    if nik[2:4] == "00":
        raise NikError("NIK tidak sah: kode kabupaten/kota (angka ke-3 dan ke-4) tidak boleh 00.")
    if birth_date(nik, today) is None:
        raise NikError(f"NIK tidak sah: tanggal lahir {nik[6:8]}-{nik[8:10]}-{nik[10:12]} (angka "
                       "ke-7 sampai ke-12) tidak ada di kalender; untuk perempuan tanggal "
                       "ditambah 40.")
    if nik[12:] == "0000":
        raise NikError("NIK tidak sah: nomor urut (4 angka terakhir) tidak boleh 0000.")
    return nik


def birth_date(nik: str, today: date | None = None) -> date | None:
    """The date of birth a NIK encodes (day - 40 for women), or None when it is not a date.

    The century is not written: the latest year not after ``today`` (the outlet's date, by
    default from the clock in the outlet's zone, not the machine's UTC date) is taken (85 is
    1985, 05 is 2005), and the other century when only it has the day (29-02-00 is 2000)."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    today = today or clock.business_date(clock.utcnow(), DefaultConfig.TIMEZONE)
    recent = 2000 + year <= today.year
    for century in ((2000, 1900) if recent else (1900, 2000)):
        try:
            return date(century + year, month, day)
        except ValueError:
            continue
    return None


def is_woman(nik: str) -> bool:
    return int(nik[6:8]) > 40


def mask_nik(nik: str | None) -> str:
    """``3201********0001``: the region and the serial, never the date of birth; empty for none."""
    if not nik:
        return ""
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]
