"""Outlet settings: stored values, the log of changes, and the static QRIS (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.errors import PosError
from pos.payments import qris
from pos.settings import service
from pos.settings.models import OutletSetting, OutletSettingChange
from tests.factories import make_user
from tests.payments.vectors import BAZNAS, SAMPLE1, SAMPLE3, SAMPLE7


def count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


def test_put_logs_who_changed_what_and_skips_no_change(db):
    with db.transaction() as s:
        boss = make_user(s, "bos", "manager").id
        assert service.get(s, service.QRIS_STATIC) is None
        assert service.put(s, service.QRIS_STATIC, SAMPLE1, boss) is True
        assert service.put(s, service.QRIS_STATIC, SAMPLE1, boss) is False  # unchanged: no log row
        assert service.put(s, service.QRIS_STATIC, BAZNAS, None) is True
    with db.reading() as s:
        assert service.get(s, service.QRIS_STATIC) == BAZNAS
        latest, first = service.changes(s)
        assert (first.old_value, first.new_value, first.user_id) == (None, SAMPLE1, boss)
        assert first.user_name == "Bos"
        assert (latest.old_value, latest.new_value, latest.user_name) == (SAMPLE1, BAZNAS, None)
        assert latest.changed_at >= first.changed_at
    with db.transaction() as s:
        assert service.put(s, service.QRIS_STATIC, None, boss) is True
    with db.reading() as s:
        assert service.get(s, service.QRIS_STATIC) is None and count(s, OutletSetting) == 0
        assert [c.new_value for c in service.changes(s, service.QRIS_STATIC)] == [None, BAZNAS, SAMPLE1]
        assert service.changes(s, "other") == [] and len(service.changes(s, limit=1)) == 1


def test_unknown_keys_and_huge_values_are_refused(db):
    with db.transaction() as s:
        with pytest.raises(PosError, match="tidak dikenal"):
            service.put(s, "admin_pin", "1234", None)
        with pytest.raises(PosError, match="terlalu panjang"):
            service.put(s, service.QRIS_STATIC, "0" * 600, None)
    with db.reading() as s:
        assert count(s, OutletSetting) == 0 and count(s, OutletSettingChange) == 0


@pytest.mark.parametrize("payload, reason", [
    (SAMPLE3, "CRC salah: seharusnya 4AD5, tertulis 5C1C."),
    (SAMPLE7, "QRIS dinamis"),
    (qris.dynamic(SAMPLE1, 5_000), "QRIS dinamis"),
    ("bukan qris", "tidak berbentuk TLV"),
    (qris.build([("00", "01"), ("01", "11"), ("53", "840"), ("58", "US"), ("59", "Shop")]),
     r"bukan untuk Rupiah di Indonesia \(mata uang 840, negara US\)"),
    (qris.build([("00", "01"), ("01", "11"), ("26", "0010ID.CO.QRIS"), ("52", "5411"),
                 ("53", "360"), ("58", "ID"), ("60", "KOTA")]),        # no merchant name: "None"
     r"tidak punya nama merchant \(tag 59\)"),
])
def test_a_bad_static_qris_changes_nothing(db, payload, reason):
    with db.transaction() as s:
        service.put_qris_static(s, SAMPLE1, None)
    with pytest.raises(qris.QrisError, match=reason):
        with db.transaction() as s:
            service.put_qris_static(s, payload, None)
    with db.reading() as s:
        assert service.get(s, service.QRIS_STATIC) == SAMPLE1 and count(s, OutletSettingChange) == 1


def test_pasted_text_is_trimmed_and_empty_text_clears(db):
    with db.transaction() as s:
        assert service.put_qris_static(s, f"  {BAZNAS}\n", None) is True
        assert service.get(s, service.QRIS_STATIC) == BAZNAS
        assert service.put_qris_static(s, " \n", None) is True
        assert service.get(s, service.QRIS_STATIC) is None
        assert service.put_qris_static(s, "", None) is False


def test_qris_static_prefers_the_screen_then_the_environment(db):
    with db.reading() as s:
        assert service.qris_static(s, {"QRIS_STATIC": ""}) is None
        assert service.qris_static(s, {}) is None
        assert service.qris_static(s, {"QRIS_STATIC": f" {SAMPLE1} "}) == SAMPLE1
    with db.transaction() as s:
        service.put_qris_static(s, BAZNAS, None)
    with db.reading() as s:
        assert service.qris_static(s, {"QRIS_STATIC": SAMPLE1}) == BAZNAS
        assert qris.amount_of(qris.dynamic(service.qris_static(s, {}), 12_500)) == 12_500


def facts_of(config) -> dict[str, tuple[str, str]]:
    return {label: (value, key) for label, value, key in service.outlet_facts(config)}


def test_outlet_facts_show_the_configuration_with_the_key_that_sets_each():
    facts = facts_of({"OUTLET_NAME": "Gerai Uji", "OUTLET_CODE": "TST01", "TIMEZONE": "Asia/Makassar",
                      "PKP": False, "CASH_ROUNDING": 100, "OUTLET_ADDRESS": "Jl. Merdeka 1, Maros",
                      "OUTLET_NPWP": "01.234.567.8-901.000", "HET_ZONE": "2", "RECEIPT_COLUMNS": 48,
                      "RECEIPT_FOOTER": "Terima kasih"})
    assert facts["Nama gerai"] == ("Gerai Uji", "OUTLET_NAME")
    assert facts["Kode gerai"] == ("TST01", "OUTLET_CODE")
    assert facts["Zona waktu"] == ("Asia/Makassar", "TIMEZONE") and "PKP (memungut PPN)" not in facts
    assert facts["Pembulatan tunai"] == ("Rp100", "CASH_ROUNDING")
    assert facts["QRIS statis"] == ("Tidak ada", "QRIS_STATIC")
    assert facts["Alamat"] == ("Jl. Merdeka 1, Maros", "OUTLET_ADDRESS")
    assert facts["NPWP"] == ("01.234.567.8-901.000", "OUTLET_NPWP")
    assert facts["Zona HET"] == ("2", "HET_ZONE")
    assert facts["Lebar kertas struk"] == ("48 karakter (kertas 80 mm)", "RECEIPT_COLUMNS")
    assert facts["Catatan kaki struk"] == ("Terima kasih", "RECEIPT_FOOTER")
    empty = facts_of({"PKP": True, "RECEIPT_COLUMNS": 32})
    assert empty["Pembulatan tunai"][0] == "Tidak ada" and empty["Alamat"][0] == "(kosong)"
    assert empty["Zona HET"][0] == "(kosong: hanya HET semua zona)"
    assert empty["Lebar kertas struk"][0] == "32 karakter (kertas 58 mm)"


def test_outlet_facts_say_who_may_open_the_drawer_without_a_sale():
    assert facts_of({"CASHIER_OPENS_DRAWER": False})["Buka laci tanpa penjualan"] == (
        "Dengan PIN manajer", "CASHIER_OPENS_DRAWER")
    assert facts_of({"CASHIER_OPENS_DRAWER": True})["Buka laci tanpa penjualan"] == (
        "Kasir sendiri (tanpa PIN manajer)", "CASHIER_OPENS_DRAWER")


def test_outlet_facts_say_which_voids_need_a_manager():
    assert facts_of({})["Hapus baris atau kosongkan keranjang"] == (
        "Di atas Rp100.000 dengan PIN manajer", "VOID_APPROVAL_ABOVE")
    assert facts_of({"VOID_APPROVAL_ABOVE": 250_000})["Hapus baris atau kosongkan keranjang"][0] == \
        "Di atas Rp250.000 dengan PIN manajer"
    assert facts_of({"VOID_APPROVAL_ABOVE": None})["Hapus baris atau kosongkan keranjang"][0] == \
        "Tanpa PIN manajer"


def test_a_crc_in_small_letters_is_stored_in_capitals_and_is_the_same_qris(db):
    """…6304747e was stored as typed, and saving the same QRIS with 747E was logged as a change."""
    lower = SAMPLE1[:-4] + SAMPLE1[-4:].lower()
    assert lower != SAMPLE1 and qris.parse(lower).merchant_name == qris.parse(SAMPLE1).merchant_name
    with db.transaction() as s:
        assert service.put_qris_static(s, lower, None) is True
        assert service.get(s, service.QRIS_STATIC) == SAMPLE1       # as the standard writes it
        assert service.put_qris_static(s, SAMPLE1, None) is False   # the same QRIS: nothing changed
        assert service.put_qris_static(s, f" {lower}\n", None) is False
    with db.reading() as s:
        assert [c.new_value for c in service.changes(s, service.QRIS_STATIC)] == [SAMPLE1]


def test_a_crc_stored_in_small_letters_before_is_the_same_qris(db):
    """A QRIS stored as typed before this change: saving it again in capitals is no change."""
    lower = SAMPLE1[:-4] + SAMPLE1[-4:].lower()
    with db.transaction() as s:
        service.put(s, service.QRIS_STATIC, lower, None)
        assert service.put_qris_static(s, SAMPLE1, None) is False
    with db.reading() as s:
        assert count(s, OutletSettingChange) == 1
