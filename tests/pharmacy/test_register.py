"""The apoteker's register (/apotek): obat keras sold with prescription, apoteker and receipt,
and its CSV; the apoteker role and SIPA from the command line."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from pos.auth.models import Role, User
from pos.auth.service import RIGHTS
from tests.factories import login
from tests.pharmacy.conftest import HX, SIPA
from tests.pharmacy.test_till import approve, scan, today


def sell_with_prescription(client, app, shop):
    login(client, shop["cashier"], shop["till"])
    assert approve(client, app).status_code == 200
    scan(client, "8990000100041")  # obat bebas: not in the register
    paid = client.post("/kasir/bayar", headers=HX,
                       data={"idempotency_key": str(uuid.uuid4()), "tendered": "20.000"})
    assert paid.status_code == 200


def test_only_a_pharmacist_approves_obat_keras():
    assert "dispense" in RIGHTS[Role.PHARMACIST] and "sell" in RIGHTS[Role.PHARMACIST]
    assert all("dispense" not in RIGHTS[r] for r in Role if r is not Role.PHARMACIST)


def test_the_register_lists_obat_keras_sold_and_downloads(client, db, app, shop):
    sell_with_prescription(client, app, shop)
    assert client.get("/apotek").status_code == 403          # a cashier may not see it
    day = f"{today(app):%d-%m-%Y}"
    for user in ("pharmacist", "manager"):
        login(client, shop[user], shop["till"])
        page = client.get(f"/apotek?dari={day}&sampai={day}").get_data(as_text=True)
        assert page.count('class="dispensed') == 1 and "Paracetamol" not in page
        assert "Amoxicillin 500 mg" in page and "R-0112" in page and "dr. Sari Wulandari" in page
        assert "Rina Marlina" in page and SIPA in page and "TST01-0000001" in page
    csv = client.get(f"/apotek/resep.csv?dari={day}&sampai={day}")
    assert csv.headers["Content-Disposition"].startswith('attachment; filename="resep-obat-keras-')
    text = csv.get_data().decode("utf-8-sig").splitlines()
    assert text[0] == "tanggal,no_struk,sku,obat,jumlah,nilai,dokter,tanggal_resep,no_resep," \
                      "apoteker,sipa,kasir,dikembalikan"
    assert len(text) == 2 and f"{day}," in text[1] and ",Amoxicillin 500 mg,1,5000," in text[1]
    assert f",R-0112,Rina Marlina,{SIPA},Kasir1,0" in text[1]
    assert ",dr. Sari Wulandari," in text[1]                # as the screen writes the doctor
    from sqlalchemy import update

    from pos.sales.models import SaleLine
    with db.transaction() as s:   # a return of it (the counter a return bumps): the register says so
        s.execute(update(SaleLine).where(SaleLine.name == "Amoxicillin 500 mg").values(returned_qty=1))
    page = client.get(f"/apotek?dari={day}&sampai={day}").get_data(as_text=True)
    assert "dikembalikan 1" in page
    returned = client.get(f"/apotek/resep.csv?dari={day}&sampai={day}").get_data().decode("utf-8-sig")
    assert returned.splitlines()[1].endswith(",Kasir1,1")
    empty = client.get("/apotek?dari=01-01-2025&sampai=31-01-2025").get_data(as_text=True)
    assert "Tidak ada obat keras terjual" in empty
    assert client.get("/apotek?dari=02-01-2025&sampai=01-01-2025").status_code == 422


def test_the_pharmacist_sees_the_register_tile(client, shop):
    login(client, shop["pharmacist"], shop["till"])
    home = client.get("/")
    assert home.status_code == 200 and 'href="/apotek"' in home.get_data(as_text=True)


def test_user_add_with_role_pharmacist_and_licence(runner, db):
    result = runner.invoke(args=["user", "add", "apoteker9", "--name", "Dewi", "--role", "pharmacist",
                                 "--licence", "SIPA 123/SIPA/2026", "--pin", "4321"])
    assert result.exit_code == 0, result.output
    assert "Apoteker" in result.output
    result = runner.invoke(args=["user", "licence", "apoteker9", "456/SIPA/2026"])
    assert result.exit_code == 0, result.output
    with db.reading() as s:
        user = s.scalar(select(User).where(User.username == "apoteker9"))
        assert (user.role, user.licence_no) == (Role.PHARMACIST, "456/SIPA/2026")
    runner.invoke(args=["user", "licence", "apoteker9", ""])
    with db.reading() as s:
        assert s.scalar(select(User.licence_no).where(User.username == "apoteker9")) is None
