"""The managers' list at /persetujuan: every override, by the outlet's date, in WITA."""
from __future__ import annotations

from datetime import datetime

from pos.approvals.models import Override
from tests.factories import login, make_user


def add(db, shop, moment: datetime, description: str, asked_by: str = "cashier"):
    with db.transaction() as s:
        s.add(Override(kind="line_discount", description=description, asked_by=shop[asked_by],
                       approved_by=shop["manager"], reason="kemasan penyok", before="Rp20.000",
                       after="Rp16.000", till_id=shop["till"], created_at=moment))


def test_managers_see_each_override_by_date_with_local_time(client, db, shop):
    add(db, shop, datetime(2026, 11, 29, 15, 59), "Diskon 20% untuk Gula")    # 29-11 23:59 WITA
    add(db, shop, datetime(2026, 11, 29, 16, 1), "Diskon 10% untuk Beras")    # 30-11 00:01 WITA
    login(client, shop["manager"])
    page = client.get("/persetujuan?dari=30-11-2026").get_data(as_text=True)
    assert "Diskon 10% untuk Beras" in page and "Gula" not in page
    assert "30-11-2026 00:01" in page and "Waktu (WITA)" in page
    for text in ("Kasir1", "Manajer1", "kemasan penyok", "Rp20.000", "Rp16.000", "Diskon baris"):
        assert text in page
    page = client.get("/persetujuan?dari=29-11-2026&sampai=30-11-2026").get_data(as_text=True)
    assert page.index("Beras") < page.index("Gula")      # newest first
    assert "29-11-2026 23:59" in page


def test_a_managers_own_action_and_bad_dates(client, db, shop):
    add(db, shop, datetime(2026, 11, 30, 3, 0), "Ubah harga Minyak", asked_by="manager")
    login(client, shop["manager"])
    page = client.get("/persetujuan?dari=30-11-2026").get_data(as_text=True)
    assert "langsung oleh Manajer1" in page   # whoever acted alone: a manager, an apoteker
    assert client.get("/persetujuan?dari=30-11-2026&sampai=29-11-2026").status_code == 422
    assert client.get("/persetujuan?dari=kemarin").status_code == 422
    assert client.get("/persetujuan?dari=01-01-2026&sampai=30-11-2026").status_code == 422
    assert "Tidak ada persetujuan" in client.get("/persetujuan?dari=01-01-2025").get_data(as_text=True)
    login(client, shop["cashier"], shop["till"])
    assert client.get("/persetujuan").status_code == 403


def test_an_apotekers_own_prescription_approval_is_hers_not_a_managers(client, db, shop):
    """An apoteker approving a prescription at her own till was listed "langsung oleh manajer"."""
    with db.transaction() as s:
        apoteker = make_user(s, "apoteker1", "pharmacist", "7777").id
        s.add(Override(kind="prescription", description="Resep obat keras: Amoxicillin", asked_by=apoteker,
                       approved_by=apoteker, reason="resep", before="-", after="-",
                       till_id=shop["till"], created_at=datetime(2026, 11, 30, 3, 0)))
    login(client, shop["manager"])
    page = client.get("/persetujuan?dari=30-11-2026").get_data(as_text=True)
    assert "langsung oleh Apoteker1" in page and "langsung oleh Manajer1" not in page
