"""The ``pos`` command: init, db upgrade, demo, user add, report day and products list."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from pos.auth.models import Role, User
from pos.clock import business_date, utcnow
from pos.db import current_revision, get_db, migrations_config, upgrade
from pos.inventory.catalog.models import Product
from pos.sales.models import ReceiptSequence, Sale
from pos.tills.models import Till
from tests.factories import login, make_product, make_till, make_user, open_shift


@pytest.fixture
def backend():
    """The commands are thin wrappers over tested services: SQLite is enough."""
    return "sqlite"


def pos_cmd(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


def head_revision(engine) -> str:
    return ScriptDirectory.from_config(migrations_config(engine)).get_current_head()


def count(app, model) -> int:
    with get_db(app).reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_init_migrates_an_empty_database_and_creates_the_till_but_no_user(bare_app):
    engine = get_db(bare_app).engine
    assert inspect(engine).get_table_names() == []
    result = pos_cmd(bare_app, "init")
    assert result.exit_code == 0, result.output
    assert "Basis data siap." in result.output and "KASIR-1" in result.output
    assert current_revision(engine) == head_revision(engine) is not None
    with get_db(bare_app).reading() as s:
        assert s.execute(select(Till.code, Till.name, Till.active)).all() \
            == [("KASIR-1", "Kasir 1", True)]
        assert s.execute(select(ReceiptSequence.outlet_code, ReceiptSequence.last_no)).all() \
            == [("TST01", 0)]
    assert count(bare_app, User) == 0


def test_init_on_a_new_outlet_says_the_next_steps(bare_app):
    result = pos_cmd(bare_app, "init")
    assert result.exit_code == 0, result.output
    steps = result.output.split("Langkah berikutnya:", 1)[1]
    assert "pos user add NAMA --role manager" in steps
    assert f"{bare_app.instance_path}/pos.cfg" in steps
    for key in ("OUTLET_CODE", "OUTLET_NAME", "OUTLET_ADDRESS", "OUTLET_NPWP", "CASH_ROUNDING", "HET_ZONE"):
        assert key in steps
    assert "pos doctor" in steps
    with get_db(bare_app).transaction() as s:   # a manager made: the steps are done
        make_user(s, "manajer1", "manager")
    again = pos_cmd(bare_app, "init")
    assert again.exit_code == 0 and "Langkah berikutnya" not in again.output


def test_init_on_an_installed_mini_pc_names_its_command_and_leaves_out_what_pos_env_gives(
        bare_app, tmp_path, monkeypatch):
    """The installer wrote the outlet's code, name, rounding and zone to /etc/gerai-pos/pos.env,
    which wins over pos.cfg, and the command there is sudo gerai-pos: writing them into pos.cfg
    would change nothing, and `pos user add` is not the command."""
    env_file = tmp_path / "pos.env"
    env_file.write_text("POS_OUTLET_CODE=KDMP01\n")
    monkeypatch.setattr("pos.config.ENV_FILE", env_file)
    for key in ("OUTLET_CODE", "OUTLET_NAME", "CASH_ROUNDING", "HET_ZONE"):
        monkeypatch.setenv(f"POS_{key}", "x")
    steps = pos_cmd(bare_app, "init").output.split("Langkah berikutnya:", 1)[1]
    assert 'sudo gerai-pos user add NAMA --role manager --name "Nama Lengkap"' in steps
    assert "pos.cfg, satu per baris" in steps and "OUTLET_ADDRESS" in steps and "OUTLET_NPWP" in steps
    written = steps.split("pos.cfg, satu per baris", 1)[1].split("Sudah diberikan", 1)[0]
    assert "OUTLET_CODE" not in written and "HET_ZONE" not in written
    assert f"Sudah diberikan sebagai POS_… di {env_file}, yang menang atas pos.cfg" in steps
    assert "OUTLET_CODE, OUTLET_NAME, CASH_ROUNDING, HET_ZONE." in steps
    assert "sudo gerai-pos doctor" in steps


def test_init_twice_changes_nothing(bare_app):
    assert pos_cmd(bare_app, "init").exit_code == 0
    with get_db(bare_app).reading() as s:
        tills = s.execute(select(Till.id, Till.code)).all()
    again = pos_cmd(bare_app, "init")
    assert again.exit_code == 0, again.output
    assert "Dibuat" not in again.output
    with get_db(bare_app).reading() as s:
        assert s.execute(select(Till.id, Till.code)).all() == tills
    assert count(bare_app, ReceiptSequence) == 1 and count(bare_app, User) == 0


def test_init_keeps_an_existing_till(bare_app):
    assert pos_cmd(bare_app, "db", "upgrade").exit_code == 0
    with get_db(bare_app).transaction() as s:
        make_till(s, "DEPAN")
    assert pos_cmd(bare_app, "init").exit_code == 0
    with get_db(bare_app).reading() as s:
        assert s.scalars(select(Till.code)).all() == ["DEPAN"]


def test_db_upgrade_is_idempotent(bare_app):
    engine = get_db(bare_app).engine
    first = pos_cmd(bare_app, "db", "upgrade")
    assert first.exit_code == 0, first.output
    head = head_revision(engine)
    assert first.output == f"Skema basis data dibuat ({head}, {int(head)} revisi).\n"
    tables = sorted(inspect(engine).get_table_names())
    assert "alembic_version" in tables and "sale" in tables
    second = pos_cmd(bare_app, "db", "upgrade")
    assert second.exit_code == 0, second.output
    assert current_revision(engine) == head
    assert sorted(inspect(engine).get_table_names()) == tables


def test_db_upgrade_says_what_it_changed(bare_app):
    """It printed "Skema mutakhir: 0045" whether it upgraded from 0030 or changed nothing."""
    engine = get_db(bare_app).engine
    head = head_revision(engine)
    upgrade(engine, "0030")
    upgraded = pos_cmd(bare_app, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert f"Skema diperbarui dari 0030 ke {head} ({int(head) - 30} revisi).\n" in upgraded.output
    again = pos_cmd(bare_app, "db", "upgrade")
    assert again.output == f"Skema sudah mutakhir ({head}); tidak ada yang diubah.\n"


def test_db_upgrade_and_init_say_what_the_data_still_needs_by_hand(bare_app):
    """A member number the upgrade to 0032 could not write in capitals (another member has it
    so) is named with what to do, not only left for ``pos doctor``; a clean register says
    nothing."""
    from pos.members.models import Member

    assert "Perhatian" not in pos_cmd(bare_app, "db", "upgrade").output
    with get_db(bare_app).transaction() as s:
        s.add_all([Member(number="AGT-0003", name="Dewi"), Member(number="AGT-0004", name="Ani")])
    with get_db(bare_app).transaction() as s:   # as an old import left it, by hand
        s.execute(Member.__table__.update().where(Member.number == "AGT-0004")
                  .values(number="agt-0003"))
    for args in (("db", "upgrade"), ("init",)):
        said = pos_cmd(bare_app, *args)
        assert said.exit_code == 0, said.output
        assert "Perhatian: 1 nomor anggota tidak dalam huruf besar" in said.output
        assert "agt-0003 (Ani)" in said.output and "Perbaiki setiap nomor" in said.output


def test_db_current_prints_the_revision_and_nothing_before_a_schema(bare_app):
    empty = pos_cmd(bare_app, "db", "current")
    assert (empty.exit_code, empty.output) == (0, "")
    pos_cmd(bare_app, "db", "upgrade")
    made = pos_cmd(bare_app, "db", "current")
    assert (made.exit_code, made.output) == (0, head_revision(get_db(bare_app).engine) + "\n")


def test_demo_if_empty_seeds_once_then_leaves_data_alone(bare_app):
    first = pos_cmd(bare_app, "demo", "--if-empty")
    assert first.exit_code == 0, first.output
    assert "Data demo dibuat" in first.output
    assert "staf 5," in first.output and "users" not in first.output   # apoteker1 counted too
    # the demo's past is rounded to Rp100: a till without it is told how to match (make run does)
    assert ("Catatan: riwayat demo membulatkan tunai ke Rp100; agar kasir sama, tulis "
            "CASH_ROUNDING = 100 di ") in first.output
    products = count(bare_app, Product)
    assert products >= 300
    with get_db(bare_app).reading() as s:
        roles = dict(s.execute(select(User.username, User.role)).all())
        assert s.scalars(select(Till.code).order_by(Till.code)).all() == ["KASIR-1", "KASIR-2"]
    assert roles == {"kasir1": Role.CASHIER, "gudang1": Role.CLERK, "manajer1": Role.MANAGER,
                     "admin": Role.ADMIN, "apoteker1": Role.PHARMACIST}
    assert current_revision(get_db(bare_app).engine) == head_revision(get_db(bare_app).engine)

    second = pos_cmd(bare_app, "demo", "--if-empty")
    assert second.exit_code == 0, second.output
    assert "sudah berisi data" in second.output
    assert count(bare_app, Product) == products and count(bare_app, User) == 5

    listed = pos_cmd(bare_app, "products", "list", "--json")
    assert listed.exit_code == 0
    catalog = json.loads(listed.stdout)
    assert len(catalog) == products
    minyakita = next(p for p in catalog if p["name"] == "MinyaKita Minyak Goreng 1 liter")
    assert (minyakita["price"], minyakita["unit"]) == (15700, "pcs")
    assert len(minyakita["barcodes"]) == 1 and minyakita["on_hand"] > 0


def test_demo_without_flag_refuses_a_database_with_data(bare_app):
    assert pos_cmd(bare_app, "init").exit_code == 0
    added = pos_cmd(bare_app, "user", "add", "siti", "--role", "manager", "--pin", "7391")
    assert added.exit_code == 0
    result = pos_cmd(bare_app, "demo")
    assert result.exit_code != 0
    assert "sudah berisi data" in result.output
    assert count(bare_app, Product) == 0 and count(bare_app, User) == 1


def test_user_add_creates_a_user_who_can_log_in(bare_app):
    assert pos_cmd(bare_app, "init").exit_code == 0
    result = pos_cmd(bare_app, "user", "add", "Siti", "--name", "Siti Aminah", "--role", "cashier",
                     "--pin", "4321")
    assert result.exit_code == 0, result.output
    assert "Staf siti (Kasir) dibuat." in result.output
    with get_db(bare_app).reading() as s:
        user = s.execute(select(User.username, User.full_name, User.role, User.pin_hash)).one()
        till_id = s.scalar(select(Till.id))
    assert user[:3] == ("siti", "Siti Aminah", Role.CASHIER) and "4321" not in user.pin_hash
    client = bare_app.test_client()
    response = client.post("/masuk", data={"username": "siti", "pin": "4321", "till_id": till_id})
    assert response.status_code == 303
    assert client.get("/kasir").status_code == 200


def test_user_add_asks_for_the_pin_twice_when_not_given(bare_app):
    assert pos_cmd(bare_app, "init").exit_code == 0
    mismatch = pos_cmd(bare_app, "user", "add", "budi", "--role", "clerk", input="1234\n4321\n\n")
    assert mismatch.exit_code != 0 and count(bare_app, User) == 0
    assert "Galat: kedua isian tidak sama; ketik sekali lagi." in mismatch.output
    result = pos_cmd(bare_app, "user", "add", "budi", "--role", "clerk", input="1234\n1234\n")
    assert result.exit_code == 0, result.output
    assert "PIN (4-8 angka): " in result.output and "Ulangi PIN: " in result.output
    assert "Pin:" not in result.output and "Repeat" not in result.output
    assert "1234" not in result.output  # the PIN is not echoed
    assert count(bare_app, User) == 1


def test_user_pin_asks_for_the_new_pin_in_indonesian(bare_app):
    assert pos_cmd(bare_app, "init").exit_code == 0
    assert pos_cmd(bare_app, "user", "add", "budi", "--role", "clerk", "--pin", "1234").exit_code == 0
    result = pos_cmd(bare_app, "user", "pin", "budi", input="5678\n5678\n")
    assert result.exit_code == 0, result.output
    assert "PIN (4-8 angka): Ulangi PIN: " in result.output.replace("\n", "")


def test_user_deactivate_twice_logs_it_once(bare_app):
    from pos.auth.models import StaffChange

    assert pos_cmd(bare_app, "init").exit_code == 0
    assert pos_cmd(bare_app, "user", "add", "budi", "--role", "clerk", "--pin", "1234").exit_code == 0
    first = pos_cmd(bare_app, "user", "deactivate", "budi")
    assert first.exit_code == 0 and "Staf budi dinonaktifkan; 0 sesi diakhiri." in first.output
    again = pos_cmd(bare_app, "user", "deactivate", "budi")
    assert again.exit_code == 0 and "Staf budi sudah nonaktif; tidak ada yang berubah." in again.output
    with get_db(bare_app).reading() as s:
        logged = s.scalars(select(StaffChange.detail)).all()
    assert [d for d in logged if d.startswith("Dinonaktifkan")] == ["Dinonaktifkan; 0 sesi diakhiri"]


def test_a_secret_asked_twice_takes_the_empty_default():
    import click
    from click.testing import CliRunner

    from pos.console import ask_secret

    @click.command()
    def ask():
        click.echo(f"[{ask_secret('Kata sandi (kosong: dibuatkan)', 'Ulangi kata sandi', default='')}]")

    empty = CliRunner().invoke(ask, input="\n\n")
    assert empty.exit_code == 0 and "[]" in empty.output and "Ulangi kata sandi: " in empty.output
    typed = CliRunner().invoke(ask, input="abc\nabd\nabc\nabc\n")
    assert typed.exit_code == 0 and "[abc]" in typed.output
    assert "kedua isian tidak sama" in typed.output


@pytest.mark.parametrize("args, message", [
    (["--role", "cashier", "--pin", "12"], "PIN harus 4 sampai 8 angka."),
    (["--role", "cashier", "--pin", "12345abc"], "PIN harus 4 sampai 8 angka."),
    (["--role", "boss", "--pin", "1234"], "boss"),
])
def test_user_add_with_bad_input_fails_readably(bare_app, args, message):
    assert pos_cmd(bare_app, "init").exit_code == 0
    result = pos_cmd(bare_app, "user", "add", "siti", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert count(bare_app, User) == 0


def test_user_add_refuses_a_duplicate_username(bare_app):
    assert pos_cmd(bare_app, "init").exit_code == 0
    first = pos_cmd(bare_app, "user", "add", "siti", "--role", "cashier", "--pin", "1234")
    assert first.exit_code == 0
    again = pos_cmd(bare_app, "user", "add", "SITI", "--role", "admin", "--pin", "5836")
    assert again.exit_code != 0
    assert "Nama pengguna siti sudah ada." in again.output
    with get_db(bare_app).reading() as s:
        assert s.execute(select(User.username, User.role)).all() == [("siti", Role.CASHIER)]


@pytest.fixture
def app(app_factory):
    """A PKP outlet, so the reports below carry PPN (a new outlet is not PKP)."""
    return app_factory(PKP=True)


@pytest.fixture
def two_sales(app, db):
    """Two cash sales rung up through the till screen; returns the business date."""
    with db.transaction() as s:
        till = make_till(s).id
        cashier = make_user(s).id
        make_product(s, name="Indomie Goreng", price=3_500, on_hand=10, barcodes_=["8998866200301"])
        make_product(s, name="Beras curah", price=14_000, base_unit="gram", tax_class="bebas",
                     on_hand=50_000, barcodes_=[("2000000000015", 1000)])
        make_product(s, name="Paracetamol", price=5_000, business_unit="apotek",
                     batch_tracked=True, on_hand=5, barcodes_=["8990000000013"])
    client = app.test_client()
    login(client, cashier, till)
    htmx = {"HX-Request": "true"}

    def scan(code):
        assert client.post("/kasir/pindai", data={"code": code}, headers=htmx).status_code == 200

    def pay(key):
        response = client.post("/kasir/bayar", data={"tendered": "50.000", "idempotency_key": key},
                               headers=htmx)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]

    scan("2*8998866200301")
    scan("2000000000015")
    first_key = str(uuid.uuid4())
    pay(first_key)
    pay(first_key)  # a double click: still one sale
    scan("8990000000013")
    pay(str(uuid.uuid4()))
    with db.reading() as s:
        days = s.scalars(select(Sale.business_date).distinct()).all()
    assert len(days) == 1
    return days[0]


def test_report_day_json_matches_the_sales(runner, db, two_sales):
    result = runner.invoke(args=["report", "day", "--date", two_sales.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    with db.reading() as s:
        gross, tax, total = s.execute(select(func.sum(Sale.gross), func.sum(Sale.tax),
                                             func.sum(Sale.total))).one()
    assert report["date"] == two_sales.isoformat()
    assert report["sale_count"] == 2
    # 2 x 3.500 + 14.000 (exempt) and 5.000; PPN inside: 7.000 x 11/111 and 5.000 x 11/111.
    assert (report["gross"], report["discount"], report["tax"], report["total"]) \
        == (26_000, 0, 694 + 495, 26_000) == (gross, 0, tax, total)
    assert all(type(report[k]) is int for k in ("sale_count", "gross", "discount", "tax", "total"))
    assert report["payments"] == {"cash": {"count": 2, "amount": 26_000}}
    assert report["business_units"] == {
        # the factory's cost is 8.000 per piece or kg: 2 pcs + 1 kg, and 1 pcs
        "sembako": {"lines": 2, "amount": 21_000, "tax": 694, "cost": 24_000,
                    "margin": 21_000 - 694 - 24_000},
        "apotek": {"lines": 1, "amount": 5_000, "tax": 495, "cost": 8_000,
                   "margin": 5_000 - 495 - 8_000},
    }
    assert report["cost"] == 32_000 and report["margin"] == 26_000 - 694 - 495 - 32_000
    assert sum(u["amount"] for u in report["business_units"].values()) == report["gross"]
    assert report["pkp"] is True and report["tax_classes"] == {  # DPP nilai lain: 11/12 of 10.811
        "ppn": {"amount": 12_000, "tax": 1_189, "dpp": 9_910},
        "bebas": {"amount": 14_000, "tax": 0, "dpp": 14_000}}


def test_report_day_text_output(runner, two_sales):
    result = runner.invoke(args=["report", "day", "--date", two_sales.isoformat()])
    assert result.exit_code == 0, result.output
    assert "2 transaksi" in result.output and "  Tunai " in result.output   # the screen's word
    assert "cash" not in result.output and "member_credit" not in result.output
    assert "26.000" in result.output
    assert result.output.startswith(f"Tanggal {two_sales:%d-%m-%Y} (terbuka): ")   # dd-mm-yyyy


def test_report_day_without_sales_gives_zeros(runner, db, two_sales):
    """A day of the outlet's life without sales: zeros. One before its first activity or not
    yet come is refused (its zeros would read as a day lived: ``reports.first_day``)."""
    before, after = two_sales - timedelta(days=1), two_sales + timedelta(days=1)
    early = runner.invoke(args=["report", "day", "--date", before.isoformat(), "--json"])
    assert early.exit_code == 1 and early.output == (
        f"Galat: Hari {before:%d-%m-%Y} tidak punya ringkasan: kegiatan pertama gerai pada "
        f"{two_sales:%d-%m-%Y}. Periksa tanggalnya.\n")
    ahead = runner.invoke(args=["report", "day", "--date", after.isoformat(), "--json"])
    assert ahead.exit_code == 1 and f"Hari {after:%d-%m-%Y} belum tiba" in ahead.output
    with db.transaction() as s:   # a shift two days back: the outlet's books begin then
        open_shift(s, make_till(s, "KASIR-2").id, make_user(s, "kasir2").id,
                   day=two_sales - timedelta(days=2))
    result = runner.invoke(args=["report", "day", "--date", before.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {k: report[k] for k in ("date", "sale_count", "gross", "discount", "tax", "total",
                                   "rounding", "cost", "margin", "payments", "business_units",
                                   "pkp", "tax_classes", "closed", "tills", "shifts")} == {
        "date": before.isoformat(), "sale_count": 0, "gross": 0, "discount": 0, "tax": 0,
        "total": 0, "rounding": 0, "cost": 0, "margin": 0, "payments": {}, "business_units": {},
        "pkp": True, "tax_classes": {}, "closed": False, "tills": [], "shifts": []}
    assert (report["returns"]["count"], report["returns"]["amount"]) == (0, 0)


def test_report_day_on_an_empty_database_gives_zeros(runner, app):
    """Today's; an earlier day of an outlet that has done nothing yet is refused."""
    earlier = runner.invoke(args=["report", "day", "--date", "2026-01-31", "--json"])
    assert earlier.exit_code == 1 and earlier.output == (
        "Galat: Hari 31-01-2026 tidak punya ringkasan: belum ada kegiatan apa pun. Periksa tanggalnya.\n")
    today = business_date(utcnow(), app.config["TIMEZONE"])
    result = runner.invoke(args=["report", "day", "--date", today.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["sale_count"], report["gross"], report["tax"], report["total"]) == (0, 0, 0, 0)


@pytest.mark.parametrize("value", ["2026-13-01", "31-02-2026", "kemarin", ""])
def test_report_day_rejects_an_invalid_date(runner, value):
    result = runner.invoke(args=["report", "day", "--date", value, "--json"])
    assert result.exit_code != 0
    assert "--date" in result.output
    assert not result.stdout.lstrip().startswith("{")


def test_report_day_requires_a_date(runner):
    result = runner.invoke(args=["report", "day", "--json"])
    assert result.exit_code != 0 and "--date" in result.output


def test_products_list_json_lists_every_product(runner, db):
    with db.transaction() as s:
        mie = make_product(s, sku="MIE-01", name="Indomie Goreng", price=3_500, on_hand=12,
                           barcodes_=["8998866200301", "8998866200318"])
        make_product(s, sku="BRS-01", name="Beras curah", price=14_000, base_unit="gram",
                     tax_class="bebas", on_hand=25_000, barcodes_=[("2000000000015", 1000)])
        make_product(s, sku="OBT-01", name="Paracetamol", price=5_000, business_unit="apotek",
                     batch_tracked=True, on_hand=0, barcodes_=[])
        assert mie.id
    result = runner.invoke(args=["products", "list", "--json"])
    assert result.exit_code == 0, result.output
    products = json.loads(result.stdout)
    assert [p["sku"] for p in products] == ["BRS-01", "MIE-01", "OBT-01"]
    by_sku = {p["sku"]: p for p in products}
    assert by_sku["MIE-01"] == {
        "sku": "MIE-01", "name": "Indomie Goreng", "barcodes": ["8998866200301", "8998866200318"],
        "price": 3_500, "price_per": 1, "unit": "pcs", "business_unit": "sembako",
        "tax_class": "ppn", "active": True, "on_hand": 12,
    }
    beras = by_sku["BRS-01"]
    assert (beras["unit"], beras["price_per"], beras["on_hand"], beras["barcodes"]) \
        == ("gram", 1000, 25_000, ["2000000000015"])
    obat = by_sku["OBT-01"]
    assert (obat["business_unit"], obat["on_hand"], obat["barcodes"]) == ("apotek", 0, [])


def test_products_list_on_an_empty_catalogue_says_how_to_fill_it(runner, db):
    """It printed nothing at all (as pos user list says how to make the first account)."""
    result = runner.invoke(args=["products", "list"])
    assert result.exit_code == 0
    assert result.output == ("Katalog masih kosong; impor barang dengan pos inventory import "
                             "BERKAS.csv|.xlsx.\n")
    assert json.loads(runner.invoke(args=["products", "list", "--json"]).stdout) == []


def test_products_list_text_output(runner, db):
    with db.transaction() as s:
        make_product(s, sku="MIE-01", name="Indomie Goreng", price=3_500, on_hand=12)
    result = runner.invoke(args=["products", "list"])
    assert result.exit_code == 0, result.output
    line = result.output.strip().splitlines()[0]
    assert line.startswith("MIE-01") and "Indomie Goreng" in line and "3.500" in line
    assert line.rstrip().endswith("12 pcs")
    with db.transaction() as s:
        make_product(s, sku="PPK-01", name="Pupuk Urea Subsidi", price=2_250, base_unit="gram",
                     on_hand=3_450_000)
    urea = runner.invoke(args=["products", "list"]).output.strip().splitlines()[1]
    assert "Rp2.250/kg" in urea and urea.rstrip().endswith("3.450 kg")   # not 3450000 gram
    long_name = "Minyak Goreng Kemasan Sederhana Minyakita Pouch Satu Liter Isi Dua Belas"
    with db.transaction() as s:
        make_product(s, sku="MYK-12", name=long_name, price=198_000, on_hand=4)
    lines = runner.invoke(args=["products", "list"]).output.strip().splitlines()
    assert any(long_name in line for line in lines)              # whole: it was cut at 40
    assert len({len(line) for line in lines}) == 1               # the amounts end in one column


def test_products_list_on_an_empty_catalog(runner):
    result = runner.invoke(args=["products", "list", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []



@pytest.mark.parametrize(("args", "said"), [
    (["shift", "list", "--date", "31-11-2026"], "31-11-2026 tidak ada: November 2026 hanya 30 hari."),
    (["report", "day", "--date", "2026-13-01"], "2026-13-01 tidak ada: bulan harus 01 sampai 12."),
    (["report", "sales", "--from", "kemarin", "--to", "2026-11-30", "--by", "day"],
     "kemarin tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026."),
    (["returns", "list", "--from", "30/11/1999"], "30-11-1999: tahun harus antara 2000 dan 2099."),
    (["day", "status", "--date", "2026-W49-4"], "2026-W49-4 tidak dikenali"),
    (["ledger", "simkopdes", "--from", "2026-11", "--to", "2026-11-30", "--out", "x"],
     "2026-11 tidak dikenali"),
    (["lpg", "day", "--date", "29-02-2027"], "29-02-2027 tidak ada: Februari 2027 hanya 28 hari."),
    (["ledger-hub", "trial-balance", "--from", "0-1-2026"], "00-01-2026 tidak ada"),
])
def test_a_date_that_is_not_one_is_refused_in_indonesian(bare_app, args, said):
    result = pos_cmd(bare_app, *args)
    assert result.exit_code == 2, result.output
    option = next(a for a in args if a in ("--date", "--from"))
    assert f"nilai {option} tidak sah: {said}" in result.output
    assert "Invalid value" not in result.output


@pytest.mark.parametrize("typed", ["30-11-2026", "30/11/2026", "30.11.2026", "30112026", "2026-11-30"])
def test_a_date_option_takes_it_as_the_screens_write_it_or_as_iso(bare_app, typed):
    assert pos_cmd(bare_app, "db", "upgrade").exit_code == 0
    result = pos_cmd(bare_app, "report", "day", "--date", typed, "--json")   # read as 30-11-2026
    assert result.exit_code == 1 and result.output == (   # (a day before the outlet's life)
        "Galat: Hari 30-11-2026 tidak punya ringkasan: belum ada kegiatan apa pun. Periksa tanggalnya.\n")


@pytest.mark.parametrize("args", [
    ["report", "sales", "--from", "2026-11-30", "--to", "2026-11-01", "--by", "day"],
    ["returns", "list", "--from", "2026-11-30", "--to", "2026-11-01"],
    ["ledger-hub", "trial-balance", "--from", "2026-11-30", "--to", "2026-11-01"],
])
def test_a_range_typed_backwards_is_refused_in_indonesian(bare_app, args):
    result = pos_cmd(bare_app, *args)
    assert result.exit_code == 2, result.output
    assert "--from harus sebelum atau sama dengan --to." in result.output


def test_the_hub_general_ledger_without_an_account_says_what_to_add(bare_app):
    result = pos_cmd(bare_app, "ledger-hub", "books", "ledger")
    assert result.exit_code == 2
    assert "Buku besar (ledger) perlu --account, misalnya --account 111000 (kas)." in result.output


def test_a_pin_piped_from_a_script_is_asked_in_indonesian_only(tmp_path):
    """From a pipe (a script, `printf '1234\\n1234\\n' | pos user add`), Python's getpass said
    "Warning: Password input may be echoed." in English, twice."""
    import os
    import subprocess
    import sys
    env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path), "POS_SECRET_KEY": "x" * 32}
    pos = [sys.executable, "-m", "pos"]
    assert subprocess.run([*pos, "init"], env=env, capture_output=True, timeout=120).returncode == 0
    done = subprocess.run([*pos, "user", "add", "siti", "--role", "cashier"], input="1234\n1234\n",
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stdout + done.stderr
    assert done.stdout.splitlines() == ["PIN (4-8 angka): ", "Ulangi PIN: ", "Staf siti (Kasir) dibuat."]
