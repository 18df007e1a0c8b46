"""A HET per sack typed as a HET per kg (Rp90.000 for urea at Rp1.800/kg, karung 50 kg) was
saved and lifted the ceiling 50 times: the form, the file import and its dry run refuse a
ceiling that looks like a pack's price or is far above the catalog price or the ceiling before
it, with the likely cause named, unless the manager confirms it."""
from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from pos.het import service
from pos.het.models import CeilingPrice
from pos.inventory.catalog import packs
from tests.factories import login, make_product, make_user, poll_until_finished, set_het

SACK = b"sku,zona,het,berlaku_mulai,catatan\nPPK-0025,,90.000,22-10-2025,Kepmentan 1117/2025\n"


@pytest.fixture
def urea(db):
    with db.transaction() as s:
        product = make_product(s, sku="PPK-0025", name="Pupuk Urea Subsidi", price=1_800,
                               cost=1_458, base_unit="gram", business_unit="pupuk", on_hand=0)
        packs.add_pack(s, product.id, "karung", 50_000)
        blank = make_product(s, sku="BARU", name="Barang Tanpa Harga", price=1_000, cost=0, on_hand=0)
        loose = make_product(s, sku="NPK", name="Pupuk NPK", price=2_300, cost=0, base_unit="gram",
                             business_unit="pupuk", on_hand=0)
        blank.price = loose.price = 0    # no catalog price yet (a row of an older catalog file)
        packs.add_pack(s, loose.id, "karung", 50_000)
        set_het(s, loose, 2_300, from_=date(2024, 1, 1))
        return product.id


def count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(CeilingPrice))


def sku_id(s, sku):
    return service.product_by_sku(s, sku).id


@pytest.mark.parametrize("sku, price, words", [
    ("PPK-0025", 90_000, "HET Rp90.000 per kg? Harga jual Rp1.800/kg; karung 50 kg = Rp90.000"),
    ("PPK-0025", 112_500, "3 kali harga jual Rp1.800/kg"),   # the new HET, per sack
    ("PPK-0025", 6_000, "3 kali harga jual Rp1.800/kg"),
    ("NPK", 115_000, "HET sebelumnya Rp2.300/kg; karung 50 kg = Rp115.000"),  # no catalog price
])
def test_set_ceiling_refuses_an_unlikely_het_unless_confirmed(db, urea, sku, price, words):
    before = count(db)
    with db.transaction() as s:
        with pytest.raises(service.CeilingError) as refused:
            service.set_ceiling(s, sku_id(s, sku), price=price, effective_from=date(2025, 10, 22))
    assert words in refused.value.message
    assert count(db) == before
    with db.transaction() as s:
        service.set_ceiling(s, sku_id(s, sku), price=price, effective_from=date(2025, 10, 22),
                            unlikely_ok=True)
    assert count(db) == before + 1


@pytest.mark.parametrize("sku, price", [("PPK-0025", 2_250), ("PPK-0025", 5_400), ("BARU", 90_000),
                                        ("NPK", 2_500)])
def test_a_plausible_het_or_one_with_nothing_to_compare_is_saved(db, urea, sku, price):
    with db.transaction() as s:
        service.set_ceiling(s, sku_id(s, sku), price=price, effective_from=date(2025, 10, 22))
    assert count(db) == 2


@pytest.fixture
def manager(db, client, urea):
    with db.transaction() as s:
        user = make_user(s, "manajer1", "manager", "1234").id
    login(client, user)
    return user


def test_the_form_asks_to_confirm_a_sacks_price(db, client, manager):
    form = {"sku": "PPK-0025", "zone": "", "price": "90.000", "from": "22-10-2025", "note": ""}
    refused = client.post("/het", data=form)
    page = " ".join(refused.get_data(as_text=True).split())
    assert refused.status_code == 422 and count(db) == 1
    assert "HET Rp90.000 per kg? Harga jual Rp1.800/kg; karung 50 kg = Rp90.000" in page
    assert 'name="het_ok"' in page
    assert client.post("/het", data={**form, "het_ok": "1"}).status_code == 303
    assert count(db) == 2


def upload(client, data: bytes, **flags) -> str:
    response = client.post("/het/impor", data={"file": (io.BytesIO(data), "het.csv"), **flags},
                           content_type="multipart/form-data", headers={"HX-Request": "true"})
    return poll_until_finished(client, response.get_data(as_text=True))


def test_the_upload_and_its_check_refuse_a_sacks_price_until_confirmed(db, client, manager):
    assert 'name="het_ok"' in client.get("/het").get_data(as_text=True)
    for flags in ({}, {"check_only": "1"}):
        done = upload(client, SACK, **flags)
        assert "Impor dibatalkan: 1 kesalahan" in done, done
        assert "Baris 2: HET Rp90.000 per kg? Harga jual Rp1.800/kg; karung 50 kg = Rp90.000" in done
        assert count(db) == 1
    done = upload(client, SACK, het_ok="1")
    assert "Impor selesai (1 baris): 1 HET baru" in done
    assert "Rp90.000 Disimpan karena dikonfirmasi." not in done and "Disimpan karena dikonfirmasi." in done
    assert count(db) == 2


def test_cli_import_and_set_refuse_a_sacks_price_until_confirmed(db, runner, urea, tmp_path):
    path = tmp_path / "het.csv"
    path.write_bytes(SACK)
    for extra in ([], ["--dry-run"]):
        done = runner.invoke(args=["het", "import", str(path), *extra])
        assert done.exit_code != 0
        assert "karung 50 kg = Rp90.000" in done.output and "--het-ok" in done.output
    assert count(db) == 1
    done = runner.invoke(args=["het", "set", "PPK-0025", "--price", "90.000", "--from", "22-10-2025"])
    assert done.exit_code != 0 and "karung 50 kg = Rp90.000" in done.output and "--het-ok" in done.output
    assert count(db) == 1
    done = runner.invoke(args=["het", "import", str(path), "--het-ok"])
    assert done.exit_code == 0, done.output
    assert count(db) == 2
