"""NIK checks and masking (pure): the layout PP KK CC DDMMYY SSSS, women's day + 40."""
from __future__ import annotations

from datetime import date

import pytest

from pos.members.nik import NikError, birth_date, check_nik, is_woman, mask_nik

MAN = "3201011705850001"     # Bogor, born 17-05-1985
WOMAN = "6471055708920003"   # Balikpapan, born 17-08-1992 (57 = 17 + 40)


@pytest.mark.parametrize("nik, born", [
    (MAN, date(1985, 5, 17)), (WOMAN, date(1992, 8, 17)),
    ("3201012902000002", date(2000, 2, 29)),    # a leap day of 2000
    ("3201016902000002", date(2000, 2, 29)),    # the same for a woman
    ("3201013112450009", date(1945, 12, 31)),
])
def test_valid_niks_and_their_birth_dates(nik, born):
    assert check_nik(nik) == nik
    assert birth_date(nik) == born


def test_women_have_forty_added_to_the_day():
    assert is_woman(WOMAN) and not is_woman(MAN)
    assert check_nik("3201014101990001")             # 01-01-1999, a woman
    with pytest.raises(NikError, match="tanggal lahir"):
        check_nik("3201013501990001")             # day 35: neither a man's nor a woman's


def test_separators_as_written_on_forms_are_dropped():
    assert check_nik(" 3201 0117 0585 0001 ") == MAN
    assert check_nik("3201.0117.0585.0001") == MAN


@pytest.mark.parametrize("nik, fault", [
    ("3201013002850001", "tanggal lahir 30-02-85"),     # 30 February
    ("3201013102850001", "tanggal lahir"),              # 31 February
    ("3201017013850001", "tanggal lahir"),              # a woman's 30th of month 13
    ("3201010005850001", "tanggal lahir"),              # day 00
    ("3201014005850001", "tanggal lahir"),              # day 40: a man's 40th?
    ("3201012902010001", "tanggal lahir"),              # 29-02-01: neither 1901 nor 2001 was leap
    ("0001011705850001", "kode provinsi"),
    ("3200011705850001", "kode kabupaten/kota"),
    ("3201011705850000", "nomor urut"),
    ("320101170585000", "harus 16 angka (tertulis 15)"),
    ("32010117058500011", "harus 16 angka (tertulis 17)"),
    ("", "harus 16 angka (tertulis 0)"),
    ("32010117058500O1", "hanya boleh berisi angka"),   # letter O
    ("３２０１０１１７０５８５０００１", "hanya boleh berisi angka"),   # full-width digits
    ("٣٢٠١٠١١٧٠٥٨٥٠٠٠١", "hanya boleh berisi angka"),   # Arabic-Indic digits
    ("3201011705850001²", "hanya boleh berisi angka"),
])
def test_bad_niks_are_refused_with_the_reason(nik, fault):
    with pytest.raises(NikError) as caught:
        check_nik(nik)
    assert fault in caught.value.message
    assert caught.value.status == 422


@pytest.mark.parametrize("nik, shown", [
    (MAN, "3201********0001"), (WOMAN, "6471********0003"), (None, ""), ("", ""),
    ("12345678", "********"), ("1234567890", "1234**7890"),
])
def test_masking_keeps_region_and_serial_only(nik, shown):
    assert mask_nik(nik) == shown
    if nik and len(nik) == 16:
        assert nik[6:12] not in mask_nik(nik)   # never the date of birth


def test_the_century_is_taken_from_the_outlets_date_not_the_machines(monkeypatch):
    """At 17:00 UTC on 31-12-2026 the outlet (WITA) is on 01-01-2027: a baby born that day
    (year 27) was taken as born in 1927, the machine's UTC year being 2026."""
    from datetime import datetime

    from pos import clock
    from pos.members import nik as module

    class MachineDate(date):
        @classmethod
        def today(cls):
            return cls(2026, 12, 31)

    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 12, 31, 17, 0))
    monkeypatch.setattr(module, "date", MachineDate)
    born_today = "6402014101270001"   # a girl, 01-01-27
    assert birth_date(born_today) == date(2027, 1, 1)
    assert birth_date(born_today, today=date(2026, 12, 31)) == date(1927, 1, 1)   # a caller's day
    assert check_nik(born_today) == born_today
